// How other modules feed 投诉率 (R-KPI-7) without kpi reading their tables: the work-order module
// reports each complaint work order (投诉类) as it is filed, reclassified or cancelled.
//
// Counting rule (docs/INDICATORS.md): complaints of a centre-day = complaint work orders filed that local
// day in this system + calls flagged complaint=1 in imported CDRs (orders filed in another system). Live
// calls of this system's voice module do not set the CDR flag; their orders are counted here instead,
// so nothing is counted twice.
#pragma once

#include <cstdint>

#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "store/database.hpp"

namespace hotline::kpi {

// Thread-safe implementations.
class ComplaintCounter {
 public:
  virtual ~ComplaintCounter() = default;
  // delta = +1 when a complaint order is filed (or an order is reclassified as a complaint),
  // −1 when it is reclassified away or cancelled as filed in error. `day` is the local day the order was
  // created at centre `org_id`. Runs inside the caller's transaction, so the count commits with the order.
  virtual Status AddComplaintOrders(store::Session& session, int64_t org_id, Date day, int delta) = 0;
};

// The implementation over the daily sums (kpi_daily.complaints), so 投诉率 = complaints / N_ans of the
// same centre-days. Thread-safe (stateless).
class DailyComplaintCounter final : public ComplaintCounter {
 public:
  Status AddComplaintOrders(store::Session& session, int64_t org_id, Date day, int delta) override;
};

}  // namespace hotline::kpi
