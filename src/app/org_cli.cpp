// hotline org add|list, hotline user add|passwd|list — the operator's way to build the tree and
// create the first admins. Every change is audit-logged with actor "cli".
#include <algorithm>
#include <cstdio>

#include "app/cli.hpp"
#include "org/sessions.hpp"

namespace hotline::app {
namespace {

void AuditCli(App& app, std::string action, std::string target_type, std::string target_id,
              const org::Org* org) {
  org::AuditEntry e{.actor = "cli",
                    .org_path = org ? org->path : "/",
                    .org_code = org ? org->code : "",
                    .action = std::move(action),
                    .target_type = std::move(target_type),
                    .target_id = std::move(target_id),
                    .channel = "cli"};
  if (auto r = app.audit().Append(std::move(e)); !r.ok()) PrintError(r.error());
}

}  // namespace

void AddOrgCommands(CLI::App& cli, CliContext& ctx) {
  auto* org_cmd = cli.add_subcommand("org", "organisations: ministry → province → centre");
  org_cmd->require_subcommand(1);

  struct OrgArgs {
    std::string code, name, level, parent, zone = "Asia/Shanghai";
  };
  static OrgArgs oa;
  auto* add = org_cmd->add_subcommand("add", "add an organisation");
  add->add_option("--code", oa.code, "code, e.g. GS-LZ")->required();
  add->add_option("--name", oa.name, "name, e.g. 兰州住房公积金管理中心")->required();
  add->add_option("--level", oa.level, "ministry | province | center")->required();
  add->add_option("--parent", oa.parent, "parent code (not for the ministry)");
  add->add_option("--time-zone", oa.zone, "IANA time zone")->capture_default_str();
  ctx.AddConfigOption(add);
  add->callback([&ctx] {
    ctx.run = [&ctx] {
      auto level = org::ParseOrgLevel(oa.level);
      if (!level)
        return PrintError(Error::InvalidArgument("", "--level 须为 ministry、province 或 center"), 2);
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      org::NewOrg n{.code = oa.code, .name = oa.name, .level = *level, .time_zone = oa.zone};
      if (!oa.parent.empty()) n.parent_code = oa.parent;
      auto o = app->orgs().Create(n);
      if (!o.ok()) return PrintError(o.error());
      AuditCli(*app, "org.create", "org", o->code, &*o);
      std::printf("added %s %s (%s)\n", o->code.c_str(), o->name.c_str(),
                  std::string(OrgLevelName(o->level)).c_str());
      return 0;
    };
  });

  auto* list = org_cmd->add_subcommand("list", "list organisations in tree order");
  ctx.AddConfigOption(list);
  list->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto orgs = app->orgs().ListAll();
      if (!orgs.ok()) return PrintError(orgs.error());
      for (const auto& o : *orgs) {
        int depth = static_cast<int>(std::count(o.path.begin(), o.path.end(), '/')) - 2;
        std::printf("%*s%-10s %s  [%s]\n", depth * 2, "", o.code.c_str(), o.name.c_str(),
                    std::string(OrgLevelName(o.level)).c_str());
      }
      return 0;
    };
  });

  auto* user_cmd = cli.add_subcommand("user", "console users");
  user_cmd->require_subcommand(1);
  struct UserArgs {
    std::string username, password, role, org, display_name, agent_no;
  };
  static UserArgs ua;
  auto* uadd = user_cmd->add_subcommand("add", "add a user");
  uadd->add_option("--username", ua.username, "login name")->required();
  uadd->add_option("--password", ua.password, "initial password (read from stdin when omitted)");
  uadd->add_option("--role", ua.role, "agent | team_leader | department | supervisor | admin")->required();
  uadd->add_option("--org", ua.org, "organisation code")->required();
  uadd->add_option("--display-name", ua.display_name, "name shown in the console");
  uadd->add_option("--agent-no", ua.agent_no, "工号 read in the greeting (agents)");
  ctx.AddConfigOption(uadd);
  uadd->callback([&ctx] {
    ctx.run = [&ctx] {
      auto role = org::ParseRole(ua.role);
      if (!role)
        return PrintError(
            Error::InvalidArgument("", "--role 须为 agent、team_leader、department、supervisor 或 admin"), 2);
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      org::NewUser n{.username = ua.username,
                     .password = PasswordOrPrompt(ua.password, "password: "),
                     .role = *role,
                     .org_code = ua.org,
                     .display_name = ua.display_name};
      if (!ua.agent_no.empty()) n.agent_no = ua.agent_no;
      auto u = app->users().Create(n);
      if (!u.ok()) return PrintError(u.error());
      auto o = app->orgs().FindById(u->org_id);
      AuditCli(*app, "user.create", "user", std::to_string(u->id), o.ok() ? &*o : nullptr);
      std::printf("added user %s (id %lld, %s at %s)\n", u->username.c_str(), static_cast<long long>(u->id),
                  std::string(RoleName(u->role)).c_str(), u->org_code.c_str());
      return 0;
    };
  });

  auto* passwd = user_cmd->add_subcommand("passwd", "set a user's password (ends their sessions)");
  passwd->add_option("--username", ua.username, "login name")->required();
  passwd->add_option("--password", ua.password, "new password (read from stdin when omitted)");
  ctx.AddConfigOption(passwd);
  passwd->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto u = app->users().FindByUsername(ua.username);
      if (!u.ok()) return PrintError(u.error());
      auto updated =
          app->users().Update(u->id, {.password = PasswordOrPrompt(ua.password, "new password: ")});
      if (!updated.ok()) return PrintError(updated.error());
      // Through org's session store, not its table (issue 12 §5). Running servers see the revocation within
      // their session revalidation interval (30 s).
      org::SessionStore sessions(app->db(), app->clock(), app->random(), app->config().sessions);
      if (auto r = sessions.RevokeUser(u->id); !r.ok()) return PrintError(r.error());
      auto o = app->orgs().FindById(u->org_id);
      AuditCli(*app, "password.change", "user", std::to_string(u->id), o.ok() ? &*o : nullptr);
      std::printf("password changed for %s\n", ua.username.c_str());
      return 0;
    };
  });

  auto* ulist = user_cmd->add_subcommand("list", "list users");
  ctx.AddConfigOption(ulist);
  ulist->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      auto users = app->users().List({});
      if (!users.ok()) return PrintError(users.error());
      for (const auto& u : *users)
        std::printf("%-6lld %-16s %-12s %-8s %-6s %s%s\n", static_cast<long long>(u.id), u.username.c_str(),
                    std::string(RoleName(u.role)).c_str(), u.org_code.c_str(),
                    u.agent_no.value_or("-").c_str(), u.display_name.c_str(),
                    u.disabled ? " (disabled)" : "");
      return 0;
    };
  });
}

}  // namespace hotline::app
