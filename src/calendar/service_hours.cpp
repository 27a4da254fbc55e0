#include "calendar/service_hours.hpp"

#include <algorithm>
#include <cstdio>

#include "core/text.hpp"

namespace hotline::calendar {

using std::chrono::minutes;

namespace {

constexpr minutes kEndOfDay{24 * 60};

Error InvalidField(const std::string& field, const std::string& what) {
  return Error::InvalidArgument("invalid_field", "字段 " + field + " " + what);
}

bool InSeason(std::chrono::month_day md, const Season& s) {
  if (s.first <= s.last) return s.first <= md && md <= s.last;
  return md >= s.first || md <= s.last;  // wraps over the new year
}

// Sorts `ranges` and checks each and their overlaps; `field` names the list in messages.
Status CheckRanges(std::vector<TimeRange>& ranges, const std::string& field) {
  for (size_t i = 0; i < ranges.size(); ++i) {
    const auto& r = ranges[i];
    if (r.from < minutes(0) || r.to > kEndOfDay || r.from >= r.to)
      return InvalidField(field + "[" + std::to_string(i) + "]",
                          "须在 00:00–24:00 之内且开始早于结束，例如 08:30–12:00");
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const TimeRange& a, const TimeRange& b) { return a.from < b.from; });
  for (size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i].from < ranges[i - 1].to)
      return InvalidField(field, "的时段 " + FormatTimeOfDay(ranges[i - 1].from) + "–" +
                                     FormatTimeOfDay(ranges[i - 1].to) + " 与 " +
                                     FormatTimeOfDay(ranges[i].from) + "–" + FormatTimeOfDay(ranges[i].to) +
                                     " 重叠");
  return OkStatus();
}

}  // namespace

std::optional<minutes> ParseTimeOfDay(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return minutes(h * 60 + m);
}

std::string FormatTimeOfDay(minutes m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", int(m.count() / 60), int(m.count() % 60));
  return buf;
}

std::optional<std::chrono::month_day> ParseMonthDay(std::string_view s) {
  if (s.size() != 5 || s[2] != '-') return std::nullopt;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  std::chrono::month_day md{std::chrono::month(unsigned((s[0] - '0') * 10 + (s[1] - '0'))),
                            std::chrono::day(unsigned((s[3] - '0') * 10 + (s[4] - '0')))};
  if (!md.ok()) return std::nullopt;
  return md;
}

std::string FormatMonthDay(std::chrono::month_day md) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u-%02u", unsigned(md.month()), unsigned(md.day()));
  return buf;
}

Result<ServiceHours> ServiceHours::Create(ServiceHoursConfig config) {
  HOTLINE_RETURN_IF_ERROR(CheckRanges(config.ranges, "ranges"));
  for (size_t i = 0; i < config.seasons.size(); ++i) {
    Season& s = config.seasons[i];
    std::string field = "seasons[" + std::to_string(i) + "]";
    if (s.name.empty() || !IsValidUtf8(s.name) || Utf8Length(s.name) > 20 || HasControlChars(s.name))
      return InvalidField(field + ".name", "须为 1–20 个字符，例如 夏季作息");
    if (!s.first.ok()) return InvalidField(field + ".first", "不是有效的月-日，例如 05-01");
    if (!s.last.ok()) return InvalidField(field + ".last", "不是有效的月-日，例如 09-30");
    HOTLINE_RETURN_IF_ERROR(CheckRanges(s.ranges, field + ".ranges"));
  }
  // Seasons must not overlap: every day of a leap year belongs to at most one.
  using namespace std::chrono;
  for (sys_days d = sys_days(2024y / January / 1); d < sys_days(2025y / January / 1); d += days(1)) {
    year_month_day ymd(d);
    month_day md(ymd.month(), ymd.day());
    const Season* owner = nullptr;
    for (const auto& s : config.seasons) {
      if (!InSeason(md, s)) continue;
      if (owner)
        return InvalidField("seasons", "中 " + owner->name + " 与 " + s.name + " 在 " + FormatMonthDay(md) +
                                           " 重叠，请调整起止日期");
      owner = &s;
    }
  }
  return ServiceHours(std::move(config));
}

ServiceHours ServiceHours::Default() { return ServiceHours(ServiceHoursConfig{}); }

const std::vector<TimeRange>& ServiceHours::RangesFor(Date date) const {
  std::chrono::year_month_day ymd(date);
  std::chrono::month_day md(ymd.month(), ymd.day());
  for (const auto& s : config_.seasons)
    if (InSeason(md, s)) return s.ranges;
  return config_.ranges;
}

bool ServiceHours::IsOpen(TimePoint t, const TimeZone& zone, const WorkingCalendar& calendar) const {
  Date day = zone.LocalDay(t);
  if (!calendar.IsWorkday(day)) return false;
  auto time_of_day = std::chrono::duration_cast<minutes>(zone.LocalTimeOfDay(t));
  for (const auto& r : RangesFor(day))
    if (r.from <= time_of_day && time_of_day < r.to) return true;
  return false;
}

std::optional<TimePoint> ServiceHours::NextOpening(TimePoint t, const TimeZone& zone,
                                                   const WorkingCalendar& calendar, int horizon_days) const {
  Date today = zone.LocalDay(t);
  for (int k = 0; k <= horizon_days; ++k) {
    Date day = today + std::chrono::days(k);
    if (!calendar.IsWorkday(day)) continue;
    TimePoint midnight = zone.StartOfDay(day);
    for (const auto& r : RangesFor(day)) {
      TimePoint end = midnight + r.to;
      if (end > t) return std::max(t, TimePoint(midnight + r.from));
    }
  }
  return std::nullopt;
}

namespace {

nlohmann::json RangesJson(const std::vector<TimeRange>& ranges) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : ranges)
    out.push_back({{"from", FormatTimeOfDay(r.from)}, {"to", FormatTimeOfDay(r.to)}});
  return out;
}

Result<std::string> StringField(const nlohmann::json& obj, const std::string& field,
                                const std::string& path) {
  auto it = obj.find(field);
  if (it == obj.end() || !it->is_string()) return InvalidField(path, "是必填的字符串");
  return it->get<std::string>();
}

Result<std::vector<TimeRange>> RangesFromJson(const nlohmann::json& obj, const std::string& path) {
  auto it = obj.find("ranges");
  if (it == obj.end() || !it->is_array())
    return InvalidField(path, "须为时段数组，例如 [{\"from\":\"08:30\",\"to\":\"12:00\"}]");
  if (it->size() > 12) return InvalidField(path, "最多 12 个时段");
  std::vector<TimeRange> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const auto& r = (*it)[i];
    std::string at = path + "[" + std::to_string(i) + "]";
    if (!r.is_object()) return InvalidField(at, "须为 {\"from\":\"HH:MM\",\"to\":\"HH:MM\"}");
    HOTLINE_ASSIGN_OR_RETURN(std::string from, StringField(r, "from", at + ".from"));
    HOTLINE_ASSIGN_OR_RETURN(std::string to, StringField(r, "to", at + ".to"));
    auto f = ParseTimeOfDay(from), t = ParseTimeOfDay(to);
    if (!f) return InvalidField(at + ".from", "须为 HH:MM，例如 08:30");
    if (!t) return InvalidField(at + ".to", "须为 HH:MM，例如 17:30（一天结束可写 24:00）");
    out.push_back({*f, *t});
  }
  return out;
}

}  // namespace

nlohmann::json ToJson(const ServiceHoursConfig& config) {
  nlohmann::json seasons = nlohmann::json::array();
  for (const auto& s : config.seasons)
    seasons.push_back({{"name", s.name},
                       {"first", FormatMonthDay(s.first)},
                       {"last", FormatMonthDay(s.last)},
                       {"ranges", RangesJson(s.ranges)}});
  return {{"ranges", RangesJson(config.ranges)}, {"seasons", seasons}};
}

Result<ServiceHoursConfig> ServiceHoursFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return InvalidField("service_hours", "须为 JSON 对象");
  ServiceHoursConfig config;
  HOTLINE_ASSIGN_OR_RETURN(config.ranges, RangesFromJson(json, "ranges"));
  config.seasons.clear();
  if (auto it = json.find("seasons"); it != json.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > 12) return InvalidField("seasons", "须为最多 12 个季节作息的数组");
    for (size_t i = 0; i < it->size(); ++i) {
      const auto& s = (*it)[i];
      std::string at = "seasons[" + std::to_string(i) + "]";
      if (!s.is_object()) return InvalidField(at, "须为 {\"name\",\"first\",\"last\",\"ranges\"}");
      Season season;
      HOTLINE_ASSIGN_OR_RETURN(season.name, StringField(s, "name", at + ".name"));
      HOTLINE_ASSIGN_OR_RETURN(std::string first, StringField(s, "first", at + ".first"));
      HOTLINE_ASSIGN_OR_RETURN(std::string last, StringField(s, "last", at + ".last"));
      auto f = ParseMonthDay(first), l = ParseMonthDay(last);
      if (!f) return InvalidField(at + ".first", "须为 MM-DD，例如 05-01");
      if (!l) return InvalidField(at + ".last", "须为 MM-DD，例如 09-30");
      season.first = *f;
      season.last = *l;
      HOTLINE_ASSIGN_OR_RETURN(season.ranges, RangesFromJson(s, at + ".ranges"));
      config.seasons.push_back(std::move(season));
    }
  }
  HOTLINE_ASSIGN_OR_RETURN(ServiceHours validated, ServiceHours::Create(std::move(config)));
  return validated.config();
}

}  // namespace hotline::calendar
