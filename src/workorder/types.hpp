// The values of the work-order module (工单, R-AGT-4, R-WO-1…5) and their stable names: categories,
// channels, states, actions, the computed SLA status, and the records the service reads and writes
// (orders, timeline entries, attachments, departments, deadline settings, call-back tasks 回访).
// Everything here is a plain value: not thread-safe, cheap to copy or move. The rules that connect them
// are in state_machine.hpp (who may move an order where) and workorder_service.hpp (the store).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/time_zone.hpp"

namespace hotline::workorder {

// R-WO-1: the agent classifies every order.
enum class Category {
  kComplaint,   // 投诉类: violations of the 住房公积金管理条例, irregular handling
  kSuggestion,  // 建议类
  kInquiry,     // 业务咨询类: a question that could not be answered on the spot
};
std::string_view CategoryName(Category c);   // "complaint" | "suggestion" | "inquiry"
std::string_view CategoryLabel(Category c);  // "投诉类" | "建议类" | "业务咨询类"
std::optional<Category> ParseCategory(std::string_view name);

// Where the matter came in (R-WO-5: SMS questions enter the same flow).
enum class Channel { kPhone, kSms, kWeb, kWalkIn };
std::string_view ChannelName(Channel c);  // "phone" | "sms" | "web" | "walk_in"
std::optional<Channel> ParseChannel(std::string_view name);

enum class Priority { kNormal, kUrgent };
std::string_view PriorityName(Priority p);  // "normal" | "urgent"
std::optional<Priority> ParsePriority(std::string_view name);

// The life of an order (issue 4; R-WO-1…3). `merged` is the end of a duplicate that a leader folded
// into another order; closed, cancelled and merged are final.
enum class State {
  kDraft,                // 草稿: the agent is still writing it (or the leader returned it)
  kPendingConfirmation,  // 待确认: submitted, waiting for the team leader
  kDispatched,           // 已派单: confirmed and forwarded to a department
  kInProgress,           // 处理中: the department accepted it
  kReturned,             // 已回复热线: the department returned its result to the hotline
  kFeedbackDone,         // 已答复来电人: the agent told the caller the result (the SLA clock stops)
  kClosed,               // 已关闭
  kCancelled,            // 已撤销
  kMerged,               // 已合并 into another order
};
std::string_view StateName(State s);   // "draft", "pending_confirmation", …
std::string_view StateLabel(State s);  // "草稿", "待确认", …
std::optional<State> ParseState(std::string_view name);
// True while the deadline clock runs: from creation until feedback_done (issue 4), and not cancelled.
bool IsOpen(State s);
// True for closed, cancelled and merged: nothing may happen to the order any more.
bool IsFinal(State s);

// What a user does to an order (POST …/transitions {"action"}). See state_machine.hpp for the table.
enum class Action {
  kSubmit,         // agent: draft → pending_confirmation
  kConfirm,        // leader: pending_confirmation → dispatched (names the department; may reclassify)
  kReturnToAgent,  // leader: pending_confirmation → draft, with a reason
  kReclassify,     // leader: same state, new category, the deadline is recomputed
  kMerge,          // leader: a duplicate → merged into another order
  kCancel,         // leader (or the centre's admin): any open state → cancelled, with a reason
  kAccept,         // department: dispatched → in_progress
  kSendBack,  // department: dispatched/in_progress → pending_confirmation for re-dispatch, with a reason
  kSubmitResult,    // department: in_progress → returned, with the result
  kRecordFeedback,  // agent: returned → feedback_done, with how the caller was told
  kClose,           // agent or leader: feedback_done → closed
};
std::string_view ActionName(Action a);   // "submit", "confirm", "return_to_agent", …
std::string_view ActionLabel(Action a);  // "提交", "确认派单", …
std::optional<Action> ParseAction(std::string_view name);

// The deadline status computed on every order at a given instant (R-WO-4).
enum class SlaStatus {
  kOnTime,      // open, before the due-soon threshold
  kDueSoon,     // open, inside the last `due_soon_workdays` working days
  kOverdue,     // open, past the deadline
  kDoneOnTime,  // feedback given before the deadline
  kDoneLate,    // feedback given after the deadline
  kCancelled,   // cancelled or merged: no deadline applies any more
};
std::string_view SlaStatusName(
    SlaStatus s);  // "on_time" | "due_soon" | "overdue" | "done_on_time" | "done_late" | "cancelled"

// A deadline of an order, computed with calendar::WorkingCalendar::DeadlineOf from the creation instant.
struct OrderDeadline {
  int workdays = 0;          // N of "within N working days"
  Date last_day;             // the Nth working day after the local creation date
  TimePoint due_at;          // local midnight ending last_day: overdue from this instant on
  TimePoint due_soon_at;     // from this instant on an open order is due soon
  bool provisional = false;  // computed past the loaded official calendar (the console warns)
};

struct WorkOrder {
  int64_t id = 0;
  int64_t org_id = 0;  // the centre it belongs to (R-ORG-1)
  std::string org_code;
  std::string org_path;
  std::string number;  // e.g. "LZ20260305-0007": prefix, local creation date, sequence of that centre-day
  Category category = Category::kInquiry;
  Channel channel = Channel::kPhone;
  Priority priority = Priority::kNormal;
  State state = State::kDraft;
  std::string caller_name;                  // personal data
  std::string caller_phone;                 // personal data: masked in lists (MaskPhone)
  std::optional<std::string> identity_ref;  // opaque link to a verified identity (R-IVR-2), if verified
  std::string subject;
  std::string description;
  std::optional<std::string> call_id;        // the call it came from
  std::optional<std::string> recording_url;  // its recording
  std::optional<int64_t> department_id;      // the department it is (or was last) dispatched to
  std::string department_name;
  std::optional<int64_t> created_by;  // user id; none when created from the CLI
  std::string created_by_name;        // username, or "cli"
  TimePoint created_at;
  OrderDeadline deadline;
  std::optional<TimePoint> done_at;  // when feedback_done was reached (the SLA clock stopped)
  std::optional<TimePoint> closed_at;
  std::optional<int64_t> merged_into;   // the surviving order of a merge
  std::optional<std::string> result;    // the department's last result (submit_result)
  std::optional<std::string> feedback;  // how the caller was told (record_feedback)
  int escalation_level = 0;  // 0 none, 1 due-soon notified, 2 overdue notified (EscalationScheduler)
  TimePoint updated_at;
  int64_t version = 1;  // optimistic concurrency: every change increments it

  // Filled by the service for the user who asked: the actions they may take now (for the console).
  std::vector<Action> allowed_actions;

  SlaStatus SlaAt(TimePoint now) const;
};

// One line of an order's history: every transition, edit, comment and attachment (who, when, from, to, note).
struct TimelineEntry {
  int64_t id = 0;
  int64_t order_id = 0;
  TimePoint at;
  std::optional<int64_t> actor_id;
  std::string actor;       // username or "cli"
  std::string actor_name;  // display name at the time
  std::string action;      // an ActionName, or "create", "edit", "comment", "attach", "merged_from"
  std::optional<State> from_state;
  std::optional<State> to_state;
  std::string note;
  nlohmann::json detail = nlohmann::json::object();  // e.g. {"department":"贷款科"}; never personal data
};

// An attachment's metadata; the bytes are stored in the database (see workorder_service.hpp).
struct Attachment {
  int64_t id = 0;
  int64_t order_id = 0;
  std::string file_name;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;  // hex
  std::string uploaded_by;
  TimePoint uploaded_at;
};

struct DepartmentMember {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
};

// A handling department (业务部门) of a centre, e.g. 贷款科. Orders are dispatched to a department;
// the `department`-role users who are its members see and handle them.
struct Department {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_code;
  std::string name;
  std::vector<DepartmentMember> members;
};

// Deadlines of a centre in working days (R-WO-4) and its due-soon threshold.
struct DeadlineSettings {
  int complaint = 5;   // ≤ 5 by the guideline
  int suggestion = 2;  // ≤ 2
  int inquiry = 3;     // ≤ 3
  // An open order is due soon during its last `due_soon_workdays` working days (0 disables it).
  int due_soon_workdays = 1;
  bool is_default = true;  // false when the centre stored its own

  int WorkdaysFor(Category c) const;
};
// Errors: invalid_field when a deadline is outside 1…the guideline's maximum or the threshold outside 0…5.
Status ValidateDeadlineSettings(const DeadlineSettings& s);

// 回访: a call-back task for an agent (R-SVC-1 complaint follow-up; R-SVC-2 reminders).
enum class CallbackKind {
  kComplaintFollowUp,  // 投诉回访: created when a complaint order closes
  kPolicyChange,       // 政策变化提醒
  kRateChange,         // 利率调整提醒
  kAccountChange,      // 账户资金变动提醒
  kRepaymentDeadline,  // 还款到期提醒
  kAfterHours,         // 非工作时间来电回拨: a caller asked the IVR (or by SMS) to be called back
};
std::string_view CallbackKindName(CallbackKind k);  // "complaint_followup", "policy_change", …, "after_hours"
std::optional<CallbackKind> ParseCallbackKind(std::string_view name);

enum class CallbackStatus {
  kPending,      // to be called
  kDone,         // reached
  kUnreachable,  // not reached `max_callback_attempts` times
};
std::string_view CallbackStatusName(CallbackStatus s);  // "pending" | "done" | "unreachable"
std::optional<CallbackStatus> ParseCallbackStatus(std::string_view name);

enum class CallbackOutcome { kReached, kNotReached };
std::string_view CallbackOutcomeName(CallbackOutcome o);  // "reached" | "not_reached"
std::optional<CallbackOutcome> ParseCallbackOutcome(std::string_view name);

enum class Satisfaction { kSatisfied, kNotSatisfied };
std::string_view SatisfactionName(Satisfaction s);  // "satisfied" | "not_satisfied"
std::optional<Satisfaction> ParseSatisfaction(std::string_view name);

struct Callback {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_code;
  std::string org_path;
  CallbackKind kind = CallbackKind::kComplaintFollowUp;
  CallbackStatus status = CallbackStatus::kPending;
  std::optional<int64_t> order_id;  // the complaint order it follows up
  std::string order_number;
  std::optional<std::string> call_id;  // after_hours: the call the request came from
  std::string caller_name;             // personal data
  std::string phone;                   // personal data: masked in lists
  std::string topic;                   // what to talk about
  int attempts = 0;
  std::optional<CallbackOutcome> outcome;  // of the last attempt
  std::optional<Satisfaction> satisfaction;
  std::string note;
  TimePoint created_at;
  std::string created_by;  // username, or the system principal ("ivr", "sms", "cli")
  std::optional<TimePoint> done_at;
  std::string done_by;
  TimePoint updated_at;
  int64_t version = 1;
};

// "138****5678": the phone as list views and live events show it (first 3 and last 4 digits of a
// mobile; less of shorter numbers).
std::string MaskPhone(std::string_view phone);
// The prefix of order numbers of a centre: the last segment of its code ("GS-LZ" → "LZ").
std::string NumberPrefix(std::string_view org_code);
// "LZ20260305-0007".
std::string FormatOrderNumber(std::string_view prefix, Date local_day, int64_t sequence);

}  // namespace hotline::workorder
