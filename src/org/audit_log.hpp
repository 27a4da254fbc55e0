// The audit log: an append-only record of who did what to which record, when, from where and through
// which channel. Logins, logouts, failures and every administrative change go here; later modules add
// every read of personal data (R-IVR-2, security standard). The database refuses UPDATE and DELETE on
// the table (triggers in the org migrations), so an entry, once written, stays.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

namespace hotline::org {

struct AuditEntry {
  int64_t id = 0;
  TimePoint at;
  std::optional<int64_t> actor_id;  // none for the CLI or an anonymous caller
  std::string actor;                // username, "cli", or the login name tried
  std::string org_path;             // the organisation the record belongs to (for scoping)
  std::string org_code;
  std::string action;       // e.g. "auth.login", "user.create", "fund.account.read"
  std::string target_type;  // e.g. "user", "org", "session"
  std::string target_id;
  std::string remote_addr;
  std::string channel = "web";                       // web | cli | ivr | sms | api
  nlohmann::json detail = nlohmann::json::object();  // never personal data in clear
};

struct AuditQuery {
  std::string within_path;  // scope: only entries of orgs under this path
  std::optional<std::string> org_code;
  std::optional<std::string> action;
  std::optional<std::string> actor;
  std::optional<int64_t> before_id;
  int limit = 100;
};

// Thread-safe.
class AuditLog {
 public:
  using Listener = std::function<void(const AuditEntry&)>;
  AuditLog(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Called after each successful append (e.g. to push it to live consoles). Set once at wiring time.
  void SetListener(Listener listener) { listener_ = std::move(listener); }

  // Stamps `at` and `id`. Inside a transaction use the Session overload so the entry commits with the change.
  Result<AuditEntry> Append(AuditEntry entry);
  Result<AuditEntry> Append(store::Session& session, AuditEntry entry);
  // Newest first.
  Result<std::vector<AuditEntry>> Query(const AuditQuery& query) const;

 private:
  store::Database& db_;
  const Clock& clock_;
  Listener listener_;
};

nlohmann::json ToJson(const AuditEntry& e);

}  // namespace hotline::org
