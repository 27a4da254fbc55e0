// Who may move a work order where (issue 4; R-WO-1…3). Pure functions over one table, no I/O:
//
// | action          | from                                                     | to                   | roles
// |
// |-----------------|----------------------------------------------------------|----------------------|---------------------|
// | submit          | draft                                                    | pending_confirmation |
// agent, team_leader  | | confirm         | pending_confirmation                                     |
// dispatched           | team_leader         | | return_to_agent | pending_confirmation | draft | team_leader
// | | reclassify      | pending_confirmation, dispatched, in_progress, returned  | (unchanged)          |
// team_leader         | | merge           | pending_confirmation, dispatched, in_progress, returned  | merged
// | team_leader         | | cancel          | draft … feedback_done (every state that is not final)    |
// cancelled            | team_leader, admin  | | accept          | dispatched | in_progress          |
// department          | | send_back       | dispatched, in_progress                                  |
// pending_confirmation | department          | | submit_result   | in_progress | returned             |
// department          | | record_feedback | returned                                                 |
// feedback_done        | agent, team_leader  | | close           | feedback_done | closed               |
// agent, team_leader  |
//
// The service adds what the table cannot say: the actor must work at the order's centre, a department
// user must be a member of the department the order is dispatched to, and the fields an action needs.
// Supervisors only read. The centre's admin may cancel (to clear test or mistaken orders), nothing else.
//
// The table is for people (users, and the CLI acting with a role). System principals (org::Actor) have
// rules of their own (issue 12 §2): the IVR and the SMS service file an order — create it and submit it in
// one step — and do nothing else; the scheduler moves no order (it only escalates, escalation.hpp).
#pragma once

#include <optional>
#include <vector>

#include "core/result.hpp"
#include "org/actor.hpp"
#include "org/users.hpp"
#include "workorder/types.hpp"

namespace hotline::workorder {

// The state an action leads to from `from` (the same state for reclassify).
// REQUIRES: IsLegal(from, action).
State TargetState(State from, Action action);
// True when the table has a row for `action` from `from`, whoever asks.
bool IsLegal(State from, Action action);
// True when `role` appears in the action's row at all.
bool RoleMayDo(org::Role role, Action action);
// True when the action needs a non-empty note (a reason or a result).
bool NoteRequired(Action action);

// Errors, in this order: forbidden (403) when the role may never do the action; illegal_transition
// (kFailedPrecondition, 409) when the action is not possible from `from`, naming both.
Status CheckTransition(org::Role role, State from, Action action);

// The actions `role` may take on an order in `state` (table order), for the console's buttons.
std::vector<Action> ActionsFor(org::Role role, State state);

// The same rules for an actor: a user or the CLI by its role (the table); the IVR and the SMS service
// may submit (file) and nothing else; the scheduler nothing.
bool ActorMayDo(const org::Actor& actor, Action action);
Status CheckTransition(const org::Actor& actor, State from, Action action);
std::vector<Action> ActionsFor(const org::Actor& actor, State state);
// True for the roles that work orders through — every role of the table except the cancel-only admin:
// agents, team leaders, department users. They comment and attach. No system principal does.
bool HandlesOrders(const org::Actor& actor);

// The error for an action that is not possible in a state, e.g. an attachment on a closed order.
Error IllegalTransition(State from, std::string_view action, std::string_view action_label);

}  // namespace hotline::workorder
