// /api/v1/kb (docs/API.md "Knowledge base"): search, articles with versions and the review workflow,
// categories, and the branch directory (网点) — the agent's main tool (R-AGT-3). The rules (scope R-ORG-1,
// permissions kb.read/kb.edit/kb.publish, the in-effect rule, audit of every change) live in kb/; handlers
// translate HTTP to calls on KbService and back. Bodies are served as Markdown and as escaped HTML
// (`body_html`, our renderer), so the console never renders unescaped article text.
#include <charconv>

#include "api/api.hpp"
#include "core/text.hpp"
#include "kb/kb_service.hpp"
#include "kb/markdown.hpp"
#include "web/json_body.hpp"

namespace hotline::api {
namespace {

using web::ErrorResponse;

Error BadField(std::string_view field, std::string_view what) {
  return Error::InvalidArgument("invalid_field", "字段 " + std::string(field) + " " + std::string(what));
}
Error BadQuery(std::string_view param, std::string_view what) {
  return Error::InvalidArgument("invalid_field", "参数 " + std::string(param) + " " + std::string(what));
}

std::optional<std::string> QueryText(const web::Request& req, std::string_view name) {
  auto v = req.QueryParam(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

Result<std::optional<int>> QueryInt(const web::Request& req, std::string_view name) {
  auto v = QueryText(req, name);
  if (!v) return std::optional<int>();
  int out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || p != v->data() + v->size()) return BadQuery(name, "须为整数");
  return std::optional<int>(out);
}

Result<std::optional<Date>> QueryDate(const web::Request& req, std::string_view name) {
  auto v = QueryText(req, name);
  if (!v) return std::optional<Date>();
  Date d;
  if (!ParseDate(*v, &d)) return BadQuery(name, "须为日期 YYYY-MM-DD");
  return std::optional<Date>(d);
}

Result<std::optional<kb::Audience>> QueryAudience(const web::Request& req) {
  auto v = QueryText(req, "audience");
  if (!v) return std::optional<kb::Audience>();
  auto a = kb::ParseAudience(*v);
  if (!a) return BadQuery("audience", "须为 individual、unit 或 all");
  return std::optional<kb::Audience>(*a);
}

nlohmann::json OptDate(const std::optional<Date>& d) {
  return d ? nlohmann::json(FormatDate(*d)) : nlohmann::json();
}
nlohmann::json OptTime(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(FormatUtc(*t)) : nlohmann::json();
}

nlohmann::json ContentJson(const kb::ArticleContent& c, bool with_body) {
  nlohmann::json j = {{"title", c.title},
                      {"category", c.category},
                      {"tags", c.tags},
                      {"keywords", c.keywords},
                      {"audience", kb::AudienceName(c.audience)},
                      {"effective_from", FormatDate(c.effective_from)},
                      {"expires_at", OptDate(c.expires_at)}};
  if (with_body) {
    j["body"] = c.body;
    j["body_html"] = kb::RenderMarkdownHtml(c.body);
  }
  return j;
}

nlohmann::json VersionJson(const kb::Version& v, bool with_body) {
  nlohmann::json j = ContentJson(v.content, with_body);
  j["number"] = v.number;
  j["state"] = kb::VersionStateName(v.state);
  j["created_by"] = v.created_by;
  j["created_at"] = FormatUtc(v.created_at);
  j["submitted_at"] = OptTime(v.submitted_at);
  j["reviewed_by"] = v.reviewed_by.empty() ? nlohmann::json() : nlohmann::json(v.reviewed_by);
  j["reviewed_at"] = OptTime(v.reviewed_at);
  j["review_note"] = v.review_note;
  return j;
}

nlohmann::json ArticleJson(const kb::Article& a) {
  return {{"id", a.id},
          {"slug", a.slug},
          {"org", a.org_code},
          {"scope", a.org_level},
          {"created_at", FormatUtc(a.created_at)},
          {"retired_on", OptDate(a.retired_on)}};
}

nlohmann::json DetailJson(const kb::ArticleDetail& d) {
  nlohmann::json j = ArticleJson(d.article);
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& v : d.versions) {
    versions.push_back(VersionJson(v, false));
    versions.back()["publishable"] = d.CanPublish(v);
  }
  j["versions"] = versions;
  j["at"] = FormatDate(d.at);
  j["in_effect"] = d.in_effect ? VersionJson(*d.in_effect, true) : nlohmann::json();
  j["editable"] = d.editable;
  j["publishable"] = d.publishable;
  return j;
}

nlohmann::json BranchJson(const kb::Branch& b) {
  return {{"id", b.id},
          {"org", b.org_code},
          {"code", b.code},
          {"name", b.name},
          {"address", b.address},
          {"phone", b.phone},
          {"hours", b.hours},
          {"services", b.services},
          {"lat", b.lat ? nlohmann::json(*b.lat) : nlohmann::json()},
          {"lng", b.lng ? nlohmann::json(*b.lng) : nlohmann::json()},
          {"updated_at", FormatUtc(b.updated_at)}};
}

// A string list field: a JSON array of strings, or one comma-separated string.
Result<std::vector<std::string>> ListField(const nlohmann::json& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::vector<std::string>{};
  if (it->is_string()) return kb::SplitList(it->get<std::string>());
  if (!it->is_array()) return BadField(field, "须为字符串数组");
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) return BadField(field, "须为字符串数组");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<kb::ArticleContent> ContentFrom(const nlohmann::json& body) {
  kb::ArticleContent c;
  HOTLINE_ASSIGN_OR_RETURN(c.title, web::RequiredString(body, "title", 200));
  HOTLINE_ASSIGN_OR_RETURN(auto text, web::OptionalString(body, "body", 100000));
  c.body = text.value_or("");
  HOTLINE_ASSIGN_OR_RETURN(c.category, web::RequiredString(body, "category", 100));
  HOTLINE_ASSIGN_OR_RETURN(c.tags, ListField(body, "tags"));
  HOTLINE_ASSIGN_OR_RETURN(c.keywords, ListField(body, "keywords"));
  HOTLINE_ASSIGN_OR_RETURN(auto audience, web::OptionalString(body, "audience", 20));
  auto a = kb::ParseAudience(audience.value_or("all"));
  if (!a) return BadField("audience", "须为 individual、unit 或 all");
  c.audience = *a;
  HOTLINE_ASSIGN_OR_RETURN(auto from, web::RequiredString(body, "effective_from", 10));
  if (!ParseDate(from, &c.effective_from)) return BadField("effective_from", "须为日期 YYYY-MM-DD");
  HOTLINE_ASSIGN_OR_RETURN(auto expires, web::OptionalString(body, "expires_at", 10));
  if (expires && !expires->empty()) {
    Date d;
    if (!ParseDate(*expires, &d)) return BadField("expires_at", "须为日期 YYYY-MM-DD 或 null");
    c.expires_at = d;
  }
  return c;
}

Result<kb::Branch> BranchFrom(const nlohmann::json& body) {
  kb::Branch b;
  HOTLINE_ASSIGN_OR_RETURN(b.code, web::RequiredString(body, "code", 32));
  HOTLINE_ASSIGN_OR_RETURN(b.name, web::RequiredString(body, "name", 100));
  HOTLINE_ASSIGN_OR_RETURN(b.address, web::RequiredString(body, "address", 200));
  HOTLINE_ASSIGN_OR_RETURN(auto phone, web::OptionalString(body, "phone", 50));
  b.phone = phone.value_or("");
  HOTLINE_ASSIGN_OR_RETURN(auto hours, web::OptionalString(body, "hours", 200));
  b.hours = hours.value_or("");
  HOTLINE_ASSIGN_OR_RETURN(b.services, ListField(body, "services"));
  for (const char* key : {"lat", "lng"}) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_number()) return BadField(key, "须为数字");
    (std::string_view(key) == "lat" ? b.lat : b.lng) = it->get<double>();
  }
  return b;
}

Result<int> VersionNumber(const web::Request& req) {
  HOTLINE_ASSIGN_OR_RETURN(int64_t n, ParseId(req.PathParam("n")));
  if (n < 1 || n > 100000) return Error::NotFound("没有这个版本");
  return static_cast<int>(n);
}

// Runs `fn(principal)` after authenticating (kb.read: every role); errors become responses.
template <typename Fn>
web::Response Handle(ApiContext& api, web::Request& req, Fn fn) {
  auto p = Require(api, req, org::Permission::kKbRead);
  if (!p.ok()) return ErrorResponse(p.error());
  Result<web::Response> r = fn(*p);
  if (!r.ok()) return ErrorResponse(r.error());
  return std::move(*r);
}

}  // namespace

void AddKbRoutes(web::Router& router, ApiContext& api, kb::KbService& kb) {
  auto add = [&](const char* method, const char* path, const char* name, auto fn) {
    router.Add(method, path, name, [&api, &kb, fn](web::Request& req) {
      return Handle(api, req, [&](const org::Principal& p) { return fn(kb, ActorOf(p, req), req); });
    });
  };
  using R = Result<web::Response>;

  add("GET", "/api/v1/kb/search", "kb.search",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        kb::SearchRequest s;
        s.text = QueryText(req, "q").value_or("");
        s.org_code = QueryText(req, "org");
        s.category = QueryText(req, "category");
        HOTLINE_ASSIGN_OR_RETURN(s.audience, QueryAudience(req));
        HOTLINE_ASSIGN_OR_RETURN(s.at, QueryDate(req, "at"));
        HOTLINE_ASSIGN_OR_RETURN(auto page, QueryInt(req, "page"));
        HOTLINE_ASSIGN_OR_RETURN(auto size, QueryInt(req, "page_size"));
        s.page = page.value_or(1);
        s.page_size = size.value_or(10);
        HOTLINE_ASSIGN_OR_RETURN(auto result, kb.Search(a, s));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& h : result.result.hits)
          items.push_back({{"id", h.article_id},
                           {"slug", h.slug},
                           {"version", h.number},
                           {"title", h.title},
                           {"title_html", h.title_html},
                           {"snippet_html", h.snippet_html},
                           {"category", h.category},
                           {"audience", kb::AudienceName(h.audience)},
                           {"org", h.org_code},
                           {"effective_from", FormatDate(h.effective_from)},
                           {"expires_at", OptDate(h.expires_at)},
                           {"relevance", h.percent}});
        return web::Response::Json(200, {{"items", items},
                                         {"total", result.result.total},
                                         {"page", result.page},
                                         {"page_size", result.page_size},
                                         {"at", FormatDate(result.at)}});
      });

  add("GET", "/api/v1/kb/categories", "kb.categories",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(auto cats, kb.Categories(a, QueryText(req, "org")));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& [path, count] : cats) items.push_back({{"path", path}, {"count", count}});
        return web::Response::Json(200, {{"items", items}});
      });

  add("GET", "/api/v1/kb/articles", "kb.articles.list",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        kb::ArticleListFilter f;
        f.org_code = QueryText(req, "org");
        f.category = QueryText(req, "category");
        f.text = QueryText(req, "q");
        if (auto st = QueryText(req, "state")) {
          f.has_state = kb::ParseVersionState(*st);
          if (!f.has_state) return BadQuery("state", "须为 draft、in_review、published 或 rejected");
        }
        f.include_retired = QueryText(req, "retired").value_or("") == "1";
        HOTLINE_ASSIGN_OR_RETURN(auto offset, QueryInt(req, "offset"));
        HOTLINE_ASSIGN_OR_RETURN(auto limit, QueryInt(req, "limit"));
        f.offset = offset.value_or(0);
        f.limit = limit.value_or(50);
        HOTLINE_ASSIGN_OR_RETURN(auto list, kb.ListArticles(a, f));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& s : list) {
          nlohmann::json j = ArticleJson(s.article);
          j["latest"] = VersionJson(s.latest, false);
          j["published_versions"] = s.published_versions;
          j["in_effect_version"] =
              s.in_effect_number ? nlohmann::json(*s.in_effect_number) : nlohmann::json();
          items.push_back(j);
        }
        return web::Response::Json(200, {{"items", items}});
      });

  add("POST", "/api/v1/kb/articles", "kb.articles.create",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(auto body, web::ParseJsonObject(req));
        kb::NewArticle n;
        HOTLINE_ASSIGN_OR_RETURN(n.slug, web::RequiredString(body, "slug", 80));
        HOTLINE_ASSIGN_OR_RETURN(n.org_code, web::OptionalString(body, "org", 32));
        HOTLINE_ASSIGN_OR_RETURN(n.content, ContentFrom(body));
        HOTLINE_ASSIGN_OR_RETURN(auto d, kb.CreateArticle(a, n));
        return web::Response::Json(201, DetailJson(d));
      });

  add("GET", "/api/v1/kb/articles/by-slug/{slug}", "kb.articles.by_slug",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(auto at, QueryDate(req, "at"));
        HOTLINE_ASSIGN_OR_RETURN(auto d, kb.GetArticleBySlug(a, req.PathParam("slug"), at));
        return web::Response::Json(200, DetailJson(d));
      });

  add("GET", "/api/v1/kb/articles/{id}", "kb.articles.get",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        HOTLINE_ASSIGN_OR_RETURN(auto at, QueryDate(req, "at"));
        HOTLINE_ASSIGN_OR_RETURN(auto d, kb.GetArticle(a, id, at));
        return web::Response::Json(200, DetailJson(d));
      });

  add("GET", "/api/v1/kb/articles/{id}/versions", "kb.versions.list",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        HOTLINE_ASSIGN_OR_RETURN(auto d, kb.GetArticle(a, id));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& v : d.versions) items.push_back(VersionJson(v, false));
        return web::Response::Json(200, {{"items", items}});
      });

  add("POST", "/api/v1/kb/articles/{id}/versions", "kb.versions.create",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        HOTLINE_ASSIGN_OR_RETURN(auto body, web::ParseJsonObject(req));
        HOTLINE_ASSIGN_OR_RETURN(auto content, ContentFrom(body));
        HOTLINE_ASSIGN_OR_RETURN(auto v, kb.CreateDraft(a, id, content));
        return web::Response::Json(201, VersionJson(v, true));
      });

  add("GET", "/api/v1/kb/articles/{id}/versions/{n}", "kb.versions.get",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        HOTLINE_ASSIGN_OR_RETURN(int n, VersionNumber(req));
        HOTLINE_ASSIGN_OR_RETURN(auto d, kb.GetArticle(a, id));
        for (const auto& v : d.versions)
          if (v.number == n) {
            nlohmann::json j = VersionJson(v, true);
            j["article"] = ArticleJson(d.article);
            return web::Response::Json(200, j);
          }
        return Error::NotFound("这篇文章没有第 " + std::to_string(n) + " 版");
      });

  add("PUT", "/api/v1/kb/articles/{id}/versions/{n}", "kb.versions.edit",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        HOTLINE_ASSIGN_OR_RETURN(int n, VersionNumber(req));
        HOTLINE_ASSIGN_OR_RETURN(auto body, web::ParseJsonObject(req));
        HOTLINE_ASSIGN_OR_RETURN(auto content, ContentFrom(body));
        HOTLINE_ASSIGN_OR_RETURN(auto v, kb.EditDraft(a, id, n, content));
        return web::Response::Json(200, VersionJson(v, true));
      });

  // Review transitions: submit, publish (optional note), reject (note required).
  auto transition = [&](const char* verb, const char* name) {
    std::string path = std::string("/api/v1/kb/articles/{id}/versions/{n}/") + verb;
    std::string v(verb);
    router.Add("POST", path, name, [&api, &kb, v](web::Request& req) {
      return Handle(api, req, [&](const org::Principal& p) -> R {
        org::Actor a = ActorOf(p, req);
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        HOTLINE_ASSIGN_OR_RETURN(int n, VersionNumber(req));
        std::string note;
        if (!req.body.empty()) {
          HOTLINE_ASSIGN_OR_RETURN(auto body, web::ParseJsonObject(req));
          HOTLINE_ASSIGN_OR_RETURN(auto text, web::OptionalString(body, "note", 500));
          note = text.value_or("");
        }
        Result<kb::Version> out = v == "submit"    ? kb.Submit(a, id, n)
                                  : v == "publish" ? kb.Publish(a, id, n, note)
                                                   : kb.Reject(a, id, n, note);
        if (!out.ok()) return out.take_error();
        return web::Response::Json(200, VersionJson(*out, false));
      });
    });
  };
  transition("submit", "kb.versions.submit");
  transition("publish", "kb.versions.publish");
  transition("reject", "kb.versions.reject");

  add("POST", "/api/v1/kb/articles/{id}/retire", "kb.articles.retire",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        std::optional<Date> on;
        if (!req.body.empty()) {
          HOTLINE_ASSIGN_OR_RETURN(auto body, web::ParseJsonObject(req));
          HOTLINE_ASSIGN_OR_RETURN(auto text, web::OptionalString(body, "on", 10));
          if (text) {
            Date d;
            if (!ParseDate(*text, &d)) return BadField("on", "须为日期 YYYY-MM-DD");
            on = d;
          }
        }
        HOTLINE_RETURN_IF_ERROR(kb.Retire(a, id, on));
        HOTLINE_ASSIGN_OR_RETURN(auto d, kb.GetArticle(a, id));
        return web::Response::Json(200, DetailJson(d));
      });

  add("GET", "/api/v1/kb/branches", "kb.branches.list",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        kb::BranchFilter f{.org_code = QueryText(req, "org"),
                           .text = QueryText(req, "q"),
                           .service = QueryText(req, "service")};
        HOTLINE_ASSIGN_OR_RETURN(auto list, kb.ListBranches(a, f));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& b : list) items.push_back(BranchJson(b));
        return web::Response::Json(200, {{"items", items}});
      });
  add("POST", "/api/v1/kb/branches", "kb.branches.create",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(auto body, web::ParseJsonObject(req));
        HOTLINE_ASSIGN_OR_RETURN(auto org, web::OptionalString(body, "org", 32));
        HOTLINE_ASSIGN_OR_RETURN(auto b, BranchFrom(body));
        HOTLINE_ASSIGN_OR_RETURN(auto created, kb.CreateBranch(a, org, b));
        return web::Response::Json(201, BranchJson(created));
      });
  add("GET", "/api/v1/kb/branches/{id}", "kb.branches.get",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        HOTLINE_ASSIGN_OR_RETURN(auto b, kb.GetBranch(a, id));
        return web::Response::Json(200, BranchJson(b));
      });
  add("PUT", "/api/v1/kb/branches/{id}", "kb.branches.update",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        HOTLINE_ASSIGN_OR_RETURN(auto body, web::ParseJsonObject(req));
        HOTLINE_ASSIGN_OR_RETURN(auto b, BranchFrom(body));
        HOTLINE_ASSIGN_OR_RETURN(auto updated, kb.UpdateBranch(a, id, b));
        return web::Response::Json(200, BranchJson(updated));
      });
  add("DELETE", "/api/v1/kb/branches/{id}", "kb.branches.delete",
      [](kb::KbService& kb, const org::Actor& a, web::Request& req) -> R {
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.PathParam("id")));
        HOTLINE_RETURN_IF_ERROR(kb.DeleteBranch(a, id));
        return web::Response::NoContent();
      });
}

}  // namespace hotline::api
