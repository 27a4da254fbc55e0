// Test support: FaultyDatabase, failure at the Nth statement, commit or autocommit query
// (faulty_database.hpp).
#include "testing/faulty_database.hpp"

namespace hotline::test {

// The session a transaction's function sees: counts each statement and fails the planned one.
// Not thread-safe, as every Session (one transaction, one thread).
class FaultyDatabase::FaultySession final : public store::Session {
 public:
  FaultySession(store::Session& inner, FaultyDatabase& db) : inner_(inner), db_(db) {}
  Result<store::QueryResult> Query(std::string_view sql, const store::Params& params) override {
    if (db_.ShouldFail(++db_.statements_, db_.plan_.fail_statement)) return db_.plan_.error;
    return inner_.Query(sql, params);
  }
  // Forwarded as Exec, not through Query, so the engine's own bulk path (and SQLite's last_rowid) is kept.
  Result<ExecResult> Exec(std::string_view sql, std::span<const store::ParamRef> params) override {
    if (db_.ShouldFail(++db_.statements_, db_.plan_.fail_statement)) return db_.plan_.error;
    return inner_.Exec(sql, params);
  }
  Status ExecScript(std::string_view sql) override {
    if (db_.ShouldFail(++db_.statements_, db_.plan_.fail_statement)) return db_.plan_.error;
    return inner_.ExecScript(sql);
  }
  store::Dialect dialect() const override { return inner_.dialect(); }

 private:
  store::Session& inner_;
  FaultyDatabase& db_;
};

bool FaultyDatabase::ShouldFail(int n, int fail_at) {
  if (plan_.sticky && fired_.load()) return true;
  if (fail_at <= 0 || n != fail_at) return false;
  fired_ = true;
  return true;
}

Result<store::QueryResult> FaultyDatabase::Query(std::string_view sql, const store::Params& params) {
  if (ShouldFail(++autocommit_, plan_.fail_autocommit)) return plan_.error;
  return inner_.Query(sql, params);
}

Status FaultyDatabase::Transaction(const std::function<Status(store::Session&)>& fn) {
  return inner_.Transaction([&](store::Session& session) -> Status {
    FaultySession faulty(session, *this);
    HOTLINE_RETURN_IF_ERROR(fn(faulty));
    // Returning an error here makes the inner database roll back instead of committing.
    if (ShouldFail(++commits_, plan_.fail_commit)) return plan_.error;
    return OkStatus();
  });
}

}  // namespace hotline::test
