#include "kpi/complaint_counter.hpp"

#include <algorithm>

namespace hotline::kpi {

Status DailyComplaintCounter::AddComplaintOrders(store::Session& s, int64_t org_id, Date day, int delta) {
  // The centre-day row may not exist yet (no calls imported that day): create it with zero sums.
  // MAX(…, 0) keeps the count sane if a cancel arrives for an order counted before this table existed.
  HOTLINE_RETURN_IF_ERROR(
      s.Query("INSERT INTO kpi_daily (org_id, day, n_in, n_req, n_ans, n_ivr, n_abn, n_overflow, n_failed, "
              "talk_ms, wait_ms, "
              "acw_ms, complaints, surveyed, satisfied, basic, dissatisfied) "
              "VALUES ($1, $2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, $3, 0, 0, 0, 0) "
              "ON CONFLICT (org_id, day) DO UPDATE SET complaints = "
              "CASE WHEN kpi_daily.complaints + excluded.complaints < 0 THEN 0 "
              "ELSE kpi_daily.complaints + excluded.complaints END",
              {org_id, static_cast<int64_t>(day.time_since_epoch().count()), delta}));
  return OkStatus();
}

}  // namespace hotline::kpi
