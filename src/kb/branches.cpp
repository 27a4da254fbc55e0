// The branch directory (网点) and the import/export of articles — the parts of KbService that are not the
// review workflow (kb_service.cpp).
#include <spdlog/spdlog.h>

#include <cmath>

#include "core/text.hpp"
#include "kb/kb_service.hpp"

namespace hotline::kb {
namespace {

Error Forbidden() {
  return {ErrorKind::kPermissionDenied, "forbidden", "您的角色无权进行此操作，如需权限请联系管理员"};
}
Error BranchNotFound() { return Error::NotFound("没有这个网点"); }

constexpr const char* kBranchColumns =
    "b.id, b.org_id, o.code, b.code, b.name, b.address, b.phone, b.hours, b.services, b.lat_e6, b.lng_e6, "
    "b.updated_at, o.path";

Branch BranchOf(const std::vector<store::Value>& r) {
  Branch b;
  b.id = r[0].AsInt();
  b.org_id = r[1].AsInt();
  b.org_code = r[2].AsText();
  b.code = r[3].AsText();
  b.name = r[4].AsText();
  b.address = r[5].AsText();
  b.phone = r[6].AsText();
  b.hours = r[7].AsText();
  b.services = SplitList(r[8].AsText());
  if (!r[9].is_null()) b.lat = static_cast<double>(r[9].AsInt()) / 1e6;
  if (!r[10].is_null()) b.lng = static_cast<double>(r[10].AsInt()) / 1e6;
  b.updated_at = FromEpochMillis(r[11].AsInt());
  return b;
}

store::Value Micro(const std::optional<double>& deg) {
  if (!deg) return nullptr;
  return static_cast<int64_t>(std::llround(*deg * 1e6));
}

bool Readable(const org::Actor& actor, std::string_view org_path) {
  return actor.CanSeePath(org_path) || actor.org().path.rfind(org_path, 0) == 0;
}

std::string LikePattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "%";
}

org::AuditEntry BranchAudit(const org::Actor& actor, const std::string& org_path, const std::string& org_code,
                            std::string action, int64_t id, nlohmann::json detail) {
  org::AuditEntry e;
  actor.Stamp(e);
  e.org_path = org_path;
  e.org_code = org_code;
  e.action = std::move(action);
  e.target_type = "kb_branch";
  e.target_id = std::to_string(id);
  e.detail = std::move(detail);
  return e;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Branches

Result<std::vector<Branch>> KbService::ListBranches(const org::Actor& actor, const BranchFilter& filter) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbRead));
  std::string sql = std::string("SELECT ") + kBranchColumns +
                    " FROM kb_branches b JOIN org_units_view o ON o.id = b.org_id WHERE (o.path LIKE $1 OR "
                    "$2 LIKE o.path || '%')";
  store::Params params{actor.org().path + "%", actor.org().path};
  if (filter.org_code) {
    params.push_back(*filter.org_code);
    sql += " AND o.code = $" + std::to_string(params.size());
  }
  if (filter.text) {
    params.push_back(LikePattern(*filter.text));
    auto n = std::to_string(params.size());
    sql += " AND (b.name LIKE $" + n + " ESCAPE '\\' OR b.address LIKE $" + n +
           " ESCAPE '\\' OR b.code LIKE $" + n + " ESCAPE '\\')";
  }
  if (filter.service) {
    params.push_back(LikePattern(*filter.service));
    sql += " AND b.services LIKE $" + std::to_string(params.size()) + " ESCAPE '\\'";
  }
  sql += " ORDER BY o.path, b.code LIMIT 1000";
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  std::vector<Branch> out;
  for (const auto& row : r.rows) {
    Branch b = BranchOf(row);
    if (filter.service &&
        std::find(b.services.begin(), b.services.end(), *filter.service) == b.services.end())
      continue;  // the LIKE matched a longer service name
    out.push_back(std::move(b));
  }
  return out;
}

Result<Branch> KbService::GetBranch(const org::Actor& actor, int64_t id) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbRead));
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query(std::string("SELECT ") + kBranchColumns +
                            " FROM kb_branches b JOIN org_units_view o ON o.id = b.org_id WHERE b.id = $1",
                        {id}));
  if (r.empty() || !Readable(actor, r.rows[0][12].AsText())) return BranchNotFound();
  return BranchOf(r.rows[0]);
}

Result<Branch> KbService::CreateBranch(const org::Actor& actor, std::optional<std::string> org_code,
                                       const Branch& branch) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbEdit));
  HOTLINE_RETURN_IF_ERROR(ValidateBranch(branch));
  HOTLINE_ASSIGN_OR_RETURN(org::Org owner, OwnerOrg(actor, org_code));
  int64_t id = 0;
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auto r,
        s.Query(
            "INSERT INTO kb_branches (org_id, code, name, address, phone, hours, services, lat_e6, lng_e6, "
            "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (org_id, code) DO "
            "NOTHING RETURNING id",
            {owner.id, branch.code, branch.name, branch.address, branch.phone, branch.hours,
             JoinList(branch.services), Micro(branch.lat), Micro(branch.lng), ToEpochMillis(clock_.Now())}));
    if (r.empty()) return Error::Conflict("code_taken", "本机构已有编号为 " + branch.code + " 的网点");
    id = r.rows[0][0].AsInt();
    return audit_.Append(s, BranchAudit(actor, owner.path, owner.code, "kb.branch.create", id,
                                        {{"code", branch.code}, {"name", branch.name}}))
                   .ok()
               ? OkStatus()
               : Error::Unavailable("审计日志写入失败");
  });
  HOTLINE_RETURN_IF_ERROR(st);
  return GetBranch(actor, id);
}

Result<Branch> KbService::UpdateBranch(const org::Actor& actor, int64_t id, const Branch& branch) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbEdit));
  HOTLINE_RETURN_IF_ERROR(ValidateBranch(branch));
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query("SELECT o.path, o.code FROM kb_branches b JOIN org_units_view o ON o.id = b.org_id "
                        "WHERE b.id = $1",
                        {id}));
  if (r.empty() || !Readable(actor, r.rows[0][0].AsText())) return BranchNotFound();
  const std::string path = r.rows[0][0].AsText(), code = r.rows[0][1].AsText();
  if (!actor.CanSeePath(path)) return Forbidden();
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    auto u = s.Query(
        "UPDATE kb_branches SET code = $2, name = $3, address = $4, phone = $5, hours = $6, services = $7, "
        "lat_e6 = $8, lng_e6 = $9, updated_at = $10 WHERE id = $1",
        {id, branch.code, branch.name, branch.address, branch.phone, branch.hours, JoinList(branch.services),
         Micro(branch.lat), Micro(branch.lng), ToEpochMillis(clock_.Now())});
    if (!u.ok()) {
      if (u.error().kind == ErrorKind::kConflict)
        return Error::Conflict("code_taken", "本机构已有编号为 " + branch.code + " 的网点");
      return u.take_error();
    }
    return audit_.Append(s, BranchAudit(actor, path, code, "kb.branch.update", id,
                                        {{"code", branch.code}, {"name", branch.name}}))
                   .ok()
               ? OkStatus()
               : Error::Unavailable("审计日志写入失败");
  });
  HOTLINE_RETURN_IF_ERROR(st);
  return GetBranch(actor, id);
}

Status KbService::DeleteBranch(const org::Actor& actor, int64_t id) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbEdit));
  HOTLINE_ASSIGN_OR_RETURN(Branch b, GetBranch(actor, id));
  HOTLINE_ASSIGN_OR_RETURN(auto r,
                           db_.Query("SELECT o.path FROM org_units_view o WHERE o.id = $1", {b.org_id}));
  const std::string path = r.empty() ? "" : r.rows[0][0].AsText();
  if (!actor.CanSeePath(path)) return Forbidden();
  return db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(s.Query("DELETE FROM kb_branches WHERE id = $1", {id}));
    return audit_.Append(s, BranchAudit(actor, path, b.org_code, "kb.branch.delete", id,
                                        {{"code", b.code}, {"name", b.name}}))
                   .ok()
               ? OkStatus()
               : Error::Unavailable("审计日志写入失败");
  });
}

Result<bool> KbService::UpsertBranch(const org::Actor& actor, const org::Org& owner, const Branch& branch) {
  if (!actor.Has(org::Permission::kKbEdit) || !actor.CanSee(owner)) return Forbidden();
  HOTLINE_RETURN_IF_ERROR(ValidateBranch(branch));
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query(std::string("SELECT ") + kBranchColumns +
                            " FROM kb_branches b JOIN org_units_view o ON o.id = b.org_id WHERE b.org_id = "
                            "$1 AND b.code = $2",
                        {owner.id, branch.code}));
  if (r.empty()) {
    auto created = CreateBranch(actor, owner.code, branch);
    if (!created.ok()) return created.take_error();
    return true;
  }
  Branch existing = BranchOf(r.rows[0]);
  auto same_coord = [](const std::optional<double>& a, const std::optional<double>& b) {
    return a.has_value() == b.has_value() && (!a || std::llround(*a * 1e6) == std::llround(*b * 1e6));
  };
  if (existing.name == branch.name && existing.address == branch.address && existing.phone == branch.phone &&
      existing.hours == branch.hours && existing.services == branch.services &&
      same_coord(existing.lat, branch.lat) && same_coord(existing.lng, branch.lng))
    return false;
  auto updated = UpdateBranch(actor, existing.id, branch);
  if (!updated.ok()) return updated.take_error();
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Import and export

Result<org::Org> KbService::ImportOwner(const org::Org& center, ScopeLevel scope) {
  if (scope == ScopeLevel::kProvince) {
    if (center.level == org::OrgLevel::kProvince) return center;
    if (center.level == org::OrgLevel::kCenter && center.parent_code)
      return orgs_.FindByCode(*center.parent_code);
    return Error::InvalidArgument("invalid_field", "scope: province 须导入到一个中心或省份");
  }
  if (center.level != org::OrgLevel::kCenter)
    return Error::InvalidArgument("invalid_field", "scope: center 的内容须用 --org 指定一个中心导入");
  return center;
}

Result<ImportOutcome> KbService::ImportArticle(const org::Actor& actor, const org::Org& center,
                                               const ArticleFile& file, bool update_index) {
  if (!actor.Has(org::Permission::kKbPublish) || !actor.CanSee(center)) return Forbidden();
  HOTLINE_RETURN_IF_ERROR(ValidateContent(file.content));
  if (!IsValidSlug(file.slug)) return Error::InvalidArgument("invalid_field", "slug 无效");
  HOTLINE_ASSIGN_OR_RETURN(org::Org owner, ImportOwner(center, file.scope));
  std::lock_guard lock(publish_mu_);
  const int64_t now = ToEpochMillis(clock_.Now());
  ImportOutcome outcome = ImportOutcome::kUnchanged;
  int64_t article_id = 0, sequence = 0;
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auto existing,
        s.Query("SELECT id FROM kb_articles WHERE org_id = $1 AND slug = $2", {owner.id, file.slug}));
    if (existing.empty()) {
      HOTLINE_ASSIGN_OR_RETURN(
          auto ins, s.Query("INSERT INTO kb_articles (org_id, slug, created_by, created_at) VALUES "
                            "($1, $2, $3, $4) RETURNING id",
                            {owner.id, file.slug, std::string(actor.name()), now}));
      article_id = ins.rows[0][0].AsInt();
      outcome = ImportOutcome::kCreated;
    } else {
      article_id = existing.rows[0][0].AsInt();
      // Idempotent: the same content already published is not a new version.
      HOTLINE_ASSIGN_OR_RETURN(auto pub,
                               s.Query("SELECT id, article_id, number, state, title, body, category, tags, "
                                       "keywords, audience, effective_from, expires_at, created_by, "
                                       "created_at, submitted_at, reviewed_by, reviewed_at, review_note FROM "
                                       "kb_versions WHERE article_id = $1 AND state = 'published'",
                                       {article_id}));
      for (const auto& row : pub.rows) {
        ArticleContent c;
        c.title = row[4].AsText();
        c.body = row[5].AsText();
        c.category = row[6].AsText();
        c.tags = SplitList(row[7].AsText());
        c.keywords = SplitList(row[8].AsText());
        c.audience = ParseAudience(row[9].AsText()).value_or(Audience::kAll);
        ParseDate(row[10].AsText(), &c.effective_from);
        Date d;
        if (!row[11].is_null() && ParseDate(row[11].AsText(), &d)) c.expires_at = d;
        if (c == file.content) return OkStatus();
      }
      outcome = ImportOutcome::kNewVersion;
    }
    HOTLINE_ASSIGN_OR_RETURN(
        auto max,
        s.Query("SELECT COALESCE(MAX(number), 0) FROM kb_versions WHERE article_id = $1", {article_id}));
    int64_t number = max.rows[0][0].AsInt() + 1;
    const auto& c = file.content;
    HOTLINE_RETURN_IF_ERROR(s.Query(
        "INSERT INTO kb_versions (article_id, number, state, title, body, category, tags, keywords, "
        "audience, "
        "effective_from, expires_at, created_by, created_at, submitted_at, reviewed_by, reviewed_at, "
        "review_note) "
        "VALUES ($1, $2, 'published', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $11, $12, '导入')",
        {article_id, number, c.title, c.body, c.category, JoinList(c.tags), JoinList(c.keywords),
         std::string(AudienceName(c.audience)), FormatDate(c.effective_from),
         c.expires_at ? store::Value(FormatDate(*c.expires_at)) : store::Value(nullptr),
         std::string(actor.name()), now}));
    HOTLINE_ASSIGN_OR_RETURN(sequence, NextSequence(s));
    org::AuditEntry e = BranchAudit(actor, owner.path, owner.code, "kb.article.import", article_id,
                                    {{"slug", file.slug}, {"version", number}, {"title", c.title}});
    e.target_type = "kb_article";
    return audit_.Append(s, std::move(e)).ok() ? OkStatus() : Error::Unavailable("审计日志写入失败");
  });
  HOTLINE_RETURN_IF_ERROR(st);
  if (outcome != ImportOutcome::kUnchanged) {
    if (update_index)
      Reindexed(article_id, sequence);
    else
      index_stale_ = true;
  }
  return outcome;
}

Result<std::vector<ArticleFile>> KbService::ExportArticles(const org::Actor& actor, const org::Org& center) {
  if (!actor.Has(org::Permission::kKbRead) || !actor.CanSee(center)) return Forbidden();
  HOTLINE_ASSIGN_OR_RETURN(auto ids, ContextOrgIds(center));
  std::vector<ArticleFile> out;
  for (int64_t org_id : ids) {
    HOTLINE_ASSIGN_OR_RETURN(auto level,
                             db_.Query("SELECT level FROM org_units_view WHERE id = $1", {org_id}));
    if (level.empty()) continue;
    std::string lv = level.rows[0][0].AsText();
    if (lv != "center" && lv != "province") continue;  // the file format knows these two scopes
    HOTLINE_ASSIGN_OR_RETURN(
        auto arts, db_.Query("SELECT id, slug FROM kb_articles WHERE org_id = $1 ORDER BY slug", {org_id}));
    for (const auto& a : arts.rows) {
      HOTLINE_ASSIGN_OR_RETURN(auto versions, LoadVersions(a[0].AsInt()));
      int sequence = 0;
      for (const auto& v : versions) {
        if (v.state != VersionState::kPublished) continue;
        out.push_back({.slug = a[1].AsText(),
                       .sequence = ++sequence,
                       .scope = lv == "center" ? ScopeLevel::kCenter : ScopeLevel::kProvince,
                       .content = v.content});
      }
    }
  }
  return out;
}

}  // namespace hotline::kb
