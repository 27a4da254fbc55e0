// Federation upward (R-ORG-3): a centre's hotline pushes its daily sums to its province's hotline, and a
// province pushes its centres' sums to the ministry's, which then computes national figures from them.
//
// What travels: rows (centre code, local day, DaySums). The receiver *replaces* its row for that centre-day,
// so re-sending a day is harmless (idempotent) and a corrected day overwrites the old one. The sender keeps
// a watermark over a change log (kpi_changes, filled by database triggers on kpi_daily), so after an outage
// it sends everything that changed since its last acknowledged push (resumable). Authentication is a
// per-organisation federation token issued by the receiver (`hotline federation token --org CODE`); a token
// may only send rows of centres inside that organisation. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/time_zone.hpp"
#include "kpi/indicators.hpp"
#include "org/org_directory.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace hotline::kpi {

extern const store::ModuleMigrations kFederationMigrations;  // after kKpiMigrations

struct DailyRow {
  std::string center;  // org code
  Date day;
  DaySums sums;
};
nlohmann::json ToJson(const DailyRow& row);
// Errors: invalid_field naming the problem.
Result<DailyRow> DailyRowFromJson(const nlohmann::json& j);

struct ReportingStatus {
  std::string center;
  std::string center_name;
  int64_t days_reported = 0;         // distinct days received in [from, to]
  std::vector<std::string> missing;  // days of [from, to] with no row received (at most 62 listed)
  std::optional<TimePoint> last_received_at;
};

class FederationStore {
 public:
  FederationStore(store::Database& db, const org::OrgDirectory& orgs, const Clock& clock, Random& random)
      : db_(db), orgs_(orgs), clock_(clock), random_(random) {}

  // Receiver side.
  // Issues a token for `org_code` (shown once). Errors: not_found.
  Result<std::string> IssueToken(const std::string& org_code);
  // The organisation a token speaks for; kUnauthenticated when unknown or revoked.
  Result<org::Org> Authenticate(const std::string& token) const;
  // Replaces the rows in one transaction. Every row's centre must be a centre inside `sender`
  // (else nothing is stored: invalid_field / not_found naming the centre). Returns rows stored.
  Result<int64_t> Receive(const org::Org& sender, const std::vector<DailyRow>& rows);
  // Which centres inside `root` reported which days of [from, to].
  Result<std::vector<ReportingStatus>> Reporting(const org::Org& root, Date from, Date to) const;

  // Sender side.
  // Rows changed since the last acknowledged push to `upstream` (at most `limit`), and the change id to
  // acknowledge after they are delivered.
  Result<std::pair<std::vector<DailyRow>, int64_t>> Pending(const std::string& upstream, size_t limit) const;
  Status Acknowledge(const std::string& upstream, int64_t change_id);

 private:
  store::Database& db_;
  const org::OrgDirectory& orgs_;
  const Clock& clock_;
  Random& random_;
};

// Pushes everything pending to `upstream_url` (http://host:port of the parent's hotline) with `token`,
// in chunks; stops at the first failure (the rest is sent next time). Returns rows delivered.
Result<int64_t> PushUpstream(FederationStore& store, const std::string& upstream_url,
                             const std::string& token);

}  // namespace hotline::kpi
