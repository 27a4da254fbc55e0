// Tests of the knowledge base (R-AGT-3) against its public contracts: the in-effect rule and its windows,
// the Markdown renderer's escaping, the article file parsers with FILE:LINE errors, the review workflow
// and scope (R-ORG-1), search (two-character Chinese words, mixed Chinese/English/digits, no results,
// filters, escaped snippets, effective dates on a fake clock without reindexing), import idempotency,
// index rebuild and the branch directory. Runs on SQLite and (kb_test_postgres) on PostgreSQL.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/clock.hpp"
#include "kb/article_file.hpp"
#include "kb/importer.hpp"
#include "kb/kb_service.hpp"
#include "kb/markdown.hpp"
#include "kb/search_index.hpp"
#include "kb/temp_dir_for_tests.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "store/test_database.hpp"
#include "testing/time.hpp"

namespace hotline::kb {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using test::At;
constexpr auto& D = test::Day;  // the short name this file's windows use

Version Published(int64_t id, int number, std::string_view from,
                  std::optional<std::string_view> expires = {}) {
  Version v;
  v.id = id;
  v.number = number;
  v.state = VersionState::kPublished;
  v.content.effective_from = D(from);
  if (expires) v.content.expires_at = D(*expires);
  return v;
}

void WriteFile(const fs::path& p, std::string_view text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// ---------------------------------------------------------------------------------------------------
// The in-effect rule

TEST(InEffect, LatestStartWinsAndExpiryEnds) {
  std::vector<Version> v = {Published(1, 1, "2025-01-01", "2025-07-01"), Published(2, 2, "2025-07-01")};
  EXPECT_EQ(SelectInEffect(v, D("2024-12-31")), nullptr);
  EXPECT_EQ(SelectInEffect(v, D("2025-01-01"))->id, 1);
  EXPECT_EQ(SelectInEffect(v, D("2025-06-30"))->id, 1);
  EXPECT_EQ(SelectInEffect(v, D("2025-07-01"))->id, 2);
  EXPECT_EQ(SelectInEffect(v, D("2030-01-01"))->id, 2);
  EXPECT_EQ(SelectInEffect(v, D("2030-01-01"), D("2029-01-01")), nullptr) << "retired";
}

TEST(InEffect, SameStartLaterVersionWinsAndDraftsAreIgnored) {
  std::vector<Version> v = {Published(1, 1, "2025-01-01"), Published(2, 2, "2025-01-01")};
  Version draft = Published(3, 3, "2025-02-01");
  draft.state = VersionState::kDraft;
  v.push_back(draft);
  EXPECT_EQ(SelectInEffect(v, D("2025-03-01"))->id, 2);
  auto w = EffectiveWindows(v);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].version_id, 2);
  EXPECT_FALSE(w[0].until.has_value());
}

TEST(InEffect, WindowsAreDisjointAndTemporaryPolicyReverts) {
  // A temporary rule (v2, Jul–Dec) over a standing one (v1): v1 again after v2 expires.
  std::vector<Version> v = {Published(1, 1, "2025-01-01"), Published(2, 2, "2025-07-01", "2026-01-01")};
  auto w = EffectiveWindows(v, D("2027-01-01"));
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].version_id, 1);
  EXPECT_EQ(w[0].from, D("2025-01-01"));
  EXPECT_EQ(*w[0].until, D("2025-07-01"));
  EXPECT_EQ(w[1].version_id, 2);
  EXPECT_EQ(*w[1].until, D("2026-01-01"));
  EXPECT_EQ(w[2].version_id, 1);
  EXPECT_EQ(*w[2].until, D("2027-01-01"));
  // Every day agrees with SelectInEffect.
  for (Date d = D("2024-12-01"); d < D("2027-02-01"); d += std::chrono::days(7)) {
    const Version* sel = SelectInEffect(v, d, D("2027-01-01"));
    int64_t expected = sel ? sel->id : 0, found = 0;
    for (const auto& win : w)
      if (win.from <= d && (!win.until || d < *win.until)) found = win.version_id;
    EXPECT_EQ(found, expected) << FormatDate(d);
  }
}

TEST(Categories, ValidationAndPrefixes) {
  EXPECT_TRUE(ValidateCategory("提取/租房提取").ok());
  EXPECT_FALSE(ValidateCategory("其他").ok());
  EXPECT_FALSE(ValidateCategory("提取//租房").ok());
  EXPECT_FALSE(ValidateCategory("提取/").ok());
  EXPECT_EQ(CategoryPrefixes("贷款/商转公/条件"),
            (std::vector<std::string>{"贷款", "贷款/商转公", "贷款/商转公/条件"}));
  EXPECT_EQ(SplitList("租房, 提取、无房，房租,,"),
            (std::vector<std::string>{"租房", "提取", "无房", "房租"}));
}

// ---------------------------------------------------------------------------------------------------
// Markdown

TEST(Markdown, RendersTheSubsetAndEscapesEverything) {
  std::string html = RenderMarkdownHtml(
      "## 办理材料\n- 身份证\n- **租房合同**\n\n1. 第一步\n2. 第二步\n\n| 项目 | 额度 |\n|---|---|\n| 单身 | "
      "1500 |\n\n"
      "<script>alert(1)</script> & \"引号\" <img src=x onerror=alert(1)>");
  EXPECT_NE(html.find("<h2>办理材料</h2>"), std::string::npos) << html;
  EXPECT_NE(html.find("<ul><li>身份证</li><li><strong>租房合同</strong></li></ul>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<ol><li>第一步</li><li>第二步</li></ol>"), std::string::npos) << html;
  EXPECT_NE(html.find("<th>项目</th>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>1500</td>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&amp; &quot;引号&quot;"), std::string::npos);
  // A stray ** stays text; invalid UTF-8 becomes U+FFFD.
  EXPECT_EQ(RenderMarkdownHtml("a ** b"), "<p>a ** b</p>\n");
  EXPECT_EQ(RenderMarkdownHtml("x\xFFy"), "<p>x\xEF\xBF\xBDy</p>\n");
  EXPECT_EQ(MarkdownToPlainText("## 标题\n- **一**\n正文"), "标题\n一\n正文\n");
}

// ---------------------------------------------------------------------------------------------------
// Article files

constexpr std::string_view kGoodFile =
    "---\n"
    "slug: withdrawal-rent\n"
    "title: 租房提取住房公积金需要什么条件和材料？\n"
    "category: 提取/租房提取\n"
    "tags: 租房, 提取、无房\n"
    "keywords: 租房提取, 房租\n"
    "audience: individual\n"
    "scope: center\n"
    "effective_from: 2025-07-01\n"
    "expires_at:\n"
    "---\n"
    "\n"
    "## 条件\n"
    "本市无自有住房且租房居住的缴存职工可以申请。\n";

TEST(ArticleFile, ParsesTheSharedFormatAndRoundTrips) {
  auto a = ParseArticleFile("withdrawal-rent.md", kGoodFile);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->slug, "withdrawal-rent");
  EXPECT_EQ(a->sequence, 1);
  EXPECT_EQ(a->content.category, "提取/租房提取");
  EXPECT_EQ(a->content.tags, (std::vector<std::string>{"租房", "提取", "无房"}));
  EXPECT_EQ(a->content.audience, Audience::kIndividual);
  EXPECT_EQ(a->scope, ScopeLevel::kCenter);
  EXPECT_EQ(a->content.effective_from, D("2025-07-01"));
  EXPECT_FALSE(a->content.expires_at);
  EXPECT_EQ(a->content.body, "## 条件\n本市无自有住房且租房居住的缴存职工可以申请。");
  auto again = ParseArticleFile(ArticleFileName(*a), FormatArticleFile(*a));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->content, a->content);
  auto v2 = ParseArticleFile("withdrawal-rent@2.md", kGoodFile);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->sequence, 2);
}

void ExpectFileError(std::string_view name, std::string text, std::string_view prefix) {
  auto a = ParseArticleFile(name, text);
  ASSERT_FALSE(a.ok()) << name;
  EXPECT_EQ(a.error().code, "invalid_file");
  EXPECT_EQ(a.error().message.rfind(prefix, 0), 0u) << a.error().message;
}

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST(ArticleFile, ErrorsNameFileAndLine) {
  ExpectFileError("withdrawal-rent.md", Replace(kGoodFile, "2025-07-01", "2025-13-01"),
                  "withdrawal-rent.md:9: effective_from");
  ExpectFileError("withdrawal-rent.md", Replace(kGoodFile, "audience: individual", "audience: everyone"),
                  "withdrawal-rent.md:7: audience");
  ExpectFileError("withdrawal-rent.md", Replace(kGoodFile, "category: 提取/租房提取", "category: 其他"),
                  "withdrawal-rent.md:4: ");
  ExpectFileError("withdrawal-rent.md", Replace(kGoodFile, "tags:", "colour: red\ntags:"),
                  "withdrawal-rent.md:5: 未知的键 colour");
  ExpectFileError("withdrawal-rent.md",
                  Replace(kGoodFile, "title: 租房提取住房公积金需要什么条件和材料？\n", ""),
                  "withdrawal-rent.md:10: 缺少 title");
  ExpectFileError("other-name.md", std::string(kGoodFile),
                  "other-name.md:2: slug withdrawal-rent 与文件名不一致");
  ExpectFileError("withdrawal-rent.txt", std::string(kGoodFile), "withdrawal-rent.txt:1: ");
  ExpectFileError("withdrawal-rent.md", "no front matter", "withdrawal-rent.md:1: ");
  ExpectFileError("withdrawal-rent.md", "---\nslug: withdrawal-rent\n", "withdrawal-rent.md:");
  ExpectFileError("withdrawal-rent.md", Replace(kGoodFile, "expires_at:", "expires_at: 2025-01-01"),
                  "withdrawal-rent.md:10: 字段 expires_at 须晚于 effective_from");
  ExpectFileError("withdrawal-rent.md", Replace(kGoodFile, "slug: withdrawal-rent", "slug: Bad_Slug"),
                  "withdrawal-rent.md:2: slug");
}

TEST(ArticleFile, JsonFormatsReportElementLines) {
  std::string json =
      "[\n"
      "  {\"slug\": \"a-1\", \"title\": \"标题\", \"body\": \"正文\", \"category\": \"缴存\", \"audience\": "
      "\"all\",\n"
      "   \"scope\": \"center\", \"effective_from\": \"2025-01-01\", \"tags\": [\"缴存\"]},\n"
      "  {\"slug\": \"a-2\", \"title\": \"标题\", \"body\": \"正文\", \"category\": \"缴存\", \"audience\": "
      "\"all\",\n"
      "   \"scope\": \"center\", \"effective_from\": \"2025/01/01\"}\n"
      "]\n";
  auto parsed = ParseArticlesJson("articles.json", json);
  ASSERT_EQ(parsed.articles.size(), 1u);
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].message.rfind("articles.json:4: effective_from", 0), 0u)
      << parsed.errors[0].message;
  auto broken = ParseArticlesJson("articles.json", "[\n{\"slug\": \n");
  ASSERT_EQ(broken.errors.size(), 1u);
  EXPECT_EQ(broken.errors[0].message.rfind("articles.json:", 0), 0u);
  auto deep = ParseArticlesJson("articles.json", std::string(5000, '[') + std::string(5000, ']'));
  EXPECT_EQ(deep.errors.size(), 1u) << "deep nesting is refused, not a stack overflow";
  auto branches = ParseBranchesJson("branches.json",
                                    "[{\"code\":\"LZ-CG\",\"name\":\"城关区服务网点\",\"address\":"
                                    "\"兰州市城关区\",\"phone\":\"0931-1234567\","
                                    "\"hours\":\"周一至周五\",\"services\":[\"提取\",\"贷款\"],\"lat\":36.06,"
                                    "\"lng\":103.83,\"scope\":\"center\"},\n"
                                    "{\"code\":\"bad code\",\"name\":\"x\",\"address\":\"y\"}]");
  ASSERT_EQ(branches.branches.size(), 1u);
  EXPECT_EQ(branches.branches[0].branch.services, (std::vector<std::string>{"提取", "贷款"}));
  ASSERT_EQ(branches.errors.size(), 1u);
  EXPECT_EQ(branches.errors[0].message.rfind("branches.json:2: 字段 code", 0), 0u)
      << branches.errors[0].message;
}

// ---------------------------------------------------------------------------------------------------
// The service on a real database and a real index

class KbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = store::OpenTestDatabase();
    const store::ModuleMigrations modules[] = {org::kOrgMigrations, kKbMigrations};
    ASSERT_TRUE(store::Migrate(*db_, modules).ok());
    orgs_ = std::make_unique<org::OrgDirectory>(*db_, clock_);
    audit_ = std::make_unique<org::AuditLog>(*db_, clock_);
    for (auto [code, name, level, parent] :
         std::vector<std::tuple<const char*, const char*, org::OrgLevel, const char*>>{
             {"MOHURD", "住房和城乡建设部", org::OrgLevel::kMinistry, nullptr},
             {"GS", "甘肃省住房和城乡建设厅", org::OrgLevel::kProvince, "MOHURD"},
             {"SX", "陕西省住房和城乡建设厅", org::OrgLevel::kProvince, "MOHURD"},
             {"GS-LZ", "兰州住房公积金管理中心", org::OrgLevel::kCenter, "GS"},
             {"GS-TS", "天水市住房公积金管理中心", org::OrgLevel::kCenter, "GS"},
             {"SX-XA", "西安住房公积金管理中心", org::OrgLevel::kCenter, "SX"}}) {
      org::NewOrg n{.code = code, .name = name, .level = level};
      if (parent) n.parent_code = parent;
      ASSERT_TRUE(orgs_->Create(n).ok()) << code;
    }
    OpenIndex();
  }

  void OpenIndex() {
    kb_.reset();
    index_.reset();
    auto index = SearchIndex::Open({.dir = dir_.index()});
    ASSERT_TRUE(index.ok()) << index.error().message;
    index_ = std::move(*index);
    kb_ = std::make_unique<KbService>(*db_, clock_, *orgs_, *audit_, *index_);
  }

  org::Actor As(org::Role role, const char* org_code, const char* username = nullptr) {
    org::Principal p;
    auto o = orgs_->FindByCode(org_code);
    EXPECT_TRUE(o.ok());
    p.org = *o;
    p.user.id = 0;
    p.user.username = username ? username : std::string(org::RoleName(role)) + "@" + org_code;
    p.user.role = role;
    p.user.org_id = o->id;
    p.user.org_code = org_code;
    return org::Actor::ForUser(std::move(p));
  }

  ArticleContent Content(std::string title, std::string body, std::string category = "提取",
                         std::string from = "2025-01-01") {
    ArticleContent c;
    c.title = std::move(title);
    c.body = std::move(body);
    c.category = std::move(category);
    c.audience = Audience::kIndividual;
    c.effective_from = D(from);
    return c;
  }

  // Creates an article as the leader of `org_code` and has a supervisor there publish it; returns its id.
  int64_t PublishNew(const char* org_code, std::string slug, ArticleContent content) {
    org::Actor leader = As(org_code[2] == '-' ? org::Role::kTeamLeader : org::Role::kAdmin, org_code);
    auto a = kb_->CreateArticle(leader, {.slug = std::move(slug), .content = std::move(content)});
    EXPECT_TRUE(a.ok()) << a.error().message;
    if (!a.ok()) return 0;
    EXPECT_TRUE(kb_->Submit(leader, a->article.id, 1).ok());
    auto p = kb_->Publish(As(org::Role::kSupervisor, org_code), a->article.id, 1, "");
    EXPECT_TRUE(p.ok()) << p.error().message;
    return a->article.id;
  }

  std::vector<std::string> Slugs(const org::Actor& actor, SearchRequest r) {
    auto page = kb_->Search(actor, r);
    EXPECT_TRUE(page.ok()) << page.error().message;
    std::vector<std::string> out;
    if (page.ok())
      for (const auto& h : page->result.hits) out.push_back(h.slug);
    return out;
  }

  void SeedSearchCorpus() {
    PublishNew(
        "GS-LZ", "withdrawal-rent",
        Content("租房提取住房公积金需要什么条件？",
                "无自有住房的职工租房居住，可以每季度提取一次，需要身份证和租房合同。", "提取/租房提取"));
    PublishNew("GS-LZ", "loan-offsite",
               Content("异地贷款怎么办理？",
                       "在外地缴存公积金的职工在兰州购房，可以申请异地贷款，需要缴存地出具的缴存证明。",
                       "贷款/异地贷款"));
    auto lpr =
        Content("公积金贷款利率与LPR有什么关系？",
                "公积金贷款利率由中国人民银行确定，不随LPR浮动。五年以上首套利率为2.85%。", "贷款/利率");
    lpr.keywords = {"利率", "LPR"};
    PublishNew("GS-LZ", "loan-rate", lpr);
    auto hotline = Content("12329热线服务时间", "人工服务时间为工作日8:30-17:30，自助语音全天24小时服务。",
                           "网点与联系方式");
    hotline.audience = Audience::kAll;
    PublishNew("GS", "hotline-hours", hotline);
    auto unit = Content("单位如何办理缴存登记？", "新设立的单位应在30日内到公积金中心办理缴存登记。",
                        "单位业务/缴存登记");
    unit.audience = Audience::kUnit;
    PublishNew("GS-LZ", "unit-registration", unit);
    PublishNew("GS-TS", "tianshui-only", Content("天水提取说明", "天水中心的提取规定。", "提取"));
    PublishNew("GS-LZ", "xss-test",
               Content("转移接续说明",
                       "跨省转移<script>alert('x')</script>的办理流程：在转入地申请转移接续。", "转移接续"));
  }

  TempDir dir_;
  FakeClock clock_{At("2026-03-02T10:00:00+08:00")};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<org::OrgDirectory> orgs_;
  std::unique_ptr<org::AuditLog> audit_;
  std::unique_ptr<SearchIndex> index_;
  std::unique_ptr<KbService> kb_;
};

TEST_F(KbTest, TwoCharacterChineseWordsMatch) {
  SeedSearchCorpus();
  org::Actor agent = As(org::Role::kAgent, "GS-LZ");
  EXPECT_EQ(Slugs(agent, {.text = "贷款"}).at(0).substr(0, 5), "loan-");
  auto withdraw = Slugs(agent, {.text = "提取"});
  ASSERT_FALSE(withdraw.empty());
  EXPECT_EQ(withdraw[0], "withdrawal-rent");
  EXPECT_EQ(Slugs(agent, {.text = "异地"}).at(0), "loan-offsite");
  EXPECT_EQ(Slugs(agent, {.text = "我在外地交的公积金能在兰州异地贷款吗"}).at(0), "loan-offsite");
}

TEST_F(KbTest, MixedChineseEnglishDigitsAndNoResults) {
  SeedSearchCorpus();
  org::Actor agent = As(org::Role::kAgent, "GS-LZ");
  EXPECT_EQ(Slugs(agent, {.text = "LPR"}).at(0), "loan-rate");
  EXPECT_EQ(Slugs(agent, {.text = "lpr利率"}).at(0), "loan-rate");
  EXPECT_EQ(Slugs(agent, {.text = "12329"}).at(0), "hotline-hours");
  EXPECT_EQ(Slugs(agent, {.text = "12329热线几点上班"}).at(0), "hotline-hours");
  EXPECT_TRUE(Slugs(agent, {.text = "zzqqxx"}).empty());
  EXPECT_TRUE(Slugs(agent, {.text = "飞机"}).empty());
  auto too_long = kb_->Search(agent, {.text = std::string(201, 'a')});
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, "query_too_long");
}

TEST_F(KbTest, FiltersByCategoryAudienceAndScope) {
  SeedSearchCorpus();
  org::Actor agent = As(org::Role::kAgent, "GS-LZ");
  // Category prefix includes subcategories.
  auto loans = Slugs(agent, {.text = "", .category = "贷款"});
  EXPECT_EQ(loans.size(), 2u);
  for (const auto& s : loans) EXPECT_EQ(s.substr(0, 5), "loan-");
  EXPECT_EQ(Slugs(agent, {.text = "", .category = "贷款/利率"}), std::vector<std::string>{"loan-rate"});
  // Audience unit: unit articles and those for all.
  auto unit = Slugs(agent, {.text = "", .audience = Audience::kUnit});
  std::sort(unit.begin(), unit.end());
  EXPECT_EQ(unit, (std::vector<std::string>{"hotline-hours", "unit-registration"}));
  // Scope: Tianshui sees its own and the province's article, not Lanzhou's (R-ORG-1).
  org::Actor ts = As(org::Role::kAgent, "GS-TS");
  auto ts_all = Slugs(ts, {.text = "", .page_size = 50});
  std::sort(ts_all.begin(), ts_all.end());
  EXPECT_EQ(ts_all, (std::vector<std::string>{"hotline-hours", "tianshui-only"}));
  EXPECT_TRUE(Slugs(As(org::Role::kAgent, "SX-XA"), {.text = "热线"}).empty());
  // Another province's user cannot search as Lanzhou.
  auto outside = kb_->Search(As(org::Role::kSupervisor, "SX"), {.text = "提取", .org_code = "GS-LZ"});
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().kind, ErrorKind::kNotFound);
  // The province supervisor may search as a centre of theirs.
  EXPECT_FALSE(Slugs(As(org::Role::kSupervisor, "GS"), {.text = "提取", .org_code = "GS-LZ"}).empty());
  auto bad = kb_->Search(agent, {.text = "x", .category = "其他"});
  EXPECT_FALSE(bad.ok());
}

// Issue 12 §2: the IVR reads its centre's knowledge base as itself (kb.read) and cannot write; an org code
// outside an actor's scope answers not_found (org::FindOrgInScope); the CLI's changes are audited as "cli".
TEST_F(KbTest, SystemActorsReadAsThemselvesAndCannotWrite) {
  SeedSearchCorpus();
  auto lz = orgs_->FindByCode("GS-LZ");
  ASSERT_TRUE(lz.ok());
  const org::Actor ivr = org::Actor::ForSystem(org::SystemPrincipal::kIvr, *lz, "call-1");
  EXPECT_EQ(Slugs(ivr, {.text = "提取"}), Slugs(As(org::Role::kAgent, "GS-LZ"), {.text = "提取"}));
  EXPECT_FALSE(Slugs(ivr, {.text = "提取"}).empty());
  auto listed = kb_->ListArticles(ivr, {});
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_FALSE(listed->empty());
  EXPECT_TRUE(kb_->ListBranches(ivr, {}).ok());
  auto write = kb_->CreateArticle(ivr, {.slug = "ivr-note", .content = Content("标题", "正文")});
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, "forbidden");
  auto scheduler =
      kb_->Search(org::Actor::ForSystem(org::SystemPrincipal::kScheduler, *lz), {.text = "提取"});
  ASSERT_FALSE(scheduler.ok());
  EXPECT_EQ(scheduler.error().code, "forbidden");
  for (const char* code : {"GS-TS", "NO-SUCH"}) {
    auto outside = kb_->Search(ivr, {.text = "提取", .org_code = code});
    ASSERT_FALSE(outside.ok()) << code;
    EXPECT_EQ(outside.error().code, "not_found") << code;
  }
  auto cli = kb_->CreateBranch(org::Actor::ForCli(*lz, org::Role::kAdmin), std::nullopt,
                               {.code = "LZ-XG", .name = "西固网点", .address = "兰州市西固区1号"});
  ASSERT_TRUE(cli.ok()) << cli.error().message;
  auto entries = audit_->Query({.within_path = "/", .action = "kb.branch.create"});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].actor, "cli");
  EXPECT_EQ((*entries)[0].channel, "cli");
  EXPECT_FALSE((*entries)[0].actor_id.has_value());
}

TEST_F(KbTest, SnippetsHighlightAndEscape) {
  SeedSearchCorpus();
  org::Actor agent = As(org::Role::kAgent, "GS-LZ");
  auto page = kb_->Search(agent, {.text = "转移接续"});
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->result.hits.empty());
  const auto& hit = page->result.hits[0];
  EXPECT_EQ(hit.slug, "xss-test");
  EXPECT_NE(hit.snippet_html.find("<mark>"), std::string::npos) << hit.snippet_html;
  EXPECT_EQ(hit.snippet_html.find("<script"), std::string::npos) << hit.snippet_html;
  EXPECT_NE(hit.snippet_html.find("&lt;script&gt;"), std::string::npos) << hit.snippet_html;
  EXPECT_NE(hit.title_html.find("<mark>"), std::string::npos) << hit.title_html;
}

TEST_F(KbTest, WorkflowVersionsAndEffectiveDatesWithoutReindex) {
  org::Actor leader = As(org::Role::kTeamLeader, "GS-LZ");
  org::Actor agent = As(org::Role::kAgent, "GS-LZ");
  auto created = kb_->CreateArticle(
      leader, {.slug = "loan-max",
               .content = Content("贷款最高额度是多少？", "单方缴存最高可贷50万元。", "贷款", "2025-01-01")});
  ASSERT_TRUE(created.ok()) << created.error().message;
  const int64_t id = created->article.id;
  EXPECT_TRUE(Slugs(agent, {.text = "额度"}).empty()) << "a draft is not searchable";
  // Agents read but do not write (403).
  auto denied = kb_->CreateDraft(agent, id, Content("x", "y"));
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().kind, ErrorKind::kPermissionDenied);
  ASSERT_TRUE(kb_->Submit(leader, id, 1).ok());
  // A submitted version cannot be edited; it can be rejected with a reason, edited, resubmitted.
  EXPECT_EQ(kb_->EditDraft(leader, id, 1, Content("a", "b")).error().code, "invalid_state");
  EXPECT_EQ(kb_->Reject(leader, id, 1, "").error().code, "invalid_field");
  ASSERT_TRUE(kb_->Reject(leader, id, 1, "额度写错了").ok());
  ASSERT_TRUE(
      kb_->EditDraft(leader, id, 1,
                     Content("贷款最高额度是多少？", "单方缴存最高可贷60万元。", "贷款", "2025-01-01"))
          .ok());
  ASSERT_TRUE(kb_->Submit(leader, id, 1).ok());
  // Four eyes: the author may not publish their own version; another reviewer does (R-AGT-3).
  auto own = kb_->Publish(leader, id, 1, "");
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, "own_version");
  EXPECT_EQ(own.error().kind, ErrorKind::kPermissionDenied);
  auto authors_view = kb_->GetArticle(leader, id);
  ASSERT_TRUE(authors_view.ok());
  EXPECT_FALSE(authors_view->CanPublish(authors_view->versions[0]))
      << "the console offers the author no publish button";
  org::Actor supervisor = As(org::Role::kSupervisor, "GS-LZ");
  auto reviewed = kb_->GetArticle(supervisor, id);
  ASSERT_TRUE(reviewed.ok());
  EXPECT_TRUE(reviewed->CanPublish(reviewed->versions[0]));
  ASSERT_TRUE(kb_->Publish(supervisor, id, 1, "").ok());
  EXPECT_EQ(kb_->Publish(supervisor, id, 1, "").error().code, "invalid_state");
  EXPECT_EQ(Slugs(agent, {.text = "额度"}), std::vector<std::string>{"loan-max"});

  // A policy change: version 2 takes effect on 2026-04-01; version 1 gets an end date.
  auto v2 = kb_->CreateDraft(
      leader, id,
      Content("贷款最高额度是多少？", "自2026年4月1日起单方缴存最高可贷80万元。", "贷款", "2026-04-01"));
  ASSERT_TRUE(v2.ok()) << v2.error().message;
  EXPECT_EQ(v2->number, 2);
  EXPECT_EQ(kb_->CreateDraft(leader, id, Content("t", "b")).error().code, "draft_exists");
  ASSERT_TRUE(kb_->Submit(leader, id, 2).ok());
  ASSERT_TRUE(kb_->Publish(As(org::Role::kSupervisor, "GS-LZ"), id, 2, "政策调整").ok());

  auto search = [&](std::optional<Date> at) {
    auto page = kb_->Search(agent, {.text = "额度", .at = at});
    EXPECT_TRUE(page.ok());
    return page.ok() && !page->result.hits.empty() ? page->result.hits[0].number : 0;
  };
  EXPECT_EQ(search(std::nullopt), 1) << "today (2026-03-02) version 1 is in effect";
  EXPECT_EQ(search(D("2026-04-01")), 2);
  EXPECT_EQ(search(D("2024-12-31")), 0);
  // Time passes: the new version is in effect with no restart and no reindex.
  clock_.Advance(std::chrono::hours(24 * 31));
  EXPECT_EQ(search(std::nullopt), 2);
  // "What did we tell callers on 3 March?" — the reader's date picker.
  auto detail = kb_->GetArticle(agent, id, D("2026-03-03"));
  ASSERT_TRUE(detail.ok());
  ASSERT_NE(detail->in_effect, nullptr);
  EXPECT_EQ(detail->in_effect->number, 1);
  EXPECT_NE(detail->in_effect->content.body.find("60万元"), std::string::npos);
  EXPECT_EQ(detail->versions.size(), 2u);
  EXPECT_FALSE(detail->editable) << "agents do not edit";
  // The audit log has the whole story.
  auto entries = audit_->Query({.within_path = "/"});
  ASSERT_TRUE(entries.ok());
  std::vector<std::string> actions;
  for (auto it = entries->rbegin(); it != entries->rend(); ++it) actions.push_back(it->action);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"kb.article.create", "kb.version.submit", "kb.version.reject",
                                      "kb.version.edit", "kb.version.submit", "kb.version.publish",
                                      "kb.version.create", "kb.version.submit", "kb.version.publish"}));
  // Retiring withdraws it from search from today on; history stays readable.
  ASSERT_TRUE(kb_->Retire(leader, id).ok());
  EXPECT_TRUE(Slugs(agent, {.text = "额度"}).empty());
  EXPECT_EQ(search(D("2026-03-03")), 1);
  EXPECT_EQ(kb_->CreateDraft(leader, id, Content("t", "b")).error().code, "invalid_state");
}

// A centre with a single editor turns four eyes off ([kb] second_reviewer = false): the author publishes.
TEST_F(KbTest, SecondReviewerCanBeTurnedOff) {
  KbService single(*db_, clock_, *orgs_, *audit_, *index_, {.second_reviewer = false});
  org::Actor leader = As(org::Role::kTeamLeader, "GS-LZ");
  auto a = single.CreateArticle(
      leader, {.slug = "hours", .content = Content("营业时间", "工作日 9:00-17:00。", "网点与联系方式")});
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto detail = single.GetArticle(leader, a->article.id);
  ASSERT_TRUE(detail.ok());
  EXPECT_TRUE(detail->CanPublish(detail->versions[0]));
  auto published = single.Publish(leader, a->article.id, 1, "");
  ASSERT_TRUE(published.ok()) << published.error().message;
  EXPECT_EQ(published->state, VersionState::kPublished);
  EXPECT_EQ(published->reviewed_by, std::string(leader.name()));
}

TEST_F(KbTest, ProvinceArticlesAreEditedOnlyAtTheProvince) {
  int64_t id = PublishNew("GS", "province-policy", Content("全省统一的提取政策", "全省适用。"));
  org::Actor lz_leader = As(org::Role::kTeamLeader, "GS-LZ");
  auto read = kb_->GetArticle(lz_leader, id);
  ASSERT_TRUE(read.ok()) << "a centre reads its province's articles";
  EXPECT_FALSE(read->editable);
  auto edit = kb_->CreateDraft(lz_leader, id, Content("改", "改"));
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().kind, ErrorKind::kPermissionDenied);
  EXPECT_TRUE(
      kb_->CreateDraft(As(org::Role::kAdmin, "GS"), id, Content("全省统一的提取政策", "修订。")).ok());
  // Another province does not see it at all (404).
  auto other = kb_->GetArticle(As(org::Role::kAgent, "SX-XA"), id);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, ErrorKind::kNotFound);
  // Slugs are unique per organisation.
  auto dup = kb_->CreateArticle(As(org::Role::kAdmin, "GS"),
                                {.slug = "province-policy", .content = Content("a", "b")});
  EXPECT_EQ(dup.error().code, "slug_taken");
  auto lz_same_slug =
      kb_->CreateArticle(lz_leader, {.slug = "province-policy", .content = Content("兰州补充", "b")});
  EXPECT_TRUE(lz_same_slug.ok());
  auto by_slug = kb_->GetArticleBySlug(As(org::Role::kAgent, "GS-LZ"), "province-policy");
  ASSERT_TRUE(by_slug.ok());
  EXPECT_EQ(by_slug->article.org_code, "GS-LZ") << "the nearest organisation's article wins";
  auto list = kb_->ListArticles(As(org::Role::kAgent, "GS-TS"), {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].article.org_code, "GS");
  auto queue = kb_->ListArticles(As(org::Role::kAdmin, "GS"), {.has_state = VersionState::kDraft});
  ASSERT_TRUE(queue.ok());
  EXPECT_EQ(queue->size(), 2u) << "the province sees the drafts of its subtree";
}

TEST_F(KbTest, IndexIsRebuiltWhenMissingOrStale) {
  SeedSearchCorpus();
  org::Actor agent = As(org::Role::kAgent, "GS-LZ");
  auto fresh = kb_->EnsureIndex();
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(*fresh) << "an index that reflects the database is kept";
  // The index directory is lost: the next start rebuilds it from the database.
  kb_.reset();
  index_.reset();
  fs::remove_all(dir_.index());
  OpenIndex();
  EXPECT_TRUE(Slugs(agent, {.text = "提取"}).empty());
  int64_t last_total = 0;
  auto rebuilt = kb_->EnsureIndex([&](int64_t, int64_t total) { last_total = total; });
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().message;
  EXPECT_TRUE(*rebuilt);
  EXPECT_EQ(last_total, 7);
  EXPECT_EQ(Slugs(agent, {.text = "提取"}).at(0), "withdrawal-rent");
  // A change the index missed (another node wrote the database): stale, rebuilt.
  ASSERT_TRUE(db_->Query("UPDATE kb_state SET seq = seq + 1 WHERE id = 1").ok());
  auto stale = kb_->EnsureIndex();
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(*stale);
}

TEST_F(KbTest, ImportReportsBadFilesImportsGoodOnesAndIsIdempotent) {
  TempDir files;
  fs::path d = files.path();
  WriteFile(d / "withdrawal-rent.md", kGoodFile);
  std::string v1 = Replace(Replace(kGoodFile, "slug: withdrawal-rent", "slug: loan-max"),
                           "expires_at:", "expires_at: 2026-01-01");
  WriteFile(d / "loan-max.md", v1);
  std::string v2 =
      Replace(Replace(kGoodFile, "slug: withdrawal-rent", "slug: loan-max"), "2025-07-01", "2026-01-01");
  WriteFile(d / "loan-max@2.md", Replace(v2, "本市无自有住房", "新规：本市无自有住房"));
  WriteFile(d / "province-rule.md",
            Replace(Replace(kGoodFile, "slug: withdrawal-rent", "slug: province-rule"), "scope: center",
                    "scope: province"));
  WriteFile(d / "broken.md", Replace(Replace(kGoodFile, "slug: withdrawal-rent", "slug: broken"),
                                     "audience: individual", "audience: x"));
  WriteFile(
      d / "branches.json",
      "[{\"code\":\"LZ-CG\",\"name\":\"城关区服务网点\",\"address\":\"兰州市城关区庆阳路1号\",\"phone\":"
      "\"0931-1234567\","
      "\"hours\":\"周一至周五 8:30-17:30\",\"services\":[\"提取\",\"贷款\"],\"lat\":36.06,\"lng\":103.83,"
      "\"scope\":\"center\"}]");
  WriteFile(d / "README.txt", "not imported");
  auto lz = orgs_->FindByCode("GS-LZ");
  auto root = orgs_->FindByCode("MOHURD");
  org::Actor cli = org::Actor::ForCli(*root, org::Role::kAdmin);
  auto report = ImportPath(*kb_, cli, *lz, d.string());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->files, 6);
  EXPECT_EQ(report->created, 3);
  EXPECT_EQ(report->new_versions, 1);
  EXPECT_EQ(report->branches_changed, 1);
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_EQ(report->errors[0], "broken.md:7: audience 须为 individual、unit 或 all");
  // Imported articles are published and searchable; the province one is shared with Tianshui.
  org::Actor agent = As(org::Role::kAgent, "GS-LZ");
  EXPECT_FALSE(Slugs(agent, {.text = "租房"}).empty());
  auto ts = Slugs(As(org::Role::kAgent, "GS-TS"), {.text = "租房"});
  EXPECT_EQ(ts, std::vector<std::string>{"province-rule"});
  auto loan = kb_->GetArticleBySlug(agent, "loan-max");
  ASSERT_TRUE(loan.ok());
  ASSERT_EQ(loan->versions.size(), 2u);
  EXPECT_EQ(loan->in_effect->number, 2);
  // Same content again: nothing new.
  auto again = ImportPath(*kb_, cli, *lz, d.string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->new_versions, 0);
  EXPECT_EQ(again->unchanged, 4);
  EXPECT_EQ(again->branches_unchanged, 1);
  // Export and re-import elsewhere gives the same articles.
  TempDir out;
  auto exported = ExportDir(*kb_, cli, *lz, out.path(), ExportFormat::kJson);
  ASSERT_TRUE(exported.ok()) << exported.error().message;
  EXPECT_EQ(*exported, 4);
  auto reimport = ImportPath(*kb_, cli, *lz, out.path());
  ASSERT_TRUE(reimport.ok());
  EXPECT_EQ(reimport->unchanged, 4);
  EXPECT_TRUE(reimport->errors.empty()) << reimport->errors[0];
  TempDir md;
  ASSERT_TRUE(ExportDir(*kb_, cli, *lz, md.path(), ExportFormat::kMarkdown).ok());
  EXPECT_TRUE(fs::exists(fs::path(md.path()) / "loan-max@2.md"));
  auto missing = ImportPath(*kb_, cli, *lz, (d / "nope").string());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST_F(KbTest, BranchDirectory) {
  org::Actor leader = As(org::Role::kTeamLeader, "GS-LZ");
  Branch b{.code = "LZ-CG",
           .name = "城关区服务网点",
           .address = "兰州市城关区",
           .phone = "0931-1234567",
           .hours = "周一至周五",
           .services = {"提取", "贷款"},
           .lat = 36.06,
           .lng = 103.83};
  auto created = kb_->CreateBranch(leader, std::nullopt, b);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->org_code, "GS-LZ");
  EXPECT_DOUBLE_EQ(*created->lat, 36.06);
  EXPECT_EQ(kb_->CreateBranch(leader, std::nullopt, b).error().code, "code_taken");
  b.services = {"缴存"};
  auto updated = kb_->UpdateBranch(leader, created->id, b);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->services, std::vector<std::string>{"缴存"});
  org::Actor agent = As(org::Role::kAgent, "GS-LZ");
  EXPECT_EQ(kb_->UpdateBranch(agent, created->id, b).error().kind, ErrorKind::kPermissionDenied);
  auto by_service = kb_->ListBranches(agent, {.service = "缴存"});
  ASSERT_TRUE(by_service.ok());
  EXPECT_EQ(by_service->size(), 1u);
  EXPECT_TRUE(kb_->ListBranches(agent, {.service = "贷款"})->empty());
  EXPECT_TRUE(kb_->ListBranches(As(org::Role::kAgent, "GS-TS"), {})->empty()) << "another centre's branches";
  EXPECT_EQ(kb_->GetBranch(As(org::Role::kAgent, "SX-XA"), created->id).error().kind, ErrorKind::kNotFound);
  Branch bad = b;
  bad.lat = 91;
  EXPECT_EQ(kb_->CreateBranch(leader, std::nullopt, bad).error().code, "invalid_field");
  ASSERT_TRUE(kb_->DeleteBranch(leader, created->id).ok());
  EXPECT_TRUE(kb_->ListBranches(agent, {})->empty());
}

TEST_F(KbTest, CategoriesCountArticlesInView) {
  SeedSearchCorpus();
  auto cats = kb_->Categories(As(org::Role::kAgent, "GS-LZ"), std::nullopt);
  ASSERT_TRUE(cats.ok());
  std::map<std::string, int> m(cats->begin(), cats->end());
  EXPECT_EQ(m["贷款"], 2);
  EXPECT_EQ(m["贷款/利率"], 1);
  EXPECT_EQ(m["提取"], 1) << "Tianshui's article is not in Lanzhou's view";
  EXPECT_EQ(m["常见问题"], 0);
  EXPECT_EQ(cats->front().first, "缴存");
}

}  // namespace
}  // namespace hotline::kb
