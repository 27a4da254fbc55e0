#include "workorder/state_machine.hpp"

#include <algorithm>
#include <cassert>

namespace hotline::workorder {
namespace {

using org::Role;

struct Rule {
  Action action;
  std::vector<State> from;
  std::optional<State> to;  // none: unchanged
  std::vector<Role> roles;
  bool note_required;
};

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> kRules = {
      {Action::kSubmit,
       {State::kDraft},
       State::kPendingConfirmation,
       {Role::kAgent, Role::kTeamLeader},
       false},
      {Action::kConfirm, {State::kPendingConfirmation}, State::kDispatched, {Role::kTeamLeader}, false},
      {Action::kReturnToAgent, {State::kPendingConfirmation}, State::kDraft, {Role::kTeamLeader}, true},
      {Action::kReclassify,
       {State::kPendingConfirmation, State::kDispatched, State::kInProgress, State::kReturned},
       std::nullopt,
       {Role::kTeamLeader},
       false},
      {Action::kMerge,
       {State::kPendingConfirmation, State::kDispatched, State::kInProgress, State::kReturned},
       State::kMerged,
       {Role::kTeamLeader},
       false},
      {Action::kCancel,
       {State::kDraft, State::kPendingConfirmation, State::kDispatched, State::kInProgress, State::kReturned,
        State::kFeedbackDone},
       State::kCancelled,
       {Role::kTeamLeader, Role::kAdmin},
       true},
      {Action::kAccept, {State::kDispatched}, State::kInProgress, {Role::kDepartment}, false},
      {Action::kSendBack,
       {State::kDispatched, State::kInProgress},
       State::kPendingConfirmation,
       {Role::kDepartment},
       true},
      {Action::kSubmitResult, {State::kInProgress}, State::kReturned, {Role::kDepartment}, true},
      {Action::kRecordFeedback,
       {State::kReturned},
       State::kFeedbackDone,
       {Role::kAgent, Role::kTeamLeader},
       true},
      {Action::kClose, {State::kFeedbackDone}, State::kClosed, {Role::kAgent, Role::kTeamLeader}, false},
  };
  return kRules;
}

const Rule& RuleOf(Action action) {
  for (const auto& r : Rules())
    if (r.action == action) return r;
  assert(false && "every action has a rule");
  return Rules().front();
}

template <typename T>
bool Contains(const std::vector<T>& list, T v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

bool IsLegal(State from, Action action) { return Contains(RuleOf(action).from, from); }

State TargetState(State from, Action action) {
  assert(IsLegal(from, action));
  return RuleOf(action).to.value_or(from);
}

bool RoleMayDo(org::Role role, Action action) { return Contains(RuleOf(action).roles, role); }

bool NoteRequired(Action action) { return RuleOf(action).note_required; }

Error IllegalTransition(State from, std::string_view action, std::string_view action_label) {
  return {ErrorKind::kFailedPrecondition, "illegal_transition",
          "工单当前状态为「" + std::string(StateLabel(from)) + "」(" + std::string(StateName(from)) +
              ")，不能执行「" + std::string(action_label) + "」(" + std::string(action) +
              ")：请刷新工单查看最新状态"};
}

Status CheckTransition(org::Role role, State from, Action action) {
  if (!RoleMayDo(role, action))
    return Error{ErrorKind::kPermissionDenied, "forbidden",
                 "角色 " + std::string(org::RoleName(role)) + " 不能执行「" +
                     std::string(ActionLabel(action)) + "」(" + std::string(ActionName(action)) + ")"};
  if (!IsLegal(from, action)) return IllegalTransition(from, ActionName(action), ActionLabel(action));
  return OkStatus();
}

std::vector<Action> ActionsFor(org::Role role, State state) {
  std::vector<Action> out;
  for (const auto& r : Rules())
    if (Contains(r.roles, role) && Contains(r.from, state)) out.push_back(r.action);
  return out;
}

namespace {

// The IVR and the SMS service file orders for callers and nothing else (issue 12 §2).
bool SystemMayDo(org::SystemPrincipal who, Action action) {
  return (who == org::SystemPrincipal::kIvr || who == org::SystemPrincipal::kSms) &&
         action == Action::kSubmit;
}

}  // namespace

bool ActorMayDo(const org::Actor& actor, Action action) {
  if (auto role = actor.role()) return RoleMayDo(*role, action);
  return actor.system() && SystemMayDo(*actor.system(), action);
}

Status CheckTransition(const org::Actor& actor, State from, Action action) {
  if (auto role = actor.role()) return CheckTransition(*role, from, action);
  if (!ActorMayDo(actor, action))
    return Error{ErrorKind::kPermissionDenied, "forbidden",
                 std::string(actor.name()) + " 不能执行「" + std::string(ActionLabel(action)) + "」(" +
                     std::string(ActionName(action)) + ")"};
  if (!IsLegal(from, action)) return IllegalTransition(from, ActionName(action), ActionLabel(action));
  return OkStatus();
}

std::vector<Action> ActionsFor(const org::Actor& actor, State state) {
  if (auto role = actor.role()) return ActionsFor(*role, state);
  std::vector<Action> out;
  for (const auto& r : Rules())
    if (ActorMayDo(actor, r.action) && Contains(r.from, state)) out.push_back(r.action);
  return out;
}

bool HandlesOrders(const org::Actor& actor) {
  auto role = actor.role();
  if (!role) return false;
  for (const auto& r : Rules())
    if (r.action != Action::kCancel && Contains(r.roles, *role)) return true;
  return false;
}

}  // namespace hotline::workorder
