// The calls behind a figure: the CDRs of one centre-day, for the supervisor's drill-down
// (nation → province → centre → day → calls). The caller's number is personal data and is masked
// here (138****5678); the full number is only ever shown in a verified context (fund module).
// Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/time_zone.hpp"
#include "kpi/cdr.hpp"
#include "store/database.hpp"

namespace hotline::kpi {

struct CallSummary {
  std::string call_id;
  std::string caller_masked;  // 138****5678
  TimePoint arrived_at;
  Outcome outcome = Outcome::kIvr;
  std::optional<int64_t> wait_ms, talk_ms, acw_ms;
  std::string agent;
  Survey survey = Survey::kNone;
  bool complaint = false;
};

// 13812345678 → 138****5678; shorter numbers keep their first and last two digits at most.
std::string MaskPhone(std::string_view phone);

class CallLog {
 public:
  explicit CallLog(store::Database& db) : db_(db) {}
  struct Page {
    std::vector<CallSummary> calls;
    int64_t total = 0;  // calls matching, all pages
  };
  // Calls of centre `org_id` on local day `day` (only `outcome` when given), in arrival order, from
  // `offset`, at most `limit`.
  Result<Page> ListDay(int64_t org_id, Date day, std::optional<Outcome> outcome, int offset, int limit) const;

 private:
  store::Database& db_;
};

}  // namespace hotline::kpi
