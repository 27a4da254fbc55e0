#include "kpi/cdr.hpp"

#include <cstring>

#include "core/text.hpp"

namespace hotline::kpi {

const std::vector<std::string_view> kCdrColumns = {
    "call_id",      "center",   "caller", "arrived_at", "queued_at", "answered_at", "talk_ended_at",
    "acw_ended_at", "ended_at", "agent",  "outcome",    "survey",    "complaint"};

namespace {
enum Col {
  kCallId,
  kCenter,
  kCaller,
  kArrived,
  kQueued,
  kAnswered,
  kTalkEnded,
  kAcwEnded,
  kEnded,
  kAgent,
  kOutcome,
  kSurvey,
  kComplaint
};

Error Bad(std::string message) { return Error::InvalidArgument("invalid_field", std::move(message)); }
}  // namespace

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kIvr:
      return "ivr";
    case Outcome::kAnswered:
      return "answered";
    case Outcome::kAbandoned:
      return "abandoned";
    case Outcome::kOverflow:
      return "overflow";
    case Outcome::kFailed:
      return "failed";
  }
  return "failed";
}

std::optional<Outcome> ParseOutcome(std::string_view s) {
  for (Outcome o :
       {Outcome::kIvr, Outcome::kAnswered, Outcome::kAbandoned, Outcome::kOverflow, Outcome::kFailed})
    if (OutcomeName(o) == s) return o;
  return std::nullopt;
}

std::string_view SurveyName(Survey s) {
  switch (s) {
    case Survey::kNone:
      return "";
    case Survey::kSatisfied:
      return "satisfied";
    case Survey::kBasic:
      return "basic";
    case Survey::kDissatisfied:
      return "dissatisfied";
  }
  return "";
}

std::optional<Survey> ParseSurvey(std::string_view s) {
  for (Survey v : {Survey::kNone, Survey::kSatisfied, Survey::kBasic, Survey::kDissatisfied})
    if (SurveyName(v) == s) return v;
  return std::nullopt;
}

Status ValidateCdr(const Cdr& c) {
  if (c.call_id.empty() || c.call_id.size() > 128) return Bad("call_id is empty or longer than 128 bytes");
  bool queued =
      c.outcome == Outcome::kAnswered || c.outcome == Outcome::kAbandoned || c.outcome == Outcome::kOverflow;
  if (c.outcome == Outcome::kAnswered) {
    if (!c.answered_at) return Bad("outcome answered without answered_at");
    if (!c.talk_ended_at) return Bad("outcome answered without talk_ended_at");
  } else {
    if (c.answered_at) return Bad("answered_at set but outcome is " + std::string(OutcomeName(c.outcome)));
    if (c.survey != Survey::kNone) return Bad("survey set but the call was not answered by an agent");
  }
  if (queued && !c.queued_at)
    return Bad("outcome " + std::string(OutcomeName(c.outcome)) + " without queued_at");
  if (!queued && c.queued_at)
    return Bad("queued_at set but outcome is " + std::string(OutcomeName(c.outcome)));
  if (c.acw_ended_at && !c.talk_ended_at) return Bad("acw_ended_at without talk_ended_at");
  // Times in order: arrived ≤ queued ≤ answered ≤ talk_ended ≤ acw_ended, and ended ≥ every other.
  TimePoint last = c.arrived_at;
  const char* last_name = "arrived_at";
  for (auto [t, name] : {std::pair{c.queued_at, "queued_at"},
                         {c.answered_at, "answered_at"},
                         {c.talk_ended_at, "talk_ended_at"},
                         {c.acw_ended_at, "acw_ended_at"}}) {
    if (!t) continue;
    if (*t < last) return Bad(std::string(name) + " is before " + last_name);
    last = *t;
    last_name = name;
  }
  if (c.ended_at) {
    for (auto [t, name] : {std::pair{std::optional(c.arrived_at), "arrived_at"},
                           {c.queued_at, "queued_at"},
                           {c.answered_at, "answered_at"},
                           {c.talk_ended_at, "talk_ended_at"}})
      if (t && *c.ended_at < *t) return Bad(std::string("ended_at is before ") + name);
  }
  return OkStatus();
}

Result<CdrCsvLayout> CdrCsvLayout::FromHeader(const std::vector<std::string_view>& header) {
  CdrCsvLayout layout;
  layout.index_.assign(kCdrColumns.size(), -1);
  layout.width_ = header.size();
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = AsciiLower(header[i]);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    bool known = false;
    for (size_t c = 0; c < kCdrColumns.size(); ++c) {
      if (kCdrColumns[c] != name) continue;
      if (layout.index_[c] >= 0) return Bad("column " + name + " appears twice in the header");
      layout.index_[c] = static_cast<int>(i);
      known = true;
    }
    if (!known)
      return Bad("unknown column '" + name + "' in the header (expected: call_id, center, caller, …)");
  }
  for (size_t c = 0; c < kCdrColumns.size(); ++c)
    if (layout.index_[c] < 0) return Bad("the header has no column " + std::string(kCdrColumns[c]));
  return layout;
}

namespace {

// Two decimal digits at p; false unless both are digits.
bool TwoDigits(const char* p, int* out) {
  unsigned a = static_cast<unsigned char>(p[0]) - '0', b = static_cast<unsigned char>(p[1]) - '0';
  if (a > 9 || b > 9) return false;
  *out = static_cast<int>(a * 10 + b);
  return true;
}

// True when every byte is printable ASCII: then the text is valid UTF-8 without control characters,
// the common case for call ids, phone numbers and 工号 (the slow check handles the rest).
bool IsPrintableAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

// The last date seen by ParseCdrTime's fast path: a record's timestamps nearly always share their date,
// so the calendar arithmetic is done once per record. One per ParseInto call (no shared state).
struct DateCache {
  char text[10] = {};
  std::chrono::sys_days days{};
  bool valid = false;
};

bool ParseCdrTime(std::string_view s, TimePoint* out, DateCache* cache) {
  using namespace std::chrono;
  // Fast path: exactly YYYY-MM-DD[T ]hh:mm:ss followed by Z (20 bytes) or ±hh:mm (25 bytes).
  const size_t n = s.size();
  const char* p = s.data();
  if (!((n == 20 && (p[19] == 'Z' || p[19] == 'z')) ||
        (n == 25 && (p[19] == '+' || p[19] == '-') && p[22] == ':')))
    return ParseIso8601(s, out);
  int h, mi, sec;
  if ((p[10] != 'T' && p[10] != ' ') || !TwoDigits(p + 11, &h) || p[13] != ':' || !TwoDigits(p + 14, &mi) ||
      p[16] != ':' || !TwoDigits(p + 17, &sec) || h > 23 || mi > 59 || sec > 59)
    return false;
  if (!cache->valid || std::memcmp(cache->text, p, 10) != 0) {
    int y1, y2, mo, d;
    if (!TwoDigits(p, &y1) || !TwoDigits(p + 2, &y2) || p[4] != '-' || !TwoDigits(p + 5, &mo) ||
        p[7] != '-' || !TwoDigits(p + 8, &d))
      return false;
    year_month_day ymd{year{y1 * 100 + y2}, month{unsigned(mo)}, day{unsigned(d)}};
    if (!ymd.ok()) return false;
    std::memcpy(cache->text, p, 10);
    cache->days = sys_days{ymd};
    cache->valid = true;
  }
  int offset_min = 0;
  if (n == 25) {
    int oh, om;
    if (!TwoDigits(p + 20, &oh) || !TwoDigits(p + 23, &om) || oh > 23 || om > 59) return false;
    offset_min = (p[19] == '-' ? -1 : 1) * (oh * 60 + om);
  }
  *out = TimePoint(duration_cast<milliseconds>(cache->days.time_since_epoch() + hours{h} + minutes{mi} +
                                               seconds{sec} - minutes{offset_min}));
  return true;
}

}  // namespace

bool ParseCdrTime(std::string_view s, TimePoint* out) {
  DateCache cache;
  return ParseCdrTime(s, out, &cache);
}

Result<Cdr> CdrCsvLayout::Parse(const std::vector<std::string_view>& f) const {
  Cdr cdr;
  HOTLINE_RETURN_IF_ERROR(ParseInto(f, &cdr));
  return cdr;
}

Status CdrCsvLayout::ParseInto(const std::vector<std::string_view>& f, Cdr* out) const {
  if (f.size() != width_)
    return Bad("expected " + std::to_string(width_) + " fields, found " + std::to_string(f.size()));
  auto get = [&](Col c) { return f[static_cast<size_t>(index_[c])]; };
  Cdr& cdr = *out;
  for (auto s : {get(kCallId), get(kCenter), get(kCaller), get(kAgent)})
    if (!IsPrintableAscii(s) && (!IsValidUtf8(s) || HasControlChars(s)))
      return Bad("a text field is not valid UTF-8 or has control characters");
  // assign() keeps the strings' storage: no allocation once a recycled record has seen a long id.
  cdr.call_id.assign(get(kCallId));
  cdr.center.assign(get(kCenter));
  cdr.caller.assign(get(kCaller));
  cdr.agent.assign(get(kAgent));
  if (cdr.center.empty()) return Bad("center is empty");
  DateCache dates;
  auto instant = [&](Col c, const char* name, std::optional<TimePoint>* out) -> Status {
    std::string_view s = get(c);
    if (s.empty()) {
      out->reset();
      return OkStatus();
    }
    TimePoint t;
    if (!ParseCdrTime(s, &t, &dates))
      return Bad(std::string(name) + " '" + std::string(s.substr(0, 40)) +
                 "' is not an ISO 8601 time with offset, e.g. 2026-03-02T09:15:03+08:00");
    *out = t;
    return OkStatus();
  };
  std::optional<TimePoint> arrived;
  HOTLINE_RETURN_IF_ERROR(instant(kArrived, "arrived_at", &arrived));
  if (!arrived) return Bad("arrived_at is empty");
  cdr.arrived_at = *arrived;
  HOTLINE_RETURN_IF_ERROR(instant(kQueued, "queued_at", &cdr.queued_at));
  HOTLINE_RETURN_IF_ERROR(instant(kAnswered, "answered_at", &cdr.answered_at));
  HOTLINE_RETURN_IF_ERROR(instant(kTalkEnded, "talk_ended_at", &cdr.talk_ended_at));
  HOTLINE_RETURN_IF_ERROR(instant(kAcwEnded, "acw_ended_at", &cdr.acw_ended_at));
  HOTLINE_RETURN_IF_ERROR(instant(kEnded, "ended_at", &cdr.ended_at));
  auto outcome = ParseOutcome(get(kOutcome));
  if (!outcome)
    return Bad("outcome '" + std::string(get(kOutcome).substr(0, 20)) +
               "' is not one of ivr, answered, abandoned, overflow, failed");
  cdr.outcome = *outcome;
  auto survey = ParseSurvey(get(kSurvey));
  if (!survey) return Bad("survey must be empty, satisfied, basic or dissatisfied");
  cdr.survey = *survey;
  std::string_view complaint = get(kComplaint);
  if (complaint != "0" && complaint != "1" && !complaint.empty()) return Bad("complaint must be 0 or 1");
  cdr.complaint = complaint == "1";
  return ValidateCdr(cdr);
}

}  // namespace hotline::kpi
