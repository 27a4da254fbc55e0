#include "app/cli.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace hotline::app {

int PrintError(const Error& e, int code) {
  std::fprintf(stderr, "hotline: %s\n", e.message.c_str());
  return code;
}

void CliContext::AddConfigOption(CLI::App* cmd) {
  cmd->add_option("--config", config_path,
                  "configuration file (TOML); default $HOTLINE_CONFIG or ./hotline.toml");
}

Result<Config> CliContext::LoadConfigFile() { return LoadConfig(config_path); }

App* CliContext::OpenApp(const std::string& log_level) {
  if (app_) return app_.get();
  auto config = LoadConfig(config_path);
  if (!config.ok()) {
    exit_code_ = PrintError(config.error(), 2);
    return nullptr;
  }
  ConfigureLogging(log_level == "config" ? config->log_level : log_level);
  auto app = App::Open(*config);
  if (!app.ok()) {
    exit_code_ = PrintError(app.error(), 1);
    return nullptr;
  }
  app_ = std::move(app).value();
  return app_.get();
}

std::string PasswordOrPrompt(const std::string& given, const char* prompt) {
  if (!given.empty()) return given;
  bool tty = isatty(STDIN_FILENO);
  if (tty) {
    std::fprintf(stderr, "%s", prompt);
    (void)std::system("stty -echo 2>/dev/null");
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    (void)std::system("stty echo 2>/dev/null");
    std::fprintf(stderr, "\n");
  }
  return line;
}

}  // namespace hotline::app
