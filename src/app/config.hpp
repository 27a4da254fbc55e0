// The program's configuration: one TOML file (config/hotline.example.toml documents every key and
// its default). Loading is strict: an unknown section or key, a wrong type or a bad value is refused
// with "FILE:LINE: message" so an operator's typo never silently falls back to a default.
// Relative paths are taken from the working directory, except security.secret_key_file's default,
// which is secret.key beside the config file.
#pragma once

#include <chrono>
#include <string>

#include "core/result.hpp"
#include "fund/fund_service.hpp"
#include "fund/http_fund_port.hpp"
#include "fund/identity.hpp"
#include "kb/kb_service.hpp"
#include "org/login_throttle.hpp"
#include "org/password_hasher.hpp"
#include "org/sessions.hpp"
#include "runtime/runtime.hpp"
#include "sms/sms_channel.hpp"
#include "store/database.hpp"
#include "voice/voice_channel.hpp"
#include "web/http_server.hpp"
#include "workorder/escalation.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::app {

// Each section of the file fills the Options struct of the part it configures (issue 12 §1): the
// struct's own defaults are the defaults of the file, documented beside its fields. The sections the
// user writes are unchanged since before issue 12; only [runtime] is new.

// [http] keys that configure the console and its cookie rather than the server.
struct ConsoleOptions {
  std::string static_dir = "ui/dist";  // [http] static_dir: the built console
  bool secure_cookie = false;          // [http] secure_cookie: set when serving behind TLS
};

// [kpi] (R-KPI): the counting basis printed on every report, the threshold profile, and whether
// 基本满意 counts as satisfied.
struct KpiOptions {
  std::string basis = "manual";           // [kpi] basis: manual | all
  std::string profile = "guideline";      // [kpi] profile: guideline | gansu
  bool satisfied_includes_basic = false;  // [kpi] satisfied_includes_basic
};

// [federation] (R-ORG-3): the periodic push of this hotline's daily sums to its parent level's hotline.
struct FederationPushOptions {
  // [federation] upstream_url, "http://…" without a trailing '/'; empty: no pushing.
  std::string upstream_url;
  std::string token;  // [federation] token issued by the parent (`hotline federation token` there)
  std::chrono::seconds interval{300};  // [federation] push_interval_seconds (fixed delay between pushes)
  bool enabled() const { return !upstream_url.empty(); }
};

// [workorder] (R-WO-4, docs/WORKORDERS.md).
struct WorkOrderConfig {
  // due_soon_workdays (the due-soon threshold of centres that stored no settings of their own) and
  // max_attachment_bytes (also the HTTP body limit of the upload route).
  workorder::WorkOrderOptions service;
  // escalation_interval_seconds and escalation_batch_size.
  workorder::EscalationOptions escalation;
};

// [fund] the provident-fund core system (R-SVC-2/3) and caller verification (R-IVR-2).
struct FundConfig {
  // [fund] backend: "embedded" (own tables, `hotline fund generate`) or "http" (a real core system over
  // HTTP/JSON, docs/FUND-API.md).
  std::string backend = "embedded";
  fund::HttpFundPortOptions http;    // base_url, timeout_ms (per attempt), retries (after a failed read)
  fund::IdentityOptions identity;    // max_failed_verifications, lockout_seconds, context_ttl_seconds
  fund::FundServiceOptions service;  // appointment_days_ahead
};

// [kb] the knowledge base (R-AGT-3).
struct KbConfig {
  // [kb] index_dir: the Xapian search index (rebuilt from the database when missing or stale). Empty:
  // "kb-index" next to a SQLite database file, else var/kb-index (KbIndexDir).
  std::string index_dir;
  kb::KbServiceOptions service;  // [kb] second_reviewer
};

struct Config {
  std::string path;  // the file it came from

  store::DatabaseOptions database;  // [database] url, pool_size, busy_timeout_ms, sqlite_synchronous
  // [http] listen, threads, realtime_priority, body_limit_bytes, read_timeout_seconds, max_connections
  web::HttpServerOptions http;
  ConsoleOptions console;  // [http] static_dir, secure_cookie
  // [http] blocking_threads = 0 (files from before issue 12): may_block handlers run on the I/O threads
  // instead of the shared blocking executor. Any other value of that key sizes the shared executor
  // unless [runtime] blocking_threads does.
  bool http_blocking_inline = false;
  // [runtime] shutdown_seconds, blocking_threads (the serve process: signals, shutdown, shared pool)
  runtime::RuntimeOptions runtime{.handle_signals = true, .exit_when_stuck = true};

  std::string log_level = "info";  // [log] level: trace|debug|info|warn|error

  org::SessionOptions sessions;        // [auth] session_idle_seconds, session_max_seconds
  org::LoginThrottleOptions throttle;  // [auth] max_failed_logins_per_user, …_per_address, lockout_seconds
  // [auth] argon2_ops_limit, argon2_mem_limit_kib; secret_key comes from [security] secret_key_file.
  org::PasswordHasherOptions argon2;

  std::string secret_key_file;  // [security] secret_key_file (see above)

  KpiOptions kpi;                    // [kpi]
  FederationPushOptions federation;  // [federation]
  WorkOrderConfig workorder;         // [workorder]
  FundConfig fund;                   // [fund]
  KbConfig kb;                       // [kb]
  // [sip] listen, default_center (issue 13, docs/VOICE.md). No listen: no voice channel.
  voice::VoiceOptions voice;
  // [sms] push_window_open/close, time_zone, poll_interval_ms and [[sms.carriers]] (docs/SMS.md). No
  // carriers: `hotline serve` runs without the SMS channel.
  sms::SmsOptions sms;

  std::string deployment_name = "12329住房公积金热线";  // [deployment] name, shown in the console
  std::string time_zone = "Asia/Shanghai";              // [deployment] time_zone: default for new centres
};

// Errors: kInvalidArgument with code "invalid_config" and message "FILE:LINE: …".
Result<Config> LoadConfig(const std::string& path);
// The same from text already in memory; `path` names it in messages (fuzz target entry point).
Result<Config> ParseConfig(std::string_view text, const std::string& path);

}  // namespace hotline::app
