// The `hotline` command line: each module's subcommands are registered by one function in its own
// file (app/*_cli.cpp), all listed in main.cpp. A subcommand's callback opens the App when it needs one
// (through CliContext) and stores what to run; main() runs it and exits with its code.
// Exit codes: 0 success, 1 runtime failure (message on stderr), 2 bad usage or bad configuration.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "app/app.hpp"
#include "app/config.hpp"

namespace hotline::app {

class CliContext {
 public:
  std::string config_path;   // --config, default $HOTLINE_CONFIG or ./hotline.toml
  std::function<int()> run;  // set by the chosen subcommand's callback

  // Adds --config to a subcommand.
  void AddConfigOption(CLI::App* cmd);
  // Loads the config and opens the App (migrating the database). On failure prints the reason and
  // returns null; `exit_code()` then says 2 (config) or 1 (runtime).
  App* OpenApp(const std::string& log_level = "warn");
  Result<Config> LoadConfigFile();
  int exit_code() const { return exit_code_; }

 private:
  std::unique_ptr<App> app_;
  int exit_code_ = 1;
};

// Prints "hotline: MESSAGE" to stderr and returns `code`.
int PrintError(const Error& e, int code = 1);
// A password from --password, or from stdin (no echo on a terminal).
std::string PasswordOrPrompt(const std::string& given, const char* prompt);

void AddServerCommands(CLI::App& cli, CliContext& ctx);      // serve, demo, migrate, config check, version
void AddOrgCommands(CLI::App& cli, CliContext& ctx);         // org add|list, user add|passwd|list
void AddCalendarCommands(CLI::App& cli, CliContext& ctx);    // calendar add-workdays|is-workday|import|list
void AddKpiCommands(CLI::App& cli, CliContext& ctx);         // cdr import|generate, kpi report
void AddFederationCommands(CLI::App& cli, CliContext& ctx);  // federation token|push
void AddWorkOrderCommands(CLI::App& cli, CliContext& ctx);   // workorder list|escalate|department|sla
void AddFundCommands(CLI::App& cli, CliContext& ctx);        // fund generate|demo-caller
void AddKbCommands(CLI::App& cli, CliContext& ctx);          // kb reindex|import|export
void AddIvrCommands(CLI::App& cli, CliContext& ctx);         // ivr check|simulate
void AddPromptsCommands(CLI::App& cli, CliContext& ctx);     // prompts build|export
void AddSmsCommands(CLI::App& cli, CliContext& ctx);         // sms send|status|list|held

}  // namespace hotline::app
