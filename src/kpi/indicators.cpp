#include "kpi/indicators.hpp"

#include <cassert>
#include <cstdio>

namespace hotline::kpi {
namespace {
int64_t Ms(TimePoint a, TimePoint b) { return (b - a).count(); }
}  // namespace

void DaySums::Add(const Cdr& c) {
  ++n_in;
  switch (c.outcome) {
    case Outcome::kIvr:
      ++n_ivr;
      break;
    case Outcome::kAnswered:
      ++n_req;
      ++n_ans;
      talk_ms += Ms(*c.answered_at, *c.talk_ended_at);
      wait_ms += Ms(*c.queued_at, *c.answered_at);
      if (c.acw_ended_at) acw_ms += Ms(*c.talk_ended_at, *c.acw_ended_at);
      break;
    case Outcome::kAbandoned:
      ++n_req;
      ++n_abn;
      break;
    case Outcome::kOverflow:
      ++n_req;
      ++n_overflow;
      break;
    case Outcome::kFailed:
      ++n_failed;
      break;
  }
  if (c.complaint) ++complaints;
  switch (c.survey) {
    case Survey::kNone:
      break;
    case Survey::kSatisfied:
      ++surveyed, ++satisfied;
      break;
    case Survey::kBasic:
      ++surveyed, ++basic;
      break;
    case Survey::kDissatisfied:
      ++surveyed, ++dissatisfied;
      break;
  }
}

DaySums& DaySums::operator+=(const DaySums& o) {
  n_in += o.n_in, n_req += o.n_req, n_ans += o.n_ans, n_ivr += o.n_ivr, n_abn += o.n_abn;
  n_overflow += o.n_overflow, n_failed += o.n_failed;
  talk_ms += o.talk_ms, wait_ms += o.wait_ms, acw_ms += o.acw_ms;
  complaints += o.complaints, surveyed += o.surveyed, satisfied += o.satisfied, basic += o.basic;
  dissatisfied += o.dissatisfied;
  return *this;
}

std::string_view BasisName(Basis b) { return b == Basis::kManual ? "manual" : "all"; }
std::optional<Basis> ParseBasis(std::string_view s) {
  if (s == "manual") return Basis::kManual;
  if (s == "all") return Basis::kAll;
  return std::nullopt;
}

std::string Decimal2::ToString() const {
  if (!hundredths) return "";
  char buf[32];
  int64_t v = *hundredths;
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", v < 0 ? "-" : "",
                static_cast<long long>((v < 0 ? -v : v) / 100),
                static_cast<long long>((v < 0 ? -v : v) % 100));
  return buf;
}

Decimal2 RoundedRatio(int64_t num, int64_t den, int64_t scale) {
  assert(num >= 0 && den >= 0);
  if (den == 0) return {};
  // hundredths = round_half_up(num × scale × 100 / den), exactly, in 128-bit to be safe from overflow.
  __int128 n = static_cast<__int128>(num) * scale * 100;
  __int128 d = den;
  return {static_cast<int64_t>((2 * n + d) / (2 * d))};
}

std::string_view FieldName(IndicatorId id) {
  switch (id) {
    case IndicatorId::kCallConnect:
      return "callconnect";
    case IndicatorId::kAbandon:
      return "ABNcalls";
    case IndicatorId::kWait:
      return "waittimeavg";
    case IndicatorId::kAcw:
      return "acwavg";
    case IndicatorId::kComplaint:
      return "complntrate";
    case IndicatorId::kSatisfaction:
      return "satisrate";
  }
  return "";
}

Ratio RatioOf(const DaySums& s, IndicatorId id, const IndicatorOptions& o) {
  switch (id) {
    case IndicatorId::kCallConnect:  // R-KPI-3
      return o.basis == Basis::kManual ? Ratio{s.n_ans, s.n_req} : Ratio{s.n_ans + s.n_ivr, s.n_in};
    case IndicatorId::kAbandon:  // R-KPI-4: abandoned over *connected* calls, as both documents define it
      return o.basis == Basis::kManual ? Ratio{s.n_abn, s.n_ans} : Ratio{s.n_abn, s.n_ans + s.n_ivr};
    case IndicatorId::kWait:
      return {s.wait_ms, s.n_ans};  // R-KPI-5
    case IndicatorId::kAcw:
      return {s.acw_ms, s.n_ans};  // R-KPI-6
    case IndicatorId::kComplaint:
      return {s.complaints, s.n_ans};  // R-KPI-7: over answered calls
    case IndicatorId::kSatisfaction:   // R-KPI-8
      return {o.satisfied_includes_basic ? s.satisfied + s.basic : s.satisfied, s.surveyed};
  }
  return {};
}

const Decimal2& Indicators::Get(IndicatorId id) const {
  switch (id) {
    case IndicatorId::kCallConnect:
      return callconnect;
    case IndicatorId::kAbandon:
      return abncalls;
    case IndicatorId::kWait:
      return waittimeavg;
    case IndicatorId::kAcw:
      return acwavg;
    case IndicatorId::kComplaint:
      return complntrate;
    case IndicatorId::kSatisfaction:
      return satisrate;
  }
  return callconnect;
}

Indicators Compute(const DaySums& s, const IndicatorOptions& o) {
  constexpr int64_t kMsPerMinute = 60000;
  auto minutes = [](Ratio r) { return RoundedRatio(r.num, r.den * kMsPerMinute, 1); };
  auto percent = [](Ratio r) { return RoundedRatio(r.num, r.den, 100); };
  Indicators out;
  out.call_total = s.n_in;                      // R-KPI-1
  out.callavg = minutes({s.talk_ms, s.n_ans});  // R-KPI-2
  out.callconnect = percent(RatioOf(s, IndicatorId::kCallConnect, o));
  out.abncalls = percent(RatioOf(s, IndicatorId::kAbandon, o));
  out.waittimeavg = minutes(RatioOf(s, IndicatorId::kWait, o));
  out.acwavg = minutes(RatioOf(s, IndicatorId::kAcw, o));
  out.complntrate = percent(RatioOf(s, IndicatorId::kComplaint, o));
  out.satisrate = percent(RatioOf(s, IndicatorId::kSatisfaction, o));
  return out;
}

const std::vector<Profile>& BuiltinProfiles() {
  using I = IndicatorId;
  static const std::vector<Profile> profiles = {
      {"guideline",
       "服务导则",
       {{I::kCallConnect, true, 85000},
        {I::kAbandon, false, 15000},
        {I::kWait, false, 40000},
        {I::kAcw, false, 30000},
        {I::kComplaint, false, 500},
        {I::kSatisfaction, true, 90000}}},
      {"gansu",
       "甘肃省采购需求",
       {{I::kCallConnect, true, 90000},
        {I::kAbandon, false, 10000},
        {I::kWait, false, 30000},
        {I::kAcw, false, 25000},
        {I::kComplaint, false, 30},
        {I::kSatisfaction, true, 95000}}},
  };
  return profiles;
}

const Profile* FindProfile(std::string_view name) {
  for (const auto& p : BuiltinProfiles())
    if (p.name == name) return &p;
  return nullptr;
}

std::optional<bool> Passes(const Threshold& t, const DaySums& s, const IndicatorOptions& o) {
  Ratio r = RatioOf(s, t.id, o);
  if (r.den == 0) return std::nullopt;
  bool duration = t.id == IndicatorId::kWait || t.id == IndicatorId::kAcw;
  // Compare num/den with limit/scale exactly: num × scale vs limit × den.
  __int128 lhs = static_cast<__int128>(r.num) * (duration ? 1 : 100000);
  __int128 rhs = static_cast<__int128>(t.limit) * r.den;
  return t.is_minimum ? lhs >= rhs : lhs <= rhs;
}

}  // namespace hotline::kpi
