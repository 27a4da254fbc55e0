// The people who use the console: agents (坐席), team leaders (班长), handling departments (业务部门),
// supervisors (监管, at any level) and admins (管理员). Agents, leaders and departments belong to a
// centre; supervisors and admins to a centre, a province or the ministry (R-ORG-1).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "org/org_directory.hpp"
#include "org/password_hasher.hpp"
#include "store/database.hpp"

namespace hotline::org {

enum class Role { kAgent, kTeamLeader, kDepartment, kSupervisor, kAdmin };
std::string_view RoleName(Role role);  // "agent" | "team_leader" | "department" | "supervisor" | "admin"
std::optional<Role> ParseRole(std::string_view name);
// Agents, team leaders and departments work in a centre; the others at any level.
bool RoleAllowedAt(Role role, OrgLevel level);

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kAgent;
  int64_t org_id = 0;
  std::string org_code;
  std::optional<std::string> agent_no;  // 工号, read in the greeting (R-AGT-1)
  bool disabled = false;
  TimePoint created_at;
  TimePoint updated_at;
};

struct NewUser {
  std::string username;
  std::string password;
  Role role = Role::kAgent;
  std::string org_code;
  std::string display_name;  // defaults to the username
  std::optional<std::string> agent_no;
};

// Only the fields present change.
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<std::optional<std::string>> agent_no;  // engaged-but-empty clears it
  std::optional<bool> disabled;
  std::optional<std::string> password;
};

struct UserFilter {
  std::optional<std::string> within_path;  // org path prefix (scope)
  std::optional<Role> role;
  int limit = 1000;
};

// Reads and writes users. Thread-safe.
class UserDirectory {
 public:
  UserDirectory(store::Database& db, const OrgDirectory& orgs, const PasswordHasher& hasher,
                const Clock& clock)
      : db_(db), orgs_(orgs), hasher_(hasher), clock_(clock) {}

  // Errors: invalid_field (message names the field), not_found (org), conflict (username taken).
  Result<User> Create(const NewUser& user);
  Result<User> Update(int64_t id, const UserPatch& patch);
  Result<User> FindById(int64_t id) const;
  Result<User> FindByUsername(std::string_view username) const;
  Result<std::vector<User>> List(const UserFilter& filter) const;
  // The user if the password matches and the account is enabled; kUnauthenticated otherwise
  // (the same error for "no such user", "wrong password" and "disabled": never reveal which).
  // Runs argon2 even for an unknown username, so timing does not reveal existence either.
  Result<User> CheckPassword(std::string_view username, std::string_view password) const;

 private:
  store::Database& db_;
  const OrgDirectory& orgs_;
  const PasswordHasher& hasher_;
  const Clock& clock_;
};

Status ValidateUsername(std::string_view username);

}  // namespace hotline::org
