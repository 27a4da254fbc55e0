// Indicator report benchmark (issue 5 performance target): with 10,000,000 CDRs across 30 centres and two
// years, any report — centre, province or nation; day, week, month, quarter or year — in < 20 ms, measured
// side by side in one run against the same figures computed by a plain SQL GROUP BY over the cdrs table,
// with identical results. Prints a Markdown table for docs/PERFORMANCE.md. bench/kpi-bench.sh builds the
// data set and runs this; it can also be run by hand on any existing deployment:
//
//   build/release/bench/kpi_bench --config hotline.toml [--date 2026-05-13] [--range FROM..TO]
//                                 [--center CODE] [--province CODE] [--iterations 200]
//                                 [--reference-iterations 5]
//
// Method: the database is opened the way `hotline serve` opens it (LoadConfig + App::Open: the configured
// engine, pool and pragmas). For each level × period, one warm-up call of each side, then
//  * report: --iterations calls of BuildReport — the code behind `hotline kpi report` and the API, including
//    the org-tree lookups and the threshold verdicts — over the daily sums (kpi_daily);
//  * GROUP BY: --reference-iterations calls of KpiStore::SumFromCdrs, one aggregate query over the CDRs of
//    the same centres and days (cdrs, clustered by (org_id, local_day): the query reads exactly the rows
//    it sums), timed without the org lookups;
// and the sums of both must be equal field by field, else the run fails (exit status 1). With --range, each
// level also gets a custom period (e.g. all the data: the longest report a supervisor can ask). The ratio is
// GROUP BY p50 / report p50. Single-threaded; the OS page cache is warm after the warm-up call.
#include <spdlog/spdlog.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "app/config.hpp"
#include "bench_util.hpp"
#include "kpi/report.hpp"

using namespace hotline;
using Clock_ = std::chrono::steady_clock;

namespace {

double Ms(Clock_::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

using hotline::bench::Machine;
using hotline::bench::Stats;
using hotline::bench::Summarise;

int Usage(const char* why) {
  std::fprintf(
      stderr,
      "kpi_bench: %s\nusage: kpi_bench --config FILE [--date YYYY-MM-DD] [--center CODE] [--province CODE]\n"
      "                 [--iterations N] [--reference-iterations N]\n",
      why);
  return 2;
}

struct Row {
  std::string level, org, period, label;
  int64_t calls = 0;
  Stats report, reference;
};

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, date_text = "2026-05-13", range_text, center, province;
  int iterations = 200, reference_iterations = 5;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--config" && (v = value()))
      config_path = v;
    else if (a == "--date" && (v = value()))
      date_text = v;
    else if (a == "--range" && (v = value()))
      range_text = v;
    else if (a == "--center" && (v = value()))
      center = v;
    else if (a == "--province" && (v = value()))
      province = v;
    else if (a == "--iterations" && (v = value()))
      iterations = std::max(1, std::atoi(v));
    else if (a == "--reference-iterations" && (v = value()))
      reference_iterations = std::max(1, std::atoi(v));
    else
      return Usage(("unknown or incomplete argument " + a).c_str());
  }
  if (config_path.empty()) return Usage("--config is required");
  Date date;
  if (!ParseDate(date_text, &date)) return Usage("--date must be YYYY-MM-DD");
  std::optional<std::pair<Date, Date>> range;
  if (!range_text.empty()) {
    size_t dots = range_text.find("..");
    Date from, to;
    if (dots == std::string::npos || !ParseDate(range_text.substr(0, dots), &from) ||
        !ParseDate(range_text.substr(dots + 2), &to))
      return Usage("--range must be YYYY-MM-DD..YYYY-MM-DD");
    range = {from, to};
  }

  auto config = app::LoadConfig(config_path);
  if (!config.ok()) return std::fprintf(stderr, "kpi_bench: %s\n", config.error().message.c_str()), 1;
  spdlog::set_level(spdlog::level::warn);
  auto app = app::App::Open(*config);
  if (!app.ok()) return std::fprintf(stderr, "kpi_bench: %s\n", app.error().message.c_str()), 1;
  const org::OrgDirectory& orgs = (*app)->orgs();
  const kpi::KpiStore& store = (*app)->kpi();

  // The three levels: the ministry (nation), a province and a centre (the first of each unless named).
  auto all = orgs.ListAll();
  if (!all.ok()) return std::fprintf(stderr, "kpi_bench: %s\n", all.error().message.c_str()), 1;
  std::string nation;
  for (const auto& o : *all) {
    if (o.level == org::OrgLevel::kMinistry && nation.empty()) nation = o.code;
    if (o.level == org::OrgLevel::kProvince && province.empty()) province = o.code;
    if (o.level == org::OrgLevel::kCenter && center.empty()) center = o.code;
  }
  if (nation.empty() || province.empty() || center.empty())
    return std::fprintf(stderr, "kpi_bench: the database needs a ministry, a province and a centre\n"), 1;

  std::vector<Row> rows;
  bool identical = true;
  for (auto [level, code] : {std::pair{"centre", center}, {"province", province}, {"nation", nation}}) {
    auto root = orgs.FindByCode(code);
    if (!root.ok()) return std::fprintf(stderr, "kpi_bench: %s\n", root.error().message.c_str()), 1;
    auto within = orgs.ListWithin(*root);
    if (!within.ok()) return std::fprintf(stderr, "kpi_bench: %s\n", within.error().message.c_str()), 1;
    std::vector<int64_t> centre_ids;
    for (const auto& o : *within)
      if (o.level == org::OrgLevel::kCenter) centre_ids.push_back(o.id);

    std::vector<kpi::PeriodKind> periods = {kpi::PeriodKind::kDay, kpi::PeriodKind::kWeek,
                                            kpi::PeriodKind::kMonth, kpi::PeriodKind::kQuarter,
                                            kpi::PeriodKind::kYear};
    if (range) periods.push_back(kpi::PeriodKind::kRange);
    for (kpi::PeriodKind period : periods) {
      kpi::ReportRequest req{.org_code = code, .period = period, .date = date};
      if (period == kpi::PeriodKind::kRange) req.date = range->first, req.to = range->second;
      auto run_report = [&]() -> kpi::Report {
        auto r = kpi::BuildReport(req, orgs, store);
        if (!r.ok()) std::fprintf(stderr, "kpi_bench: report: %s\n", r.error().message.c_str()), std::exit(1);
        return std::move(r).value();
      };
      kpi::Report report = run_report();  // warm-up, and the figures to compare
      const kpi::Period& p = report.rows[0].period;
      auto run_reference = [&]() -> kpi::DaySums {
        auto s = store.SumFromCdrs(centre_ids, p.start, p.end);
        if (!s.ok())
          std::fprintf(stderr, "kpi_bench: GROUP BY: %s\n", s.error().message.c_str()), std::exit(1);
        return *s;
      };
      kpi::DaySums reference = run_reference();  // warm-up

      Row row{level, code, std::string(kpi::PeriodName(period)), p.label, report.rows[0].sums.n_in, {}, {}};
      std::vector<double> times;
      for (int i = 0; i < iterations; ++i) {
        auto t0 = Clock_::now();
        kpi::Report r = run_report();
        times.push_back(Ms(Clock_::now() - t0));
        if (!(r.rows[0].sums == report.rows[0].sums)) identical = false;
      }
      row.report = Summarise(times);
      times.clear();
      for (int i = 0; i < reference_iterations; ++i) {
        auto t0 = Clock_::now();
        kpi::DaySums s = run_reference();
        times.push_back(Ms(Clock_::now() - t0));
        if (!(s == reference)) identical = false;
      }
      row.reference = Summarise(times);
      if (!(reference == report.rows[0].sums)) {
        identical = false;
        std::fprintf(stderr,
                     "kpi_bench: %s %s %s: the report's sums differ from the GROUP BY over cdrs "
                     "(n_in %lld vs %lld)\n",
                     level, code.c_str(), p.label.c_str(), static_cast<long long>(report.rows[0].sums.n_in),
                     static_cast<long long>(reference.n_in));
      }
      std::fprintf(stderr, "%-8s %-8s %-7s %10lld calls  report p50 %.3f ms  GROUP BY p50 %.1f ms\n", level,
                   code.c_str(), row.period.c_str(), static_cast<long long>(row.calls), row.report.p50,
                   row.reference.p50);
      rows.push_back(std::move(row));
    }
  }

  char date_now[32];
  std::time_t t = std::time(nullptr);
  std::strftime(date_now, sizeof date_now, "%Y-%m-%d", std::gmtime(&t));
  double worst_p99 = 0;
  for (const auto& r : rows) worst_p99 = std::max(worst_p99, r.report.p99);
  std::printf("- Date: %s; machine: %s\n", date_now, Machine().c_str());
  std::printf(
      "- Database: %s; reports for the periods containing %s%s%s; report: %d calls each, GROUP BY: %d\n",
      config->database.url.c_str(), date_text.c_str(), range ? " and the range " : "", range_text.c_str(),
      iterations, reference_iterations);
  std::printf(
      "\n| level | org | period | calls | report p50 ms | report p99 ms | GROUP BY p50 ms | ratio |\n");
  std::printf("|---|---|---|---:|---:|---:|---:|---:|\n");
  for (const auto& r : rows)
    std::printf("| %s | %s | %s %s | %lld | %.3f | %.3f | %.2f | %.0f× |\n", r.level.c_str(), r.org.c_str(),
                r.period.c_str(), r.label.c_str(), static_cast<long long>(r.calls), r.report.p50,
                r.report.p99, r.reference.p50, r.reference.p50 / std::max(r.report.p50, 1e-6));
  std::printf("\nResults identical to the GROUP BY: %s. Slowest report p99: %.3f ms (target < 20 ms): %s.\n",
              identical ? "yes, every field of every row" : "NO", worst_p99,
              worst_p99 < 20 ? "met" : "NOT met");
  return identical ? 0 : 1;
}
