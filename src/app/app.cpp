#include "app/app.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "api/api.hpp"
#include "fund/embedded_fund_port.hpp"
#include "fund/http_fund_port.hpp"
#include "org/login_throttle.hpp"
#include "org/sessions.hpp"
#include "store/migrations.hpp"
#include "web/event_hub.hpp"
#include "web/http_server.hpp"
#include "web/metrics.hpp"
#include "web/static_files.hpp"

namespace hotline::app {

void ConfigureLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("hotline");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

namespace {
// The work-order rules' knobs from [workorder] (the guideline deadlines stay; centres set their own).
workorder::WorkOrderOptions WorkOrderOptionsOf(const Config& config) {
  workorder::WorkOrderOptions o;
  o.default_deadlines.due_soon_workdays = config.workorder_due_soon_workdays;
  o.max_attachment_bytes = config.workorder_max_attachment_bytes;
  return o;
}

// [fund] backend: the embedded core system, or a real one over HTTP.
Result<std::unique_ptr<fund::FundPort>> MakeFundPort(const Config& config, store::Database& db,
                                                     const fund::PinHasher& pins, const Clock& clock) {
  if (config.fund_backend == "http") {
    HOTLINE_ASSIGN_OR_RETURN(auto port, fund::HttpFundPort::Create({.base_url = config.fund_base_url,
                                                                    .timeout = std::chrono::milliseconds(config.fund_timeout_ms),
                                                                    .retries = config.fund_retries}));
    return std::unique_ptr<fund::FundPort>(std::move(port));
  }
  return std::unique_ptr<fund::FundPort>(std::make_unique<fund::EmbeddedFundPort>(db, pins, clock));
}

}  // namespace

std::string KbIndexDir(const Config& config) {
  if (!config.kb_index_dir.empty()) return config.kb_index_dir;
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
  const store::ModuleMigrations modules[] = {org::kOrgMigrations, calendar::kCalendarMigrations,
                                             kpi::kKpiMigrations, kpi::kFederationMigrations,
                                             kpi::kProfileMigrations, kpi::kAttendanceMigrations,
                                             workorder::kWorkOrderMigrations, fund::kFundMigrations, kb::kKbMigrations};
  HOTLINE_ASSIGN_OR_RETURN(app->migrations_applied_, store::Migrate(*app->db_, modules));
  HOTLINE_ASSIGN_OR_RETURN(std::string key, org::LoadOrCreateSecretKey(config.secret_key_file));
  HOTLINE_ASSIGN_OR_RETURN(auto hasher,
                           org::PasswordHasher::Create({.secret_key = key,
                                                        .ops_limit = config.argon2_ops_limit,
                                                        .mem_limit_bytes = config.argon2_mem_limit_kib * 1024}));
  app->hasher_ = std::make_unique<org::PasswordHasher>(std::move(hasher));
  app->orgs_ = std::make_unique<org::OrgDirectory>(*app->db_, app->clock_);
  app->calendar_ = std::make_unique<calendar::CalendarStore>(*app->db_, app->clock_);
  app->users_ = std::make_unique<org::UserDirectory>(*app->db_, *app->orgs_, *app->hasher_, app->clock_);
  app->audit_ = std::make_unique<org::AuditLog>(*app->db_, app->clock_);
  app->kpi_ = std::make_unique<kpi::KpiStore>(*app->db_);
  app->federation_ = std::make_unique<kpi::FederationStore>(*app->db_, *app->orgs_, app->clock_, app->random_);
  app->profiles_ = std::make_unique<kpi::ProfileStore>(*app->db_, *app->orgs_, config.kpi_profile);
  app->attendance_ = std::make_unique<kpi::Attendance>(*app->db_, *app->orgs_);
  // R-KPI-7: complaint work orders count in 投诉率 of the centre-day they were filed.
  app->complaints_ = std::make_unique<kpi::DailyComplaintCounter>();
  app->workorders_ = std::make_unique<workorder::WorkOrderService>(*app->db_, app->clock_, *app->orgs_,
                                                                   *app->calendar_, *app->audit_, *app->complaints_,
                                                                   WorkOrderOptionsOf(config));
  app->callbacks_ = std::make_unique<workorder::CallbackService>(*app->db_, app->clock_, *app->orgs_, *app->audit_);
  // The provident-fund port and caller verification (R-IVR-2): query passwords are keyed with the same
  // secret key file as the staff passwords' pepper (fund/pin_hasher.hpp says why not argon2 per record).
  HOTLINE_ASSIGN_OR_RETURN(auto pins, fund::PinHasher::Create(key));
  app->fund_pins_ = std::make_unique<fund::PinHasher>(pins);
  HOTLINE_ASSIGN_OR_RETURN(app->fund_port_, MakeFundPort(config, *app->db_, *app->fund_pins_, app->clock_));
  app->fund_verifier_ = std::make_unique<fund::IdentityVerifier>(
      *app->db_, *app->fund_port_, *app->fund_pins_, *app->audit_, app->clock_, app->random_,
      fund::IdentityOptions{.max_failures = config.fund_max_failed_verifications,
                            .lockout = std::chrono::seconds(config.fund_lockout_seconds),
                            .context_ttl = std::chrono::seconds(config.fund_context_ttl_seconds)});
  app->fund_ = std::make_unique<fund::FundService>(*app->fund_port_, *app->fund_verifier_, *app->audit_,
                                                   *app->calendar_, app->clock_, TimeZone::Shanghai(),
                                                   fund::FundServiceOptions{.max_days_ahead = config.fund_appointment_days_ahead});
  // R-AGT-3: the knowledge base's index is derived from the database; EnsureIndex (serve, kb commands)
  // rebuilds it when missing or stale.
  HOTLINE_ASSIGN_OR_RETURN(app->kb_index_, kb::SearchIndex::Open({.dir = KbIndexDir(config)}));
  app->kb_ = std::make_unique<kb::KbService>(*app->db_, app->clock_, *app->orgs_, *app->audit_, *app->kb_index_,
                                             kb::KbServiceOptions{.second_reviewer = config.kb_second_reviewer});
  return app;
}

namespace {

// Pushes this hotline's daily sums to its parent every [federation] push_interval_seconds (R-ORG-3), on its
// own thread; a failed push is logged and retried at the next interval (nothing is lost: the watermark
// only moves after the parent acknowledged).
class FederationPusher {
 public:
  explicit FederationPusher(App& app) : app_(app) {
    if (app.config().federation_upstream_url.empty()) return;
    thread_ = std::thread([this] { Loop(); });
  }
  ~FederationPusher() { Stop(); }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Loop() {
    const auto& c = app_.config();
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      auto pushed = kpi::PushUpstream(app_.federation(), c.federation_upstream_url, c.federation_token);
      if (pushed.ok()) {
        if (*pushed > 0) spdlog::info("federation: {} centre-days pushed to {}", *pushed, c.federation_upstream_url);
      } else {
        spdlog::warn("federation: push to {} failed, will retry: {}", c.federation_upstream_url, pushed.error().message);
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::seconds(c.federation_push_interval_seconds), [this] { return stop_; });
    }
  }
  App& app_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace

Status App::Serve(const std::function<void(const std::string&)>& on_ready) {
  org::SessionStore sessions(*db_, clock_, random_, config_.sessions);
  org::LoginThrottle throttle(clock_, config_.throttle);
  web::EventHub hub;
  web::Metrics metrics;
  audit_->SetListener([&hub](const org::AuditEntry& e) {
    hub.Publish({.org_path = e.org_path,
                 .permission = std::string(org::PermissionName(org::Permission::kAuditRead)),
                 .json = nlohmann::json{{"type", "audit"}, {"entry", org::ToJson(e)}}.dump()});
  });
  api::ApiContext api(
      {.db = *db_, .clock = clock_, .orgs = *orgs_, .users = *users_, .sessions = sessions, .throttle = throttle,
       .audit = *audit_, .hub = hub, .calendar = *calendar_, .kpi = *kpi_, .federation = *federation_,
       .profiles = *profiles_,
       .attendance = *attendance_, .workorders = *workorders_, .callbacks = *callbacks_, .fund = *fund_, .kb = *kb_},
      {.secure_cookie = config_.secure_cookie,
       .session_max_age = config_.sessions.max_age,
       .kpi_basis = config_.kpi_basis,
       .kpi_profile = config_.kpi_profile,
       .kpi_satisfied_includes_basic = config_.kpi_satisfied_includes_basic});
  metrics.AddGauge("hotline_store_up", "1 when the database answers a trivial query.",
                   [this] { return db_->Ping().ok() ? 1.0 : 0.0; });
  metrics.AddGauge("hotline_websocket_clients", "Live event stream subscribers.",
                   [&hub] { return static_cast<double>(hub.size()); });

  // The knowledge base's index reflects the database before the first search (rebuilt when stale).
  if (auto rebuilt = kb_->EnsureIndex(); !rebuilt.ok())
    spdlog::warn("kb: search index not ready ({}): run `hotline kb reindex`", rebuilt.error().message);
  else if (*rebuilt)
    spdlog::info("kb: search index rebuilt from the database in {}", KbIndexDir(config_));

  web::Router router;
  api::AddRoutes(router, api, metrics);
  web::StaticFiles console;
  console.Load(config_.static_dir);
  if (console.file_count() == 0)
    spdlog::warn("console not found in {} (http.static_dir): run `make ui`", config_.static_dir);

  HOTLINE_ASSIGN_OR_RETURN(
      auto server,
      web::HttpServer::Create(config_.http, router, metrics, hub,
                              [&api](web::Request& r) { return api::AuthorizeWebSocket(api, r); },
                              [&console](web::Request& r) { return console.Serve(r); }));
  spdlog::info("serving on {} (database {})", server->local_address(),
               db_->dialect() == store::Dialect::kSqlite ? "SQLite" : "PostgreSQL");
  on_ready(server->local_address());
  FederationPusher pusher(*this);
  // Due-soon/overdue escalation of work orders (R-WO-4) to the live channel, every
  // [workorder] escalation_interval_seconds (default a minute).
  api::WorkOrderEvents workorder_events(hub);
  // The handler's SMS on escalation waits for the SMS module (EscalationSinks' `sms` hook): none is sent.
  workorder::EscalationSinks escalation_sinks(workorder_events, /*sms=*/nullptr);
  workorder::EscalationScheduler escalation(*db_, escalation_sinks,
                                            {.batch_size = config_.workorder_escalation_batch_size});
  escalation.Start(clock_, std::chrono::seconds(config_.workorder_escalation_interval_seconds));
  server->Run(/*handle_signals=*/true);
  escalation.Stop();
  pusher.Stop();
  audit_->SetListener(nullptr);
  spdlog::info("stopped");
  return OkStatus();
}

}  // namespace hotline::app
