// A one-line progress display for long CLI work (imports, generators): redrawn in place on a terminal,
// silent when stderr is not a terminal (scripts, CI). Not thread-safe.
#pragma once

#include <chrono>
#include <string>

namespace hotline::app {

class TerminalProgress {
 public:
  explicit TerminalProgress(std::string what);
  ~TerminalProgress() { Finish(); }
  // `done` of `total` units, with a free-text tail (e.g. "已导入 120,000 行").
  void Update(double done, double total, const std::string& tail = "");
  void Finish();

 private:
  std::string what_;
  bool tty_;
  bool open_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

// 1234567 → "1,234,567"
std::string Grouped(long long n);

}  // namespace hotline::app
