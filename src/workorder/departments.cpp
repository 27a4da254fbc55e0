// Departments of a centre and their members; a centre's deadline settings (R-WO-4).
//
// Why a table of departments rather than a name on each `department` user: a handling department
// (贷款科, 归集科, …) has several staff who share its queue, and a person may cover two departments. Orders
// are dispatched to a department id; the `department`-role users listed as its members see and handle them.
#include <algorithm>

#include "workorder/internal.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::workorder {
namespace {

using org::Permission;

Status RequireAdmin(const org::Actor& a, const char* what) {
  if (!a.Has(Permission::kWorkOrderAdmin)) return internal::Forbidden(std::string("只有管理员可以") + what);
  return OkStatus();
}

Result<std::vector<Department>> LoadDepartments(store::Database& db, const std::string& where,
                                                const store::Params& params) {
  HOTLINE_ASSIGN_OR_RETURN(auto r,
                           db.Query("SELECT d.id, d.org_id, o.code, d.name FROM workorder_departments d "
                                    "JOIN org_units_view o ON o.id = d.org_id " +
                                        where + " ORDER BY d.name, d.id",
                                    params));
  std::vector<Department> out;
  for (const auto& row : r.rows)
    out.push_back({.id = row[0].AsInt(),
                   .org_id = row[1].AsInt(),
                   .org_code = row[2].AsText(),
                   .name = row[3].AsText(),
                   .members = {}});
  for (auto& d : out) {
    HOTLINE_ASSIGN_OR_RETURN(
        auto m, db.Query("SELECT u.id, u.username, u.display_name FROM workorder_department_members "
                         "m JOIN org_users_view u ON u.id = m.user_id WHERE m.department_id = $1 "
                         "ORDER BY u.username",
                         {d.id}));
    for (const auto& row : m.rows)
      d.members.push_back(
          {.user_id = row[0].AsInt(), .username = row[1].AsText(), .display_name = row[2].AsText()});
  }
  return out;
}

}  // namespace

Result<std::vector<Department>> WorkOrderService::ListDepartments(
    const org::Actor& actor, const std::optional<std::string>& org_code) const {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, Permission::kWorkOrderRead));
  HOTLINE_ASSIGN_OR_RETURN(org::Org centre, ResolveCentre(actor, org_code));
  return LoadDepartments(db_, "WHERE d.org_id = $1", {centre.id});
}

Result<Department> WorkOrderService::CreateDepartment(const org::Actor& actor, const std::string& org_code,
                                                      const std::string& name) {
  HOTLINE_RETURN_IF_ERROR(internal::CheckLine("name", name, 1, 50));
  HOTLINE_RETURN_IF_ERROR(RequireAdmin(actor, "设置部门"));
  HOTLINE_ASSIGN_OR_RETURN(org::Org centre, ResolveCentre(actor, org_code));
  int64_t id = 0;
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    auto r = s.Query(
        "INSERT INTO workorder_departments (org_id, name, created_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (org_id, name) DO NOTHING RETURNING id",
        {centre.id, name, ToEpochMillis(clock_.Now())});
    if (!r.ok()) return r.take_error();
    if (r->empty())
      return Error::Conflict("conflict",
                             "部门「" + name + "」已存在：请换一个名称，或在部门列表中使用已有的部门");
    id = r->rows[0][0].AsInt();
    return internal::AuditIn(
        audit_, s,
        internal::AuditEntryOf(actor, centre.path, centre.code, "workorder.department.create", "department",
                               std::to_string(id), {{"name", name}}));
  }));
  HOTLINE_ASSIGN_OR_RETURN(auto found, LoadDepartments(db_, "WHERE d.id = $1", {id}));
  return found.at(0);
}

Result<Department> WorkOrderService::SetDepartmentMembers(const org::Actor& actor, int64_t department_id,
                                                          const std::vector<int64_t>& user_ids) {
  HOTLINE_RETURN_IF_ERROR(RequireAdmin(actor, "设置部门成员"));
  if (user_ids.size() > 200) return Error::InvalidArgument("invalid_field", "字段 user_ids 最多 200 人");
  HOTLINE_ASSIGN_OR_RETURN(auto found, LoadDepartments(db_, "WHERE d.id = $1", {department_id}));
  if (found.empty()) return Error::NotFound("没有找到该部门");
  const Department& dept = found[0];
  HOTLINE_ASSIGN_OR_RETURN(org::Org centre, orgs_.FindById(dept.org_id));
  if (!actor.CanSee(centre)) return Error::NotFound("没有找到该部门");
  for (size_t i = 0; i < user_ids.size(); ++i) {
    HOTLINE_ASSIGN_OR_RETURN(
        auto u, db_.Query("SELECT role, org_id FROM org_users_view WHERE id = $1", {user_ids[i]}));
    if (u.empty() || u.rows[0][0].AsText() != "department" || u.rows[0][1].AsInt() != dept.org_id)
      return Error::InvalidArgument("invalid_field", "字段 user_ids[" + std::to_string(i) +
                                                         "] 须为本中心角色为 department（业务部门）的用户");
  }
  std::vector<int64_t> ids = user_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(
        s.Query("DELETE FROM workorder_department_members WHERE department_id = $1", {department_id}));
    for (int64_t uid : ids)
      HOTLINE_RETURN_IF_ERROR(
          s.Query("INSERT INTO workorder_department_members (department_id, user_id) VALUES ($1, $2)",
                  {department_id, uid}));
    return internal::AuditIn(
        audit_, s,
        internal::AuditEntryOf(actor, centre.path, centre.code, "workorder.department.members", "department",
                               std::to_string(department_id), {{"user_ids", ids}}));
  }));
  HOTLINE_ASSIGN_OR_RETURN(auto after, LoadDepartments(db_, "WHERE d.id = $1", {department_id}));
  return after.at(0);
}

Result<std::vector<int64_t>> WorkOrderService::DepartmentIdsOf(int64_t user_id) const {
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query("SELECT department_id FROM workorder_department_members WHERE user_id = $1 "
                        "ORDER BY department_id",
                        {user_id}));
  std::vector<int64_t> out;
  for (const auto& row : r.rows) out.push_back(row[0].AsInt());
  return out;
}

Result<DeadlineSettings> WorkOrderService::GetSettings(const org::Actor& actor,
                                                       const std::optional<std::string>& org_code) const {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, Permission::kWorkOrderRead));
  HOTLINE_ASSIGN_OR_RETURN(org::Org centre, ResolveCentre(actor, org_code));
  return LoadSettings(centre.id);
}

Result<DeadlineSettings> WorkOrderService::SetSettings(const org::Actor& actor,
                                                       const std::optional<std::string>& org_code,
                                                       const DeadlineSettings& in) {
  HOTLINE_RETURN_IF_ERROR(ValidateDeadlineSettings(in));
  HOTLINE_RETURN_IF_ERROR(RequireAdmin(actor, "修改办理时限"));
  HOTLINE_ASSIGN_OR_RETURN(org::Org centre, ResolveCentre(actor, org_code));
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(s.Query(
        "INSERT INTO workorder_settings (org_id, complaint_workdays, suggestion_workdays, inquiry_workdays, "
        "due_soon_workdays, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id) DO UPDATE SET "
        "complaint_workdays = $2, suggestion_workdays = $3, inquiry_workdays = $4, due_soon_workdays = $5, "
        "updated_at = $6",
        {centre.id, in.complaint, in.suggestion, in.inquiry, in.due_soon_workdays,
         ToEpochMillis(clock_.Now())}));
    return internal::AuditIn(
        audit_, s,
        internal::AuditEntryOf(actor, centre.path, centre.code, "workorder.settings.set", "org", centre.code,
                               {{"complaint", in.complaint},
                                {"suggestion", in.suggestion},
                                {"inquiry", in.inquiry},
                                {"due_soon_workdays", in.due_soon_workdays}}));
  }));
  return LoadSettings(centre.id);
}

}  // namespace hotline::workorder
