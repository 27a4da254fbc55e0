#include "calendar/calendar_store.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/csv.hpp"
#include "core/text.hpp"

namespace hotline::calendar {
namespace {

constexpr size_t kMaxFileBytes = 1 << 20;  // a year is ~40 lines; 1 MiB is far beyond any real file
constexpr size_t kMaxErrors = 100;

std::string FirstDay(int year) { return FormatDate(std::chrono::sys_days(std::chrono::year(year) / 1 / 1)); }
std::string LastDay(int year) { return FormatDate(std::chrono::sys_days(std::chrono::year(year) / 12 / 31)); }

Status Done(Result<store::QueryResult> r) {
  if (!r.ok()) return r.take_error();
  return OkStatus();
}

// A stored row back to a day. Rows only get in through validated paths, so a bad one is a damaged
// database (or a hand edit): reported as internal, never silently skipped.
Result<std::vector<CalendarDay>> DaysFromRows(const store::QueryResult& r, std::string_view table) {
  std::vector<CalendarDay> out;
  out.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    CalendarDay d;
    std::string text = r.rows[i][0].AsText();
    auto kind = ParseDayKind(r.rows[i][1].AsText());
    if (!ParseDate(text, &d.date) || !kind)
      return Error::Internal(std::string(table) + " 中有无效的行（" + text + "）：请检查数据库");
    d.kind = *kind;
    d.name = r.rows[i][2].AsText();
    out.push_back(std::move(d));
  }
  return out;
}

// Untrusted text shown back in a message only when it is short, printable UTF-8.
std::string Quote(std::string_view s) {
  if (s.size() > 40 || !IsValidUtf8(s) || HasControlChars(s)) return "";
  return " " + std::string(s);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Status CheckCalendarYear(int year) {
  if (year < kFirstCalendarYear || year > kLastCalendarYear)
    return Error::InvalidArgument("invalid_field", "年份须在 " + std::to_string(kFirstCalendarYear) + "–" +
                                                       std::to_string(kLastCalendarYear) + " 之间");
  return OkStatus();
}

ParsedCalendarFile ParseCalendarFile(std::string_view bytes, std::string_view file_name) {
  ParsedCalendarFile out;
  auto fail = [&](size_t line, const std::string& reason) {
    if (out.errors.size() < kMaxErrors)
      out.errors.push_back(std::string(file_name) + ":" + std::to_string(line) + ": " + reason);
    else if (out.errors.size() == kMaxErrors)
      out.errors.push_back(std::string(file_name) + ": 错误过多，其余未列出");
  };
  if (bytes.size() > kMaxFileBytes) {
    fail(1, "文件过大（最多 1 MiB）");
    return out;
  }
  CsvReader reader(bytes);
  std::vector<std::string_view> fields;
  std::map<Date, size_t> line_of;  // date → the line that has it
  bool header_seen = false;
  while (!reader.at_end()) {
    if (!reader.Next(&fields)) {
      if (!reader.error().empty()) fail(reader.line(), "CSV 格式错误（" + reader.error() + "）");
      continue;
    }
    const size_t line = reader.line();
    for (auto& f : fields) f = Trim(f);
    if (!header_seen) {
      header_seen = true;
      if (fields.size() != 3 || fields[0] != "date" || fields[1] != "kind" || fields[2] != "name")
        fail(line, "第一行须为表头 date,kind,name");
      continue;
    }
    if (fields.size() != 3) {
      fail(line, "须有 3 列 date,kind,name，这一行有 " + std::to_string(fields.size()) + " 列");
      continue;
    }
    CalendarDay day;
    if (!ParseDate(fields[0], &day.date)) {
      fail(line, "日期" + Quote(fields[0]) + " 无效，须为 YYYY-MM-DD");
      continue;
    }
    if (auto st = CheckCalendarYear(YearOf(day.date)); !st.ok()) {
      fail(line, st.error().message);
      continue;
    }
    auto kind = ParseDayKind(fields[1]);
    if (!kind) {
      fail(line, "类型" + Quote(fields[1]) + " 须为 holiday（放假）或 workday（调休上班）");
      continue;
    }
    day.kind = *kind;
    day.name = std::string(fields[2]);
    if (auto st = ValidateCalendarDay(day); !st.ok()) {
      fail(line, st.error().message);
      continue;
    }
    if (auto [it, inserted] = line_of.emplace(day.date, line); !inserted) {
      fail(line, "日期 " + FormatDate(day.date) + " 重复（第 " + std::to_string(it->second) + " 行已有）");
      continue;
    }
    out.days.push_back(std::move(day));
  }
  if (!header_seen)
    fail(1, "文件为空：第一行须为表头 date,kind,name");
  else if (out.days.empty() && out.errors.empty())
    fail(1, "表头之后没有任何日期行");
  if (!out.errors.empty()) out.days.clear();
  return out;
}

Result<WorkingCalendar> CalendarStore::Load(std::optional<int64_t> org_id) const {
  CalendarData data;
  HOTLINE_ASSIGN_OR_RETURN(auto national,
                           db_.Query("SELECT day, kind, name FROM calendar_days ORDER BY day"));
  HOTLINE_ASSIGN_OR_RETURN(data.national, DaysFromRows(national, "calendar_days"));
  if (org_id) {
    HOTLINE_ASSIGN_OR_RETURN(
        auto closures,
        db_.Query("SELECT day, 'holiday', name FROM calendar_closures WHERE org_id = $1 ORDER BY day",
                  {*org_id}));
    HOTLINE_ASSIGN_OR_RETURN(data.closures, DaysFromRows(closures, "calendar_closures"));
  }
  HOTLINE_ASSIGN_OR_RETURN(auto years, LoadedYears());
  data.loaded_years.insert(years.begin(), years.end());
  return WorkingCalendar(data);
}

Result<YearListing> CalendarStore::ListYear(int year, std::optional<int64_t> org_id) const {
  HOTLINE_RETURN_IF_ERROR(CheckCalendarYear(year));
  YearListing out{.year = year};
  HOTLINE_ASSIGN_OR_RETURN(
      auto national,
      db_.Query("SELECT day, kind, name FROM calendar_days WHERE day >= $1 AND day <= $2 ORDER BY day",
                {FirstDay(year), LastDay(year)}));
  HOTLINE_ASSIGN_OR_RETURN(out.national, DaysFromRows(national, "calendar_days"));
  if (org_id) {
    HOTLINE_ASSIGN_OR_RETURN(auto closures,
                             db_.Query("SELECT day, 'holiday', name FROM calendar_closures "
                                       "WHERE org_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
                                       {*org_id, FirstDay(year), LastDay(year)}));
    HOTLINE_ASSIGN_OR_RETURN(out.closures, DaysFromRows(closures, "calendar_closures"));
  }
  HOTLINE_ASSIGN_OR_RETURN(auto loaded,
                           db_.Query("SELECT COUNT(*) FROM calendar_years WHERE year = $1", {year}));
  out.loaded = loaded.rows[0][0].AsInt() > 0;
  return out;
}

Result<std::vector<int>> CalendarStore::LoadedYears() const {
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query("SELECT year FROM calendar_years ORDER BY year"));
  std::vector<int> out;
  for (const auto& row : r.rows) out.push_back(static_cast<int>(row[0].AsInt()));
  return out;
}

Status CalendarStore::SetDay(std::optional<int64_t> org_id, const CalendarDay& day) {
  HOTLINE_RETURN_IF_ERROR(CheckCalendarYear(YearOf(day.date)));
  HOTLINE_RETURN_IF_ERROR(ValidateCalendarDay(day));
  int64_t now = ToEpochMillis(clock_.Now());
  if (org_id) {
    if (day.kind != DayKind::kHoliday)
      return Error::InvalidArgument("invalid_field",
                                    "中心只能设置本地闭馆日（kind 为 holiday）；调休上班日由全国日历规定");
    return Write([&](store::Session& s) {
      return Done(s.Query(
          "INSERT INTO calendar_closures (org_id, day, name, updated_at) VALUES ($1, $2, $3, $4) "
          "ON CONFLICT (org_id, day) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
          {*org_id, FormatDate(day.date), day.name, now}));
    });
  }
  return Write([&](store::Session& s) {
    return Done(
        s.Query("INSERT INTO calendar_days (day, kind, name, updated_at) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, updated_at = "
                "excluded.updated_at",
                {FormatDate(day.date), DayKindName(day.kind), day.name, now}));
  });
}

Status CalendarStore::RemoveDay(std::optional<int64_t> org_id, Date date) {
  return Write([&](store::Session& s) -> Status {
    Result<store::QueryResult> r =
        org_id ? s.Query("DELETE FROM calendar_closures WHERE org_id = $1 AND day = $2",
                         {*org_id, FormatDate(date)})
               : s.Query("DELETE FROM calendar_days WHERE day = $1", {FormatDate(date)});
    if (!r.ok()) return r.take_error();
    if (r->affected_rows == 0)  // rolls back: no write, no new version
      return Error::NotFound(std::string(org_id ? "本中心" : "全国日历") + "没有 " + FormatDate(date) +
                             " 的条目");
    return OkStatus();
  });
}

Status CalendarStore::SetYearLoaded(int year, bool loaded, std::string_view source) {
  HOTLINE_RETURN_IF_ERROR(CheckCalendarYear(year));
  if (!loaded)
    return Write([&](store::Session& s) {
      return Done(s.Query("DELETE FROM calendar_years WHERE year = $1", {year}));
    });
  if (source.empty() || !IsValidUtf8(source) || Utf8Length(source) > 200 || HasControlChars(source))
    return Error::InvalidArgument("invalid_field", "来源 source 须为 1–200 个字符，例如通知的文号");
  return Write([&](store::Session& s) {
    return Done(
        s.Query("INSERT INTO calendar_years (year, source, loaded_at) VALUES ($1, $2, $3) "
                "ON CONFLICT (year) DO UPDATE SET source = excluded.source, loaded_at = excluded.loaded_at",
                {year, source, ToEpochMillis(clock_.Now())}));
  });
}

Result<ImportReport> CalendarStore::ImportFile(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error::NotFound(path + ": 无法读取文件（" + ec.message() + "）");
  if (size > kMaxFileBytes)
    return Error::InvalidArgument("invalid_file", path + ":1: 文件过大（最多 1 MiB）");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound(path + ": 无法读取文件");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return ImportBytes(bytes.str(), path);
}

Result<ImportReport> CalendarStore::ImportBytes(std::string_view bytes, std::string_view file_name) {
  ParsedCalendarFile parsed = ParseCalendarFile(bytes, file_name);
  if (!parsed.errors.empty()) {
    std::string message;
    for (const auto& e : parsed.errors) message += (message.empty() ? "" : "\n") + e;
    return Error::InvalidArgument("invalid_file", std::move(message));
  }
  std::set<int> years;
  for (const auto& d : parsed.days) years.insert(YearOf(d.date));
  std::string source = std::filesystem::path(file_name).filename().string();
  if (!IsValidUtf8(source) || HasControlChars(source)) source = "import";
  int64_t now = ToEpochMillis(clock_.Now());
  HOTLINE_RETURN_IF_ERROR(Write([&](store::Session& s) -> Status {
    for (int year : years) {
      HOTLINE_RETURN_IF_ERROR(s.Query("DELETE FROM calendar_days WHERE day >= $1 AND day <= $2",
                                      {FirstDay(year), LastDay(year)}));
      HOTLINE_RETURN_IF_ERROR(
          s.Query("INSERT INTO calendar_years (year, source, loaded_at) VALUES ($1, $2, $3) "
                  "ON CONFLICT (year) DO UPDATE SET source = excluded.source, loaded_at = excluded.loaded_at",
                  {year, "import " + source, now}));
    }
    for (const auto& d : parsed.days)
      HOTLINE_RETURN_IF_ERROR(
          s.Query("INSERT INTO calendar_days (day, kind, name, updated_at) VALUES ($1, $2, $3, $4)",
                  {FormatDate(d.date), DayKindName(d.kind), d.name, now}));
    return OkStatus();
  }));
  return ImportReport{.days = static_cast<int>(parsed.days.size()),
                      .years = std::vector<int>(years.begin(), years.end())};
}

Result<ServiceHours> CalendarStore::GetServiceHours(int64_t org_id) const {
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query("SELECT config FROM calendar_service_hours WHERE org_id = $1", {org_id}));
  if (r.empty()) return ServiceHours::Default();
  auto json = nlohmann::json::parse(r.rows[0][0].AsText(), nullptr, /*allow_exceptions=*/false);
  auto config = ServiceHoursFromJson(json);
  if (!config.ok())
    return Error::Internal("中心 " + std::to_string(org_id) + " 的服务时间配置已损坏（" +
                           config.error().message + "）：请重新设置");
  return ServiceHours::Create(std::move(config).value());
}

Result<bool> CalendarStore::HasServiceHours(int64_t org_id) const {
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query("SELECT COUNT(*) FROM calendar_service_hours WHERE org_id = $1", {org_id}));
  return r.rows[0][0].AsInt() > 0;
}

Status CalendarStore::SetServiceHours(int64_t org_id, const ServiceHoursConfig& config) {
  HOTLINE_ASSIGN_OR_RETURN(ServiceHours hours, ServiceHours::Create(config));
  return Write([&](store::Session& s) {
    return Done(s.Query(
        "INSERT INTO calendar_service_hours (org_id, config, updated_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (org_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
        {org_id, ToJson(hours.config()).dump(), ToEpochMillis(clock_.Now())}));
  });
}

Result<int64_t> CalendarStore::Version() const {
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query("SELECT version FROM calendar_version WHERE id = 1"));
  if (r.empty()) return Error::Internal("calendar_version 中没有计数行：请检查数据库");
  return r.rows[0][0].AsInt();
}

Status CalendarStore::Write(const std::function<Status(store::Session&)>& write) {
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(write(s));
    // Last, so the version row is locked only for the commit (and statement counts of the writes above
    // stay as they were for the fault-injection tests).
    return Done(s.Query("UPDATE calendar_version SET version = version + 1 WHERE id = 1"));
  }));
  generation_.fetch_add(1, std::memory_order_acq_rel);
  return OkStatus();
}

}  // namespace hotline::calendar
