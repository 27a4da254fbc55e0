// Call detail records (CDRs): one record per inbound call into 12329, the raw material of every
// indicator (R-KPI-1…8). The voice module will emit them live; `hotline cdr import` loads them from
// the call-centre system a centre runs today (CSV, docs/INDICATORS.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace hotline::kpi {

// The values are stored in cdrs.outcome / cdrs.survey (kpi_store.cpp, migration 2): never renumber.
enum class Outcome {
  kIvr = 0,        // served by self-service, never asked for an agent
  kAnswered = 1,   // an agent answered
  kAbandoned = 2,  // the caller hung up while queued for an agent
  kOverflow = 3,   // queued, then sent to voicemail / call-back (closing time, queue limit)
  kFailed = 4,     // never answered: busy, trunk full, error
};
enum class Survey { kNone = 0, kSatisfied = 1, kBasic = 2, kDissatisfied = 3 };  // 满意 / 基本满意 / 不满意

std::string_view OutcomeName(Outcome o);
std::optional<Outcome> ParseOutcome(std::string_view s);
std::string_view SurveyName(Survey s);
std::optional<Survey> ParseSurvey(std::string_view s);

struct Cdr {
  std::string call_id;
  std::string center;  // org code of the centre
  std::string caller;  // the caller's number: personal data, masked outside a verified context
  TimePoint arrived_at;
  std::optional<TimePoint> queued_at, answered_at, talk_ended_at, acw_ended_at, ended_at;
  std::string agent;  // 工号 or empty
  Outcome outcome = Outcome::kIvr;
  Survey survey = Survey::kNone;
  bool complaint = false;
};

// Consistency rules of one record (answered needs answered_at, times in order, …). The message is the
// reason printed after FILE:LINE by the importer.
Status ValidateCdr(const Cdr& cdr);

// ParseIso8601 (core/clock.hpp) with a fast path for the layouts call-centre systems export:
// "2026-03-02T09:15:03+08:00" and "2026-03-02T01:15:03Z". Accepts exactly what ParseIso8601 accepts,
// with the same result; anything outside the fast path is handed to it.
bool ParseCdrTime(std::string_view text, TimePoint* out);

// The CSV columns, in the order `hotline cdr` writes them; the importer accepts any order.
extern const std::vector<std::string_view> kCdrColumns;

// Maps a header row to column positions. Errors name missing or unknown columns.
// Immutable after FromHeader: safe to share between threads.
class CdrCsvLayout {
 public:
  static Result<CdrCsvLayout> FromHeader(const std::vector<std::string_view>& header);
  // Parses one data row (fields of the CSV record). Errors: invalid_field with the reason.
  Result<Cdr> Parse(const std::vector<std::string_view>& fields) const;
  // The same into an existing record, reusing its strings' storage (the importer's hot loop parses
  // millions of rows into a recycled batch). On error `*cdr` is left partly written.
  Status ParseInto(const std::vector<std::string_view>& fields, Cdr* cdr) const;

 private:
  std::vector<int> index_;  // position of each kCdrColumns entry in the row
  size_t width_ = 0;
};

}  // namespace hotline::kpi
