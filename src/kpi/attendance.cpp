#include "kpi/attendance.hpp"

#include <map>

#include "core/csv.hpp"
#include "kpi/indicators.hpp"

namespace hotline::kpi {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "agent shifts and sign-in events", R"sql(
CREATE TABLE agent_shifts (
  org_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, username, starts_at)
);
CREATE TABLE agent_presence (
  id {{ID}},
  org_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL
);
CREATE INDEX agent_presence_user ON agent_presence(org_id, username, at);
)sql"},
};

bool ParseHhMm(std::string_view s, int* minutes) {
  if (s.size() != 5 || s[2] != ':') return false;
  for (size_t i : {0u, 1u, 3u, 4u})
    if (s[i] < '0' || s[i] > '9') return false;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return false;
  *minutes = h * 60 + m;
  return true;
}

std::optional<double> Percent(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return RoundedRatio(num, den, 100).ToDouble();
}

}  // namespace

const store::ModuleMigrations kAttendanceMigrations = {"attendance", kMigrations};

Status Attendance::RecordSignIn(int64_t org_id, const std::string& username, TimePoint at) {
  HOTLINE_RETURN_IF_ERROR(
      db_.Query("INSERT INTO agent_presence (org_id, username, at, kind) VALUES ($1,$2,$3,'in')",
                {org_id, username, ToEpochMillis(at)}));
  return OkStatus();
}

Status Attendance::RecordSignOut(int64_t org_id, const std::string& username, TimePoint at) {
  HOTLINE_RETURN_IF_ERROR(
      db_.Query("INSERT INTO agent_presence (org_id, username, at, kind) VALUES ($1,$2,$3,'out')",
                {org_id, username, ToEpochMillis(at)}));
  return OkStatus();
}

std::vector<ScheduleLine> ParseScheduleCsv(std::string_view csv) {
  std::vector<ScheduleLine> out;
  CsvReader reader(csv);
  std::vector<std::string_view> f;
  bool header = true;
  while (!reader.at_end()) {
    if (!reader.Next(&f)) {
      if (!reader.error().empty()) out.push_back({.line = reader.line(), .error = reader.error()});
      continue;
    }
    ScheduleLine l{.line = reader.line()};
    if (header) {
      header = false;
      if (f.size() != 5 || f[0] != "center" || f[1] != "username" || f[2] != "date" || f[3] != "start" ||
          f[4] != "end") {
        l.error = "the header must be center,username,date,start,end";
        out.push_back(std::move(l));
        break;
      }
      continue;
    }
    if (f.size() != 5) {
      l.error = "expected 5 fields";
      out.push_back(std::move(l));
      continue;
    }
    l.center = std::string(f[0]);
    if (!ParseDate(f[2], &l.day))
      l.field_error = "date must be YYYY-MM-DD";
    else if (!ParseHhMm(f[3], &l.start_minutes) || !ParseHhMm(f[4], &l.end_minutes))
      l.field_error = "start and end must be HH:MM";
    else if (f[1].empty() || f[1].size() > 32)
      l.field_error = "username is empty or too long";
    else
      l.username = std::string(f[1]);
    out.push_back(std::move(l));
  }
  if (header && out.empty()) out.push_back({.line = 1, .error = "the file is empty (header required)"});
  return out;
}

Result<ImportResult> Attendance::ImportSchedule(const org::Actor& actor, std::string_view csv,
                                                const std::string& name) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKpiScheduleWrite));
  struct Shift {
    int64_t org_id;
    std::string username;
    TimePoint start, end;
  };
  ImportResult result;
  std::vector<Shift> shifts;
  std::map<std::string, std::pair<int64_t, std::optional<TimeZone>>> centres;
  for (const ScheduleLine& l : ParseScheduleCsv(csv)) {
    auto fail = [&](const std::string& why) {
      result.errors.push_back(name + ":" + std::to_string(l.line) + ": " + why);
    };
    if (!l.error.empty()) {
      fail(l.error);
      continue;
    }
    const std::string& code = l.center;
    auto it = centres.find(code);
    if (it == centres.end()) {
      auto o = org::FindOrgInScope(orgs_, actor, code);  // outside the scope: as if it did not exist
      std::optional<TimeZone> zone;
      if (o.ok() && o->level == org::OrgLevel::kCenter)
        if (auto z = TimeZone::Find(o->time_zone); z.ok()) zone = *z;
      it = centres.emplace(code, std::make_pair(o.ok() ? o->id : 0, zone)).first;
    }
    if (!it->second.second) {
      fail("unknown centre '" + code + "' (a centre inside your organisation is required)");
      continue;
    }
    if (!l.field_error.empty()) {
      fail(l.field_error);
      continue;
    }
    const TimeZone& zone = *it->second.second;
    TimePoint start = zone.StartOfDay(l.day) + std::chrono::minutes(l.start_minutes);
    Date end_day = l.end_minutes <= l.start_minutes ? l.day + std::chrono::days(1) : l.day;
    TimePoint end = zone.StartOfDay(end_day) + std::chrono::minutes(l.end_minutes);
    shifts.push_back({it->second.first, l.username, start, end});
  }
  if (!result.errors.empty()) return result;
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    for (const auto& sh : shifts)
      HOTLINE_RETURN_IF_ERROR(
          s.Query("INSERT INTO agent_shifts (org_id, username, starts_at, ends_at) VALUES ($1,$2,$3,$4) "
                  "ON CONFLICT (org_id, username, starts_at) DO UPDATE SET ends_at = excluded.ends_at",
                  {sh.org_id, sh.username, ToEpochMillis(sh.start), ToEpochMillis(sh.end)}));
    return OkStatus();
  });
  if (!st.ok()) return st.take_error();
  result.shifts = static_cast<int64_t>(shifts.size());
  return result;
}

Result<std::vector<AttendanceRow>> Attendance::Compute(const org::Org& root, Date from, Date to) const {
  HOTLINE_ASSIGN_OR_RETURN(auto all, orgs_.ListWithin(root));
  std::map<std::string, AttendanceRow> per_user;
  AttendanceRow total;
  for (const auto& o : all) {
    if (o.level != org::OrgLevel::kCenter) continue;
    HOTLINE_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Find(o.time_zone));
    int64_t lo = ToEpochMillis(zone.StartOfDay(from)),
            hi = ToEpochMillis(zone.StartOfDay(to + std::chrono::days(1)));
    HOTLINE_ASSIGN_OR_RETURN(
        auto shifts, db_.Query("SELECT username, starts_at, ends_at FROM agent_shifts WHERE org_id = $1 AND "
                               "starts_at >= $2 AND starts_at < $3 ORDER BY username, starts_at",
                               {o.id, lo, hi}));
    for (const auto& sh : shifts.rows) {
      std::string user = sh[0].AsText();
      int64_t start = sh[1].AsInt(), end = sh[2].AsInt();
      int64_t window_start =
          start - std::chrono::duration_cast<std::chrono::milliseconds>(options_.early_window).count();
      HOTLINE_ASSIGN_OR_RETURN(
          auto first,
          db_.Query("SELECT MIN(at) FROM agent_presence WHERE org_id = $1 AND username = $2 AND kind = 'in' "
                    "AND at >= $3 AND at < $4",
                    {o.id, user, window_start, end}));
      auto& row = per_user[o.code + "/" + user];
      row.username = user;
      ++row.scheduled, ++total.scheduled;
      if (!first.rows[0][0].is_null()) {
        ++row.attended, ++total.attended;
        int64_t grace = std::chrono::duration_cast<std::chrono::milliseconds>(options_.grace).count();
        if (first.rows[0][0].AsInt() <= start + grace) ++row.punctual, ++total.punctual;
      }
    }
  }
  std::vector<AttendanceRow> out{total};
  for (auto& [key, row] : per_user) out.push_back(row);
  for (auto& r : out) {
    r.attendance_rate = Percent(r.attended, r.scheduled);
    r.punctuality_rate = Percent(r.punctual, r.scheduled);
  }
  return out;
}

}  // namespace hotline::kpi
