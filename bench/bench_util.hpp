// Shared pieces of the hand-run benchmarks: latency summaries and the machine line every result in
// docs/PERFORMANCE.md carries. Header-only; pure functions, thread-safe.
#pragma once

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace hotline::bench {

struct Stats {
  double p50 = 0, p99 = 0, max = 0;
};

// Nearest-rank percentiles of `v` (any unit). REQUIRES: !v.empty().
inline Stats Summarise(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
  };
  return {at(0.50), at(0.99), v.back()};
}

// "CPU model, N cores, M GiB RAM, Linux release".
inline std::string Machine() {
  std::string cpu = "unknown CPU";
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  utsname u{};
  uname(&u);
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s, %ld cores, %.0f GiB RAM, %s %s", cpu.c_str(),
                sysconf(_SC_NPROCESSORS_ONLN),
                static_cast<double>(pages) * static_cast<double>(page) / (1 << 30), u.sysname, u.release);
  return buf;
}

}  // namespace hotline::bench
