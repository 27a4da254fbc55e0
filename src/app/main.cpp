// `hotline`: the one program of hotline12329. Each module registers its subcommands (app/cli.hpp);
// every subcommand takes --config FILE. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or config.
#include <cstdlib>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"hotline — 12329 住房公积金热线服务平台"};
  cli.require_subcommand(1);
  hotline::app::CliContext ctx;
  const char* env = std::getenv("HOTLINE_CONFIG");
  ctx.config_path = env && *env ? env : "hotline.toml";

  hotline::app::AddServerCommands(cli, ctx);
  hotline::app::AddOrgCommands(cli, ctx);
  hotline::app::AddCalendarCommands(cli, ctx);
  hotline::app::AddKpiCommands(cli, ctx);
  hotline::app::AddFederationCommands(cli, ctx);
  hotline::app::AddWorkOrderCommands(cli, ctx);
  hotline::app::AddFundCommands(cli, ctx);
  hotline::app::AddKbCommands(cli, ctx);
  hotline::app::AddIvrCommands(cli, ctx);
  hotline::app::AddPromptsCommands(cli, ctx);
  hotline::app::AddSmsCommands(cli, ctx);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;  // --help prints and succeeds; bad usage is 2
  }
  return ctx.run ? ctx.run() : 2;
}
