#include "org/users.hpp"

#include "core/text.hpp"

namespace hotline::org {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAgent:
      return "agent";
    case Role::kTeamLeader:
      return "team_leader";
    case Role::kDepartment:
      return "department";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
  }
  return "agent";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kAgent, Role::kTeamLeader, Role::kDepartment, Role::kSupervisor, Role::kAdmin})
    if (RoleName(r) == name) return r;
  return std::nullopt;
}

bool RoleAllowedAt(Role role, OrgLevel level) {
  return role == Role::kSupervisor || role == Role::kAdmin || level == OrgLevel::kCenter;
}

Status ValidateUsername(std::string_view u) {
  bool ok = u.size() >= 3 && u.size() <= 32;
  for (char c : u)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-');
  if (!ok)
    return Error::InvalidArgument("invalid_field", "用户名 username 须为 3–32 位小写字母、数字或 _ . -");
  return OkStatus();
}

namespace {

Status ValidateDisplayName(std::string_view name) {
  if (name.empty() || !IsValidUtf8(name) || Utf8Length(name) > 50 || HasControlChars(name, false))
    return Error::InvalidArgument("invalid_field", "姓名 display_name 须为 1–50 个字符");
  return OkStatus();
}

Status ValidateAgentNo(std::string_view no) {
  bool ok = !no.empty() && no.size() <= 8;
  for (char c : no) ok = ok && c >= '0' && c <= '9';
  if (!ok) return Error::InvalidArgument("invalid_field", "工号 agent_no 须为 1–8 位数字");
  return OkStatus();
}

constexpr const char* kSelect =
    "SELECT u.id, u.username, u.display_name, u.role, u.org_id, o.code, u.agent_no, u.disabled, "
    "u.created_at, "
    "u.updated_at, u.password_hash FROM users u JOIN orgs o ON o.id = u.org_id ";

User FromRow(const store::QueryResult& r, size_t i) {
  const auto& row = r.rows[i];
  User u;
  u.id = row[0].AsInt();
  u.username = row[1].AsText();
  u.display_name = row[2].AsText();
  u.role = ParseRole(row[3].AsText()).value_or(Role::kAgent);
  u.org_id = row[4].AsInt();
  u.org_code = row[5].AsText();
  if (!row[6].is_null()) u.agent_no = row[6].AsText();
  u.disabled = row[7].AsInt() != 0;
  u.created_at = FromEpochMillis(row[8].AsInt());
  u.updated_at = FromEpochMillis(row[9].AsInt());
  return u;
}

Result<User> One(Result<store::QueryResult> r) {
  if (!r.ok()) return r.take_error();
  if (r->empty()) return Error::NotFound("没有找到该用户");
  return FromRow(*r, 0);
}

}  // namespace

Result<User> UserDirectory::Create(const NewUser& in) {
  HOTLINE_RETURN_IF_ERROR(ValidateUsername(in.username));
  HOTLINE_RETURN_IF_ERROR(ValidatePasswordPolicy(in.password));
  std::string display = in.display_name.empty() ? in.username : in.display_name;
  HOTLINE_RETURN_IF_ERROR(ValidateDisplayName(display));
  if (in.agent_no) HOTLINE_RETURN_IF_ERROR(ValidateAgentNo(*in.agent_no));
  HOTLINE_ASSIGN_OR_RETURN(Org org, orgs_.FindByCode(in.org_code));
  if (!RoleAllowedAt(in.role, org.level))
    return Error::InvalidArgument("invalid_field", "角色 " + std::string(RoleName(in.role)) +
                                                       " 只能属于住房公积金管理中心（center 级机构）");
  HOTLINE_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(in.password));
  int64_t now = ToEpochMillis(clock_.Now());
  auto r = db_.Query(
      "INSERT INTO users (username, display_name, role, org_id, agent_no, password_hash, disabled, "
      "created_at, "
      "updated_at) VALUES ($1,$2,$3,$4,$5,$6,0,$7,$7) RETURNING id",
      {in.username, display, RoleName(in.role), org.id,
       in.agent_no ? store::Value(*in.agent_no) : store::Value(), hash, now});
  if (!r.ok()) {
    if (r.error().code == "unique_violation")
      return Error::Conflict("conflict", "用户名 " + in.username + " 已被使用：请换一个用户名");
    return r.take_error();
  }
  return FindById(r->rows[0][0].AsInt());
}

Result<User> UserDirectory::Update(int64_t id, const UserPatch& patch) {
  HOTLINE_ASSIGN_OR_RETURN(User user, FindById(id));
  if (patch.display_name) HOTLINE_RETURN_IF_ERROR(ValidateDisplayName(*patch.display_name));
  if (patch.agent_no && *patch.agent_no) HOTLINE_RETURN_IF_ERROR(ValidateAgentNo(**patch.agent_no));
  if (patch.role) {
    HOTLINE_ASSIGN_OR_RETURN(Org org, orgs_.FindById(user.org_id));
    if (!RoleAllowedAt(*patch.role, org.level))
      return Error::InvalidArgument("invalid_field", "该角色只能属于住房公积金管理中心（center 级机构）");
  }
  std::optional<std::string> hash;
  if (patch.password) {
    HOTLINE_RETURN_IF_ERROR(ValidatePasswordPolicy(*patch.password));
    HOTLINE_ASSIGN_OR_RETURN(hash, hasher_.Hash(*patch.password));
  }
  int64_t now = ToEpochMillis(clock_.Now());
  std::optional<std::string> agent_no = patch.agent_no ? *patch.agent_no : user.agent_no;
  auto r = db_.Query(
      "UPDATE users SET display_name = $2, role = $3, agent_no = $4, disabled = $5, "
      "password_hash = COALESCE($6, password_hash), updated_at = $7 WHERE id = $1",
      {id, patch.display_name.value_or(user.display_name), RoleName(patch.role.value_or(user.role)),
       agent_no ? store::Value(*agent_no) : store::Value(), patch.disabled.value_or(user.disabled),
       hash ? store::Value(*hash) : store::Value(), now});
  if (!r.ok()) return r.take_error();
  return FindById(id);
}

Result<User> UserDirectory::FindById(int64_t id) const {
  return One(db_.Query(std::string(kSelect) + "WHERE u.id = $1", {id}));
}

Result<User> UserDirectory::FindByUsername(std::string_view username) const {
  return One(db_.Query(std::string(kSelect) + "WHERE u.username = $1", {username}));
}

Result<std::vector<User>> UserDirectory::List(const UserFilter& f) const {
  std::string sql = std::string(kSelect) + "WHERE 1 = 1";
  store::Params params;
  if (f.within_path) {
    params.emplace_back(*f.within_path + "%");
    sql += " AND o.path LIKE $" + std::to_string(params.size());
  }
  if (f.role) {
    params.emplace_back(RoleName(*f.role));
    sql += " AND u.role = $" + std::to_string(params.size());
  }
  params.emplace_back(f.limit);
  sql += " ORDER BY o.path, u.username LIMIT $" + std::to_string(params.size());
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  std::vector<User> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(FromRow(r, i));
  return out;
}

Result<User> UserDirectory::CheckPassword(std::string_view username, std::string_view password) const {
  Error denied{ErrorKind::kUnauthenticated, "invalid_credentials", "用户名或密码错误，请重新输入"};
  auto r = db_.Query(std::string(kSelect) + "WHERE u.username = $1", {username});
  if (!r.ok()) return r.take_error();
  if (r->empty()) {
    // Same work as a real check, so the answer time does not tell whether the user exists.
    static const std::string kDummy = [&] {
      auto h = hasher_.Hash("dummy-password-1");
      return h.ok() ? *h : std::string();
    }();
    (void)hasher_.Verify(password, kDummy);
    return denied;
  }
  std::string stored = r->rows[0][10].AsText();
  if (!hasher_.Verify(password, stored)) return denied;
  User u = FromRow(*r, 0);
  if (u.disabled) return denied;
  return u;
}

}  // namespace hotline::org
