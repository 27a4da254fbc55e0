#include "org/access.hpp"

namespace hotline::org {

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kOrgRead: return "org.read";
    case Permission::kOrgWrite: return "org.write";
    case Permission::kUserRead: return "user.read";
    case Permission::kUserWrite: return "user.write";
    case Permission::kAuditRead: return "audit.read";
    case Permission::kKpiRead: return "kpi.read";
  }
  return "";
}

bool Principal::Has(Permission p) const {
  switch (p) {
    case Permission::kOrgRead: return true;
    case Permission::kOrgWrite:
    case Permission::kUserWrite: return user.role == Role::kAdmin;
    case Permission::kUserRead:
      return user.role == Role::kAdmin || user.role == Role::kSupervisor || user.role == Role::kTeamLeader;
    case Permission::kAuditRead: return user.role == Role::kAdmin || user.role == Role::kSupervisor;
    case Permission::kKpiRead:  // supervisors judge the indicators; leaders and admins run the centre by them
      return user.role == Role::kAdmin || user.role == Role::kSupervisor || user.role == Role::kTeamLeader;
  }
  return false;
}

std::vector<std::string_view> Principal::PermissionNames() const {
  std::vector<std::string_view> out;
  for (Permission p : {Permission::kOrgRead, Permission::kOrgWrite, Permission::kUserRead, Permission::kUserWrite,
                       Permission::kAuditRead, Permission::kKpiRead})
    if (Has(p)) out.push_back(PermissionName(p));
  return out;
}

}  // namespace hotline::org
