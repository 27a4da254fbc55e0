// Deterministic synthetic CDRs for demos and benchmarks (`hotline cdr generate`): realistic daily
// volumes (weekday peaks at 9–11 and 14–16, quieter weekends), outcome mix, waits, talk and ACW times,
// survey answers and complaints. The same seed gives the same file. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "core/time_zone.hpp"

namespace hotline::kpi {

struct GeneratorOptions {
  std::vector<std::string> centers = {"GS-LZ"};
  Date first_day;
  int days = 30;
  int calls_per_day = 400;  // mean per centre and working day; weekends get 30 %
  uint64_t seed = 12329;
};

// Writes the CSV (header + rows) to `out`; returns the number of rows. `progress(day_index)` per day.
int64_t GenerateCdrs(const GeneratorOptions& options, std::ostream& out,
                     const std::function<void(int)>& progress = nullptr);

}  // namespace hotline::kpi
