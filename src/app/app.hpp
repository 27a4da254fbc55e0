// The one place that assembles hotline12329 from its modules (STYLE.md habit 4: explicit wiring,
// no singletons). Both the server and the CLI subcommands open an App, so they share one way of
// reaching the database, the migrations and the directories.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/config.hpp"
#include "calendar/calendar_store.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "fund/fund_service.hpp"
#include "fund/identity.hpp"
#include "fund/pin_hasher.hpp"
#include "kb/importer.hpp"
#include "kb/kb_service.hpp"
#include "kb/search_index.hpp"
#include "kpi/attendance.hpp"
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

// Not thread-safe to construct; the parts it hands out are thread-safe.
class App {
 public:
  // Opens the database, applies pending migrations, loads (or creates) the secret key.
  static Result<std::unique_ptr<App>> Open(const Config& config);

  // Runs the HTTP server until SIGINT/SIGTERM. `on_ready` gets the bound address ("127.0.0.1:12329").
  Status Serve(const std::function<void(const std::string&)>& on_ready);

  const Config& config() const { return config_; }
  store::Database& db() { return *db_; }
  org::OrgDirectory& orgs() { return *orgs_; }
  org::UserDirectory& users() { return *users_; }
  org::AuditLog& audit() { return *audit_; }
  calendar::CalendarStore& calendar() { return *calendar_; }
  kpi::KpiStore& kpi() { return *kpi_; }
  kpi::FederationStore& federation() { return *federation_; }
  kpi::ProfileStore& profiles() { return *profiles_; }
  kpi::Attendance& attendance() { return *attendance_; }
  workorder::WorkOrderService& workorders() { return *workorders_; }
  workorder::CallbackService& callbacks() { return *callbacks_; }
  fund::FundPort& fund_port() { return *fund_port_; }
  const fund::PinHasher& fund_pins() const { return *fund_pins_; }
  fund::FundService& fund() { return *fund_; }
  kb::KbService& kb() { return *kb_; }
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
  std::unique_ptr<org::OrgDirectory> orgs_;
  std::unique_ptr<org::UserDirectory> users_;
  std::unique_ptr<org::AuditLog> audit_;
  std::unique_ptr<calendar::CalendarStore> calendar_;
  std::unique_ptr<kpi::KpiStore> kpi_;
  std::unique_ptr<kpi::FederationStore> federation_;
  std::unique_ptr<kpi::ProfileStore> profiles_;
  std::unique_ptr<kpi::Attendance> attendance_;
  std::unique_ptr<kpi::ComplaintCounter> complaints_;  // R-KPI-7: work orders report complaints through it
  std::unique_ptr<workorder::WorkOrderService> workorders_;
  std::unique_ptr<workorder::CallbackService> callbacks_;  // 回访: console, IVR after-hours requests
  std::unique_ptr<fund::PinHasher> fund_pins_;
  std::unique_ptr<fund::FundPort> fund_port_;  // embedded or HTTP ([fund] backend)
  std::unique_ptr<fund::IdentityVerifier> fund_verifier_;
  std::unique_ptr<fund::FundService> fund_;
  std::unique_ptr<kb::SearchIndex> kb_index_;
  std::unique_ptr<kb::KbService> kb_;
  int migrations_applied_ = 0;
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
