// Local indicators a centre adds (R-KPI-9): 出勤率 attendance = attended scheduled shifts / scheduled
// shifts, and 准时率 punctuality = shifts signed in on time / scheduled shifts, from the agents' schedules
// (imported as CSV) and their sign-in events (each console login of an agent or team leader is recorded
// here by the API; the voice module's agent "sign in" will record here too). R-AGT-6: agents may not leave
// without signing off — sign-outs are recorded for the same reason. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/time_zone.hpp"
#include "org/actor.hpp"
#include "org/org_directory.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace hotline::kpi {

extern const store::ModuleMigrations kAttendanceMigrations;

struct AttendanceOptions {
  std::chrono::minutes grace{5};          // signed in at most this late still counts as on time
  std::chrono::minutes early_window{60};  // sign-ins this long before a shift belong to it
};

struct AttendanceRow {
  std::string username;  // empty: the whole organisation
  int64_t scheduled = 0;
  int64_t attended = 0;
  int64_t punctual = 0;
  std::optional<double> attendance_rate;   // percent, null when nothing was scheduled
  std::optional<double> punctuality_rate;  // percent
};

struct ImportResult {
  int64_t shifts = 0;
  std::vector<std::string> errors;  // FILE:LINE: reason (nothing is stored when there is any)
};

// One line of a schedules CSV as read, before its centre is looked up (ParseScheduleCsv).
struct ScheduleLine {
  size_t line = 0;
  // Set: the line is refused for its shape (bad CSV, wrong header, field count, an empty file) and
  // nothing else of it is meaningful. The message is the reason after FILE:LINE.
  std::string error;
  std::string center;  // the centre's org code, as written
  // Set: the first bad field (date, start/end, username); reported after the centre is found known.
  std::string field_error;
  std::string username;
  Date day{};
  int start_minutes = 0, end_minutes = 0;  // local HH:MM of the centre's zone
};

// The pure part of ImportSchedule: reads `csv` (untrusted bytes, a fuzz target entry point) into its lines,
// in line order, stopping after a bad header. Needs no database; the centre codes are not checked here.
// Thread-safe.
std::vector<ScheduleLine> ParseScheduleCsv(std::string_view csv);

class Attendance {
 public:
  Attendance(store::Database& db, const org::OrgDirectory& orgs, AttendanceOptions options = {})
      : db_(db), orgs_(orgs), options_(options) {}

  // A sign-in / sign-out of a user of centre `org_id`.
  Status RecordSignIn(int64_t org_id, const std::string& username, TimePoint at);
  Status RecordSignOut(int64_t org_id, const std::string& username, TimePoint at);

  // Schedules CSV: `center,username,date,start,end` (start/end HH:MM local; end ≤ start means past midnight),
  // loaded by `actor` (kpi.schedule.write: admins, team leaders; forbidden otherwise). Every line's centre
  // must be a centre inside the actor's subtree (org::FindOrgInScope, R-ORG-1): a team leader loads shifts
  // for their own centre only, a province admin for the province's centres; any other code — unknown,
  // not a centre, or outside the scope, with the same message — is an error of that line.
  // All or nothing: with any error, nothing is stored and `errors` lists every bad line (FILE:LINE: reason).
  // A shift with the same (centre, username, start) replaces the earlier one.
  Result<ImportResult> ImportSchedule(const org::Actor& actor, std::string_view csv, const std::string& name);

  // Per agent and in total, for the centres inside `root` over local days [from, to].
  Result<std::vector<AttendanceRow>> Compute(const org::Org& root, Date from, Date to) const;

 private:
  store::Database& db_;
  const org::OrgDirectory& orgs_;
  AttendanceOptions options_;
};

}  // namespace hotline::kpi
