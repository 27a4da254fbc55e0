#include "app/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace hotline::app {

std::string Grouped(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

TerminalProgress::TerminalProgress(std::string what)
    : what_(std::move(what)),
      tty_(isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void TerminalProgress::Update(double done, double total, const std::string& tail) {
  if (!tty_) return;
  auto now = std::chrono::steady_clock::now();
  if (open_ && now - last_ < std::chrono::milliseconds(100) && done < total) return;
  last_ = now;
  open_ = true;
  double frac = total > 0 ? done / total : 0;
  int filled = static_cast<int>(frac * 30);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(30, '.');
  double secs = std::chrono::duration<double>(now - start_).count();
  double eta = frac > 0.001 ? secs / frac - secs : 0;
  std::fprintf(stderr, "\r%s [%s] %5.1f%%  %s  %.0fs, 剩余约 %.0fs   ", what_.c_str(), bar.c_str(),
               frac * 100, tail.c_str(), secs, eta);
  std::fflush(stderr);
}

void TerminalProgress::Finish() {
  if (tty_ && open_) std::fprintf(stderr, "\n");
  open_ = false;
}

}  // namespace hotline::app
