#include "org/org_directory.hpp"

#include <algorithm>
#include <chrono>

#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace hotline::org {

std::string_view OrgLevelName(OrgLevel level) {
  switch (level) {
    case OrgLevel::kMinistry:
      return "ministry";
    case OrgLevel::kProvince:
      return "province";
    case OrgLevel::kCenter:
      return "center";
  }
  return "center";
}

std::optional<OrgLevel> ParseOrgLevel(std::string_view name) {
  if (name == "ministry") return OrgLevel::kMinistry;
  if (name == "province") return OrgLevel::kProvince;
  if (name == "center" || name == "centre") return OrgLevel::kCenter;
  return std::nullopt;
}

Status ValidateOrgCode(std::string_view code) {
  bool ok = code.size() >= 2 && code.size() <= 32;
  for (char c : code) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok)
    return Error::InvalidArgument("invalid_field",
                                  "机构代码 code 须为 2–32 位大写字母、数字或连字符，例如 GS-LZ");
  return OkStatus();
}

namespace {

constexpr const char* kSelect =
    "SELECT o.id, o.code, o.name, o.level, p.code AS parent_code, o.path, o.time_zone, o.created_at "
    "FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id ";

Org FromRow(const store::QueryResult& r, size_t i) {
  Org o;
  o.id = r.rows[i][0].AsInt();
  o.code = r.rows[i][1].AsText();
  o.name = r.rows[i][2].AsText();
  o.level = ParseOrgLevel(r.rows[i][3].AsText()).value_or(OrgLevel::kCenter);
  if (!r.rows[i][4].is_null()) o.parent_code = r.rows[i][4].AsText();
  o.path = r.rows[i][5].AsText();
  o.time_zone = r.rows[i][6].AsText();
  o.created_at = FromEpochMillis(r.rows[i][7].AsInt());
  return o;
}

Result<Org> One(Result<store::QueryResult> r, std::string_view what) {
  if (!r.ok()) return r.take_error();
  if (r->empty()) return Error::NotFound("没有找到机构 " + std::string(what) + "：请检查机构代码");
  return FromRow(*r, 0);
}

Result<std::vector<Org>> Many(Result<store::QueryResult> r) {
  if (!r.ok()) return r.take_error();
  std::vector<Org> out;
  out.reserve(r->size());
  for (size_t i = 0; i < r->size(); ++i) out.push_back(FromRow(*r, i));
  // Byte order of paths puts a parent before its children ("/A/" < "/A/B/") on every engine,
  // whatever the database's collation.
  std::sort(out.begin(), out.end(), [](const Org& a, const Org& b) { return a.path < b.path; });
  return out;
}

}  // namespace

Result<Org> OrgDirectory::Create(const NewOrg& in) {
  HOTLINE_RETURN_IF_ERROR(ValidateOrgCode(in.code));
  if (in.name.empty() || !IsValidUtf8(in.name) || Utf8Length(in.name) > 100 ||
      HasControlChars(in.name, false))
    return Error::InvalidArgument("invalid_field", "机构名称 name 须为 1–100 个字符");
  HOTLINE_RETURN_IF_ERROR(TimeZone::Find(in.time_zone));

  std::string path;
  std::optional<int64_t> parent_id;
  if (in.level == OrgLevel::kMinistry) {
    if (in.parent_code) return Error::InvalidArgument("invalid_field", "部级机构没有上级机构，请去掉 parent");
    HOTLINE_ASSIGN_OR_RETURN(auto existing, db_.Query("SELECT COUNT(*) FROM orgs WHERE level = 'ministry'"));
    if (existing.rows[0][0].AsInt() > 0)
      return Error::InvalidArgument("invalid_field", "已经有一个部级机构：省级机构请用 --level province");
    path = "/" + in.code + "/";
  } else {
    if (!in.parent_code)
      return Error::InvalidArgument("invalid_field",
                                    "请用 parent 指定上级机构（省级的上级是部，中心的上级是省）");
    HOTLINE_ASSIGN_OR_RETURN(Org parent, FindByCode(*in.parent_code));
    OrgLevel expected = in.level == OrgLevel::kProvince ? OrgLevel::kMinistry : OrgLevel::kProvince;
    if (parent.level != expected)
      return Error::InvalidArgument(
          "invalid_field", "上级机构 " + parent.code + " 的级别不对：" + std::string(OrgLevelName(in.level)) +
                               " 的上级须是 " + std::string(OrgLevelName(expected)));
    parent_id = parent.id;
    path = parent.path + in.code + "/";
  }
  int64_t now = ToEpochMillis(clock_.Now());
  auto inserted = db_.Query(
      "INSERT INTO orgs (code, name, level, parent_id, path, time_zone, created_at) VALUES "
      "($1,$2,$3,$4,$5,$6,$7)",
      {in.code, in.name, OrgLevelName(in.level), parent_id ? store::Value(*parent_id) : store::Value(), path,
       in.time_zone, now});
  if (!inserted.ok()) {
    if (inserted.error().code == "unique_violation")
      return Error::Conflict(
          "conflict", "机构代码 " + in.code + " 已存在：请换一个代码，或在组织机构列表中使用已有的机构");
    return inserted.take_error();
  }
  return FindByCode(in.code);
}

Result<Org> OrgDirectory::FindByCode(std::string_view code) const {
  return One(db_.Query(std::string(kSelect) + "WHERE o.code = $1", {code}), code);
}

Result<Org> OrgDirectory::FindById(int64_t id) const {
  return One(db_.Query(std::string(kSelect) + "WHERE o.id = $1", {id}), std::to_string(id));
}

Result<std::vector<Org>> OrgDirectory::ListWithin(const Org& root) const {
  // Codes hold no LIKE wildcards (ValidateOrgCode), so the path is a safe prefix pattern.
  return Many(db_.Query(std::string(kSelect) + "WHERE o.path LIKE $1", {root.path + "%"}));
}

Result<std::vector<Org>> OrgDirectory::ListAll() const { return Many(db_.Query(kSelect)); }

}  // namespace hotline::org
