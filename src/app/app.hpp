// The one place that assembles hotline12329 from its modules (STYLE.md habit 4: explicit wiring,
// no singletons). Both the server and the CLI subcommands open an App, so they share one way of
// reaching the database, the migrations and the directories.
//
// Two kinds of parts (issue 12 §1, userver's component model):
// - passive services (stores, directories, WorkOrderService, FundService, KbService, …): no threads of
//   their own, built on first use by their accessor, so a short command such as `hotline org list`
//   opens neither the knowledge base's Xapian index nor the fund port;
// - runtime components (the HTTP server, the work-order escalation, the federation push; later SIP, RTP
//   and SMPP sessions): listed in one ordered place, App::Serve, started in that order and stopped in
//   reverse by runtime::Runtime, which also owns SIGINT/SIGTERM and the shutdown deadline.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "app/config.hpp"
#include "calendar/calendar_store.hpp"
#include "calendar/service_hours_cache.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "fund/fund_service.hpp"
#include "fund/identity.hpp"
#include "fund/pin_hasher.hpp"
#include "kb/importer.hpp"
#include "kb/kb_service.hpp"
#include "kb/search_index.hpp"
#include "kpi/attendance.hpp"
#include "kpi/cdr_recorder.hpp"
#include "kpi/complaint_counter.hpp"
#include "kpi/federation.hpp"
#include "kpi/kpi_store.hpp"
#include "kpi/profiles.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "org/password_hasher.hpp"
#include "org/users.hpp"
#include "store/database.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::app {

// Thread-safe: the accessors may be called from any thread (the first call builds the service under a
// lock); the services they hand out are thread-safe. Serve runs on the main thread, once.
class App {
 public:
  // Opens the database, applies pending migrations, loads (or creates) the secret key. Nothing else is
  // built until it is asked for.
  static Result<std::unique_ptr<App>> Open(const Config& config);

  // Builds the server's services, starts the runtime components in order and serves until SIGINT,
  // SIGTERM or a fatal component error; then stops them in reverse within [runtime] shutdown_seconds.
  // `on_ready` gets the bound address ("127.0.0.1:12329") once every component runs.
  Status Serve(const std::function<void(const std::string&)>& on_ready);

  const Config& config() const { return config_; }
  store::Database& db() { return *db_; }
  org::OrgDirectory& orgs();
  org::UserDirectory& users();
  org::AuditLog& audit();
  calendar::CalendarStore& calendar();
  calendar::ServiceHoursCache& service_hours();  // "open now?" per centre (R-IVR-3): console, IVR, SMS
  kpi::KpiStore& kpi();
  kpi::CdrRecorder& cdrs();  // one finished call, durably (the live channels' CDRs)
  kpi::FederationStore& federation();
  kpi::ProfileStore& profiles();
  kpi::Attendance& attendance();
  workorder::WorkOrderService& workorders();
  workorder::CallbackService& callbacks();  // 回访: the console, the IVR's after-hours requests
  const fund::PinHasher& fund_pins() const { return *fund_pins_; }
  // The accessors below open something outside the database on first use (the fund port, the search
  // index). When that fails the error is printed and the process exits 1, as App::Open's errors do for
  // the CLI; Serve opens them through OpenFund/OpenKb first and returns the error instead.
  fund::FundPort& fund_port();
  fund::FundService& fund();
  fund::IdentityVerifier& fund_verifier();  // the IVR's keypad check and the agent's 转IVR验密 (R-IVR-2)
  kb::KbService& kb();
  Result<fund::FundService*> OpenFund();
  Result<kb::KbService*> OpenKb();
  const Clock& clock() const { return clock_; }
  Random& random() { return random_; }
  int migrations_applied() const { return migrations_applied_; }

 private:
  explicit App(Config config) : config_(std::move(config)) {}

  Config config_;
  SystemClock clock_;
  SecureRandom random_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<org::PasswordHasher> hasher_;
  std::unique_ptr<fund::PinHasher> fund_pins_;
  int migrations_applied_ = 0;

  // Built on first use; GUARDED_BY(lazy_mu_) while being built, immutable after. Recursive: a service's
  // builder asks for the services it depends on.
  std::recursive_mutex lazy_mu_;
  std::unique_ptr<org::OrgDirectory> orgs_;
  std::unique_ptr<org::UserDirectory> users_;
  std::unique_ptr<org::AuditLog> audit_;
  std::unique_ptr<calendar::CalendarStore> calendar_;
  std::unique_ptr<calendar::ServiceHoursCache> service_hours_;
  std::unique_ptr<kpi::KpiStore> kpi_;
  std::unique_ptr<kpi::CdrRecorder> cdrs_;
  std::unique_ptr<kpi::FederationStore> federation_;
  std::unique_ptr<kpi::ProfileStore> profiles_;
  std::unique_ptr<kpi::Attendance> attendance_;
  std::unique_ptr<kpi::ComplaintCounter> complaints_;  // R-KPI-7: work orders report complaints through it
  std::unique_ptr<workorder::WorkOrderService> workorders_;
  std::unique_ptr<workorder::CallbackService> callbacks_;
  std::unique_ptr<fund::FundPort> fund_port_;  // embedded or HTTP ([fund] backend)
  std::unique_ptr<fund::IdentityVerifier> fund_verifier_;
  std::unique_ptr<fund::FundService> fund_;
  std::unique_ptr<kb::SearchIndex> kb_index_;
  std::unique_ptr<kb::KbService> kb_;
};

// Where the knowledge base's search index lives ([kb] index_dir, or next to a SQLite database).
std::string KbIndexDir(const Config& config);

// Imports a directory or file of knowledge-base content into the centre `org_code` (app/kb_cli.cpp).
Result<kb::ImportReport> ImportKnowledgeBase(App& app, const std::string& org_code, const std::string& path,
                                             bool show_progress);

// Sets spdlog's default logger: stderr, the configured level, no personal data by contract.
void ConfigureLogging(const std::string& level);

// Creates a demo deployment under `dir` (config, SQLite database, orgs, one login per role) unless it
// exists, and returns the config path. Prints the demo logins.
Result<std::string> PrepareDemo(const std::string& dir, const std::string& listen);

}  // namespace hotline::app
