// The eight indicators of the 12329 service guideline (R-KPI-1…8), computed exactly from additive sums.
//
// The heart of the design (DESIGN.md "kpi"): every indicator is a ratio of sums of counts and
// milliseconds. A centre-day holds the sums (DaySums); a week, a month, a province or the nation is the
// sum of its centre-days, and the ratios are formed only at the end — never an average of averages.
// Rounding (half-up, 2 decimals) happens only at output, in integer arithmetic (R-KPI-10).
// All types here are plain values: thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kpi/cdr.hpp"

namespace hotline::kpi {

// Additive sums of one centre-day (or of any set of them). docs/INDICATORS.md names each.
struct DaySums {
  int64_t n_in = 0;        // all inbound calls (R-KPI-1)
  int64_t n_req = 0;       // asked for an agent: answered + abandoned + overflow
  int64_t n_ans = 0;       // answered by an agent
  int64_t n_ivr = 0;       // served by self-service only
  int64_t n_abn = 0;       // abandoned while queued
  int64_t n_overflow = 0;  // queued, then sent to voicemail / call-back
  int64_t n_failed = 0;    // never answered (busy, trunk full, error)
  int64_t talk_ms = 0;     // Σ (talk_ended_at − answered_at) over answered calls
  int64_t wait_ms = 0;     // Σ (answered_at − queued_at) over answered calls
  int64_t acw_ms = 0;      // Σ (acw_ended_at − talk_ended_at) over answered calls
  int64_t complaints = 0;  // calls that produced a complaint work order
  int64_t surveyed = 0;    // answered calls with a survey answer
  int64_t satisfied = 0;
  int64_t basic = 0;
  int64_t dissatisfied = 0;

  void Add(const Cdr& cdr);
  DaySums& operator+=(const DaySums& o);
  bool operator==(const DaySums&) const = default;
};

// Counting basis, printed on every report.
enum class Basis {
  kManual,  // 人工服务口径 (default): connect = N_ans / N_req; abandon = N_abn / N_ans
  kAll,     // the documents' literal wording: connect = (N_ans + N_ivr) / N_in; abandon = N_abn / (N_ans +
            // N_ivr)
};
std::string_view BasisName(Basis b);
std::optional<Basis> ParseBasis(std::string_view s);

// A fixed-point number with 2 decimals, or null (zero denominator: "not 0 and not 100").
struct Decimal2 {
  std::optional<int64_t> hundredths;
  bool is_null() const { return !hundredths; }
  std::string ToString() const;  // "91.20", or "" when null
  double ToDouble() const { return hundredths ? *hundredths / 100.0 : 0.0; }
  bool operator==(const Decimal2&) const = default;
};

// num/den × scale, rounded half-up to 2 decimals. REQUIRES: num ≥ 0, den ≥ 0.
Decimal2 RoundedRatio(int64_t num, int64_t den, int64_t scale);

enum class IndicatorId { kCallConnect, kAbandon, kWait, kAcw, kComplaint, kSatisfaction };
constexpr std::array<IndicatorId, 6> kJudgedIndicators = {
    IndicatorId::kCallConnect, IndicatorId::kAbandon,   IndicatorId::kWait,
    IndicatorId::kAcw,         IndicatorId::kComplaint, IndicatorId::kSatisfaction};
// The data-standard field name (R-KPI-10): callconnect, ABNcalls, waittimeavg, acwavg, complntrate,
// satisrate.
std::string_view FieldName(IndicatorId id);

struct IndicatorOptions {
  Basis basis = Basis::kManual;
  bool satisfied_includes_basic = false;  // satisrate = (satisfied + basic) / surveyed when true
};

// The exact ratio behind one indicator: value = num / den (× 100 for rates; ms for durations).
struct Ratio {
  int64_t num = 0;
  int64_t den = 0;
};
Ratio RatioOf(const DaySums& s, IndicatorId id, const IndicatorOptions& options);

// The eight indicators as published (R-KPI-10 data standard).
struct Indicators {
  int64_t call_total = 0;  // callTotal
  Decimal2 callavg;        // minutes
  Decimal2 callconnect;    // percent
  Decimal2 abncalls;       // percent
  Decimal2 waittimeavg;    // minutes
  Decimal2 acwavg;         // minutes
  Decimal2 complntrate;    // percent
  Decimal2 satisrate;      // percent
  const Decimal2& Get(IndicatorId id) const;
};
Indicators Compute(const DaySums& sums, const IndicatorOptions& options);

// Contract thresholds (R-KPI-3…8): rates in parts per 100,000 (85 % = 85000, 0.3 ‰ = 30), durations in ms.
struct Threshold {
  IndicatorId id;
  bool is_minimum;  // true: value ≥ limit passes; false: value ≤ limit passes
  int64_t limit;
};
struct Profile {
  std::string name;
  std::string title;  // 中文名称
  std::vector<Threshold> thresholds;
};
// The built-in profiles: "guideline" (G 3.2) and "gansu" (the Gansu tender, T 3.1).
const std::vector<Profile>& BuiltinProfiles();
const Profile* FindProfile(std::string_view name);

// Pass/fail of one indicator, judged on the exact (unrounded) ratio; null when the ratio is null.
std::optional<bool> Passes(const Threshold& t, const DaySums& s, const IndicatorOptions& options);

}  // namespace hotline::kpi
