// Escalation of work orders that approach or pass their deadline (issue 4, R-WO-4): the scheduler finds
// open orders that crossed their due-soon or overdue instant and were not yet notified of it, records the
// notification on the order (escalation_level 1 = due soon, 2 = overdue) and tells an EscalationSink —
// the app forwards it to the console's live channel for the centre's team leaders and the department.
// Each level is notified once per deadline: a reclassification that moves the deadline resets it.
// An order that is already overdue when first seen is notified as overdue only.
//
// The record and the notice are at-most-once per level: the level is committed first, then the sink
// hears of it, so a crash in between loses that one live notice (the board still shows the order).
// Several processes may run the scheduler on one database: the guarded UPDATE lets one of them win.
// In `hotline serve` the passes run on the process's shared timer (a runtime::PeriodicComponent named
// "workorder-escalation" calling RunScheduled every [workorder] escalation_interval_seconds); the CLI
// (`hotline workorder escalate`) calls RunOnce directly.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"
#include "workorder/types.hpp"

namespace hotline::workorder {

enum class EscalationLevel { kDueSoon = 1, kOverdue = 2 };
std::string_view EscalationLevelName(EscalationLevel level);  // "due_soon" | "overdue"

// What a notice says. No personal data: the console fetches the order to show more.
struct EscalationNotice {
  EscalationLevel level = EscalationLevel::kOverdue;
  int64_t order_id = 0;
  std::string number;
  int64_t org_id = 0;
  std::string org_code;
  std::string org_path;  // for scoping the live event (R-ORG-1)
  Category category = Category::kInquiry;
  State state = State::kDraft;
  Priority priority = Priority::kNormal;
  std::optional<int64_t> department_id;
  std::string department;
  Date last_day;
  TimePoint due_at;
};

// Receives notices. Implementations must be thread-safe and must not block (queue and return).
class EscalationSink {
 public:
  virtual ~EscalationSink() = default;
  virtual void Notify(const EscalationNotice& notice) = 0;
};

// Where the scheduler's notices go: the console's live channel, and — the hook for issue 4's optional
// "SMS to the handler" — an SMS sink that the SMS module will provide (texting the department's
// handler of the order). There is no SMS module yet, so `sms` stays null and no message is sent or
// pretended to be sent; the app only wires `live`. Both sinks hear every notice, live first.
class EscalationSinks final : public EscalationSink {
 public:
  explicit EscalationSinks(EscalationSink& live, EscalationSink* sms = nullptr) : live_(live), sms_(sms) {}
  void Notify(const EscalationNotice& notice) override {
    live_.Notify(notice);
    if (sms_ != nullptr) sms_->Notify(notice);
  }
  bool sends_sms() const { return sms_ != nullptr; }

 private:
  EscalationSink& live_;
  EscalationSink* const sms_;
};

// [workorder] escalation_* in the config file.
struct EscalationOptions {
  // [workorder] escalation_batch_size: orders handled per transaction (each batch commits, then its
  // notices go out).
  int batch_size = 500;
  // [workorder] escalation_interval_seconds: how often `hotline serve` runs a pass (fixed delay: the
  // time between the end of one pass and the start of the next).
  std::chrono::seconds interval{60};
};

// Thread-safe: RunOnce and RunScheduled may be called from several threads and processes (the
// database arbitrates). Holds no thread of its own.
class EscalationScheduler {
 public:
  EscalationScheduler(store::Database& db, EscalationSink& sink, EscalationOptions options = {})
      : db_(db), sink_(sink), options_(options) {}
  EscalationScheduler(const EscalationScheduler&) = delete;
  EscalationScheduler& operator=(const EscalationScheduler&) = delete;

  // Notifies every order that crossed a threshold at `now` and was not notified of it. Returns the
  // number of notices sent.
  Result<int> RunOnce(TimePoint now);

  // One periodic pass: RunOnce(now), a failure logged (warn) for the next pass to retry, notices
  // counted in the log (info). The periodic job of `hotline serve`.
  void RunScheduled(TimePoint now);

  const EscalationOptions& options() const { return options_; }

 private:
  Result<int> RunLevel(TimePoint now, EscalationLevel level);

  store::Database& db_;
  EscalationSink& sink_;
  const EscalationOptions options_;
};

}  // namespace hotline::workorder
