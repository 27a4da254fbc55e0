// Who may do what, and where (R-ORG-1). A Principal is a signed-in user with their organisation.
// Permissions come from the role; the scope is the user's organisation subtree. Outside the scope a
// record is treated as if it did not exist (the API answers 404, never 403, so existence is not revealed).
#pragma once

#include <string_view>
#include <vector>

#include "org/org_directory.hpp"
#include "org/users.hpp"

namespace hotline::org {

enum class Permission {
  kOrgRead,
  kOrgWrite,
  kUserRead,
  kUserWrite,
  kAuditRead,
  kKpiRead,
  kWorkOrderRead,     // see work orders in scope; department users only those dispatched to their departments
  kWorkOrderReadAll,  // see every work order in scope (everyone but department users): centre-wide live
                      // events
  kWorkOrderWrite,    // file, move, comment on and attach to work orders (the role rules:
                      // workorder/state_machine.hpp)
  kWorkOrderReport,   // the SLA report
  kWorkOrderAdmin,    // departments and deadline settings of a centre
  kCallbackRead,      // call-back tasks (回访)
  kCallbackWrite,     // record call-back outcomes, import reminder lists
  kKbRead,            // search and read the knowledge base, the branch directory (every role, R-AGT-3)
  kKbEdit,            // write article drafts and submit them for review; edit branches (team leaders, admins)
  kKbPublish,  // review: publish or reject submitted versions, retire articles (leaders, supervisors, admins)
  kFundRead,   // look up callers' account data in a context (agents, team leaders, admins of a centre; IVR,
               // SMS)
  kCalendarWrite,     // a centre's closures and service hours (admins)
  kCalendarNational,  // the national holiday calendar (admins at the ministry)
  kKpiScheduleWrite,  // load agents' shifts (admins, team leaders) — for centres inside the scope only
  kAgentSeat,  // answers calls: console sign-in/out counts for attendance (agents, team leaders; R-KPI-9);
               // makes the outbound call-backs and records their outcomes (R-SVC-1/2)
  kCallbackImport,   // import reminder lists of call-backs (team leaders, admins; R-SVC-2)
  kCallerPhoneRead,  // see a caller's phone in full on a work order or call-back of one's own centre (agents,
                     // team leaders, department users); everyone else sees it masked
};
std::string_view PermissionName(Permission p);  // "org.read", …

struct Principal {
  User user;
  Org org;  // the user's own organisation: the root of their scope

  bool Has(Permission p) const;
  bool CanSee(const Org& other) const { return org.Contains(other); }
  bool CanSeePath(std::string_view path) const { return path.rfind(org.path, 0) == 0; }
  std::vector<std::string_view> PermissionNames() const;
};

}  // namespace hotline::org
