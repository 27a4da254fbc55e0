// hotline serve | demo | migrate | config check | version
#include <cstdio>

#include "app/cli.hpp"

namespace hotline::app {

void AddServerCommands(CLI::App& cli, CliContext& ctx) {
  auto serve_with = [&ctx](bool demo) {
    App* app = ctx.OpenApp("config");
    if (!app) return ctx.exit_code();
    auto st = app->Serve([demo](const std::string& address) {
      std::printf("hotline listening on http://%s/\n", address.c_str());
      if (demo) std::printf("打开浏览器访问 http://%s/ ，按 Ctrl-C 停止。\n", address.c_str());
      std::fflush(stdout);
    });
    return st.ok() ? 0 : PrintError(st.error());
  };

  auto* serve = cli.add_subcommand("serve", "run the server (HTTP API, console, live events) until Ctrl-C");
  ctx.AddConfigOption(serve);
  serve->callback([&ctx, serve_with] { ctx.run = [serve_with] { return serve_with(false); }; });

  static std::string demo_dir = "var/demo", demo_listen = "127.0.0.1:12329";
  auto* demo = cli.add_subcommand("demo", "create a demo deployment (SQLite) if missing and serve it");
  demo->add_option("--dir", demo_dir, "where the demo lives")->capture_default_str();
  demo->add_option("--listen", demo_listen, "address:port to serve on")->capture_default_str();
  ctx.AddConfigOption(demo);
  demo->callback([&ctx, serve_with] {
    ctx.run = [&ctx, serve_with] {
      auto path = PrepareDemo(demo_dir, demo_listen);
      if (!path.ok()) return PrintError(path.error());
      ctx.config_path = *path;
      return serve_with(true);
    };
  });

  auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations and exit");
  ctx.AddConfigOption(migrate);
  migrate->callback([&ctx] {
    ctx.run = [&ctx] {
      App* app = ctx.OpenApp();
      if (!app) return ctx.exit_code();
      std::printf("migrations applied: %d\n", app->migrations_applied());
      return 0;
    };
  });

  auto* config_cmd = cli.add_subcommand("config", "configuration tools");
  config_cmd->require_subcommand(1);
  auto* check = config_cmd->add_subcommand("check", "validate the configuration file and exit");
  ctx.AddConfigOption(check);
  check->callback([&ctx] {
    ctx.run = [&ctx] {
      auto config = ctx.LoadConfigFile();
      if (!config.ok()) return PrintError(config.error(), 2);
      std::printf("%s: OK\n", ctx.config_path.c_str());
      return 0;
    };
  });

  auto* version = cli.add_subcommand("version", "print the version");
  ctx.AddConfigOption(version);
  version->callback([&ctx] {
    ctx.run = [] {
      std::printf("hotline %s\n", HOTLINE_VERSION);
      return 0;
    };
  });
}

}  // namespace hotline::app
