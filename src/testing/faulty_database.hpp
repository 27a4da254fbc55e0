// Test support: a store::Database that injects a failure at the Nth operation (STYLE.md habit 9, in the
// manner of leveldb's FaultInjectionTestEnv), for tests that prove a service changes nothing when the
// database fails half-way through its work. Wrap the test's real database, hand the wrapper to the
// service under test, and check through the real one that nothing changed:
//
//   for (int n = 1;; ++n) {
//     test::FaultyDatabase faulty(*db_, n);          // the nth statement of a transaction fails
//     WorkOrderService service(faulty, ...);
//     if (service.Transition(...).ok()) break;       // n is past the last statement: done
//     EXPECT_EQ(Reload(id).state, before) << n;      // all or nothing
//   }
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>

#include "core/error.hpp"
#include "store/database.hpp"

namespace hotline::test {

// Which operation fails. Every count is 1-based over the life of one FaultyDatabase; 0 means never.
struct FaultPlan {
  // The Nth statement run inside a transaction (Session::Query, Session::Exec or Session::ExecScript) does
  // not reach the database and returns `error` instead; the transaction then rolls back as the caller's
  // error handling makes it.
  int fail_statement = 0;
  // The Nth transaction whose function returned OK is rolled back instead of committed, and
  // Transaction() returns `error`: a commit that fails (disk full, connection lost at COMMIT).
  int fail_commit = 0;
  // The Nth Database::Query outside a transaction (autocommit) returns `error` without running.
  int fail_autocommit = 0;
  // Once a fault fired, every later statement, commit and autocommit query fails too: the database went
  // down and stays down (otherwise only the one operation fails).
  bool sticky = false;
  // What a failing operation returns. kUnavailable is what the engines return for a lost server.
  Error error = Error::Unavailable("injected fault");
};

// Forwards everything else to `inner` (the dialect, Ping, the rows). A bulk load started on it runs as
// plain transactions of this wrapper (store::Database's default StartBulkLoad), so its statements are
// counted and can fail too; the inner engine's fast bulk path is not used.
// Thread-safe as `inner` is: the counters are atomic, and with several threads "the Nth statement" is
// the Nth in whatever order they arrive. REQUIRES: `inner` outlives this object.
class FaultyDatabase final : public store::Database {
 public:
  // The common case: the Nth statement inside a transaction fails.
  FaultyDatabase(store::Database& inner, int fail_statement)
      : FaultyDatabase(inner, FaultPlan{.fail_statement = fail_statement}) {}
  FaultyDatabase(store::Database& inner, FaultPlan plan) : inner_(inner), plan_(std::move(plan)) {}

  store::Dialect dialect() const override { return inner_.dialect(); }
  Result<store::QueryResult> Query(std::string_view sql, const store::Params& params) override;
  Status Transaction(const std::function<Status(store::Session&)>& fn) override;
  Status Ping() override { return inner_.Ping(); }

  // What has been attempted so far, the failed operation included: statements inside transactions,
  // transactions whose function returned OK (committed or failed at commit), autocommit queries.
  int statements() const { return statements_.load(); }
  int commits() const { return commits_.load(); }
  int autocommit_queries() const { return autocommit_.load(); }
  // Whether a fault has been injected yet.
  bool fired() const { return fired_.load(); }

 private:
  class FaultySession;
  // True when the operation numbered `n` (of a kind that fails at `fail_at`) must fail; records the firing.
  bool ShouldFail(int n, int fail_at);

  store::Database& inner_;
  const FaultPlan plan_;
  std::atomic<int> statements_{0};
  std::atomic<int> commits_{0};
  std::atomic<int> autocommit_{0};
  std::atomic<bool> fired_{false};
};

}  // namespace hotline::test
