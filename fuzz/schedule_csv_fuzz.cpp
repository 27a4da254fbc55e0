// Fuzz target: agents' schedule CSV imports (POST /api/v1/kpi/schedules, R-KPI-9) — ParseScheduleCsv, the
// pure part of kpi::Attendance::ImportSchedule (the centre lookup and the store need a database).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kpi/attendance.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto lines = hotline::kpi::ParseScheduleCsv(bytes);
  size_t last = 0;
  for (const auto& l : lines) {
    if (l.line < last) __builtin_trap();  // in line order
    last = l.line;
    if (l.error.empty() && l.field_error.empty()) {
      // A good line: a username of 1–32 bytes and times of a day.
      if (l.username.empty() || l.username.size() > 32) __builtin_trap();
      if (l.start_minutes < 0 || l.start_minutes >= 24 * 60 || l.end_minutes < 0 || l.end_minutes >= 24 * 60)
        __builtin_trap();
    }
  }
  return 0;
}
