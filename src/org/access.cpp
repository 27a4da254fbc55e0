#include "org/access.hpp"

namespace hotline::org {

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kOrgRead:
      return "org.read";
    case Permission::kOrgWrite:
      return "org.write";
    case Permission::kUserRead:
      return "user.read";
    case Permission::kUserWrite:
      return "user.write";
    case Permission::kAuditRead:
      return "audit.read";
    case Permission::kKpiRead:
      return "kpi.read";
    case Permission::kWorkOrderRead:
      return "workorder.read";
    case Permission::kWorkOrderReadAll:
      return "workorder.read_all";
    case Permission::kWorkOrderWrite:
      return "workorder.write";
    case Permission::kWorkOrderReport:
      return "workorder.report";
    case Permission::kWorkOrderAdmin:
      return "workorder.admin";
    case Permission::kCallbackRead:
      return "callback.read";
    case Permission::kCallbackWrite:
      return "callback.write";
    case Permission::kKbRead:
      return "kb.read";
    case Permission::kKbEdit:
      return "kb.edit";
    case Permission::kKbPublish:
      return "kb.publish";
    case Permission::kFundRead:
      return "fund.read";
    case Permission::kCalendarWrite:
      return "calendar.write";
    case Permission::kCalendarNational:
      return "calendar.national";
    case Permission::kKpiScheduleWrite:
      return "kpi.schedule.write";
    case Permission::kAgentSeat:
      return "agent.seat";
    case Permission::kCallbackImport:
      return "callback.import";
    case Permission::kCallerPhoneRead:
      return "caller_phone.read";
  }
  return "";
}

bool Principal::Has(Permission p) const {
  switch (p) {
    case Permission::kOrgRead:
      return true;
    case Permission::kOrgWrite:
    case Permission::kUserWrite:
      return user.role == Role::kAdmin;
    case Permission::kUserRead:
      return user.role == Role::kAdmin || user.role == Role::kSupervisor || user.role == Role::kTeamLeader;
    case Permission::kAuditRead:
      return user.role == Role::kAdmin || user.role == Role::kSupervisor;
    case Permission::kKpiRead:  // supervisors judge the indicators; leaders and admins run the centre by them
      return user.role == Role::kAdmin || user.role == Role::kSupervisor || user.role == Role::kTeamLeader;
    case Permission::kWorkOrderRead:
      return true;  // departments see only orders dispatched to them
    case Permission::kWorkOrderReadAll:
      return user.role != Role::kDepartment;
    case Permission::kWorkOrderWrite:  // supervisors only read; a centre's admin may cancel
      return user.role != Role::kSupervisor;
    case Permission::kWorkOrderReport:
      return user.role == Role::kAdmin || user.role == Role::kSupervisor || user.role == Role::kTeamLeader;
    case Permission::kWorkOrderAdmin:
      return user.role == Role::kAdmin;
    case Permission::kCallbackRead:
      return user.role != Role::kDepartment;  // call-backs are the hotline's work
    case Permission::kCallbackWrite:  // agents record outcomes; leaders and admins import reminder lists
      return user.role == Role::kAgent || user.role == Role::kTeamLeader || user.role == Role::kAdmin;
    case Permission::kKbRead:
      return true;
    case Permission::kKbEdit:
      return user.role == Role::kTeamLeader || user.role == Role::kAdmin;
    case Permission::kKbPublish:
      return user.role == Role::kTeamLeader || user.role == Role::kSupervisor || user.role == Role::kAdmin;
    case Permission::kFundRead:  // account data is a centre's: only its own staff look it up
      return org.level == OrgLevel::kCenter &&
             (user.role == Role::kAgent || user.role == Role::kTeamLeader || user.role == Role::kAdmin);
    case Permission::kCalendarWrite:
      return user.role == Role::kAdmin;
    case Permission::kCalendarNational:
      return user.role == Role::kAdmin && org.level == OrgLevel::kMinistry;
    case Permission::kKpiScheduleWrite:
      return user.role == Role::kAdmin || user.role == Role::kTeamLeader;
    case Permission::kAgentSeat:
      return user.role == Role::kAgent || user.role == Role::kTeamLeader;
    case Permission::kCallbackImport:
      return user.role == Role::kTeamLeader || user.role == Role::kAdmin;
    case Permission::kCallerPhoneRead:  // the people who talk to callers or handle their matter
      return user.role == Role::kAgent || user.role == Role::kTeamLeader || user.role == Role::kDepartment;
  }
  return false;
}

std::vector<std::string_view> Principal::PermissionNames() const {
  std::vector<std::string_view> out;
  for (Permission p :
       {Permission::kOrgRead,          Permission::kOrgWrite,         Permission::kUserRead,
        Permission::kUserWrite,        Permission::kAuditRead,        Permission::kKpiRead,
        Permission::kWorkOrderRead,    Permission::kWorkOrderReadAll, Permission::kWorkOrderWrite,
        Permission::kWorkOrderReport,  Permission::kWorkOrderAdmin,   Permission::kCallbackRead,
        Permission::kCallbackWrite,    Permission::kKbRead,           Permission::kKbEdit,
        Permission::kKbPublish,        Permission::kFundRead,         Permission::kCalendarWrite,
        Permission::kCalendarNational, Permission::kKpiScheduleWrite, Permission::kAgentSeat,
        Permission::kCallbackImport,   Permission::kCallerPhoneRead})
    if (Has(p)) out.push_back(PermissionName(p));
  return out;
}

}  // namespace hotline::org
