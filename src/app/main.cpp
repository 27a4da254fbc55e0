// `hotline`: the one program of hotline12329. Subcommands (every one takes --config FILE):
//   serve, demo, migrate, config check, org add|list, user add|passwd|list, version.
// Exit codes: 0 success, 1 runtime failure (message on stderr), 2 bad usage or bad config.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/app.hpp"
#include "app/config.hpp"

namespace {

using hotline::app::App;
using hotline::app::Config;

int Fail(const hotline::Error& e, int code = 1) {
  std::fprintf(stderr, "hotline: %s\n", e.message.c_str());
  return code;
}

std::string DefaultConfig() {
  const char* env = std::getenv("HOTLINE_CONFIG");
  return env && *env ? env : "hotline.toml";
}

// Reads a password from stdin (no echo on a terminal) when it was not given on the command line.
std::string ReadPassword(const char* prompt) {
  if (isatty(STDIN_FILENO)) {
    std::fprintf(stderr, "%s", prompt);
    std::system("stty -echo 2>/dev/null");
  }
  std::string line;
  std::getline(std::cin, line);
  if (isatty(STDIN_FILENO)) {
    std::system("stty echo 2>/dev/null");
    std::fprintf(stderr, "\n");
  }
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"hotline — 12329 住房公积金热线服务平台"};
  cli.require_subcommand(1);
  std::string config_path = DefaultConfig();
  auto add_config = [&](CLI::App* cmd) {
    cmd->add_option("--config", config_path, "configuration file (TOML); default $HOTLINE_CONFIG or hotline.toml");
  };

  auto* serve = cli.add_subcommand("serve", "run the server (HTTP API, console, live events) until Ctrl-C");
  add_config(serve);

  std::string demo_dir = "var/demo", demo_listen = "127.0.0.1:12329";
  auto* demo = cli.add_subcommand("demo", "create a demo deployment (SQLite) if missing and serve it");
  demo->add_option("--dir", demo_dir, "where the demo lives")->capture_default_str();
  demo->add_option("--listen", demo_listen, "address:port to serve on")->capture_default_str();
  add_config(demo);

  auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations and exit");
  add_config(migrate);

  auto* config_cmd = cli.add_subcommand("config", "configuration tools");
  auto* config_check = config_cmd->add_subcommand("check", "validate the configuration file and exit");
  add_config(config_check);
  config_cmd->require_subcommand(1);

  auto* org_cmd = cli.add_subcommand("org", "organisations: ministry → province → centre");
  org_cmd->require_subcommand(1);
  std::string org_code, org_name, org_level, org_parent, org_zone = "Asia/Shanghai";
  auto* org_add = org_cmd->add_subcommand("add", "add an organisation");
  org_add->add_option("--code", org_code, "code, e.g. GS-LZ")->required();
  org_add->add_option("--name", org_name, "name, e.g. 兰州住房公积金管理中心")->required();
  org_add->add_option("--level", org_level, "ministry | province | center")->required();
  org_add->add_option("--parent", org_parent, "parent code (not for the ministry)");
  org_add->add_option("--time-zone", org_zone, "IANA time zone")->capture_default_str();
  add_config(org_add);
  auto* org_list = org_cmd->add_subcommand("list", "list organisations in tree order");
  add_config(org_list);

  auto* user_cmd = cli.add_subcommand("user", "console users");
  user_cmd->require_subcommand(1);
  std::string username, password, role, user_org, display_name, agent_no;
  auto* user_add = user_cmd->add_subcommand("add", "add a user");
  user_add->add_option("--username", username, "login name")->required();
  user_add->add_option("--password", password, "initial password (read from stdin when omitted)");
  user_add->add_option("--role", role, "agent | team_leader | department | supervisor | admin")->required();
  user_add->add_option("--org", user_org, "organisation code")->required();
  user_add->add_option("--display-name", display_name, "name shown in the console");
  user_add->add_option("--agent-no", agent_no, "工号 read in the greeting (agents)");
  add_config(user_add);
  auto* user_passwd = user_cmd->add_subcommand("passwd", "set a user's password");
  user_passwd->add_option("--username", username, "login name")->required();
  user_passwd->add_option("--password", password, "new password (read from stdin when omitted)");
  add_config(user_passwd);
  auto* user_list = user_cmd->add_subcommand("list", "list users");
  add_config(user_list);

  auto* version = cli.add_subcommand("version", "print the version");
  add_config(version);

  CLI11_PARSE(cli, argc, argv);

  if (*version) {
    std::printf("hotline %s\n", HOTLINE_VERSION);
    return 0;
  }
  if (*demo) {
    hotline::app::ConfigureLogging("info");
    auto path = hotline::app::PrepareDemo(demo_dir, demo_listen);
    if (!path.ok()) return Fail(path.error());
    config_path = *path;
  }

  auto config = hotline::app::LoadConfig(config_path);
  if (!config.ok()) return Fail(config.error(), 2);
  if (*config_check) {
    std::printf("%s: OK\n", config_path.c_str());
    return 0;
  }
  if (!*demo) hotline::app::ConfigureLogging(*serve ? config->log_level : "warn");
  auto app = App::Open(*config);
  if (!app.ok()) return Fail(app.error());

  if (*serve || *demo) {
    auto st = (*app)->Serve([&](const std::string& address) {
      std::printf("hotline listening on http://%s/\n", address.c_str());
      if (*demo) std::printf("打开浏览器访问 http://%s/ ，按 Ctrl-C 停止。\n", address.c_str());
      std::fflush(stdout);
    });
    return st.ok() ? 0 : Fail(st.error());
  }
  if (*migrate) {
    std::printf("migrations applied: %d\n", (*app)->migrations_applied());
    return 0;
  }
  auto& a = **app;
  hotline::org::AuditEntry audit{.actor = "cli", .channel = "cli"};
  if (*org_add) {
    auto level = hotline::org::ParseOrgLevel(org_level);
    if (!level) return Fail(hotline::Error::InvalidArgument("", "--level 须为 ministry、province 或 center"), 2);
    hotline::org::NewOrg n{.code = org_code, .name = org_name, .level = *level, .time_zone = org_zone};
    if (!org_parent.empty()) n.parent_code = org_parent;
    auto o = a.orgs().Create(n);
    if (!o.ok()) return Fail(o.error());
    audit.org_path = o->path, audit.org_code = o->code, audit.action = "org.create", audit.target_type = "org",
    audit.target_id = o->code;
    (void)a.audit().Append(audit);
    std::printf("added %s %s (%s)\n", o->code.c_str(), o->name.c_str(), std::string(OrgLevelName(o->level)).c_str());
    return 0;
  }
  if (*org_list) {
    auto orgs = a.orgs().ListAll();
    if (!orgs.ok()) return Fail(orgs.error());
    for (const auto& o : *orgs) {
      int depth = static_cast<int>(std::count(o.path.begin(), o.path.end(), '/')) - 2;
      std::printf("%*s%-10s %s  [%s]\n", depth * 2, "", o.code.c_str(), o.name.c_str(),
                  std::string(OrgLevelName(o.level)).c_str());
    }
    return 0;
  }
  if (*user_add || *user_passwd) {
    if (password.empty()) password = ReadPassword("password: ");
  }
  if (*user_add) {
    auto r = hotline::org::ParseRole(role);
    if (!r) return Fail(hotline::Error::InvalidArgument("", "--role 须为 agent、team_leader、department、supervisor 或 admin"), 2);
    hotline::org::NewUser n{.username = username, .password = password, .role = *r, .org_code = user_org,
                            .display_name = display_name};
    if (!agent_no.empty()) n.agent_no = agent_no;
    auto u = a.users().Create(n);
    if (!u.ok()) return Fail(u.error());
    auto o = a.orgs().FindById(u->org_id);
    audit.org_path = o.ok() ? o->path : "/", audit.org_code = u->org_code, audit.action = "user.create",
    audit.target_type = "user", audit.target_id = std::to_string(u->id);
    (void)a.audit().Append(audit);
    std::printf("added user %s (id %lld, %s at %s)\n", u->username.c_str(), static_cast<long long>(u->id),
                std::string(RoleName(u->role)).c_str(), u->org_code.c_str());
    return 0;
  }
  if (*user_passwd) {
    auto u = a.users().FindByUsername(username);
    if (!u.ok()) return Fail(u.error());
    auto updated = a.users().Update(u->id, {.password = password});
    if (!updated.ok()) return Fail(updated.error());
    // Sessions of this user end within the session revalidation interval of running servers.
    (void)a.db().Query("UPDATE sessions SET revoked = 1 WHERE user_id = $1", {u->id});
    auto o = a.orgs().FindById(u->org_id);
    audit.org_path = o.ok() ? o->path : "/", audit.org_code = u->org_code, audit.action = "password.change",
    audit.target_type = "user", audit.target_id = std::to_string(u->id);
    (void)a.audit().Append(audit);
    std::printf("password changed for %s\n", username.c_str());
    return 0;
  }
  if (*user_list) {
    auto users = a.users().List({});
    if (!users.ok()) return Fail(users.error());
    for (const auto& u : *users)
      std::printf("%-6lld %-16s %-12s %-8s %-12s %s%s\n", static_cast<long long>(u.id), u.username.c_str(),
                  std::string(RoleName(u.role)).c_str(), u.org_code.c_str(), u.agent_no.value_or("-").c_str(),
                  u.display_name.c_str(), u.disabled ? " (disabled)" : "");
    return 0;
  }
  return 0;
}
