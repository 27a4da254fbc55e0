// Test support: every OpenTestDatabase() call gets its own empty database — a SQLite file in a new
// temp directory, or a new schema on the PostgreSQL server HOTLINE_TEST_DATABASE_URL names — and
// removes it again when the test drops the Database.
#include "store/test_database.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>

namespace hotline::store {
namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "OpenTestDatabase: %s\n", message.c_str());
  std::abort();
}

// A Database that runs `cleanup` after the wrapped one is closed. Thread-safe as the wrapped one.
class OwnedTestDatabase final : public Database {
 public:
  OwnedTestDatabase(std::unique_ptr<Database> inner, std::function<void()> cleanup)
      : inner_(std::move(inner)), cleanup_(std::move(cleanup)) {}
  ~OwnedTestDatabase() override {
    inner_.reset();
    cleanup_();
  }
  Dialect dialect() const override { return inner_->dialect(); }
  Result<QueryResult> Query(std::string_view sql, const Params& params) override {
    return inner_->Query(sql, params);
  }
  Status Transaction(const std::function<Status(Session&)>& fn) override { return inner_->Transaction(fn); }
  Status Ping() override { return inner_->Ping(); }

 private:
  std::unique_ptr<Database> inner_;
  std::function<void()> cleanup_;
};

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

// Runs one statement on a connection of its own (schema DDL outside the pool under test).
bool RunOnce(const std::string& url, const std::string& sql, std::string* error) {
  PGconn* conn = PQconnectdb(url.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (ok) {
    PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
    PGresult* res = PQexec(conn, sql.c_str());
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
  }
  if (!ok && error) *error = PQerrorMessage(conn);
  PQfinish(conn);
  return ok;
}

std::unique_ptr<Database> OpenPostgresTestDatabase(const std::string& url, int n) {
  std::string schema = "t_" + std::to_string(getpid()) + "_" + std::to_string(n) + "_" +
                       std::to_string(std::random_device{}() % 1000000);
  std::string error;
  if (!RunOnce(url, "CREATE SCHEMA " + schema, &error)) Die("CREATE SCHEMA " + schema + " failed: " + error);
  // Every pooled connection resolves unqualified table names in the new schema only.
  std::string scoped =
      url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  DatabaseOptions options{.url = scoped, .pool_size = 2};
  auto db = Database::Open(options);
  if (!db.ok()) Die(db.error().message);
  return std::make_unique<OwnedTestDatabase>(std::move(db).value(), [url, schema] {
    std::string drop_error;
    if (!RunOnce(url, "DROP SCHEMA " + schema + " CASCADE", &drop_error))
      std::fprintf(stderr, "OpenTestDatabase: DROP SCHEMA %s failed: %s\n", schema.c_str(),
                   drop_error.c_str());
  });
}

}  // namespace

const char* TestDatabaseEngine() {
  const char* url = std::getenv("HOTLINE_TEST_DATABASE_URL");
  return url && *url ? "postgres" : "sqlite";
}

std::unique_ptr<Database> OpenTestDatabase() {
  static std::atomic<int> counter{0};
  int n = counter++;
  const char* url = std::getenv("HOTLINE_TEST_DATABASE_URL");
  if (url && *url) {
    std::string u = url;
    if (u.rfind("postgresql://", 0) != 0 && u.rfind("postgres://", 0) != 0)
      Die("HOTLINE_TEST_DATABASE_URL must be a postgresql:// URL, got something else");
    return OpenPostgresTestDatabase(u, n);
  }
  DatabaseOptions options;
  options.pool_size = 2;
  auto dir = std::filesystem::temp_directory_path() /
             ("hotline-test-" + std::to_string(getpid()) + "-" + std::to_string(n));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  options.url = "sqlite:" + (dir / "test.db").string();
  options.sqlite_synchronous_full = false;  // tests need no power-cut durability
  auto db = Database::Open(options);
  if (!db.ok()) Die(db.error().message);
  return std::make_unique<OwnedTestDatabase>(std::move(db).value(), [dir] {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  });
}

}  // namespace hotline::store
