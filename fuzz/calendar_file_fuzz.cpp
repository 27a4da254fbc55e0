// Fuzz target: calendar CSV imports (`hotline calendar import FILE`, docs/CALENDAR.md) and the service
// hours JSON a centre admin PUTs (ServiceHoursFromJson).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "calendar/calendar_store.hpp"
#include "calendar/service_hours.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = hotline::calendar::ParseCalendarFile(bytes, "fuzz.csv");
  // All or nothing: a file with a bad line yields no days.
  if (!parsed.errors.empty() && !parsed.days.empty()) __builtin_trap();
  hotline::calendar::WorkingCalendar calendar({.national = parsed.days, .loaded_years = {2027}});
  for (const auto& d : parsed.days) (void)calendar.AddWorkdays(d.date, 10);
  auto json = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) (void)hotline::calendar::ServiceHoursFromJson(json);
  return 0;
}
