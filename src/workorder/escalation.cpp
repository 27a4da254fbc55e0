#include "workorder/escalation.hpp"

#include <spdlog/spdlog.h>

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
          ? " WHERE w.is_open = 1 AND w.escalation_level < 2 AND w.due_at <= $1 ORDER BY w.due_at, w.id LIMIT $2"
          : " WHERE w.is_open = 1 AND w.escalation_level < 1 AND w.due_soon_at <= $1 AND w.due_at > $1 "
            "ORDER BY w.due_soon_at, w.id LIMIT $2";
  int sent = 0;
  // Each batch leaves the matching set (its rows get the new level), so the loop ends; the bound is a guard.
  for (int batch = 0; batch < 100000; ++batch) {
    std::vector<EscalationNotice> notices;
    HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
      HOTLINE_ASSIGN_OR_RETURN(auto r, s.Query(internal::kSelectOrder + where,
                                               {now_ms, int64_t{options_.batch_size}}));
      for (size_t i = 0; i < r.size(); ++i) {
        const WorkOrder o = internal::OrderFromRow(r, i).order;
        HOTLINE_ASSIGN_OR_RETURN(auto u, s.Query("UPDATE workorders SET escalation_level = $2 "
                                                 "WHERE id = $1 AND escalation_level < $2 AND is_open = 1",
                                                 {o.id, target}));
        if (u.affected_rows != 1) continue;  // another scheduler got there first
        notices.push_back({.level = level, .order_id = o.id, .number = o.number, .org_id = o.org_id,
                           .org_code = o.org_code, .org_path = o.org_path, .category = o.category, .state = o.state,
                           .priority = o.priority, .department_id = o.department_id,
                           .department = o.department_name, .last_day = o.deadline.last_day,
                           .due_at = o.deadline.due_at});
      }
      return OkStatus();
    }));
    for (const auto& n : notices) sink_.Notify(n);
    sent += static_cast<int>(notices.size());
    if (static_cast<int>(notices.size()) < options_.batch_size) break;
  }
  return sent;
}

Result<int> EscalationScheduler::RunOnce(TimePoint now) {
  // Overdue first: an order that crossed both thresholds since the last run is notified as overdue only.
  HOTLINE_ASSIGN_OR_RETURN(int overdue, RunLevel(now, EscalationLevel::kOverdue));
  HOTLINE_ASSIGN_OR_RETURN(int due_soon, RunLevel(now, EscalationLevel::kDueSoon));
  return overdue + due_soon;
}

void EscalationScheduler::Start(const Clock& clock, std::chrono::milliseconds interval) {
  Stop();
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, &clock, interval] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      auto r = RunOnce(clock.Now());
      if (!r.ok()) spdlog::warn("work-order escalation failed ({}): {}", r.error().code, r.error().message);
      else if (*r > 0) spdlog::info("work-order escalation: {} notices", *r);
      lock.lock();
      wake_.wait_for(lock, interval, [this] { return stopping_; });
    }
  });
}

void EscalationScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace hotline::workorder
