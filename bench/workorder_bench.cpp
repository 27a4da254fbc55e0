// Work-order benchmark (issue 4 performance targets): with 1,000,000 orders in SQLite, filtered list
// pages p99 < 50 ms and the overdue scan over all open orders < 1 s. Prints a Markdown section for
// docs/PERFORMANCE.md (machine, method, date, results). Run by hand on an otherwise idle machine:
//
//   build/release/bench/workorder_bench [--orders N] [--db PATH] [--iterations N]
//
// Method: one SQLite file (WAL, synchronous=NORMAL while loading, the server's default FULL afterwards),
// migrated like `hotline migrate`; one province with 10 centres (GS-LZ holds half of all orders, the
// others share the rest), 8 departments per centre. Orders are spread over the 720 days before "now"
// (2026-11-20 10:00 CST), 20 % complaints, 10 % suggestions, 70 % inquiries; orders of the last 10 days
// are open in every state, older ones are closed (97 %), cancelled (1.5 %) or still open and overdue
// (1.5 %). Deadlines come from the real working calendar (DeadlineOf). Rows are written with plain
// INSERTs in transactions of 20,000 (with the subject search index, as the service writes it), then ANALYZE.
// Every measured call goes through WorkOrderService (the code the API runs), after one warm-up call; each
// figure is over --iterations calls (default 200). Call-back tasks: a follow-up of every closed complaint and
// a reminder for every second order; their list pages go through CallbackService::List (GET
// /api/v1/callbacks).
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "calendar/calendar_store.hpp"
#include "core/clock.hpp"
#include "kpi/complaint_counter.hpp"
#include "org/access.hpp"
#include "org/actor.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "org/users.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "workorder/escalation.hpp"
#include "workorder/internal.hpp"
#include "workorder/workorder_service.hpp"

using namespace hotline;
using namespace std::chrono_literals;
using Clock_ = std::chrono::steady_clock;

namespace {

class NoCounter final : public kpi::ComplaintCounter {
 public:
  Status AddComplaintOrders(store::Session&, int64_t, Date, int) override { return OkStatus(); }
};

class CountingSink final : public workorder::EscalationSink {
 public:
  void Notify(const workorder::EscalationNotice&) override { ++count; }
  std::atomic<int> count{0};
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "workorder_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.error().message);
  return std::move(r).value();
}
void Must(Status s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.error().message);
}

double Ms(Clock_::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

using hotline::bench::Machine;
using hotline::bench::Stats;
using hotline::bench::Summarise;

constexpr const char* kSubjects[] = {
    "公积金提取进度查询", "贷款审批进度",     "异地转移接续办理", "缴存基数调整", "提取到账延迟",
    "窗口服务态度",       "贷款利率咨询",     "租房提取材料",     "退休提取办理", "单位欠缴公积金",
    "冲还贷业务咨询",     "网厅登录问题",     "贷款额度计算",     "销户提取",     "补缴业务办理",
    "建议延长服务时间",   "建议增加自助终端", "账户冻结解除",     "离职提取",     "商转公贷款",
};

}  // namespace

int main(int argc, char** argv) {
  int64_t orders = 1'000'000;
  int iterations = 200;
  std::string db_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--orders" && i + 1 < argc)
      orders = std::stoll(argv[++i]);
    else if (a == "--iterations" && i + 1 < argc)
      iterations = std::stoi(argv[++i]);
    else if (a == "--db" && i + 1 < argc)
      db_path = argv[++i];
    else
      Die("usage: workorder_bench [--orders N] [--db PATH] [--iterations N]");
  }
  spdlog::set_level(spdlog::level::warn);  // stdout is the Markdown report
  std::filesystem::path dir;
  if (db_path.empty()) {
    dir = std::filesystem::temp_directory_path() / ("workorder-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    db_path = (dir / "bench.db").string();
  }
  const bool fresh = !std::filesystem::exists(db_path);

  TimePoint now;
  ParseIso8601("2026-11-20T10:00:00+08:00", &now);
  FakeClock clock(now);
  auto db = Must(
      store::Database::Open({.url = "sqlite:" + db_path, .pool_size = 4, .sqlite_synchronous_full = false}),
      "open");
  const store::ModuleMigrations modules[] = {org::kOrgMigrations, calendar::kCalendarMigrations,
                                             workorder::kWorkOrderMigrations};
  Must(store::Migrate(*db, modules), "migrate");
  org::OrgDirectory orgs(*db, clock);
  auto hasher = Must(org::PasswordHasher::Create(
                         {.secret_key = std::string(32, 'k'), .ops_limit = 1, .mem_limit_bytes = 8192}),
                     "hasher");
  org::UserDirectory users(*db, orgs, hasher, clock);
  org::AuditLog audit(*db, clock);
  calendar::CalendarStore calendar(*db, clock);
  NoCounter counter;
  workorder::WorkOrderService service(*db, clock, orgs, calendar, audit, counter);

  const int kCentres = 10, kDepartments = 8;
  std::vector<org::Org> centres;
  std::vector<std::vector<int64_t>> departments(kCentres);
  double load_seconds = 0;
  if (fresh) {
    Must(orgs.Create({.code = "MOHURD", .name = "住房和城乡建设部", .level = org::OrgLevel::kMinistry}),
         "org");
    Must(orgs.Create({.code = "GS",
                      .name = "甘肃省住房和城乡建设厅",
                      .level = org::OrgLevel::kProvince,
                      .parent_code = "MOHURD"}),
         "org");
    for (int c = 0; c < kCentres; ++c) {
      std::string code = c == 0 ? "GS-LZ" : "GS-C" + std::to_string(c);
      Must(orgs.Create({.code = code, .name = code, .level = org::OrgLevel::kCenter, .parent_code = "GS"}),
           "org");
      Must(users.Create({.username = "agent" + std::to_string(c),
                         .password = "Passw0rd!",
                         .role = org::Role::kAgent,
                         .org_code = code}),
           "user");
      Must(users.Create({.username = "dept" + std::to_string(c),
                         .password = "Passw0rd!",
                         .role = org::Role::kDepartment,
                         .org_code = code}),
           "user");
    }
  }
  for (int c = 0; c < kCentres; ++c)
    centres.push_back(Must(orgs.FindByCode(c == 0 ? "GS-LZ" : "GS-C" + std::to_string(c)), "org"));
  auto admin_of = [&](const org::Org& o) { return org::Actor::ForCli(o, org::Role::kAdmin); };
  if (fresh) {
    const char* names[] = {"贷款科", "归集科", "提取科", "稽核科", "信息科", "办公室", "财务科", "综合科"};
    for (int c = 0; c < kCentres; ++c) {
      for (int d = 0; d < kDepartments; ++d) {
        auto dep =
            Must(service.CreateDepartment(admin_of(centres[c]), centres[c].code, names[d]), "department");
        if (d == 0)
          Must(service.SetDepartmentMembers(
                   admin_of(centres[c]), dep.id,
                   {Must(users.FindByUsername("dept" + std::to_string(c)), "user").id}),
               "members");
      }
    }
  }
  for (int c = 0; c < kCentres; ++c)
    for (const auto& d : Must(service.ListDepartments(admin_of(centres[c]), std::nullopt), "departments"))
      departments[c].push_back(d.id);

  if (fresh) {
    auto t0 = Clock_::now();
    std::mt19937_64 rng(12329);
    std::uniform_real_distribution<double> u01(0, 1);
    std::vector<calendar::WorkingCalendar> cals;
    for (const auto& c : centres) cals.push_back(Must(calendar.Load(c.id), "calendar"));
    const TimeZone zone = TimeZone::Shanghai();
    const int64_t span_ms = 720LL * 86'400'000;
    std::vector<std::map<std::string, int64_t>> seq(kCentres);
    const int64_t batch = 20000;
    for (int64_t start = 0; start < orders; start += batch) {
      Must(db->Transaction([&](store::Session& s) -> Status {
        for (int64_t i = start; i < std::min(orders, start + batch); ++i) {
          // Creation instants grow with i (as ids do in production).
          int64_t created_ms = ToEpochMillis(now) - span_ms + span_ms * i / orders;
          TimePoint created = FromEpochMillis(created_ms);
          int c = u01(rng) < 0.5 ? 0 : 1 + static_cast<int>(rng() % (kCentres - 1));
          double r = u01(rng);
          const char* category = r < 0.2 ? "complaint" : r < 0.3 ? "suggestion" : "inquiry";
          int n = r < 0.2 ? 5 : r < 0.3 ? 2 : 3;
          calendar::Deadline d = cals[c].DeadlineOf(created, n, zone);
          calendar::Deadline soon = cals[c].DeadlineOf(created, n - 1, zone);
          const bool recent = now - created < std::chrono::days(10);
          double s_r = u01(rng);
          std::string state;
          if (recent) {
            state = s_r < 0.05   ? "draft"
                    : s_r < 0.2  ? "pending_confirmation"
                    : s_r < 0.45 ? "dispatched"
                    : s_r < 0.85 ? "in_progress"
                                 : "returned";
          } else {
            state = s_r < 0.97    ? "closed"
                    : s_r < 0.985 ? "cancelled"
                                  : (s_r < 0.9925 ? "in_progress" : "returned");
          }
          const bool open = state != "closed" && state != "cancelled";
          const bool dispatched =
              state != "draft" && state != "pending_confirmation" && !(state == "cancelled" && s_r > 0.98);
          store::Value dept =
              dispatched ? store::Value(departments[c][rng() % kDepartments]) : store::Value();
          store::Value done_at, closed_at;
          if (state == "closed") {
            int64_t done = created_ms + static_cast<int64_t>(u01(rng) * 7 * 86'400'000);
            done_at = done;
            closed_at = done + 3'600'000;
          }
          const Date day = zone.LocalDay(created);
          int64_t number = ++seq[c][FormatDate(day)];
          std::string subject =
              std::string(kSubjects[rng() % std::size(kSubjects)]) + "（" + std::to_string(i % 997) + "）";
          int level = open && !recent ? 2 : 0;
          HOTLINE_ASSIGN_OR_RETURN(
              auto ins,
              s.Query("INSERT INTO workorders (org_id, number, category, channel, priority, state, is_open, "
                      "caller_name, "
                      "caller_phone, subject, description, department_id, created_by_name, created_at, "
                      "workdays, last_day, "
                      "due_at, due_soon_at, due_provisional, done_at, closed_at, complaint_counted, "
                      "escalation_level, "
                      "updated_at, version) VALUES "
                      "($1,$2,$3,'phone','normal',$4,$5,'来电人',$6,$7,$8,$9,'bench',$10,$11,"
                      "$12,$13,$14,$15,$16,$17,0,$18,$10,1) RETURNING id",
                      {centres[c].id,
                       workorder::FormatOrderNumber(workorder::NumberPrefix(centres[c].code), day, number),
                       category, state, open, "138" + std::to_string(10'000'000 + rng() % 90'000'000),
                       subject, "来电人反映：" + subject + "，请相关部门核实处理并答复。", dept, created_ms,
                       n, FormatDate(d.last_day), ToEpochMillis(d.due), ToEpochMillis(soon.due),
                       d.provisional(), done_at, closed_at, level}));
          // The subject search index, as WorkOrderService::Create writes it.
          HOTLINE_RETURN_IF_ERROR(
              s.Query("INSERT INTO workorder_subject_grams (rowid, grams) VALUES ($1, $2)",
                      {ins.rows[0][0].AsInt(), workorder::internal::SubjectGrams(subject)}));
          // Call-back tasks (回访): a follow-up of every closed complaint, and a reminder for every other
          // order (as a bulk import would file them); the older ones are done or unreachable.
          const bool followup = state == "closed" && r < 0.2;
          if (followup || i % 2 == 0) {
            static const char* kKinds[] = {"policy_change", "rate_change", "account_change",
                                           "repayment_deadline"};
            double c_r = u01(rng);
            const char* status = recent       ? "pending"
                                 : c_r < 0.85 ? "done"
                                 : c_r < 0.95 ? "unreachable"
                                              : "pending";
            const bool final = std::string_view(status) != "pending";
            HOTLINE_RETURN_IF_ERROR(s.Query(
                "INSERT INTO workorder_callbacks (org_id, kind, status, order_id, caller_name, phone, topic, "
                "attempts, "
                "note, created_at, created_by, done_at, done_by, updated_at, version) VALUES "
                "($1,$2,$3,$4,'来电人',$5,"
                "$6,$7,'',$8,'bench',$9,$10,$8,1)",
                {centres[c].id, followup ? "complaint_followup" : kKinds[i % 4], status,
                 followup ? store::Value(ins.rows[0][0].AsInt()) : store::Value(),
                 "139" + std::to_string(10'000'000 + rng() % 90'000'000),
                 (followup ? "投诉回访：" : "提醒：") + subject, final ? 1 + static_cast<int>(rng() % 3) : 0,
                 created_ms + 86'400'000, final ? store::Value(created_ms + 2 * 86'400'000) : store::Value(),
                 final ? "agent0" : ""}));
          }
        }
        return OkStatus();
      }),
           "insert");
      if ((start / batch) % 10 == 0)
        std::fprintf(stderr, "\r%lld / %lld orders", static_cast<long long>(start + batch),
                     static_cast<long long>(orders));
    }
    Must(db->Query("ANALYZE"), "analyze");
    load_seconds = std::chrono::duration<double>(Clock_::now() - t0).count();
    std::fprintf(stderr, "\rloaded %lld orders in %.1f s\n", static_cast<long long>(orders), load_seconds);
  }
  db.reset();  // reopen as the server would: synchronous=FULL
  db = Must(store::Database::Open({.url = "sqlite:" + db_path, .pool_size = 4}), "reopen");
  org::OrgDirectory orgs2(*db, clock);
  org::AuditLog audit2(*db, clock);
  calendar::CalendarStore calendar2(*db, clock);
  workorder::WorkOrderService svc(*db, clock, orgs2, calendar2, audit2, counter);
  workorder::CallbackService callbacks_svc(*db, clock, orgs2, audit2);

  auto count = [&](const char* sql) { return Must(db->Query(sql), "count").rows[0][0].AsInt(); };
  const int64_t total = count("SELECT COUNT(*) FROM workorders");
  const int64_t open = count("SELECT COUNT(*) FROM workorders WHERE is_open = 1");
  const int64_t lz = count(
      "SELECT COUNT(*) FROM workorders w JOIN org_units_view o ON o.id = w.org_id WHERE o.code = 'GS-LZ'");
  const auto db_bytes = std::filesystem::file_size(db_path);

  const org::Org lz_org = Must(orgs2.FindByCode("GS-LZ"), "org");
  const org::Org gs_org = Must(orgs2.FindByCode("GS"), "org");
  auto actor = [&](const std::string& username) {
    auto u = Must(org::UserDirectory(*db, orgs2, hasher, clock).FindByUsername(username), "user");
    auto o = Must(orgs2.FindById(u.org_id), "org");
    return org::Actor::ForUser({.user = u, .org = o});
  };
  const org::Actor agent = actor("agent0");
  const org::Actor dept = actor("dept0");
  const org::Actor province = org::Actor::ForCli(gs_org, org::Role::kSupervisor);
  const int64_t loans = departments[0][0];

  struct Case {
    std::string name;
    const org::Actor* who;
    workorder::ListFilter filter;
    int pages = 1;  // follow next_cursor this many pages per call
  };
  TimePoint week_from, week_to;
  ParseIso8601("2025-11-17T00:00:00+08:00", &week_from);
  ParseIso8601("2025-11-24T00:00:00+08:00", &week_to);
  std::vector<Case> cases = {
      {"centre, newest first (page 1)", &agent, {}},
      {"centre, newest first, pages 1–20 by cursor", &agent, {}, 20},
      {"centre, state=in_progress", &agent, {.states = {workorder::State::kInProgress}}},
      {"centre, state=dispatched,in_progress",
       &agent,
       {.states = {workorder::State::kDispatched, workorder::State::kInProgress}}},
      {"centre, category=complaint", &agent, {.category = workorder::Category::kComplaint}},
      {"centre, department", &agent, {.department_id = loans}},
      {"centre, complaint + in_progress + department",
       &agent,
       {.states = {workorder::State::kInProgress},
        .category = workorder::Category::kComplaint,
        .department_id = loans}},
      {"centre, overdue (by deadline)", &agent, {.overdue = true, .sort = workorder::SortOrder::kDueFirst}},
      {"centre, due soon (by deadline)", &agent, {.due_soon = true, .sort = workorder::SortOrder::kDueFirst}},
      {"centre, created in one week a year ago", &agent, {.created_from = week_from, .created_to = week_to}},
      {"centre, text \"提取\" (common)", &agent, {.text = std::string("提取")}},
      {"centre, text \"异地转移\" (5 %)", &agent, {.text = std::string("异地转移")}},
      {"centre, text matching nothing", &agent, {.text = std::string("不存在的内容")}},
      {"centre, text = an order number", &agent, {.text = std::string("LZ20260105-0003")}},
      {"agent's queue", &agent, {.my_queue = true}},
      {"department user's queue", &dept, {.my_queue = true}},
      {"department user, all its orders", &dept, {}},
      {"province (10 centres), newest first", &province, {}},
      {"province, state=dispatched", &province, {.states = {workorder::State::kDispatched}}},
      {"province, overdue (by deadline)",
       &province,
       {.overdue = true, .sort = workorder::SortOrder::kDueFirst}},
  };
  struct Row {
    std::string name;
    Stats s;
    size_t rows;
  };
  std::vector<Row> results;
  for (auto& c : cases) {
    c.filter.limit = 50;
    std::vector<double> times;
    size_t rows = 0;
    for (int it = -1; it < iterations; ++it) {
      auto t0 = Clock_::now();
      workorder::ListFilter f = c.filter;
      rows = 0;
      for (int p = 0; p < c.pages; ++p) {
        auto page = Must(svc.List(*c.who, f), c.name.c_str());
        rows += page.items.size();
        if (!page.next_cursor) break;
        f.cursor = *page.next_cursor;
      }
      if (it >= 0) times.push_back(Ms(Clock_::now() - t0) / c.pages);
    }
    results.push_back({c.name, Summarise(times), rows});
    std::fprintf(stderr, "%-45s p99 %.2f ms\n", c.name.c_str(), results.back().s.p99);
  }

  // Call-back lists (回访): what `GET /api/v1/callbacks` runs, oldest first, 50 a page.
  const int64_t callbacks = count("SELECT COUNT(*) FROM workorder_callbacks");
  const int64_t followup_order =
      count("SELECT COALESCE(MAX(order_id), 0) FROM workorder_callbacks WHERE kind = 'complaint_followup'");
  struct CallbackCase {
    std::string name;
    const org::Actor* who;
    workorder::CallbackFilter filter;
    int pages = 1;
  };
  std::vector<CallbackCase> callback_cases = {
      {"call-backs: centre, all (page 1)", &agent, {}},
      {"call-backs: centre, pending", &agent, {.status = workorder::CallbackStatus::kPending}},
      {"call-backs: centre, pending, pages 1–20 by cursor",
       &agent,
       {.status = workorder::CallbackStatus::kPending},
       20},
      {"call-backs: centre, kind=policy_change", &agent, {.kind = workorder::CallbackKind::kPolicyChange}},
      {"call-backs: centre, one order's", &agent, {.order_id = followup_order}},
      {"call-backs: province (10 centres), all", &province, {}},
      {"call-backs: province, pending", &province, {.status = workorder::CallbackStatus::kPending}},
  };
  for (auto& c : callback_cases) {
    c.filter.limit = 50;
    std::vector<double> times;
    size_t rows = 0;
    for (int it = -1; it < iterations; ++it) {
      auto t0 = Clock_::now();
      workorder::CallbackFilter f = c.filter;
      rows = 0;
      for (int p = 0; p < c.pages; ++p) {
        auto page = Must(callbacks_svc.List(*c.who, f), c.name.c_str());
        rows += page.items.size();
        if (!page.next_cursor) break;
        f.cursor = *page.next_cursor;
      }
      if (it >= 0) times.push_back(Ms(Clock_::now() - t0) / c.pages);
    }
    results.push_back({c.name, Summarise(times), rows});
    std::fprintf(stderr, "%-45s p99 %.2f ms\n", c.name.c_str(), results.back().s.p99);
  }

  // The overdue scan: the board (open / due soon / overdue per department) over every open order, and
  // the escalation scheduler's pass — steady state (nothing new) and a first pass that must notify
  // every overdue order (escalation levels reset).
  struct Scan {
    std::string name;
    Stats s;
    std::string note;
  };
  std::vector<Scan> scans;
  auto timeit = [&](const std::string& name, int n, const std::function<std::string()>& fn) {
    std::vector<double> times;
    std::string note;
    fn();  // warm-up
    for (int i = 0; i < n; ++i) {
      auto t0 = Clock_::now();
      note = fn();
      times.push_back(Ms(Clock_::now() - t0));
    }
    scans.push_back({name, Summarise(times), note});
    std::fprintf(stderr, "%-45s max %.2f ms\n", name.c_str(), scans.back().s.max);
  };
  const int scan_runs = std::max(5, iterations / 10);
  timeit("board, centre (GS-LZ)", scan_runs, [&] {
    auto b = Must(svc.Summary(agent, std::nullopt), "summary");
    return std::to_string(b.total.open) + " open, " + std::to_string(b.total.overdue) + " overdue";
  });
  timeit("board, province (all open orders)", scan_runs, [&] {
    auto b = Must(svc.Summary(province, std::nullopt), "summary");
    return std::to_string(b.total.open) + " open, " + std::to_string(b.total.overdue) + " overdue, " +
           std::to_string(b.rows.size()) + " rows";
  });
  CountingSink sink;
  workorder::EscalationScheduler scheduler(*db, sink);
  timeit("escalation pass, nothing new", scan_runs,
         [&] { return std::to_string(Must(scheduler.RunOnce(now), "escalate")) + " notices"; });
  std::vector<double> first;
  std::string first_note;
  for (int i = 0; i < 3; ++i) {
    Must(db->Query("UPDATE workorders SET escalation_level = 0 WHERE is_open = 1"), "reset");
    auto t0 = Clock_::now();
    first_note = std::to_string(Must(scheduler.RunOnce(now), "escalate")) + " notices (each level committed)";
    first.push_back(Ms(Clock_::now() - t0));
  }
  scans.push_back({"escalation pass, every open order new", Summarise(first), first_note});

  // Markdown for docs/PERFORMANCE.md.
  char date[32];
  std::time_t t = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&t));
  std::printf("## Work orders (bench/workorder_bench.cpp)\n\n");
  std::printf(
      "- Date: %s\n- Machine: %s\n- SQLite %s, one file, WAL, synchronous=FULL for the measured calls\n",
      date, Machine().c_str(), sqlite3_libversion());
  std::printf(
      "- Data: %lld orders (%lld at GS-LZ, %lld open), %lld call-back tasks, 10 centres × 8 departments, "
      "%.0f MiB on disk%s\n",
      static_cast<long long>(total), static_cast<long long>(lz), static_cast<long long>(open),
      static_cast<long long>(callbacks), static_cast<double>(db_bytes) / (1 << 20),
      load_seconds > 0 ? (", loaded in " + std::to_string(static_cast<int>(load_seconds)) + " s").c_str()
                       : "");
  std::printf(
      "- Method: each list call goes through `WorkOrderService::List` (what `GET /api/v1/workorders` "
      "runs, without HTTP; call-backs: `CallbackService::List`, `GET /api/v1/callbacks`), 50 rows a page, %d "
      "calls after one "
      "warm-up; times per page.\n\n",
      iterations);
  std::printf("| filtered list page | rows | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
  for (const auto& r : results)
    std::printf("| %s | %zu | %.2f | %.2f | %.2f |\n", r.name.c_str(), r.rows, r.s.p50, r.s.p99, r.s.max);
  std::printf("\n| overdue scan | result | p50 ms | max ms |\n|---|---|---:|---:|\n");
  for (const auto& s : scans)
    std::printf("| %s | %s | %.1f | %.1f |\n", s.name.c_str(), s.note.c_str(), s.s.p50, s.s.max);
  std::fflush(stdout);
  db.reset();
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return 0;
}
