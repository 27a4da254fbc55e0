#include "kb/kb_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "core/text.hpp"

namespace hotline::kb {
namespace {

Error Forbidden() {
  return {ErrorKind::kPermissionDenied, "forbidden", "您的角色无权进行此操作，如需权限请联系管理员"};
}
Error ArticleNotFound() { return Error::NotFound("没有这篇知识库文章"); }
Error InvalidState(std::string_view what) {
  return {ErrorKind::kFailedPrecondition, "invalid_state", std::string(what)};
}

constexpr const char* kArticleColumns =
    "a.id, a.slug, a.org_id, o.code, o.path, o.level, a.created_at, a.retired_on";
constexpr const char* kVersionColumns =
    "id, article_id, number, state, title, body, category, tags, keywords, audience, effective_from, "
    "expires_at, "
    "created_by, created_at, submitted_at, reviewed_by, reviewed_at, review_note";

Article ArticleOf(const std::vector<store::Value>& r) {
  Article a;
  a.id = r[0].AsInt();
  a.slug = r[1].AsText();
  a.org_id = r[2].AsInt();
  a.org_code = r[3].AsText();
  a.org_path = r[4].AsText();
  a.org_level = r[5].AsText();
  a.created_at = FromEpochMillis(r[6].AsInt());
  Date d;
  if (!r[7].is_null() && ParseDate(r[7].AsText(), &d)) a.retired_on = d;
  return a;
}

std::optional<TimePoint> OptTime(const store::Value& v) {
  if (v.is_null()) return std::nullopt;
  return FromEpochMillis(v.AsInt());
}

Version VersionOf(const std::vector<store::Value>& r) {
  Version v;
  v.id = r[0].AsInt();
  v.article_id = r[1].AsInt();
  v.number = static_cast<int>(r[2].AsInt());
  v.state = ParseVersionState(r[3].AsText()).value_or(VersionState::kDraft);
  v.content.title = r[4].AsText();
  v.content.body = r[5].AsText();
  v.content.category = r[6].AsText();
  v.content.tags = SplitList(r[7].AsText());
  v.content.keywords = SplitList(r[8].AsText());
  v.content.audience = ParseAudience(r[9].AsText()).value_or(Audience::kAll);
  ParseDate(r[10].AsText(), &v.content.effective_from);
  Date d;
  if (!r[11].is_null() && ParseDate(r[11].AsText(), &d)) v.content.expires_at = d;
  v.created_by = r[12].AsText();
  v.created_at = FromEpochMillis(r[13].AsInt());
  v.submitted_at = OptTime(r[14]);
  v.reviewed_by = r[15].AsText();
  v.reviewed_at = OptTime(r[16]);
  v.review_note = r[17].AsText();
  return v;
}

store::Value ExpiresValue(const ArticleContent& c) {
  return c.expires_at ? store::Value(FormatDate(*c.expires_at)) : store::Value(nullptr);
}

// The organisation codes on a path "/MOHURD/GS/GS-LZ/" → MOHURD, GS, GS-LZ.
std::vector<std::string> PathCodes(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) break;
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// R-ORG-1 for the knowledge base: own subtree, or an organisation above (shared articles).
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

}  // namespace

Date KbService::Today(const org::Org& org) const {
  auto tz = TimeZone::Find(org.time_zone);
  return (tz.ok() ? *tz : TimeZone::Shanghai()).LocalDay(clock_.Now());
}

Result<org::Org> KbService::ContextOrg(const org::Actor& actor, const std::optional<std::string>& code) {
  if (!code || *code == actor.org().code) return actor.org();
  return org::FindOrgInScope(orgs_, actor, *code);
}

Result<org::Org> KbService::OwnerOrg(const org::Actor& actor, const std::optional<std::string>& code) {
  HOTLINE_ASSIGN_OR_RETURN(org::Org o, ContextOrg(actor, code));
  if (o.level == org::OrgLevel::kMinistry && actor.org().level != org::OrgLevel::kMinistry)
    return Error::NotFound("没有这个机构");
  return o;
}

Result<std::vector<int64_t>> KbService::ContextOrgIds(const org::Org& context) {
  // Cached by path: organisations are never renamed, moved or deleted (OrgDirectory has no such operation),
  // so the ids above a path never change — one database lookup per organisation above, not per search.
  {
    std::lock_guard lock(scope_mu_);
    if (auto it = scope_ids_.find(context.path); it != scope_ids_.end()) return it->second;
  }
  std::vector<int64_t> ids;
  for (const auto& code : PathCodes(context.path)) {
    if (code == context.code) {
      ids.push_back(context.id);
      continue;
    }
    HOTLINE_ASSIGN_OR_RETURN(org::Org o, orgs_.FindByCode(code));
    ids.push_back(o.id);
  }
  if (ids.empty()) ids.push_back(context.id);
  std::lock_guard lock(scope_mu_);
  if (scope_ids_.size() >= 4096) scope_ids_.clear();  // bounded; there are far fewer organisations
  scope_ids_.emplace(context.path, ids);
  return ids;
}

Result<Article> KbService::LoadArticle(const org::Actor& actor, int64_t article_id) {
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query(std::string("SELECT ") + kArticleColumns +
                            " FROM kb_articles a JOIN org_units_view o ON o.id = a.org_id WHERE a.id = $1",
                        {article_id}));
  if (r.empty()) return ArticleNotFound();
  Article a = ArticleOf(r.rows[0]);
  if (!Readable(actor, a.org_path)) return ArticleNotFound();
  return a;
}

Result<std::vector<Version>> KbService::LoadVersions(int64_t article_id) {
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kVersionColumns +
                                                 " FROM kb_versions WHERE article_id = $1 ORDER BY number",
                                             {article_id}));
  std::vector<Version> out;
  for (const auto& row : r.rows) out.push_back(VersionOf(row));
  return out;
}

Result<Version> KbService::LoadVersion(int64_t article_id, int number) {
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kVersionColumns +
                                                 " FROM kb_versions WHERE article_id = $1 AND number = $2",
                                             {article_id, int64_t{number}}));
  if (r.empty()) return Error::NotFound("这篇文章没有第 " + std::to_string(number) + " 版");
  return VersionOf(r.rows[0]);
}

Result<int64_t> KbService::NextSequence(store::Session& s) {
  HOTLINE_ASSIGN_OR_RETURN(auto r, s.Query("UPDATE kb_state SET seq = seq + 1 WHERE id = 1 RETURNING seq"));
  if (r.empty()) return Error::Internal("kb_state 缺少序号行");
  return r.rows[0][0].AsInt();
}

Status KbService::AuditChange(store::Session& s, const org::Actor& actor, const Article& article,
                              std::string_view action, nlohmann::json detail) {
  org::AuditEntry e;
  actor.Stamp(e);
  e.org_path = article.org_path;
  e.org_code = article.org_code;
  e.action = std::string(action);
  e.target_type = "kb_article";
  e.target_id = std::to_string(article.id);
  detail["slug"] = article.slug;
  e.detail = std::move(detail);
  return audit_.Append(s, std::move(e)).ok() ? OkStatus() : Error::Unavailable("审计日志写入失败");
}

// ---------------------------------------------------------------------------------------------------
// Index

Result<std::vector<IndexEntry>> KbService::EntriesOf(const Article& article,
                                                     const std::vector<Version>& versions) {
  std::vector<IndexEntry> out;
  for (const auto& w : EffectiveWindows(versions, article.retired_on)) {
    auto v = std::find_if(versions.begin(), versions.end(),
                          [&](const Version& x) { return x.id == w.version_id; });
    if (v == versions.end()) continue;
    out.push_back({.article_id = article.id,
                   .version_id = v->id,
                   .number = v->number,
                   .slug = article.slug,
                   .org_id = article.org_id,
                   .org_code = article.org_code,
                   .content = v->content,
                   .window = w});
  }
  return out;
}

void KbService::Reindexed(int64_t article_id, int64_t sequence) {
  auto fail = [&](const Error& e) {
    spdlog::warn("kb: index update of article {} failed, the index will be rebuilt: {}", article_id,
                 e.message);
    index_stale_ = true;
  };
  auto a = db_.Query(std::string("SELECT ") + kArticleColumns +
                         " FROM kb_articles a JOIN org_units_view o ON o.id = a.org_id WHERE a.id = $1",
                     {article_id});
  if (!a.ok() || a->empty()) return fail(a.ok() ? ArticleNotFound() : a.error());
  Article article = ArticleOf(a->rows[0]);
  auto versions = LoadVersions(article_id);
  if (!versions.ok()) return fail(versions.error());
  auto entries = EntriesOf(article, *versions);
  if (!entries.ok()) return fail(entries.error());
  auto st = index_.ReplaceArticle(article_id, *entries, sequence);
  if (!st.ok()) return fail(st.error());
}

Status KbService::Reindex(const std::function<void(int64_t, int64_t)>& progress) {
  std::lock_guard lock(publish_mu_);
  HOTLINE_ASSIGN_OR_RETURN(auto seq, db_.Query("SELECT seq FROM kb_state WHERE id = 1"));
  int64_t sequence = seq.empty() ? 0 : seq.rows[0][0].AsInt();
  HOTLINE_ASSIGN_OR_RETURN(
      auto arts, db_.Query(std::string("SELECT ") + kArticleColumns +
                           " FROM kb_articles a JOIN org_units_view o ON o.id = a.org_id ORDER BY a.id"));
  // Published versions of all articles in one pass, grouped by article id.
  HOTLINE_ASSIGN_OR_RETURN(
      auto vers, db_.Query(std::string("SELECT ") + kVersionColumns +
                           " FROM kb_versions WHERE state = 'published' ORDER BY article_id, number"));
  const int64_t total = static_cast<int64_t>(arts.size());
  Status st = index_.Rebuild(
      [&](const std::function<Status(const IndexEntry&)>& add) -> Status {
        size_t vi = 0;
        int64_t done = 0;
        for (const auto& row : arts.rows) {
          Article article = ArticleOf(row);
          std::vector<Version> versions;
          while (vi < vers.size() && vers.rows[vi][1].AsInt() < article.id) ++vi;
          while (vi < vers.size() && vers.rows[vi][1].AsInt() == article.id)
            versions.push_back(VersionOf(vers.rows[vi++]));
          HOTLINE_ASSIGN_OR_RETURN(auto entries, EntriesOf(article, versions));
          for (const auto& e : entries) HOTLINE_RETURN_IF_ERROR(add(e));
          ++done;
          if (progress && (done % 500 == 0 || done == total)) progress(done, total);
        }
        return OkStatus();
      },
      sequence);
  if (st.ok()) index_stale_ = false;
  return st;
}

Result<bool> KbService::EnsureIndex(const std::function<void(int64_t, int64_t)>& progress) {
  HOTLINE_ASSIGN_OR_RETURN(auto seq, db_.Query("SELECT seq FROM kb_state WHERE id = 1"));
  int64_t sequence = seq.empty() ? 0 : seq.rows[0][0].AsInt();
  auto stored = index_.StoredSequence();
  if (!index_stale_ && stored.ok() && *stored == sequence && (sequence != 0 || index_.document_count() == 0))
    return false;
  HOTLINE_RETURN_IF_ERROR(Reindex(progress));
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Reading

Result<SearchPage> KbService::Search(const org::Actor& actor, const SearchRequest& request) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbRead));
  if (request.page < 1 || request.page > 1000)
    return Error::InvalidArgument("invalid_field", "参数 page 须为 1–1000");
  if (request.page_size < 1 || request.page_size > options_.max_page_size)
    return Error::InvalidArgument("invalid_field",
                                  "参数 page_size 须为 1–" + std::to_string(options_.max_page_size));
  if (request.category) HOTLINE_RETURN_IF_ERROR(ValidateCategory(*request.category));
  HOTLINE_ASSIGN_OR_RETURN(org::Org context, ContextOrg(actor, request.org_code));
  if (index_stale_) {
    auto st = EnsureIndex();
    if (!st.ok()) spdlog::warn("kb: index rebuild failed: {}", st.error().message);
  }
  SearchQuery q;
  q.text = request.text;
  HOTLINE_ASSIGN_OR_RETURN(q.org_ids, ContextOrgIds(context));
  q.category = request.category;
  q.audience = request.audience;
  q.at = request.at.value_or(Today(context));
  q.offset = (request.page - 1) * request.page_size;
  q.limit = request.page_size;
  HOTLINE_ASSIGN_OR_RETURN(auto result, index_.Search(q));
  return SearchPage{
      .result = std::move(result), .at = q.at, .page = request.page, .page_size = request.page_size};
}

Result<std::vector<std::pair<std::string, int>>> KbService::Categories(const org::Actor& actor,
                                                                       std::optional<std::string> org_code) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbRead));
  HOTLINE_ASSIGN_OR_RETURN(org::Org context, ContextOrg(actor, org_code));
  HOTLINE_ASSIGN_OR_RETURN(auto ids, ContextOrgIds(context));
  std::string in;
  store::Params params;
  for (size_t i = 0; i < ids.size(); ++i) {
    in += (i ? ", $" : "$") + std::to_string(i + 1);
    params.push_back(ids[i]);
  }
  // The category of each readable, unretired article's latest published version.
  HOTLINE_ASSIGN_OR_RETURN(
      auto r,
      db_.Query("SELECT v.category, COUNT(*) FROM kb_versions v JOIN kb_articles a ON a.id = v.article_id "
                "WHERE a.org_id IN (" +
                    in +
                    ") AND a.retired_on IS NULL AND v.state = 'published' AND "
                    "v.number = (SELECT MAX(number) FROM kb_versions w WHERE w.article_id = v.article_id AND "
                    "w.state = 'published') GROUP BY v.category ORDER BY v.category",
                params));
  std::map<std::string, int> counts;
  for (auto top : kTopCategories) counts[std::string(top)] += 0;
  for (const auto& row : r.rows)
    for (const auto& prefix : CategoryPrefixes(row[0].AsText()))
      counts[prefix] += static_cast<int>(row[1].AsInt());
  // Top levels in their fixed order, each followed by its subcategories.
  std::vector<std::pair<std::string, int>> out;
  for (auto top : kTopCategories) {
    std::string t(top);
    out.emplace_back(t, counts[t]);
    for (const auto& [path, n] : counts)
      if (path.size() > t.size() && path.rfind(t + "/", 0) == 0) out.emplace_back(path, n);
  }
  return out;
}

Result<std::vector<ArticleSummary>> KbService::ListArticles(const org::Actor& actor,
                                                            const ArticleListFilter& filter) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbRead));
  if (filter.limit < 1 || filter.limit > 200)
    return Error::InvalidArgument("invalid_field", "参数 limit 须为 1–200");
  if (filter.offset < 0) return Error::InvalidArgument("invalid_field", "参数 offset 不能为负");
  std::string sql =
      std::string("SELECT ") + kArticleColumns +
      ", v.number FROM kb_articles a JOIN org_units_view o ON o.id = a.org_id JOIN kb_versions v ON "
      "v.article_id = "
      "a.id AND v.number = (SELECT MAX(number) FROM kb_versions w WHERE w.article_id = a.id) WHERE "
      "(o.path LIKE $1 OR $2 LIKE o.path || '%')";
  // Readable: the caller's subtree (path prefix) or an organisation above them (their path starts with it).
  store::Params params{actor.org().path + "%", actor.org().path};
  if (filter.org_code) {
    params.push_back(*filter.org_code);
    sql += " AND o.code = $" + std::to_string(params.size());
  }
  if (filter.category) {
    params.push_back(*filter.category);
    sql += " AND (v.category = $" + std::to_string(params.size());
    params.push_back(*filter.category + "/%");
    sql += " OR v.category LIKE $" + std::to_string(params.size()) + ")";
  }
  if (filter.has_state) {
    params.push_back(std::string(VersionStateName(*filter.has_state)));
    sql += " AND EXISTS (SELECT 1 FROM kb_versions s WHERE s.article_id = a.id AND s.state = $" +
           std::to_string(params.size()) + ")";
  }
  if (filter.text) {
    params.push_back(LikePattern(*filter.text));
    sql += " AND (v.title LIKE $" + std::to_string(params.size()) + " ESCAPE '\\' OR a.slug LIKE $" +
           std::to_string(params.size()) + " ESCAPE '\\')";
  }
  if (!filter.include_retired) sql += " AND a.retired_on IS NULL";
  params.push_back(int64_t{filter.limit});
  sql += " ORDER BY v.category, a.slug LIMIT $" + std::to_string(params.size());
  params.push_back(int64_t{filter.offset});
  sql += " OFFSET $" + std::to_string(params.size());
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  std::vector<ArticleSummary> out;
  for (const auto& row : r.rows) {
    ArticleSummary s;
    s.article = ArticleOf(row);
    HOTLINE_ASSIGN_OR_RETURN(auto versions, LoadVersions(s.article.id));
    if (versions.empty()) continue;
    s.latest = versions.back();
    for (const auto& v : versions)
      if (v.state == VersionState::kPublished) ++s.published_versions;
    auto tz = TimeZone::Find(actor.org().time_zone);
    Date today = (tz.ok() ? *tz : TimeZone::Shanghai()).LocalDay(clock_.Now());
    if (const Version* e = SelectInEffect(versions, today, s.article.retired_on))
      s.in_effect_number = e->number;
    out.push_back(std::move(s));
  }
  return out;
}

Result<ArticleDetail> KbService::GetArticle(const org::Actor& actor, int64_t article_id,
                                            std::optional<Date> at) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbRead));
  HOTLINE_ASSIGN_OR_RETURN(Article article, LoadArticle(actor, article_id));
  ArticleDetail d;
  HOTLINE_ASSIGN_OR_RETURN(d.versions, LoadVersions(article_id));
  d.article = std::move(article);
  d.at = at.value_or(Today(actor.org()));
  d.in_effect = SelectInEffect(d.versions, d.at, d.article.retired_on);
  const bool own = actor.CanSeePath(d.article.org_path);
  d.editable = own && actor.Has(org::Permission::kKbEdit) && !d.article.retired_on;
  d.publishable = own && actor.Has(org::Permission::kKbPublish);
  d.viewer = std::string(actor.name());
  d.second_reviewer = options_.second_reviewer;
  return d;
}

Result<ArticleDetail> KbService::GetArticleBySlug(const org::Actor& actor, std::string_view slug,
                                                  std::optional<Date> at) {
  if (!IsValidSlug(slug)) return ArticleNotFound();
  HOTLINE_ASSIGN_OR_RETURN(org::Org context, ContextOrg(actor, std::nullopt));
  HOTLINE_ASSIGN_OR_RETURN(auto ids, ContextOrgIds(context));
  // The nearest organisation's article wins (a centre's own before the province's).
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query("SELECT id FROM kb_articles WHERE org_id = $1 AND slug = $2",
                                               {*it, std::string(slug)}));
    if (!r.empty()) return GetArticle(actor, r.rows[0][0].AsInt(), at);
  }
  return ArticleNotFound();
}

// ---------------------------------------------------------------------------------------------------
// Workflow

Result<ArticleDetail> KbService::CreateArticle(const org::Actor& actor, const NewArticle& n) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbEdit));
  if (!IsValidSlug(n.slug))
    return Error::InvalidArgument("invalid_field", "字段 slug 须为小写字母、数字和 -（最多 80 个字符）");
  HOTLINE_RETURN_IF_ERROR(ValidateContent(n.content));
  HOTLINE_ASSIGN_OR_RETURN(org::Org owner, OwnerOrg(actor, n.org_code));
  const int64_t now = ToEpochMillis(clock_.Now());
  int64_t id = 0;
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    auto inserted = s.Query(
        "INSERT INTO kb_articles (org_id, slug, created_by, created_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (org_id, slug) DO NOTHING RETURNING id",
        {owner.id, n.slug, std::string(actor.name()), now});
    if (!inserted.ok()) return inserted.take_error();
    if (inserted->empty()) return Error::Conflict("slug_taken", "本机构已有 slug 为 " + n.slug + " 的文章");
    id = inserted->rows[0][0].AsInt();
    const auto& c = n.content;
    HOTLINE_RETURN_IF_ERROR(
        s.Query("INSERT INTO kb_versions (article_id, number, state, title, body, category, tags, keywords, "
                "audience, "
                "effective_from, expires_at, created_by, created_at, reviewed_by, review_note) VALUES ($1, "
                "1, 'draft', $2, $3, "
                "$4, $5, $6, $7, $8, $9, $10, $11, '', '')",
                {id, c.title, c.body, c.category, JoinList(c.tags), JoinList(c.keywords),
                 std::string(AudienceName(c.audience)), FormatDate(c.effective_from), ExpiresValue(c),
                 std::string(actor.name()), now}));
    Article a{.id = id, .slug = n.slug, .org_id = owner.id, .org_code = owner.code, .org_path = owner.path};
    return AuditChange(s, actor, a, "kb.article.create", {{"version", 1}, {"title", c.title}});
  });
  HOTLINE_RETURN_IF_ERROR(st);
  return GetArticle(actor, id);
}

Result<Version> KbService::CreateDraft(const org::Actor& actor, int64_t article_id,
                                       const ArticleContent& content) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbEdit));
  HOTLINE_ASSIGN_OR_RETURN(Article article, LoadArticle(actor, article_id));
  if (!actor.CanSeePath(article.org_path)) return Forbidden();
  if (article.retired_on) return InvalidState("文章已停用，不能再编辑");
  HOTLINE_RETURN_IF_ERROR(ValidateContent(content));
  const int64_t now = ToEpochMillis(clock_.Now());
  int number = 0;
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto open,
                             s.Query("SELECT number FROM kb_versions WHERE article_id = $1 AND state IN "
                                     "('draft', 'in_review', 'rejected')",
                                     {article_id}));
    if (!open.empty())
      return Error::Conflict("draft_exists", "这篇文章已有未发布的第 " + open.rows[0][0].AsText() +
                                                 " 版，请先编辑、发布或驳回它");
    HOTLINE_ASSIGN_OR_RETURN(
        auto max,
        s.Query("SELECT COALESCE(MAX(number), 0) FROM kb_versions WHERE article_id = $1", {article_id}));
    number = static_cast<int>(max.rows[0][0].AsInt()) + 1;
    HOTLINE_RETURN_IF_ERROR(s.Query(
        "INSERT INTO kb_versions (article_id, number, state, title, body, category, tags, keywords, "
        "audience, "
        "effective_from, expires_at, created_by, created_at, reviewed_by, review_note) VALUES ($1, $2, "
        "'draft', $3, "
        "$4, $5, $6, $7, $8, $9, $10, $11, $12, '', '')",
        {article_id, int64_t{number}, content.title, content.body, content.category, JoinList(content.tags),
         JoinList(content.keywords), std::string(AudienceName(content.audience)),
         FormatDate(content.effective_from), ExpiresValue(content), std::string(actor.name()), now}));
    return AuditChange(s, actor, article, "kb.version.create",
                       {{"version", number}, {"title", content.title}});
  });
  HOTLINE_RETURN_IF_ERROR(st);
  return LoadVersion(article_id, number);
}

Result<Version> KbService::EditDraft(const org::Actor& actor, int64_t article_id, int number,
                                     const ArticleContent& content) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbEdit));
  HOTLINE_ASSIGN_OR_RETURN(Article article, LoadArticle(actor, article_id));
  if (!actor.CanSeePath(article.org_path)) return Forbidden();
  HOTLINE_RETURN_IF_ERROR(ValidateContent(content));
  HOTLINE_ASSIGN_OR_RETURN(Version v, LoadVersion(article_id, number));
  if (v.state != VersionState::kDraft && v.state != VersionState::kRejected)
    return InvalidState("只有草稿或被驳回的版本可以编辑；已提交审核或已发布的版本不能修改");
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auto r,
        s.Query(
            "UPDATE kb_versions SET state = 'draft', title = $3, body = $4, category = $5, tags = $6, "
            "keywords = $7, audience = $8, effective_from = $9, expires_at = $10 WHERE article_id = $1 AND "
            "number = $2 AND state IN ('draft', 'rejected')",
            {article_id, int64_t{number}, content.title, content.body, content.category,
             JoinList(content.tags), JoinList(content.keywords), std::string(AudienceName(content.audience)),
             FormatDate(content.effective_from), ExpiresValue(content)}));
    if (r.affected_rows != 1) return InvalidState("该版本刚被他人提交或发布，请刷新后重试");
    return AuditChange(s, actor, article, "kb.version.edit", {{"version", number}, {"title", content.title}});
  });
  HOTLINE_RETURN_IF_ERROR(st);
  return LoadVersion(article_id, number);
}

Result<Version> KbService::Submit(const org::Actor& actor, int64_t article_id, int number) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbEdit));
  HOTLINE_ASSIGN_OR_RETURN(Article article, LoadArticle(actor, article_id));
  if (!actor.CanSeePath(article.org_path)) return Forbidden();
  HOTLINE_ASSIGN_OR_RETURN(Version v, LoadVersion(article_id, number));
  if (v.state != VersionState::kDraft) return InvalidState("只有草稿可以提交审核");
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto r,
                             s.Query("UPDATE kb_versions SET state = 'in_review', submitted_at = $3 WHERE "
                                     "article_id = $1 AND number = $2 AND state = 'draft'",
                                     {article_id, int64_t{number}, ToEpochMillis(clock_.Now())}));
    if (r.affected_rows != 1) return InvalidState("该版本状态已变化，请刷新后重试");
    return AuditChange(s, actor, article, "kb.version.submit", {{"version", number}});
  });
  HOTLINE_RETURN_IF_ERROR(st);
  return LoadVersion(article_id, number);
}

Result<Version> KbService::Publish(const org::Actor& actor, int64_t article_id, int number,
                                   const std::string& note) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbPublish));
  HOTLINE_ASSIGN_OR_RETURN(Article article, LoadArticle(actor, article_id));
  if (!actor.CanSeePath(article.org_path)) return Forbidden();
  if (article.retired_on) return InvalidState("文章已停用，不能再发布");
  if (Utf8Length(note) > 500 || !IsValidUtf8(note))
    return Error::InvalidArgument("invalid_field", "字段 note 超过 500 个字符");
  HOTLINE_ASSIGN_OR_RETURN(Version v, LoadVersion(article_id, number));
  // Drafts may be published directly by a reviewer (another editor's correction); rejected ones go back
  // through editing first. With second_reviewer, nobody publishes a version they wrote.
  if (v.state != VersionState::kInReview && v.state != VersionState::kDraft)
    return InvalidState("只有待审核或草稿状态的版本可以发布");
  if (options_.second_reviewer && v.created_by == std::string(actor.name()))
    return Error{ErrorKind::kPermissionDenied, "own_version",
                 "不能发布自己编写的版本：请由另一位有发布权限的人员（组长、监督员或管理员）审核发布"};
  std::lock_guard lock(publish_mu_);
  int64_t sequence = 0;
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auto r,
        s.Query("UPDATE kb_versions SET state = 'published', reviewed_by = $3, reviewed_at = $4, review_note "
                "= $5 "
                "WHERE article_id = $1 AND number = $2 AND state IN ('in_review', 'draft')",
                {article_id, int64_t{number}, std::string(actor.name()), ToEpochMillis(clock_.Now()), note}));
    if (r.affected_rows != 1) return InvalidState("该版本状态已变化，请刷新后重试");
    HOTLINE_ASSIGN_OR_RETURN(sequence, NextSequence(s));
    return AuditChange(s, actor, article, "kb.version.publish",
                       {{"version", number},
                        {"effective_from", FormatDate(v.content.effective_from)},
                        {"title", v.content.title}});
  });
  HOTLINE_RETURN_IF_ERROR(st);
  Reindexed(article_id, sequence);
  return LoadVersion(article_id, number);
}

Result<Version> KbService::Reject(const org::Actor& actor, int64_t article_id, int number,
                                  const std::string& note) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbPublish));
  HOTLINE_ASSIGN_OR_RETURN(Article article, LoadArticle(actor, article_id));
  if (!actor.CanSeePath(article.org_path)) return Forbidden();
  if (note.empty() || Utf8Length(note) > 500 || !IsValidUtf8(note))
    return Error::InvalidArgument("invalid_field", "字段 note（驳回理由）是必填项，最多 500 个字符");
  HOTLINE_ASSIGN_OR_RETURN(Version v, LoadVersion(article_id, number));
  if (v.state != VersionState::kInReview) return InvalidState("只有待审核的版本可以驳回");
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auto r,
        s.Query(
            "UPDATE kb_versions SET state = 'rejected', reviewed_by = $3, reviewed_at = $4, review_note = $5 "
            "WHERE article_id = $1 AND number = $2 AND state = 'in_review'",
            {article_id, int64_t{number}, std::string(actor.name()), ToEpochMillis(clock_.Now()), note}));
    if (r.affected_rows != 1) return InvalidState("该版本状态已变化，请刷新后重试");
    return AuditChange(s, actor, article, "kb.version.reject", {{"version", number}, {"note", note}});
  });
  HOTLINE_RETURN_IF_ERROR(st);
  return LoadVersion(article_id, number);
}

Status KbService::Retire(const org::Actor& actor, int64_t article_id, std::optional<Date> on) {
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, org::Permission::kKbPublish));
  HOTLINE_ASSIGN_OR_RETURN(Article article, LoadArticle(actor, article_id));
  if (!actor.CanSeePath(article.org_path)) return Forbidden();
  if (article.retired_on) return InvalidState("文章已停用");
  Date today = Today(actor.org());
  Date day = on.value_or(today);
  if (day < today)
    return Error::InvalidArgument("invalid_field", "字段 on 不能早于今天：过去告诉来电人的内容不能改写");
  std::lock_guard lock(publish_mu_);
  int64_t sequence = 0;
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auto r, s.Query("UPDATE kb_articles SET retired_on = $2 WHERE id = $1 AND retired_on IS NULL",
                        {article_id, FormatDate(day)}));
    if (r.affected_rows != 1) return InvalidState("文章已停用");
    HOTLINE_ASSIGN_OR_RETURN(sequence, NextSequence(s));
    return AuditChange(s, actor, article, "kb.article.retire", {{"on", FormatDate(day)}});
  });
  HOTLINE_RETURN_IF_ERROR(st);
  Reindexed(article_id, sequence);
  return OkStatus();
}

}  // namespace hotline::kb
