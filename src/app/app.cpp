#include "app/app.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "api/api.hpp"
#include "app/channels.hpp"
#include "carrier/registry.hpp"
#include "events/event_bus.hpp"
#include "events/metrics.hpp"
#include "fund/embedded_fund_port.hpp"
#include "fund/http_fund_port.hpp"
#include "org/login_throttle.hpp"
#include "org/sessions.hpp"
#include "runtime/periodic.hpp"
#include "runtime/runtime.hpp"
#include "sms/outbox.hpp"
#include "sms/sms_channel.hpp"
#include "store/migrations.hpp"
#include "voice/voice_channel.hpp"
#include "web/http_server.hpp"
#include "web/static_files.hpp"

namespace hotline::app {

void ConfigureLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("hotline");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

namespace {

// [fund] backend: the embedded core system, or a real one over HTTP.
Result<std::unique_ptr<fund::FundPort>> MakeFundPort(const FundConfig& config, store::Database& db,
                                                     const fund::PinHasher& pins, const Clock& clock) {
  if (config.backend == "http") {
    HOTLINE_ASSIGN_OR_RETURN(auto port, fund::HttpFundPort::Create(config.http));
    return std::unique_ptr<fund::FundPort>(std::move(port));
  }
  return std::unique_ptr<fund::FundPort>(std::make_unique<fund::EmbeddedFundPort>(db, pins, clock));
}

// A lazy accessor's failure outside Serve: the CLI's way of reporting a start-up error (cli.hpp).
template <typename T>
T& OrExit(Result<T*> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "hotline: %s\n", r.error().message.c_str());
    std::fflush(stderr);
    std::exit(1);
  }
  return **r;
}

}  // namespace

std::string KbIndexDir(const Config& config) {
  if (!config.kb.index_dir.empty()) return config.kb.index_dir;
  const std::string& url = config.database.url;
  if (url.rfind("sqlite:", 0) == 0) {
    std::filesystem::path db(url.substr(7));
    return (db.parent_path() / "kb-index").string();
  }
  return "var/kb-index";
}

Result<std::unique_ptr<App>> App::Open(const Config& config) {
  std::unique_ptr<App> app(new App(config));
  HOTLINE_ASSIGN_OR_RETURN(app->db_, store::Database::Open(config.database));
  // Every module's migrations, in dependency order. Later modules append theirs here.
  const store::ModuleMigrations modules[] = {org::kOrgMigrations,
                                             calendar::kCalendarMigrations,
                                             kpi::kKpiMigrations,
                                             kpi::kFederationMigrations,
                                             kpi::kProfileMigrations,
                                             kpi::kAttendanceMigrations,
                                             workorder::kWorkOrderMigrations,
                                             fund::kFundMigrations,
                                             kb::kKbMigrations,
                                             voice::kVoiceMigrations,
                                             sms::kSmsMigrations};
  HOTLINE_ASSIGN_OR_RETURN(app->migrations_applied_, store::Migrate(*app->db_, modules));
  // The secret key and the two keyed hashers are cheap (no argon2 run, no I/O beyond the key file) and
  // are checked here so a bad key file fails every command at once.
  HOTLINE_ASSIGN_OR_RETURN(std::string key, org::LoadOrCreateSecretKey(config.secret_key_file));
  org::PasswordHasherOptions argon2 = config.argon2;
  argon2.secret_key = key;
  HOTLINE_ASSIGN_OR_RETURN(auto hasher, org::PasswordHasher::Create(argon2));
  app->hasher_ = std::make_unique<org::PasswordHasher>(std::move(hasher));
  // Query passwords of the fund port are keyed with the same secret key file as the staff passwords'
  // pepper (fund/pin_hasher.hpp says why not argon2 per record).
  HOTLINE_ASSIGN_OR_RETURN(auto pins, fund::PinHasher::Create(key));
  app->fund_pins_ = std::make_unique<fund::PinHasher>(pins);
  return app;
}

// The passive services, each built on first use from the ones it depends on.

org::OrgDirectory& App::orgs() {
  std::lock_guard lock(lazy_mu_);
  if (!orgs_) orgs_ = std::make_unique<org::OrgDirectory>(*db_, clock_);
  return *orgs_;
}

org::UserDirectory& App::users() {
  std::lock_guard lock(lazy_mu_);
  if (!users_) users_ = std::make_unique<org::UserDirectory>(*db_, orgs(), *hasher_, clock_);
  return *users_;
}

org::AuditLog& App::audit() {
  std::lock_guard lock(lazy_mu_);
  if (!audit_) audit_ = std::make_unique<org::AuditLog>(*db_, clock_);
  return *audit_;
}

calendar::CalendarStore& App::calendar() {
  std::lock_guard lock(lazy_mu_);
  if (!calendar_) calendar_ = std::make_unique<calendar::CalendarStore>(*db_, clock_);
  return *calendar_;
}

calendar::ServiceHoursCache& App::service_hours() {
  std::lock_guard lock(lazy_mu_);
  if (!service_hours_)
    service_hours_ = std::make_unique<calendar::ServiceHoursCache>(
        calendar(), clock_);  // another process's write: seen within 2 s
  return *service_hours_;
}

kpi::KpiStore& App::kpi() {
  std::lock_guard lock(lazy_mu_);
  if (!kpi_) kpi_ = std::make_unique<kpi::KpiStore>(*db_);
  return *kpi_;
}

kpi::CdrRecorder& App::cdrs() {
  std::lock_guard lock(lazy_mu_);
  if (!cdrs_) cdrs_ = std::make_unique<kpi::CdrRecorderImpl>(kpi(), orgs(), random_);
  return *cdrs_;
}

kpi::FederationStore& App::federation() {
  std::lock_guard lock(lazy_mu_);
  if (!federation_) federation_ = std::make_unique<kpi::FederationStore>(*db_, orgs(), clock_, random_);
  return *federation_;
}

kpi::ProfileStore& App::profiles() {
  std::lock_guard lock(lazy_mu_);
  if (!profiles_) profiles_ = std::make_unique<kpi::ProfileStore>(*db_, orgs(), config_.kpi.profile);
  return *profiles_;
}

kpi::Attendance& App::attendance() {
  std::lock_guard lock(lazy_mu_);
  if (!attendance_) attendance_ = std::make_unique<kpi::Attendance>(*db_, orgs());
  return *attendance_;
}

workorder::WorkOrderService& App::workorders() {
  std::lock_guard lock(lazy_mu_);
  if (!workorders_) {
    // R-KPI-7: complaint work orders count in 投诉率 of the centre-day they were filed.
    complaints_ = std::make_unique<kpi::DailyComplaintCounter>();
    workorders_ = std::make_unique<workorder::WorkOrderService>(*db_, clock_, orgs(), calendar(), audit(),
                                                                *complaints_, config_.workorder.service);
  }
  return *workorders_;
}

workorder::CallbackService& App::callbacks() {
  std::lock_guard lock(lazy_mu_);
  if (!callbacks_) callbacks_ = std::make_unique<workorder::CallbackService>(*db_, clock_, orgs(), audit());
  return *callbacks_;
}

fund::FundPort& App::fund_port() {
  OrExit(OpenFund());  // the port is built with the service that uses it
  return *fund_port_;
}

fund::FundService& App::fund() { return OrExit(OpenFund()); }

fund::IdentityVerifier& App::fund_verifier() {
  OrExit(OpenFund());  // built with the service that uses it
  return *fund_verifier_;
}

Result<fund::FundService*> App::OpenFund() {
  std::lock_guard lock(lazy_mu_);
  if (!fund_) {
    // The provident-fund port and caller verification (R-IVR-2).
    HOTLINE_ASSIGN_OR_RETURN(fund_port_, MakeFundPort(config_.fund, *db_, *fund_pins_, clock_));
    fund_verifier_ = std::make_unique<fund::IdentityVerifier>(*db_, *fund_port_, *fund_pins_, audit(), clock_,
                                                              random_, config_.fund.identity);
    fund_ = std::make_unique<fund::FundService>(*fund_port_, *fund_verifier_, audit(), calendar(), clock_,
                                                TimeZone::Shanghai(), config_.fund.service);
  }
  return fund_.get();
}

kb::KbService& App::kb() { return OrExit(OpenKb()); }

Result<kb::KbService*> App::OpenKb() {
  std::lock_guard lock(lazy_mu_);
  if (!kb_) {
    // R-AGT-3: the knowledge base's index is derived from the database; EnsureIndex (serve, kb commands)
    // rebuilds it when missing or stale.
    HOTLINE_ASSIGN_OR_RETURN(kb_index_, kb::SearchIndex::Open({.dir = KbIndexDir(config_)}));
    kb_ = std::make_unique<kb::KbService>(*db_, clock_, orgs(), audit(), *kb_index_, config_.kb.service);
  }
  return kb_.get();
}

namespace {

// One federation push (R-ORG-3), the periodic job of the "federation-push" component: a failed push is
// logged and retried at the next interval (nothing is lost: the watermark only moves after the parent
// acknowledged).
void PushFederation(kpi::FederationStore& store, const FederationPushOptions& options) {
  auto pushed = kpi::PushUpstream(store, options.upstream_url, options.token);
  if (pushed.ok()) {
    if (*pushed > 0) spdlog::info("federation: {} centre-days pushed to {}", *pushed, options.upstream_url);
  } else {
    spdlog::warn("federation: push to {} failed, will retry: {}", options.upstream_url,
                 pushed.error().message);
  }
}

}  // namespace

Status App::Serve(const std::function<void(const std::string&)>& on_ready) {
  // The process: signals are owned from here on, so a SIGTERM during start-up is not lost.
  runtime::Runtime rt(config_.runtime, clock_);

  // Every passive service the server hands out, built now: the fallible ones fail the start here.
  HOTLINE_ASSIGN_OR_RETURN(fund::FundService * fund, OpenFund());
  HOTLINE_ASSIGN_OR_RETURN(kb::KbService * kb, OpenKb());
  org::SessionStore sessions(*db_, clock_, random_, config_.sessions);
  org::LoginThrottle throttle(clock_, config_.throttle);
  events::EventBus hub(api::EventTopics());
  events::Metrics metrics;
  audit().SetListener([&hub](const org::AuditEntry& e) {
    hub.Publish({.topic = std::string(api::kAuditTopic),
                 .org_path = e.org_path,
                 .permission = std::string(org::PermissionName(org::Permission::kAuditRead)),
                 .json = nlohmann::json{{"type", "audit"}, {"entry", org::ToJson(e)}}.dump()});
  });
  // The listener refers to `hub`: it goes before `hub` does, on every way out of Serve.
  struct ListenerReset {
    org::AuditLog& audit;
    ~ListenerReset() { audit.SetListener(nullptr); }
  } listener_reset{audit()};
  api::ApiContext api({.db = *db_,
                       .clock = clock_,
                       .orgs = orgs(),
                       .users = users(),
                       .sessions = sessions,
                       .throttle = throttle,
                       .audit = audit(),
                       .hub = hub,
                       .calendar = calendar(),
                       .service_hours = service_hours(),
                       .kpi = kpi(),
                       .federation = federation(),
                       .profiles = profiles(),
                       .attendance = attendance(),
                       .workorders = workorders(),
                       .callbacks = callbacks(),
                       .fund = *fund,
                       .kb = *kb},
                      {.secure_cookie = config_.console.secure_cookie,
                       .session_max_age = config_.sessions.max_age,
                       .kpi_basis = config_.kpi.basis,
                       .kpi_profile = config_.kpi.profile,
                       .kpi_satisfied_includes_basic = config_.kpi.satisfied_includes_basic});
  metrics.AddGauge("hotline_store_up", "1 when the database answers a trivial query.",
                   [this] { return db_->Ping().ok() ? 1.0 : 0.0; });
  metrics.AddGauge("hotline_websocket_clients", "Live event stream subscribers.",
                   [&hub] { return static_cast<double>(hub.size()); });

  // The knowledge base's index reflects the database before the first search (rebuilt when stale).
  if (auto rebuilt = kb->EnsureIndex(); !rebuilt.ok())
    spdlog::warn("kb: search index not ready ({}): run `hotline kb reindex`", rebuilt.error().message);
  else if (*rebuilt)
    spdlog::info("kb: search index rebuilt from the database in {}", KbIndexDir(config_));

  web::Router router;
  api::AddRoutes(router, api, metrics);
  web::StaticFiles console;
  console.Load(config_.console.static_dir);
  if (console.file_count() == 0)
    spdlog::warn("console not found in {} (http.static_dir): run `make ui`", config_.console.static_dir);

  // may_block routes (argon2id logins and password changes, the fund routes) run on the process's
  // shared blocking executor, unless an old config asked for them on the I/O threads.
  HOTLINE_ASSIGN_OR_RETURN(
      auto server, web::HttpServer::Create(
                       config_.http, router, metrics, hub,
                       [&api](web::Request& r) { return api::AuthorizeWebSocket(api, r); },
                       [&console](web::Request& r) { return console.Serve(r); },
                       config_.http_blocking_inline ? boost::asio::any_io_executor() : rt.blocking()));
  // Due-soon/overdue escalation of work orders (R-WO-4) to the live channel. The handler's SMS on
  // escalation waits for the SMS module (EscalationSinks' `sms` hook): none is sent.
  api::WorkOrderEvents workorder_events(hub);
  workorder::EscalationSinks escalation_sinks(workorder_events, /*sms=*/nullptr);
  workorder::EscalationScheduler escalation(*db_, escalation_sinks, config_.workorder.escalation);
  runtime::PeriodicComponent escalation_job(rt.scheduler(), "workorder-escalation",
                                            config_.workorder.escalation.interval,
                                            [this, &escalation] { escalation.RunScheduled(clock_.Now()); });
  // This hotline's daily sums to its parent (R-ORG-3), when [federation] upstream_url is set.
  runtime::PeriodicComponent federation_push(rt.scheduler(), "federation-push", config_.federation.interval,
                                             [this] { PushFederation(federation(), config_.federation); });

  // What the live channels are given (app/channels.hpp). Declared after `rt` and before the channels, so
  // it is destroyed after them and before the runtime's blocking pool.
  fund::AsyncFundService async_fund(*fund, rt.blocking());
  ChannelServices channels{.clock = clock_,
                           .random = random_,
                           .db = *db_,
                           .orgs = orgs(),
                           .audit = audit(),
                           .events = hub,
                           .metrics = metrics,
                           .scheduler = rt.scheduler(),
                           .blocking = rt.blocking(),
                           .service_hours = service_hours(),
                           .cdrs = cdrs(),
                           .verifier = fund_verifier(),
                           .fund = async_fund,
                           .kb = *kb,
                           .workorders = workorders(),
                           .callbacks = callbacks()};

  // The SMS channel (issue 15): the dispatcher of the durable queue over the `[[sms.carriers]]`
  // transports. Without carriers it is not built and messages stay queued.
  carrier::TransportRegistry transports;
  carrier::RegisterBuiltinTransports(transports);
  sms::Outbox outbox(*db_, clock_, config_.sms.retry);
  std::unique_ptr<sms::SmsChannel> sms_channel;
  if (!config_.sms.carriers.empty()) {
    sms_channel = std::make_unique<sms::SmsChannel>(config_.sms, transports, outbox, channels.scheduler,
                                                    channels.blocking, channels.clock);
  }

  // THE ordered list of runtime components (dependency order; they stop in reverse). The HTTP server
  // first: the periodic jobs and the channels publish to the live events it serves. The channels come
  // next, built from `channels` and their own options: voice (SIP signalling, then RTP media), SMS.
  // The voice channel (issue 13): SIP on [sip] listen; absent without it.
  std::unique_ptr<voice::VoiceChannel> voice_channel;
  if (config_.voice.enabled()) {
    HOTLINE_RETURN_IF_ERROR(hub.DeclareTopic(voice::VoiceTopic()));
    voice_channel = std::make_unique<voice::VoiceChannel>(config_.voice, channels.clock, channels.db,
                                                          channels.orgs, channels.cdrs, channels.events,
                                                          channels.metrics, channels.blocking);
  }
  rt.Add(*server);
  if (voice_channel) rt.Add(*voice_channel);
  rt.Add(escalation_job);
  if (config_.federation.enabled()) rt.Add(federation_push);
  if (sms_channel) rt.Add(*sms_channel);
  HOTLINE_RETURN_IF_ERROR(rt.Start());
  spdlog::info("serving on {} (database {})", server->local_address(),
               db_->dialect() == store::Dialect::kSqlite ? "SQLite" : "PostgreSQL");
  on_ready(server->local_address());

  std::string reason = rt.WaitForStopRequest();
  spdlog::debug("stopping: {}", reason);
  rt.Stop();  // with exit_when_stuck, an overrun ends the process here (after logging what overran)
  spdlog::info("stopped");
  return OkStatus();
}

}  // namespace hotline::app
