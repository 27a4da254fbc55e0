// hotline cdr import|generate, hotline kpi report — the indicator engine from the command line.
#include <fstream>
#include <iostream>

#include "app/cli.hpp"
#include "app/progress.hpp"
#include "kpi/cdr_generator.hpp"
#include "kpi/cdr_import.hpp"
#include "kpi/federation.hpp"
#include "kpi/report.hpp"
#include "kpi/xlsx_export.hpp"

namespace hotline::app {

void AddKpiCommands(CLI::App& cli, CliContext& ctx) {
  auto* cdr = cli.add_subcommand("cdr", "call detail records: import from CSV, generate test data");
  cdr->require_subcommand(1);

  static std::vector<std::string> files;
  static size_t batch_rows = 5000;
  auto* import =
      cdr->add_subcommand("import", "import CDR CSV files (idempotent; bad rows reported as FILE:LINE)");
  import->add_option("files", files, "CSV files")->required();
  import->add_option("--batch", batch_rows, "rows per transaction")->capture_default_str();
  ctx.AddConfigOption(import);
  import->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
  if (!app) return ctx.exit_code();
  int rc = 0;
  for (const auto& file : files) {
    TerminalProgress progress("导入 " + file);
    kpi::CdrImporter importer(app->kpi(), app->orgs(), app->random());
    auto summary = importer.ImportFile(
        file,
        {.batch_rows = batch_rows, .progress = [&](size_t done, size_t total, const kpi::ImportSummary& s) {
           progress.Update(static_cast<double>(done), static_cast<double>(total),
                           "新增 " + Grouped(s.imported) + " 行");
         }});
    progress.Finish();
    if (!summary.ok()) {
      rc = PrintError(summary.error());
      continue;
    }
    for (const auto& e : summary->errors) std::fprintf(stderr, "%s\n", e.c_str());
    if (summary->error_count > static_cast<int64_t>(summary->errors.size()))
      std::fprintf(
          stderr, "… and %lld more bad rows\n",
          static_cast<long long>(summary->error_count - static_cast<int64_t>(summary->errors.size())));
    std::printf("%s: %s rows read, %s imported, %s already imported before, %s bad rows\n", file.c_str(),
                Grouped(summary->rows).c_str(), Grouped(summary->imported).c_str(),
                Grouped(summary->already_stored).c_str(), Grouped(summary->error_count).c_str());
    if (summary->error_count > 0) rc = 1;
  }
  return rc;
};
}  // namespace hotline::app
);

static std::string out_path, centers = "GS-LZ", first_day = "2026-01-01";
static int days = 30, per_day = 400;
static uint64_t seed = 12329;
auto* generate = cdr->add_subcommand("generate", "write synthetic CDRs as CSV (demos, benchmarks)");
generate->add_option("--out", out_path, "output CSV file")->required();
generate->add_option("--centers", centers, "comma-separated centre codes")->capture_default_str();
generate->add_option("--from", first_day, "first day YYYY-MM-DD")->capture_default_str();
generate->add_option("--days", days, "number of days")->capture_default_str();
generate->add_option("--per-day", per_day, "mean calls per centre and working day")->capture_default_str();
generate->add_option("--seed", seed, "random seed")->capture_default_str();
ctx.AddConfigOption(generate);
generate->callback([&ctx] {
  ctx.run = [] {
    kpi::GeneratorOptions o{.days = days, .calls_per_day = per_day, .seed = seed};
    if (!ParseDate(first_day, &o.first_day))
      return PrintError(Error::InvalidArgument("", "--from must be a date YYYY-MM-DD"), 2);
    o.centers.clear();
    for (size_t pos = 0; pos <= centers.size();) {
      size_t comma = centers.find(',', pos);
      if (comma == std::string::npos) comma = centers.size();
      if (comma > pos) o.centers.push_back(centers.substr(pos, comma - pos));
      pos = comma + 1;
    }
    std::ofstream out(out_path, std::ios::binary);
    if (!out) return PrintError(Error::InvalidArgument("", "cannot write " + out_path));
    TerminalProgress progress("生成 " + out_path);
    int64_t rows = kpi::GenerateCdrs(o, out, [&](int d) { progress.Update(d + 1, days); });
    progress.Finish();
    std::printf("%s: %s rows\n", out_path.c_str(), Grouped(rows).c_str());
    return 0;
  };
});

auto* kpi_cmd = cli.add_subcommand("kpi", "the eight indicators (R-KPI): reports and exports");
kpi_cmd->require_subcommand(1);
struct ReportArgs {
  std::string center, province, period = "day", date, to, basis, profile, format = "json", by, out;
  bool nation = false;
};
static ReportArgs ra;
auto* report =
    kpi_cmd->add_subcommand("report", "indicators of a centre, a province or the nation for a period");
auto* who = report->add_option_group("scope", "exactly one of --center, --province, --nation");
who->add_option("--center", ra.center, "centre code");
who->add_option("--province", ra.province, "province code");
who->add_flag("--nation", ra.nation, "the whole country");
who->require_option(1);
report->add_option("--period", ra.period, "day|week|month|quarter|year|range")->capture_default_str();
report->add_option("--date", ra.date, "a day inside the period, YYYY-MM-DD")->required();
report->add_option("--to", ra.to, "last day of a range");
report->add_option("--basis", ra.basis, "manual|all (default: [kpi] basis)");
report->add_option(
    "--profile", ra.profile,
    "threshold profile: guideline|gansu|a custom one (default: the org's choice, else [kpi] profile)");
report->add_option("--format", ra.format, "json|csv|oracle-sql|xlsx")->capture_default_str();
report->add_option("--out", ra.out, "output file (required for xlsx; default standard output)");
report->add_option("--by", ra.by, "center|province: one more row per centre or province inside");
ctx.AddConfigOption(report);
report->callback([&ctx] {
  ctx.run = [&ctx] {
    App* app = ctx.OpenApp();
    if (!app) return ctx.exit_code();
    const auto& cfg = app->config();
    kpi::ReportRequest req;
    auto period = kpi::ParsePeriod(ra.period);
    if (!period)
      return PrintError(
          Error::InvalidArgument("", "--period must be day, week, month, quarter, year or range"), 2);
    req.period = *period;
    if (!ParseDate(ra.date, &req.date))
      return PrintError(Error::InvalidArgument("", "--date must be YYYY-MM-DD"), 2);
    if (!ra.to.empty()) {
      Date to;
      if (!ParseDate(ra.to, &to)) return PrintError(Error::InvalidArgument("", "--to must be YYYY-MM-DD"), 2);
      req.to = to;
    }
    auto basis = kpi::ParseBasis(ra.basis.empty() ? cfg.kpi.basis : ra.basis);
    if (!basis) return PrintError(Error::InvalidArgument("", "--basis must be manual or all"), 2);
    req.options = {.basis = *basis, .satisfied_includes_basic = cfg.kpi.satisfied_includes_basic};
    req.profile = ra.profile;  // empty: the profile the organisation chose ([kpi] profile by default)
    req.profiles = &app->profiles();
    if (ra.by == "center")
      req.by = kpi::Breakdown::kCenter;
    else if (ra.by == "province")
      req.by = kpi::Breakdown::kProvince;
    else if (!ra.by.empty())
      return PrintError(Error::InvalidArgument("", "--by must be center or province"), 2);
    if (ra.nation) {
      auto all = app->orgs().ListAll();
      if (!all.ok()) return PrintError(all.error());
      if (all->empty() || all->front().level != org::OrgLevel::kMinistry)
        return PrintError(
            Error::NotFound("no ministry organisation: add it with hotline org add --level ministry"));
      req.org_code = all->front().code;
    } else {
      req.org_code = ra.center.empty() ? ra.province : ra.center;
    }
    auto result = kpi::BuildReport(req, app->orgs(), app->kpi());
    if (!result.ok()) return PrintError(result.error());
    if (ra.format == "xlsx") {
      if (ra.out.empty())
        return PrintError(Error::InvalidArgument("", "--format xlsx needs --out FILE.xlsx"), 2);
      Status st = kpi::WriteXlsx(*result, ra.out);
      if (!st.ok()) return PrintError(st.error());
      std::printf("%s: %zu rows\n", ra.out.c_str(), result->rows.size());
      return 0;
    }
    std::string text;
    if (ra.format == "json")
      text = kpi::ToJson(*result).dump(2) + "\n";
    else if (ra.format == "csv")
      text = kpi::ToCsv(*result);
    else if (ra.format == "oracle-sql")
      text = kpi::ToOracleSql(*result);
    else
      return PrintError(Error::InvalidArgument("", "--format must be json, csv, oracle-sql or xlsx"), 2);
    if (ra.out.empty()) {
      std::fwrite(text.data(), 1, text.size(), stdout);
    } else {
      std::ofstream out(ra.out, std::ios::binary);
      out << text;
      if (!out) return PrintError(Error::Unavailable("cannot write " + ra.out));
    }
    return 0;
  };
});
}

void AddFederationCommands(CLI::App& cli, CliContext& ctx) {
  auto* fed =
      cli.add_subcommand("federation", "report daily sums upward: centre → province → ministry (R-ORG-3)");
  fed->require_subcommand(1);
  static std::string org_code;
  auto* token = fed->add_subcommand(
      "token", "issue a federation token for a lower-level organisation (run at the parent)");
  token->add_option("--org", org_code, "the centre or province that will push here")->required();
  ctx.AddConfigOption(token);
  token->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto t = app->federation().IssueToken(org_code);
      if (!t.ok()) return PrintError(t.error());
      auto o = app->orgs().FindByCode(org_code);
      (void)app->audit().Append({.actor = "cli",
                                 .org_path = o.ok() ? o->path : "/",
                                 .org_code = org_code,
                                 .action = "federation.token.issue",
                                 .target_type = "org",
                                 .target_id = org_code,
                                 .channel = "cli"});
      std::printf("%s\n", t->c_str());
      std::fprintf(stderr, "Put it in %s's config: [federation] token = \"…\" (shown only now).\n",
                   org_code.c_str());
      return 0;
    };
  });
  auto* push = fed->add_subcommand("push", "push every changed day to [federation] upstream_url now");
  ctx.AddConfigOption(push);
  push->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      const auto& c = app->config();
      if (c.federation.upstream_url.empty() || c.federation.token.empty())
        return PrintError(
            Error::InvalidArgument("", "set [federation] upstream_url and token in " + ctx.config_path), 2);
      auto pushed = kpi::PushUpstream(app->federation(), c.federation.upstream_url, c.federation.token);
      if (!pushed.ok()) return PrintError(pushed.error());
      std::printf("%lld centre-days pushed to %s\n", static_cast<long long>(*pushed),
                  c.federation.upstream_url.c_str());
      return 0;
    };
  });
}

}  // namespace hotline::app
