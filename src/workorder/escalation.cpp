#include "workorder/escalation.hpp"

#include <spdlog/spdlog.h>

#include <set>

#include "workorder/internal.hpp"

namespace hotline::workorder {

std::string_view EscalationLevelName(EscalationLevel level) {
  return level == EscalationLevel::kDueSoon ? "due_soon" : "overdue";
}

Result<int> EscalationScheduler::RunLevel(TimePoint now, EscalationLevel level) {
  const int64_t now_ms = ToEpochMillis(now);
  const int target = static_cast<int>(level);
  // The WHERE terms repeat the partial indexes' conditions word for word (schema.cpp), so both engines
  // read only the open orders not yet notified of this level.
  const std::string where =
      level == EscalationLevel::kOverdue
          ? " WHERE w.is_open = 1 AND w.escalation_level < 2 AND w.due_at <= $1 ORDER BY w.due_at, w.id "
            "LIMIT $2"
          : " WHERE w.is_open = 1 AND w.escalation_level < 1 AND w.due_soon_at <= $1 AND w.due_at > $1 "
            "ORDER BY w.due_soon_at, w.id LIMIT $2";
  int sent = 0;
  // Each batch leaves the matching set (its rows get the new level), so the loop ends; the bound is a guard.
  for (int batch = 0; batch < 100000; ++batch) {
    std::vector<EscalationNotice> notices;
    int selected = 0;
    HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
      HOTLINE_ASSIGN_OR_RETURN(
          auto r, s.Query(internal::kSelectOrder + where, {now_ms, int64_t{options_.batch_size}}));
      if (r.empty()) return OkStatus();
      // One guarded UPDATE for the batch; RETURNING says which rows this pass marked (another scheduler
      // may have marked some first).
      store::Params params{int64_t{target}};
      std::string in;
      for (size_t i = 0; i < r.size(); ++i) {
        params.emplace_back(r.rows[i][0].AsInt());
        in += (i ? ", $" : "$") + std::to_string(params.size());
      }
      HOTLINE_ASSIGN_OR_RETURN(auto marked,
                               s.Query("UPDATE workorders SET escalation_level = $1 WHERE id IN (" + in +
                                           ") AND escalation_level < $1 AND is_open = 1 RETURNING id",
                                       params));
      std::set<int64_t> ids;
      for (const auto& row : marked.rows) ids.insert(row[0].AsInt());
      for (size_t i = 0; i < r.size(); ++i) {
        const WorkOrder o = internal::OrderFromRow(r, i).order;
        if (!ids.contains(o.id)) continue;
        notices.push_back({.level = level,
                           .order_id = o.id,
                           .number = o.number,
                           .org_id = o.org_id,
                           .org_code = o.org_code,
                           .org_path = o.org_path,
                           .category = o.category,
                           .state = o.state,
                           .priority = o.priority,
                           .department_id = o.department_id,
                           .department = o.department_name,
                           .last_day = o.deadline.last_day,
                           .due_at = o.deadline.due_at});
      }
      selected = static_cast<int>(r.size());
      return OkStatus();
    }));
    for (const auto& n : notices) sink_.Notify(n);
    sent += static_cast<int>(notices.size());
    if (selected < options_.batch_size) break;
  }
  return sent;
}

Result<int> EscalationScheduler::RunOnce(TimePoint now) {
  // Overdue first: an order that crossed both thresholds since the last run is notified as overdue only.
  HOTLINE_ASSIGN_OR_RETURN(int overdue, RunLevel(now, EscalationLevel::kOverdue));
  HOTLINE_ASSIGN_OR_RETURN(int due_soon, RunLevel(now, EscalationLevel::kDueSoon));
  return overdue + due_soon;
}

void EscalationScheduler::RunScheduled(TimePoint now) {
  auto r = RunOnce(now);
  if (!r.ok())
    spdlog::warn("work-order escalation failed ({}): {}", r.error().code, r.error().message);
  else if (*r > 0)
    spdlog::info("work-order escalation: {} notices", *r);
}

}  // namespace hotline::workorder
