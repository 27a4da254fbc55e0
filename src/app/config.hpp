// The program's configuration: one TOML file (config/hotline.example.toml documents every key and
// its default). Loading is strict: an unknown section or key, a wrong type or a bad value is refused
// with "FILE:LINE: message" so an operator's typo never silently falls back to a default.
// Relative paths are taken from the working directory, except security.secret_key_file's default,
// which is secret.key beside the config file.
#pragma once

#include <chrono>
#include <string>

#include "core/result.hpp"
#include "org/login_throttle.hpp"
#include "org/sessions.hpp"
#include "store/database.hpp"
#include "web/http_server.hpp"

namespace hotline::app {

struct Config {
  std::string path;  // the file it came from

  store::DatabaseOptions database;  // [database] url, pool_size, busy_timeout_ms, sqlite_synchronous
  web::HttpServerOptions http;      // [http] listen, threads, blocking_threads, realtime_priority, body_limit_bytes, read_timeout_seconds, max_connections
  std::string static_dir = "ui/dist";  // [http] static_dir: the built console
  bool secure_cookie = false;          // [http] secure_cookie: set when serving behind TLS

  std::string log_level = "info";  // [log] level: trace|debug|info|warn|error

  org::SessionOptions sessions;          // [auth] session_idle_seconds, session_max_seconds
  org::LoginThrottleOptions throttle;    // [auth] max_failed_logins_per_user, …_per_address, lockout_seconds
  unsigned long long argon2_ops_limit = 2;   // [auth] argon2_ops_limit
  size_t argon2_mem_limit_kib = 64 * 1024;   // [auth] argon2_mem_limit_kib

  std::string secret_key_file;  // [security] secret_key_file (see above)

  // [kpi] (R-KPI): the counting basis printed on every report, the threshold profile, and whether
  // 基本满意 counts as satisfied.
  std::string kpi_basis = "manual";
  std::string kpi_profile = "guideline";
  bool kpi_satisfied_includes_basic = false;

  // [federation] (R-ORG-3): where this hotline pushes its daily sums (the parent level's hotline), the
  // token that parent issued (`hotline federation token` there), and how often. Empty url: no pushing.
  std::string federation_upstream_url;
  std::string federation_token;
  int federation_push_interval_seconds = 300;

  // [workorder] (R-WO-4, docs/WORKORDERS.md): how often the escalation scheduler looks for orders that
  // became due soon or overdue, how many it handles per transaction, the due-soon threshold of centres
  // that stored no settings of their own (working days before the deadline), and the largest attachment
  // (also the HTTP body limit of the upload route).
  int workorder_escalation_interval_seconds = 60;
  int workorder_escalation_batch_size = 500;
  int workorder_due_soon_workdays = 1;
  size_t workorder_max_attachment_bytes = 5 << 20;
  // [fund] the provident-fund core system (R-SVC-2/3) and caller verification (R-IVR-2):
  // backend "embedded" (own tables, `hotline fund generate`) or "http" (a real core system over HTTP/JSON,
  // docs/FUND-API.md: base_url, timeout_ms per attempt, retries after a failed attempt).
  std::string fund_backend = "embedded";
  std::string fund_base_url;
  int fund_timeout_ms = 3000;
  int fund_retries = 1;
  int fund_max_failed_verifications = 5;  // consecutive failures that lock a login id
  int fund_lockout_seconds = 1800;
  int fund_context_ttl_seconds = 600;     // how long a verified context lasts
  int fund_appointment_days_ahead = 30;
  // [kb] index_dir: the knowledge base's Xapian search index (rebuilt from the database when missing or
  // stale). Empty: "kb-index" next to a SQLite database file, else var/kb-index.
  std::string kb_index_dir;
  // [kb] second_reviewer: nobody publishes a version they wrote themselves (kb::KbServiceOptions).
  bool kb_second_reviewer = true;

  std::string deployment_name = "12329住房公积金热线";  // [deployment] name, shown in the console
  std::string time_zone = "Asia/Shanghai";           // [deployment] time_zone: default for new centres
};

// Errors: kInvalidArgument with code "invalid_config" and message "FILE:LINE: …".
Result<Config> LoadConfig(const std::string& path);
// The same from text already in memory; `path` names it in messages (fuzz target entry point).
Result<Config> ParseConfig(std::string_view text, const std::string& path);

}  // namespace hotline::app
