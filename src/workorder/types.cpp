#include "workorder/types.hpp"

#include <cstdio>

namespace hotline::workorder {
namespace {

// Finds `name` among the names of the enumerators 0…count-1 of an enum.
template <typename E, typename NameOf>
std::optional<E> ParseEnum(std::string_view name, int count, NameOf name_of) {
  for (int i = 0; i < count; ++i)
    if (name_of(static_cast<E>(i)) == name) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view CategoryName(Category c) {
  switch (c) {
    case Category::kComplaint:
      return "complaint";
    case Category::kSuggestion:
      return "suggestion";
    case Category::kInquiry:
      return "inquiry";
  }
  return "inquiry";
}

std::string_view CategoryLabel(Category c) {
  switch (c) {
    case Category::kComplaint:
      return "投诉类";
    case Category::kSuggestion:
      return "建议类";
    case Category::kInquiry:
      return "业务咨询类";
  }
  return "业务咨询类";
}

std::optional<Category> ParseCategory(std::string_view name) {
  return ParseEnum<Category>(name, 3, CategoryName);
}

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kPhone:
      return "phone";
    case Channel::kSms:
      return "sms";
    case Channel::kWeb:
      return "web";
    case Channel::kWalkIn:
      return "walk_in";
  }
  return "phone";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  return ParseEnum<Channel>(name, 4, ChannelName);
}

std::string_view PriorityName(Priority p) { return p == Priority::kUrgent ? "urgent" : "normal"; }

std::optional<Priority> ParsePriority(std::string_view name) {
  return ParseEnum<Priority>(name, 2, PriorityName);
}

std::string_view StateName(State s) {
  switch (s) {
    case State::kDraft:
      return "draft";
    case State::kPendingConfirmation:
      return "pending_confirmation";
    case State::kDispatched:
      return "dispatched";
    case State::kInProgress:
      return "in_progress";
    case State::kReturned:
      return "returned";
    case State::kFeedbackDone:
      return "feedback_done";
    case State::kClosed:
      return "closed";
    case State::kCancelled:
      return "cancelled";
    case State::kMerged:
      return "merged";
  }
  return "draft";
}

std::string_view StateLabel(State s) {
  switch (s) {
    case State::kDraft:
      return "草稿";
    case State::kPendingConfirmation:
      return "待确认";
    case State::kDispatched:
      return "已派单";
    case State::kInProgress:
      return "处理中";
    case State::kReturned:
      return "已回复热线";
    case State::kFeedbackDone:
      return "已答复来电人";
    case State::kClosed:
      return "已关闭";
    case State::kCancelled:
      return "已撤销";
    case State::kMerged:
      return "已合并";
  }
  return "草稿";
}

std::optional<State> ParseState(std::string_view name) { return ParseEnum<State>(name, 9, StateName); }

bool IsOpen(State s) {
  return s == State::kDraft || s == State::kPendingConfirmation || s == State::kDispatched ||
         s == State::kInProgress || s == State::kReturned;
}

bool IsFinal(State s) { return s == State::kClosed || s == State::kCancelled || s == State::kMerged; }

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kSubmit:
      return "submit";
    case Action::kConfirm:
      return "confirm";
    case Action::kReturnToAgent:
      return "return_to_agent";
    case Action::kReclassify:
      return "reclassify";
    case Action::kMerge:
      return "merge";
    case Action::kCancel:
      return "cancel";
    case Action::kAccept:
      return "accept";
    case Action::kSendBack:
      return "send_back";
    case Action::kSubmitResult:
      return "submit_result";
    case Action::kRecordFeedback:
      return "record_feedback";
    case Action::kClose:
      return "close";
  }
  return "submit";
}

std::string_view ActionLabel(Action a) {
  switch (a) {
    case Action::kSubmit:
      return "提交";
    case Action::kConfirm:
      return "确认派单";
    case Action::kReturnToAgent:
      return "退回坐席";
    case Action::kReclassify:
      return "重新分类";
    case Action::kMerge:
      return "合并重复工单";
    case Action::kCancel:
      return "撤销";
    case Action::kAccept:
      return "受理";
    case Action::kSendBack:
      return "退回重新派单";
    case Action::kSubmitResult:
      return "提交办理结果";
    case Action::kRecordFeedback:
      return "登记答复情况";
    case Action::kClose:
      return "关闭";
  }
  return "";
}

std::optional<Action> ParseAction(std::string_view name) { return ParseEnum<Action>(name, 11, ActionName); }

std::string_view SlaStatusName(SlaStatus s) {
  switch (s) {
    case SlaStatus::kOnTime:
      return "on_time";
    case SlaStatus::kDueSoon:
      return "due_soon";
    case SlaStatus::kOverdue:
      return "overdue";
    case SlaStatus::kDoneOnTime:
      return "done_on_time";
    case SlaStatus::kDoneLate:
      return "done_late";
    case SlaStatus::kCancelled:
      return "cancelled";
  }
  return "on_time";
}

SlaStatus WorkOrder::SlaAt(TimePoint now) const {
  if (state == State::kCancelled || state == State::kMerged) return SlaStatus::kCancelled;
  if (done_at) return *done_at < deadline.due_at ? SlaStatus::kDoneOnTime : SlaStatus::kDoneLate;
  if (now >= deadline.due_at) return SlaStatus::kOverdue;
  if (now >= deadline.due_soon_at) return SlaStatus::kDueSoon;
  return SlaStatus::kOnTime;
}

int DeadlineSettings::WorkdaysFor(Category c) const {
  switch (c) {
    case Category::kComplaint:
      return complaint;
    case Category::kSuggestion:
      return suggestion;
    case Category::kInquiry:
      return inquiry;
  }
  return inquiry;
}

Status ValidateDeadlineSettings(const DeadlineSettings& s) {
  // R-WO-4: complaint ≤ 5, suggestion ≤ 2, inquiry ≤ 3 working days. A centre may be stricter, not laxer.
  auto check = [](int v, int max, const char* field) -> Status {
    if (v < 1 || v > max)
      return Error::InvalidArgument("invalid_field", std::string("字段 ") + field + " 须为 1–" +
                                                         std::to_string(max) +
                                                         " 个工作日（《服务导则》规定的上限）");
    return OkStatus();
  };
  HOTLINE_RETURN_IF_ERROR(check(s.complaint, 5, "complaint"));
  HOTLINE_RETURN_IF_ERROR(check(s.suggestion, 2, "suggestion"));
  HOTLINE_RETURN_IF_ERROR(check(s.inquiry, 3, "inquiry"));
  if (s.due_soon_workdays < 0 || s.due_soon_workdays > 5)
    return Error::InvalidArgument("invalid_field",
                                  "字段 due_soon_workdays 须为 0–5 个工作日（0 表示不提前预警）");
  return OkStatus();
}

std::string_view CallbackKindName(CallbackKind k) {
  switch (k) {
    case CallbackKind::kComplaintFollowUp:
      return "complaint_followup";
    case CallbackKind::kPolicyChange:
      return "policy_change";
    case CallbackKind::kRateChange:
      return "rate_change";
    case CallbackKind::kAccountChange:
      return "account_change";
    case CallbackKind::kRepaymentDeadline:
      return "repayment_deadline";
    case CallbackKind::kAfterHours:
      return "after_hours";
  }
  return "complaint_followup";
}

std::optional<CallbackKind> ParseCallbackKind(std::string_view name) {
  return ParseEnum<CallbackKind>(name, 6, CallbackKindName);
}

std::string_view CallbackStatusName(CallbackStatus s) {
  switch (s) {
    case CallbackStatus::kPending:
      return "pending";
    case CallbackStatus::kDone:
      return "done";
    case CallbackStatus::kUnreachable:
      return "unreachable";
  }
  return "pending";
}

std::optional<CallbackStatus> ParseCallbackStatus(std::string_view name) {
  return ParseEnum<CallbackStatus>(name, 3, CallbackStatusName);
}

std::string_view CallbackOutcomeName(CallbackOutcome o) {
  return o == CallbackOutcome::kReached ? "reached" : "not_reached";
}

std::optional<CallbackOutcome> ParseCallbackOutcome(std::string_view name) {
  return ParseEnum<CallbackOutcome>(name, 2, CallbackOutcomeName);
}

std::string_view SatisfactionName(Satisfaction s) {
  return s == Satisfaction::kSatisfied ? "satisfied" : "not_satisfied";
}

std::optional<Satisfaction> ParseSatisfaction(std::string_view name) {
  return ParseEnum<Satisfaction>(name, 2, SatisfactionName);
}

std::string MaskPhone(std::string_view phone) {
  const size_t n = phone.size();
  if (n >= 11) return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(n - 4));
  if (n >= 7) return std::string(phone.substr(0, 2)) + "****" + std::string(phone.substr(n - 2));
  return "****";
}

std::string NumberPrefix(std::string_view org_code) {
  size_t dash = org_code.rfind('-');
  std::string_view last = dash == std::string_view::npos ? org_code : org_code.substr(dash + 1);
  return std::string(last.empty() ? org_code : last);
}

std::string FormatOrderNumber(std::string_view prefix, Date local_day, int64_t sequence) {
  std::chrono::year_month_day ymd{local_day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u-%04lld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(sequence));
  return std::string(prefix) + buf;
}

}  // namespace hotline::workorder
