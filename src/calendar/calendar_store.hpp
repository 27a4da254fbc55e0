// The working calendar and service hours as data (issue 4: "stored as data, not code, editable by admins
// in the console and importable from a file, so next year's notice is loaded without a release").
//
// Tables (module "calendar", kCalendarMigrations):
//   calendar_days          the national calendar: one row per public holiday / make-up working day
//   calendar_closures      local closures of a centre (org_id): days its manual service does not work
//   calendar_years         the years whose official State Council schedule is complete
//   calendar_service_hours one JSON ServiceHoursConfig per centre that changed the default
//   calendar_version       one row: a counter every write above increments in its transaction (migration 2)
// The first migration ships the official 2025 and 2026 schedules and marks both years loaded, so every
// deployment has them. Later years come from `hotline calendar import FILE` (ImportFile) or from the
// console. Dates are TEXT 'YYYY-MM-DD' (their text order is their date order on every engine).
// Organisation ids come from org::OrgDirectory; the calendar module does not depend on org.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/service_hours.hpp"
#include "calendar/working_calendar.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace hotline::calendar {

// Stored dates must lie in these years (a typo like 2206 is refused). Arithmetic works on any date.
inline constexpr int kFirstCalendarYear = 2000;
inline constexpr int kLastCalendarYear = 2100;
// Errors: invalid_field when the year is outside kFirstCalendarYear…kLastCalendarYear.
Status CheckCalendarYear(int year);

// One year as stored: the national entries, a centre's closures, and whether the year is loaded.
struct YearListing {
  int year = 0;
  bool loaded = false;
  std::vector<CalendarDay> national;  // by date
  std::vector<CalendarDay> closures;  // by date; empty when no centre was asked for
};

// A CSV calendar file, parsed: the days, or one "FILE:LINE: reason" per bad line.
struct ParsedCalendarFile {
  std::vector<CalendarDay> days;
  std::vector<std::string> errors;  // at most 100 (then a last line says more were omitted)
};

// Parses the import format (docs/CALENDAR.md): UTF-8 CSV, header row `date,kind,name`, then one
// `YYYY-MM-DD,holiday|workday,NAME` per line; a UTF-8 BOM, CRLF line ends, blank lines and RFC 4180
// quotes are accepted. Checks every line (ValidateCalendarDay, year range, duplicates) and reports all
// bad lines. Pure and thread-safe; the input is untrusted bytes (a fuzz target entry point).
ParsedCalendarFile ParseCalendarFile(std::string_view bytes, std::string_view file_name);

struct ImportReport {
  int days = 0;            // rows written
  std::vector<int> years;  // years replaced and marked loaded, ascending
};

// Reads and writes the calendar tables. Thread-safe (state lives in the database).
//
// Every successful write (SetDay, RemoveDay, SetYearLoaded, ImportFile/ImportBytes, SetServiceHours)
// increments calendar_version in its own transaction and then generation(): caches of what the
// calendar says (ServiceHoursCache) compare them to know their copy is stale — generation() for this
// process's writes through this object, at once; Version() for everyone's, also other processes'.
class CalendarStore {
 public:
  CalendarStore(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  CalendarStore(const CalendarStore&) = delete;
  CalendarStore& operator=(const CalendarStore&) = delete;

  // The national calendar plus, when `org_id` is given, that centre's closures.
  Result<WorkingCalendar> Load(std::optional<int64_t> org_id) const;
  // One year for display and editing; closures only when `org_id` is given.
  Result<YearListing> ListYear(int year, std::optional<int64_t> org_id) const;
  Result<std::vector<int>> LoadedYears() const;

  // Admin edits. Without `org_id`: a national entry (holiday or make-up working day), replacing any
  // entry of that date. With `org_id`: a local closure of that centre (kind must be kHoliday).
  // Errors: invalid_field (ValidateCalendarDay, year range, a local "workday").
  Status SetDay(std::optional<int64_t> org_id, const CalendarDay& day);
  // Errors: not_found when there is no such entry.
  Status RemoveDay(std::optional<int64_t> org_id, Date date);
  // Marks a year's official schedule complete (or not) after editing it day by day.
  // `source` says where it came from, e.g. "国办发明电〔2026〕…" or "console".
  Status SetYearLoaded(int year, bool loaded, std::string_view source);

  // Imports a CSV calendar file (ParseCalendarFile). All or nothing, in one transaction: for every
  // year that appears in the file, that year's national entries are replaced by the file's and the year
  // is marked loaded. Errors: invalid_file with one "FILE:LINE: reason" per line of the message
  // (nothing changed); not_found when the file cannot be read.
  Result<ImportReport> ImportFile(const std::string& path);
  // The same from bytes in memory; `file_name` is used in messages and as the years' source.
  Result<ImportReport> ImportBytes(std::string_view bytes, std::string_view file_name);

  // A centre's manual-service hours (R-IVR-3): the stored configuration, or ServiceHours::Default().
  Result<ServiceHours> GetServiceHours(int64_t org_id) const;
  // True when the centre has its own configuration (false: it uses the default).
  Result<bool> HasServiceHours(int64_t org_id) const;
  // Validates (ServiceHours::Create) and stores. Errors: invalid_field.
  Status SetServiceHours(int64_t org_id, const ServiceHoursConfig& config);

  // The number of writes through this object so far (incremented after each one has committed).
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // calendar_version: incremented by every committed write of any process on this database.
  Result<int64_t> Version() const;

 private:
  // Runs `write` and the calendar_version increment in one transaction; then bumps generation_.
  Status Write(const std::function<Status(store::Session&)>& write);

  store::Database& db_;
  const Clock& clock_;
  std::atomic<uint64_t> generation_{0};
};

extern const store::ModuleMigrations kCalendarMigrations;

}  // namespace hotline::calendar
