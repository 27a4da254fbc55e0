// hotline calendar add-workdays|is-workday|import|list — the working calendar from the command line
// (docs/CALENDAR.md): working-day arithmetic for operators and scripts, and loading next year's State
// Council notice without a release. The import is audit-logged with actor "cli".
#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include "app/cli.hpp"
#include "calendar/calendar_store.hpp"

namespace hotline::app {
namespace {

// Exit code 2 and a clear message for a date argument that is not YYYY-MM-DD.
std::optional<Date> ParseDateArg(const std::string& text, int* exit_code) {
  Date d;
  if (ParseDate(text, &d)) return d;
  *exit_code =
      PrintError(Error::InvalidArgument("", "日期 " + text + " 无效，请写成 YYYY-MM-DD，例如 2026-02-13"), 2);
  return std::nullopt;
}

// The centre named by --org (its closures apply), or none for the national calendar.
// Errors: not_found (exit 1), a code that is not a centre (exit 2).
std::optional<std::optional<int64_t>> OrgArg(App& app, const std::string& code, int* exit_code) {
  if (code.empty()) return std::optional<int64_t>();
  auto o = app.orgs().FindByCode(code);
  if (!o.ok()) {
    *exit_code = PrintError(o.error());
    return std::nullopt;
  }
  if (o->level != org::OrgLevel::kCenter) {
    *exit_code =
        PrintError(Error::InvalidArgument("", "--org 须为中心（center）的代码；本地闭馆日只属于中心"), 2);
    return std::nullopt;
  }
  return std::optional<int64_t>(o->id);
}

void WarnProvisional(const std::vector<int>& years) {
  for (int year : years)
    std::fprintf(stderr,
                 "hotline: provisional: no calendar data for %d (load the State Council notice with "
                 "`hotline calendar import FILE`)\n",
                 year);
}

}  // namespace

void AddCalendarCommands(CLI::App& cli, CliContext& ctx) {
  auto* cal =
      cli.add_subcommand("calendar", "working calendar: holidays, make-up working days, local closures");
  cal->require_subcommand(1);

  struct CalendarArgs {
    std::string date, org, file;
    int n = 0;
    int year = 0;
  };
  static CalendarArgs ca;

  auto* add =
      cal->add_subcommand("add-workdays", "print the date N working days after DATE (DATE not counted)");
  add->add_option("DATE", ca.date, "start date, YYYY-MM-DD")->required();
  add->add_option("N", ca.n, "number of working days, 0–3660")->required();
  add->add_option("--org", ca.org, "centre code: include its local closures");
  ctx.AddConfigOption(add);
  add->callback([&ctx] {
    ctx.run = [&ctx] {
      int code = 2;
      auto start = ParseDateArg(ca.date, &code);
      if (!start) return code;
      if (auto st = calendar::CheckWorkdayCount(ca.n); !st.ok()) return PrintError(st.error(), 2);
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto org_id = OrgArg(*app, ca.org, &code);
      if (!org_id) return code;
      auto working = app->calendar().Load(*org_id);
      if (!working.ok()) return PrintError(working.error());
      auto result = working->AddWorkdays(*start, ca.n);
      std::printf("%s\n", FormatDate(result.date).c_str());
      WarnProvisional(result.unloaded_years);
      return 0;
    };
  });

  auto* is = cal->add_subcommand("is-workday", "print yes if DATE is a working day, else no");
  is->add_option("DATE", ca.date, "date, YYYY-MM-DD")->required();
  is->add_option("--org", ca.org, "centre code: include its local closures");
  ctx.AddConfigOption(is);
  is->callback([&ctx] {
    ctx.run = [&ctx] {
      int code = 2;
      auto day = ParseDateArg(ca.date, &code);
      if (!day) return code;
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto org_id = OrgArg(*app, ca.org, &code);
      if (!org_id) return code;
      auto working = app->calendar().Load(*org_id);
      if (!working.ok()) return PrintError(working.error());
      std::printf("%s\n", working->IsWorkday(*day) ? "yes" : "no");
      if (int year = calendar::YearOf(*day); !working->IsLoaded(year)) WarnProvisional({year});
      return 0;
    };
  });

  auto* import_cmd = cal->add_subcommand("import", "load a year's schedule from a CSV file (date,kind,name)");
  import_cmd->add_option("FILE", ca.file, "UTF-8 CSV with the header date,kind,name")->required();
  ctx.AddConfigOption(import_cmd);
  import_cmd->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto report = app->calendar().ImportFile(ca.file);
      if (!report.ok()) {
        // invalid_file: one "FILE:LINE: reason" per line, as they are (docs/ERRORS.md).
        if (report.error().code == "invalid_file") {
          std::fprintf(stderr, "%s\n", report.error().message.c_str());
          return 1;
        }
        return PrintError(report.error());
      }
      std::string years;
      for (int y : report->years) years += (years.empty() ? "" : ", ") + std::to_string(y);
      org::AuditEntry e{.actor = "cli",
                        .org_path = "/",
                        .action = "calendar.import",
                        .target_type = "calendar",
                        .target_id = years,
                        .channel = "cli"};
      e.detail = {{"days", report->days}, {"years", report->years}};
      if (auto r = app->audit().Append(std::move(e)); !r.ok()) PrintError(r.error());
      std::printf("imported %d days for %s\n", report->days, years.c_str());
      return 0;
    };
  });

  auto* list = cal->add_subcommand("list", "list the holidays and make-up working days of a year");
  list->add_option("--year", ca.year, "year, e.g. 2026")->required();
  list->add_option("--org", ca.org, "centre code: also list its local closures");
  ctx.AddConfigOption(list);
  list->callback([&ctx] {
    ctx.run = [&ctx] {
      if (auto st = calendar::CheckCalendarYear(ca.year); !st.ok()) return PrintError(st.error(), 2);
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      int code = 2;
      auto org_id = OrgArg(*app, ca.org, &code);
      if (!org_id) return code;
      auto listing = app->calendar().ListYear(ca.year, *org_id);
      if (!listing.ok()) return PrintError(listing.error());
      // By date; a centre's closure is marked "closed" and shown after a national entry of the same day.
      std::vector<std::pair<const calendar::CalendarDay*, bool>> rows;  // (day, is a local closure)
      for (const auto& d : listing->national) rows.emplace_back(&d, false);
      for (const auto& d : listing->closures) rows.emplace_back(&d, true);
      std::stable_sort(rows.begin(), rows.end(),
                       [](const auto& a, const auto& b) { return a.first->date < b.first->date; });
      for (const auto& [d, local] : rows) {
        std::string kind = local ? "closed" : std::string(calendar::DayKindName(d->kind));
        std::string suffix = local ? " (" + ca.org + ")" : "";
        std::printf("%s  %-7s  %s%s\n", FormatDate(d->date).c_str(), kind.c_str(), d->name.c_str(),
                    suffix.c_str());
      }
      if (!listing->loaded) WarnProvisional({ca.year});
      return 0;
    };
  });
}

}  // namespace hotline::app
