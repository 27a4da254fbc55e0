// Knowledge-base benchmark (issue 3 performance targets): over 20,000 articles, the index build < 60 s and
// search p99 < 10 ms on one core; and a search-quality mode over a query set. Run by hand:
//
//   build/release/bench/kb_bench [--articles N] [--queries N] [--dir PATH [--reuse]]
//   (--reuse: keep the articles of an earlier run in PATH; the index is rebuilt only when stale — for
//   iterating on the search, not for the build time)
//   build/release/bench/kb_bench --quality bench/kb-queries.tsv --articles-dir data/kb/demo [--show-misses]
//
// Speed mode. Method: a SQLite database in a temp directory, migrated like `hotline migrate`, with the demo
// tree (MOHURD → GS → GS-LZ, GS-TS); N synthetic articles (80 % Lanzhou, 20 % the province) generated
// deterministically from a vocabulary of provident-fund phrases — subjects (租房提取, 异地贷款, 缴存基数调整
// …), cities, question templates, and bodies assembled from condition/material/step/limit sentences with
// numbers — 1–3 published versions each (a later version supersedes an earlier one at a later date), inserted
// with plain SQL in one transaction. "Index build" is KbService::Reindex (what `hotline kb reindex` and a
// start with a stale index run): read every published version, compute the effective windows, build a new
// Xapian database, swap it in. "Search" is KbService::Search as the API calls it (scope lookups, query
// building, ranking, two snippets per hit, 10 hits), single thread, over a mix of two-character words,
// colloquial questions, mixed Chinese/English/digits, filtered and no-result queries; one warm-up pass, then
// --queries timed calls.
//
// Quality mode. Imports a directory of articles in the kb-format (like `hotline kb import --org GS-LZ`) and
// runs each TSV query (query<TAB>expected_slug, header line) as a Lanzhou agent; prints the share of queries
// whose expected article is among the first 3 results (and the first 1 and 10).
#include <spdlog/spdlog.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "kb/importer.hpp"
#include "kb/kb_service.hpp"
#include "kb/search_index.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

using namespace hotline;
using Steady = std::chrono::steady_clock;

namespace {

// CPU time of this thread in ms: on a shared, loaded machine wall time measures the neighbours too.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

const char* kSubjects[] = {"租房提取",     "购房提取",     "退休提取",
                           "离职提取",     "偿还贷款提取", "大病医疗提取",
                           "销户提取",     "异地购房提取", "老旧小区加装电梯提取",
                           "个人贷款",     "异地贷款",     "组合贷款",
                           "商转公贷款",   "二手房贷款",   "提前还款",
                           "贷款额度",     "贷款利率",     "贷款期限",
                           "缴存基数调整", "缴存比例",     "补缴",
                           "灵活就业缴存", "单位开户",     "单位汇缴",
                           "账户封存",     "账户启封",     "转移接续",
                           "异地转移",     "冲还贷",       "还款方式变更",
                           "逾期还款",     "担保方式",     "网上服务大厅",
                           "手机APP",      "12329热线",    "短信服务",
                           "公积金联名卡", "缴存证明",     "贷款结清证明",
                           "密码重置"};
const char* kCities[] = {"兰州", "天水", "白银", "酒泉", "张掖",   "武威",
                         "定西", "平凉", "庆阳", "陇南", "嘉峪关", "金昌"};
const char* kTitleTemplates[] = {"{s}需要什么条件？",   "{c}{s}怎么办理？",  "{s}需要带哪些材料？",
                                 "{s}多久能到账？",     "{s}有次数限制吗？", "{c}{s}的额度是多少？",
                                 "{s}可以在网上办吗？", "{s}常见问题解答"};
// The top category of a subject.
std::string TopCategory(const std::string& subject) {
  auto has = [&](const char* w) { return subject.find(w) != std::string::npos; };
  if (has("提取")) return "提取";
  if (has("单位")) return "单位业务";
  if (has("转移")) return "转移接续";
  if (has("贷") || has("还款") || has("担保") || has("冲还")) return "贷款";
  if (has("缴存") || has("补缴") || has("封存") || has("启封") || has("基数") || has("比例")) return "缴存";
  if (has("12329") || has("短信")) return "网点与联系方式";
  if (has("APP") || has("网上")) return "线上服务";
  return "常见问题";
}
const char* kSentences[] = {"职工连续足额缴存住房公积金满{n}个月，且本人及配偶在{c}市无自有住房。",
                            "申请人需携带本人身份证、公积金联名卡和{s}相关证明材料原件。",
                            "符合条件的，可登录网上服务大厅或手机APP在线办理{s}，资金{n}个工作日内到账。",
                            "每月提取额度不超过{n}00元，每年可办理{s}一次。",
                            "贷款最高额度为{n}0万元，期限最长不超过30年，且不超过法定退休年龄后5年。",
                            "首套住房五年以上公积金贷款利率为2.85%，不随LPR浮动。",
                            "单位应在每月{n}日前为职工汇缴住房公积金，缴存比例为5%至12%。",
                            "职工在异地缴存的，可通过全国住房公积金小程序申请转移接续，约{n}个工作日办结。",
                            "如有疑问，请拨打12329住房公积金服务热线，人工服务时间为工作日8:30至17:30。",
                            "办理{s}时，配偶名下有未结清公积金贷款的，须先结清贷款。",
                            "{c}管理部受理窗口地址可在业务网点查询，节假日不对外办公。",
                            "逾期超过{n}期的，将停止办理提取业务并报送征信系统。"};

std::string Fill(std::string t, const std::string& s, const std::string& c, int n) {
  auto rep = [&](const std::string& key, const std::string& value) {
    for (size_t p = t.find(key); p != std::string::npos; p = t.find(key, p + value.size()))
      t.replace(p, key.size(), value);
  };
  rep("{s}", s);
  rep("{c}", c);
  rep("{n}", std::to_string(n));
  return t;
}

struct Setup {
  std::string dir;
  std::unique_ptr<store::Database> db;
  SystemClock clock;
  std::unique_ptr<org::OrgDirectory> orgs;
  std::unique_ptr<org::AuditLog> audit;
  std::unique_ptr<kb::SearchIndex> index;
  std::unique_ptr<kb::KbService> kb;
  org::Org lz;
};

void Die(const std::string& what) {
  std::fprintf(stderr, "kb_bench: %s\n", what.c_str());
  std::exit(1);
}

void Open(Setup& s) {
  std::filesystem::create_directories(s.dir);
  auto db = store::Database::Open({.url = "sqlite:" + s.dir + "/kb.db", .sqlite_synchronous_full = false});
  if (!db.ok()) Die(db.error().message);
  s.db = std::move(*db);
  const store::ModuleMigrations modules[] = {org::kOrgMigrations, kb::kKbMigrations};
  if (auto m = store::Migrate(*s.db, modules); !m.ok()) Die(m.error().message);
  s.orgs = std::make_unique<org::OrgDirectory>(*s.db, s.clock);
  s.audit = std::make_unique<org::AuditLog>(*s.db, s.clock);
  (void)s.orgs->Create({.code = "MOHURD", .name = "住房和城乡建设部", .level = org::OrgLevel::kMinistry});
  (void)s.orgs->Create({.code = "GS",
                        .name = "甘肃省住房和城乡建设厅",
                        .level = org::OrgLevel::kProvince,
                        .parent_code = "MOHURD"});
  (void)s.orgs->Create({.code = "GS-LZ",
                        .name = "兰州住房公积金管理中心",
                        .level = org::OrgLevel::kCenter,
                        .parent_code = "GS"});
  (void)s.orgs->Create({.code = "GS-TS",
                        .name = "天水市住房公积金管理中心",
                        .level = org::OrgLevel::kCenter,
                        .parent_code = "GS"});
  s.lz = *s.orgs->FindByCode("GS-LZ");
  auto index = kb::SearchIndex::Open({.dir = s.dir + "/index"});
  if (!index.ok()) Die(index.error().message);
  s.index = std::move(*index);
  s.kb = std::make_unique<kb::KbService>(*s.db, s.clock, *s.orgs, *s.audit, *s.index);
}

org::Actor Agent(const org::Org& o) {
  org::Principal p;
  p.org = o;
  p.user.username = "bench";
  p.user.role = org::Role::kAgent;
  p.user.org_id = o.id;
  return org::Actor::ForUser(std::move(p));
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5));
  return v[i];
}

int Speed(const std::string& dir, int articles, int queries, bool reuse) {
  Setup s;
  s.dir = dir;
  reuse = reuse && std::filesystem::exists(dir + "/kb.db");
  Open(s);
  int64_t gs_id = s.orgs->FindByCode("GS")->id;
  std::mt19937 rng(12329);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const int subjects = sizeof(kSubjects) / sizeof(*kSubjects), cities = sizeof(kCities) / sizeof(*kCities);
  auto t0 = Steady::now();
  int versions = 0;
  auto st = reuse ? OkStatus() : s.db->Transaction([&](store::Session& ses) -> Status {
    for (int i = 0; i < articles; ++i) {
      int si = pick(subjects);
      std::string subj = kSubjects[si], city = kCities[pick(cities)];
      int64_t org = pick(5) == 0 ? gs_id : s.lz.id;
      auto a = ses.Query(
          "INSERT INTO kb_articles (org_id, slug, created_by, created_at) VALUES ($1, $2, 'bench', 0) "
          "RETURNING id",
          {org, "a-" + std::to_string(i)});
      if (!a.ok()) return a.take_error();
      int64_t id = a->rows[0][0].AsInt();
      int nv = 1 + pick(3);
      for (int v = 1; v <= nv; ++v) {
        std::string title = Fill(kTitleTemplates[pick(8)], subj, city, 0);
        std::string body = "## 办理条件\n";
        int sentences = 4 + pick(8);
        for (int k = 0; k < sentences; ++k) {
          if (k == sentences / 2) body += "\n## 办理流程\n";
          body += "- " +
                  Fill(kSentences[pick(12)], pick(3) ? subj : kSubjects[pick(subjects)], city, 1 + pick(12)) +
                  "\n";
        }
        std::string from = std::to_string(2020 + v * 2) + "-0" + std::to_string(1 + pick(9)) + "-01";
        std::string category = TopCategory(subj) + "/" + subj;
        auto r = ses.Query(
            "INSERT INTO kb_versions (article_id, number, state, title, body, category, tags, keywords, "
            "audience, "
            "effective_from, expires_at, created_by, created_at, reviewed_by, review_note) VALUES ($1, $2, "
            "'published', "
            "$3, $4, $5, $6, $7, $8, $9, NULL, 'bench', 0, 'bench', '')",
            {id, int64_t{v}, title, body, category, subj + ", " + city, subj, pick(4) ? "individual" : "all",
             from});
        if (!r.ok()) return r.take_error();
        ++versions;
      }
    }
    auto seq = ses.Query("UPDATE kb_state SET seq = seq + 1 WHERE id = 1");
    return seq.ok() ? OkStatus() : seq.take_error();
  });
  if (!st.ok()) Die(st.error().message);
  if (reuse) {
    auto n = s.db->Query("SELECT COUNT(*) FROM kb_versions");
    if (!n.ok()) Die(n.error().message);
    versions = static_cast<int>(n->rows[0][0].AsInt());
  }
  double load_s = std::chrono::duration<double>(Steady::now() - t0).count();

  t0 = Steady::now();
  double cpu0 = ThreadCpuMs();
  // --reuse: the database of an earlier --dir run; the index is rebuilt only when stale (format changed).
  if (reuse) {
    if (auto r = s.kb->EnsureIndex(); !r.ok()) Die(r.error().message);
  } else if (auto r = s.kb->Reindex(); !r.ok()) {
    Die(r.error().message);
  }
  double build_s = std::chrono::duration<double>(Steady::now() - t0).count();
  double build_cpu_s = (ThreadCpuMs() - cpu0) / 1e3;
  int64_t docs = s.index->document_count();

  const char* mix[] = {"提取",
                       "贷款",
                       "异地",
                       "租房提取需要什么材料",
                       "我想把公积金取出来交房租",
                       "异地贷款怎么办",
                       "LPR",
                       "公积金贷款利率和LPR有关系吗",
                       "12329",
                       "12329热线几点上班",
                       "app怎么提取",
                       "退休了公积金怎么取",
                       "商转公",
                       "缴存基数每年什么时候调",
                       "离职以后公积金怎么办",
                       "冲还贷",
                       "组合贷款额度",
                       "飞机票",
                       "zzqqxx",
                       "转移接续要多久"};
  const int mix_n = sizeof(mix) / sizeof(*mix);
  org::Actor agent = Agent(s.lz);
  auto run = [&](int i) {
    kb::SearchRequest r{.text = mix[i % mix_n]};
    if (i % 5 == 1) r.category = "提取";
    if (i % 7 == 2) r.audience = kb::Audience::kIndividual;
    auto page = s.kb->Search(agent, r);
    if (!page.ok()) Die(page.error().message);
    return page->result.hits.size();
  };
  for (int i = 0; i < mix_n * 2; ++i) run(i);  // warm-up
  std::vector<double> ms, cpu;
  std::vector<size_t> per_hits;
  size_t hits = 0;
  for (int i = 0; i < queries; ++i) {
    auto q0 = Steady::now();
    double c0 = ThreadCpuMs();
    size_t h = run(i);
    hits += h;
    per_hits.push_back(h);
    cpu.push_back(ThreadCpuMs() - c0);
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - q0).count());
  }
  utsname u{};
  uname(&u);
  std::printf("## kb_bench %s\n\n", FormatUtc(SystemClock().Now()).c_str());
  std::printf("machine: %s %s, %ld cores\n\n", u.sysname, u.release, sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("| measure | value |\n|---|---|\n");
  std::printf("| articles / published versions | %d / %d |\n", articles, versions);
  std::printf("| load (SQL, one transaction) | %.1f s |\n", load_s);
  double load1 = 0;
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load1) != 1) load1 = 0;
    std::fclose(f);
  }
  std::printf("| index build (KbService::Reindex), wall / CPU | %.1f s / %.1f s (%lld documents) |\n",
              build_s, build_cpu_s, static_cast<long long>(docs));
  std::printf(
      "| search p50, wall / CPU | %.2f ms / %.2f ms |\n| search p99, wall / CPU | %.2f ms / %.2f ms |\n"
      "| search max, wall / CPU | %.2f ms / %.2f ms |\n",
      Percentile(ms, 0.5), Percentile(cpu, 0.5), Percentile(ms, 0.99), Percentile(cpu, 0.99),
      *std::max_element(ms.begin(), ms.end()), *std::max_element(cpu.begin(), cpu.end()));
  std::printf("| load average (1 min) at the end | %.1f |\n", load1);
  std::printf("| queries timed / mean hits per page | %d / %.1f |\n", queries,
              static_cast<double>(hits) / queries);
  if (std::getenv("KB_BENCH_BREAKDOWN")) {
    std::printf("\n| query | mean CPU ms | mean hits |\n|---|---:|---:|\n");
    for (int q = 0; q < mix_n; ++q) {
      double sum = 0, h = 0;
      int n = 0;
      for (int i = q; i < queries; i += mix_n) sum += cpu[i], h += per_hits[i], ++n;
      std::printf("| %s | %.2f | %.1f |\n", mix[q], n ? sum / n : 0.0, n ? h / n : 0.0);
    }
  }
  return 0;
}

int Quality(const std::string& dir, const std::string& tsv, const std::string& articles_dir,
            bool show_misses) {
  Setup s;
  s.dir = dir;
  Open(s);
  auto root = s.orgs->FindByCode("MOHURD");
  auto report = kb::ImportPath(*s.kb, org::Actor::ForCli(*root, org::Role::kAdmin), s.lz, articles_dir);
  if (!report.ok()) Die(report.error().message);
  for (const auto& e : report->errors) std::fprintf(stderr, "%s\n", e.c_str());
  std::ifstream in(tsv);
  if (!in) Die("cannot read " + tsv);
  std::string line;
  std::getline(in, line);  // header
  int total = 0, top1 = 0, top3 = 0, top10 = 0;
  org::Actor agent = Agent(s.lz);
  std::vector<std::string> misses;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t tab = line.find('\t');
    if (line.empty() || tab == std::string::npos) continue;
    std::string q = line.substr(0, tab), expected = line.substr(tab + 1);
    auto page = s.kb->Search(agent, {.text = q, .page_size = 10});
    if (!page.ok()) Die(page.error().message);
    ++total;
    int rank = 0;
    for (size_t i = 0; i < page->result.hits.size(); ++i)
      if (page->result.hits[i].slug == expected) {
        rank = static_cast<int>(i) + 1;
        break;
      }
    top1 += rank == 1;
    top3 += rank >= 1 && rank <= 3;
    top10 += rank >= 1;
    if (rank == 0 || rank > 3)
      misses.push_back(
          q + " → " + expected + " (rank " + (rank ? std::to_string(rank) : std::string("-")) +
          ", first: " + (page->result.hits.empty() ? std::string("none") : page->result.hits[0].slug) + ")");
  }
  std::printf("articles imported: %d (+%d versions), queries: %d\n", report->created, report->new_versions,
              total);
  std::printf("top-1: %d (%.1f %%)\ntop-3: %d (%.1f %%)\ntop-10: %d (%.1f %%)\n", top1,
              100.0 * top1 / std::max(total, 1), top3, 100.0 * top3 / std::max(total, 1), top10,
              100.0 * top10 / std::max(total, 1));
  if (show_misses)
    for (const auto& m : misses) std::printf("miss: %s\n", m.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  int articles = 20000, queries = 2000;
  std::string dir, tsv, articles_dir;
  bool show_misses = false, reuse = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--articles")
      articles = std::stoi(next());
    else if (a == "--queries")
      queries = std::stoi(next());
    else if (a == "--dir")
      dir = next();
    else if (a == "--quality")
      tsv = next();
    else if (a == "--articles-dir")
      articles_dir = next();
    else if (a == "--show-misses")
      show_misses = true;
    else if (a == "--reuse")
      reuse = true;
    else
      Die("unknown option " + a);
  }
  bool temp = dir.empty();
  if (temp) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kb-bench-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) Die("mkdtemp failed");
    dir = tmpl;
  }
  int rc = tsv.empty() ? Speed(dir, articles, queries, reuse)
                       : Quality(dir, tsv, articles_dir.empty() ? "data/kb/demo" : articles_dir, show_misses);
  if (temp) std::filesystem::remove_all(dir);
  return rc;
}
