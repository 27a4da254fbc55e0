// hotline workorder list|escalate|department add|department list|sla — the operator's view of work orders
// (R-WO-1…5). The CLI acts as "cli": lists and reports read with a supervisor's rights inside the --org
// subtree (phones masked); department changes act as an admin of the centre and are audit-logged.
// The server runs the escalation scheduler itself (App::Serve); `escalate --once` runs one pass by hand.
#include <cstdio>
#include <mutex>

#include "app/cli.hpp"
#include "org/actor.hpp"
#include "workorder/escalation.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::app {
namespace {

// Prints each notice as one line (the CLI has no live channel).
class PrintingSink final : public workorder::EscalationSink {
 public:
  void Notify(const workorder::EscalationNotice& n) override {
    std::lock_guard lock(mu_);
    std::printf("%-8s %-18s %-8s %-12s due %s  %s\n",
                std::string(workorder::EscalationLevelName(n.level)).c_str(), n.number.c_str(),
                n.org_code.c_str(), n.department.empty() ? "-" : n.department.c_str(),
                FormatUtc(n.due_at).c_str(), std::string(workorder::StateName(n.state)).c_str());
  }

 private:
  std::mutex mu_;
};

Result<org::Org> FindOrg(App& app, const std::string& code) {
  if (code.empty()) return Error::InvalidArgument("invalid_field", "--org 是必填项：机构代码，例如 GS-LZ");
  return app.orgs().FindByCode(code);
}

}  // namespace

void AddWorkOrderCommands(CLI::App& cli, CliContext& ctx) {
  auto* wo = cli.add_subcommand("workorder", "work orders (工单): list, escalation, departments, SLA report");
  wo->require_subcommand(1);

  struct ListArgs {
    std::string org, state, category, text;
    bool overdue = false, due_soon = false;
    int limit = 50;
  };
  static ListArgs la;
  auto* list =
      wo->add_subcommand("list", "list work orders of an organisation (newest first; phones masked)");
  list->add_option("--org", la.org, "centre or province code, e.g. GS-LZ")->required();
  list->add_option("--state", la.state, "comma-separated states, e.g. dispatched,in_progress");
  list->add_option("--category", la.category, "complaint | suggestion | inquiry");
  list->add_option("--text", la.text, "subject contains, or an order number");
  list->add_flag("--overdue", la.overdue, "open and past the deadline (sorted by deadline)");
  list->add_flag("--due-soon", la.due_soon, "open and due soon (sorted by deadline)");
  list->add_option("--limit", la.limit, "rows, 1–200")->capture_default_str();
  ctx.AddConfigOption(list);
  list->callback([&ctx] {
    ctx.run = [&ctx] {
      workorder::ListFilter f{.overdue = la.overdue, .due_soon = la.due_soon, .limit = la.limit};
      std::string_view rest = la.state;
      while (!rest.empty()) {
        size_t comma = rest.find(',');
        auto s = workorder::ParseState(rest.substr(0, comma));
        if (!s)
          return PrintError(
              Error::InvalidArgument("", "--state: unknown state " + std::string(rest.substr(0, comma))), 2);
        f.states.push_back(*s);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
      if (!la.category.empty()) {
        f.category = workorder::ParseCategory(la.category);
        if (!f.category)
          return PrintError(Error::InvalidArgument("", "--category 须为 complaint、suggestion 或 inquiry"),
                            2);
      }
      if (!la.text.empty()) f.text = la.text;
      if (la.overdue || la.due_soon) f.sort = workorder::SortOrder::kDueFirst;
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto org = FindOrg(*app, la.org);
      if (!org.ok()) return PrintError(org.error());
      auto page = app->workorders().List(org::Actor::ForCli(*org, org::Role::kSupervisor), f);
      if (!page.ok()) return PrintError(page.error());
      const TimePoint now = app->clock().Now();
      for (const auto& o : page->items)
        std::printf("%-18s %-10s %-20s %-12s %-12s %-12s %s  %s\n", o.number.c_str(),
                    std::string(workorder::CategoryName(o.category)).c_str(),
                    std::string(workorder::StateName(o.state)).c_str(),
                    o.department_name.empty() ? "-" : o.department_name.c_str(),
                    FormatDate(o.deadline.last_day).c_str(),
                    std::string(workorder::SlaStatusName(o.SlaAt(now))).c_str(), o.caller_phone.c_str(),
                    o.subject.c_str());
      if (page->next_cursor) std::printf("(more: raise --limit or narrow the filters)\n");
      return 0;
    };
  });

  static bool once = false;
  auto* escalate =
      wo->add_subcommand("escalate", "run the due-soon/overdue escalation once and print the notices");
  escalate->add_flag("--once", once, "one pass (the server runs it periodically by itself)")->required();
  ctx.AddConfigOption(escalate);
  escalate->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      PrintingSink sink;
      workorder::EscalationScheduler scheduler(app->db(), sink);
      auto n = scheduler.RunOnce(app->clock().Now());
      if (!n.ok()) return PrintError(n.error());
      std::printf("%d notice%s\n", *n, *n == 1 ? "" : "s");
      return 0;
    };
  });

  auto* dept = wo->add_subcommand("department", "handling departments (业务部门) of a centre");
  dept->require_subcommand(1);
  struct DeptArgs {
    std::string org, name;
    std::vector<std::string> users;
  };
  static DeptArgs da;
  auto* dadd = dept->add_subcommand("add", "add a department, optionally with its members");
  dadd->add_option("--org", da.org, "centre code, e.g. GS-LZ")->required();
  dadd->add_option("--name", da.name, "e.g. 贷款科")->required();
  dadd->add_option("--user", da.users, "username of a department-role member (repeatable)");
  ctx.AddConfigOption(dadd);
  dadd->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto org = FindOrg(*app, da.org);
      if (!org.ok()) return PrintError(org.error());
      auto actor = org::Actor::ForCli(*org, org::Role::kAdmin);
      std::vector<int64_t> ids;
      for (const auto& u : da.users) {
        auto user = app->users().FindByUsername(u);
        if (!user.ok()) return PrintError(Error::NotFound("没有找到用户 " + u));
        ids.push_back(user->id);
      }
      auto d = app->workorders().CreateDepartment(actor, org->code, da.name);
      if (!d.ok()) return PrintError(d.error());
      if (!ids.empty()) {
        auto set = app->workorders().SetDepartmentMembers(actor, d->id, ids);
        if (!set.ok()) return PrintError(set.error());
      }
      std::printf("added department %s (id %lld) at %s with %zu member%s\n", d->name.c_str(),
                  static_cast<long long>(d->id), org->code.c_str(), ids.size(), ids.size() == 1 ? "" : "s");
      return 0;
    };
  });
  auto* dlist = dept->add_subcommand("list", "list the departments of a centre and their members");
  dlist->add_option("--org", da.org, "centre code, e.g. GS-LZ")->required();
  ctx.AddConfigOption(dlist);
  dlist->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto org = FindOrg(*app, da.org);
      if (!org.ok()) return PrintError(org.error());
      auto list =
          app->workorders().ListDepartments(org::Actor::ForCli(*org, org::Role::kSupervisor), std::nullopt);
      if (!list.ok()) return PrintError(list.error());
      for (const auto& d : *list) {
        std::string members;
        for (const auto& m : d.members) members += (members.empty() ? "" : ", ") + m.username;
        std::printf("%-6lld %-16s %s\n", static_cast<long long>(d.id), d.name.c_str(),
                    members.empty() ? "-" : members.c_str());
      }
      return 0;
    };
  });

  struct SlaArgs {
    std::string org, from, to, part = "departments";
  };
  static SlaArgs sa;
  auto* sla =
      wo->add_subcommand("sla", "the SLA report as CSV on stdout (per department, or the late orders)");
  sla->add_option("--org", sa.org, "centre or province code")->required();
  sla->add_option("--from", sa.from, "first local day, YYYY-MM-DD")->required();
  sla->add_option("--to", sa.to, "last local day, YYYY-MM-DD")->required();
  sla->add_option("--part", sa.part, "departments | late")->capture_default_str();
  ctx.AddConfigOption(sla);
  sla->callback([&ctx] {
    ctx.run = [&ctx] {
      workorder::SlaRequest r{.org_code = sa.org};
      if (!ParseDate(sa.from, &r.from) || !ParseDate(sa.to, &r.to))
        return PrintError(Error::InvalidArgument("", "--from/--to 须为 YYYY-MM-DD"), 2);
      if (sa.part != "departments" && sa.part != "late")
        return PrintError(Error::InvalidArgument("", "--part 须为 departments 或 late"), 2);
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto org = FindOrg(*app, sa.org);
      if (!org.ok()) return PrintError(org.error());
      auto report = app->workorders().BuildSlaReport(org::Actor::ForCli(*org, org::Role::kSupervisor), r);
      if (!report.ok()) return PrintError(report.error());
      std::string csv = sa.part == "late" ? workorder::SlaLateCsv(*report) : workorder::SlaRowsCsv(*report);
      std::fwrite(csv.data(), 1, csv.size(), stdout);
      return 0;
    };
  });
}

}  // namespace hotline::app
