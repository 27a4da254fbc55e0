// The storage port (DESIGN.md "store"): one Database interface with two implementations, SQLite
// (embedded default, WAL) and PostgreSQL (libpq). Every module reaches its tables only through this.
//
// SQL dialect contract — write SQL that both engines accept:
//  * parameters are numbered PostgreSQL style: $1, $2, … (SQLite binds them by name);
//  * integers are BIGINT, text is TEXT, flags are BIGINT 0/1, instants are BIGINT epoch milliseconds
//    UTC (core/clock.hpp), money is BIGINT fen;
//  * `INSERT … RETURNING id` and `INSERT … ON CONFLICT … DO …` are fine on both;
//  * in migrations only, `{{ID}}` expands to an auto-increment BIGINT primary key column type;
//  * a NULL parameter needs context for PostgreSQL to type it: `$1::text IS NULL`, not `$1 IS NULL`;
//  * TEXT holds valid UTF-8 without NUL bytes (validate untrusted input before it gets here);
//  * inside a transaction, do not go on after a failed statement: PostgreSQL aborts the whole
//    transaction (Transaction() then rolls back and returns the first error). Use ON CONFLICT instead;
//  * numeric aggregates (SUM, AVG) may come back as text on PostgreSQL: read them with AsInt/AsDouble.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace hotline::store {

// One SQL value: NULL, a 64-bit integer, a double or text (UTF-8 or bytes).
class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}                           // NOLINT
  Value(int v) : v_(int64_t{v}) {}                   // NOLINT
  Value(int64_t v) : v_(v) {}                        // NOLINT
  Value(bool v) : v_(int64_t{v ? 1 : 0}) {}          // NOLINT
  Value(double v) : v_(v) {}                         // NOLINT
  Value(std::string v) : v_(std::move(v)) {}         // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}  // NOLINT
  Value(const char* v) : v_(std::string(v)) {}       // NOLINT

  bool is_null() const { return v_.index() == 0; }
  bool is_int() const { return v_.index() == 1; }
  bool is_double() const { return v_.index() == 2; }
  bool is_text() const { return v_.index() == 3; }
  // Conversions are lenient across engines (PostgreSQL may hand back text for numerics):
  // NULL → 0 / "" ; text that is not a number → 0.
  int64_t AsInt() const;
  double AsDouble() const;
  std::string AsText() const;
  // The stored text itself when this is a text value, else null (no conversion, no copy).
  const std::string* TextIf() const { return std::get_if<std::string>(&v_); }

 private:
  std::variant<std::monostate, int64_t, double, std::string> v_;
};

using Params = std::vector<Value>;

// A parameter that borrows its text instead of owning it, for statements run once per row of a bulk
// write (Session::Exec): no allocation and no copy per value. The text must outlive the call.
class ParamRef {
 public:
  ParamRef() = default;                                           // NULL
  ParamRef(int64_t v) : kind_(Kind::kInt), int_(v) {}             // NOLINT
  ParamRef(std::string_view v) : kind_(Kind::kText), text_(v) {}  // NOLINT
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_int() const { return kind_ == Kind::kInt; }
  int64_t int_value() const { return int_; }
  std::string_view text() const { return text_; }
  Value ToValue() const { return is_null() ? Value() : is_int() ? Value(int_) : Value(text_); }

 private:
  enum class Kind : uint8_t { kNull, kInt, kText } kind_ = Kind::kNull;
  int64_t int_ = 0;
  std::string_view text_;
};

// The rows of one statement, fully materialised. Not thread-safe (a plain value).
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  int64_t affected_rows = 0;  // for INSERT/UPDATE/DELETE

  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
  // Index of a column by name; REQUIRES: the column exists.
  size_t Column(std::string_view name) const;
  const Value& At(size_t row, std::string_view column) const { return rows[row][Column(column)]; }
};

enum class Dialect { kSqlite, kPostgres };

// One connection, inside a transaction when given to Database::Transaction's function.
// Not thread-safe: used by one thread at a time.
class Session {
 public:
  virtual ~Session() = default;
  // Runs one statement with parameters $1…$n. Errors: kConflict (code "unique_violation") on a
  // unique/primary-key violation, kInvalidArgument ("constraint_violation") on other constraints,
  // kUnavailable when the server is unreachable, kInternal otherwise.
  virtual Result<QueryResult> Query(std::string_view sql, const Params& params = {}) = 0;
  // What Exec did: the rows it changed, and on SQLite the rowid of the last row it inserted
  // (sqlite3_last_insert_rowid: the rows one INSERT stores without naming their rowid get max + 1, max
  // + 2, … in order); 0 on PostgreSQL.
  struct ExecResult {
    int64_t changed = 0;
    int64_t last_rowid = 0;
  };
  // Runs one statement that returns no rows (INSERT/UPDATE/DELETE) with borrowed parameters $1…$n;
  // errors as Query. For bulk writes, where Query's owning Params would copy every text value (the
  // default does just that).
  virtual Result<ExecResult> Exec(std::string_view sql, std::span<const ParamRef> params) {
    Params owned;
    owned.reserve(params.size());
    for (const ParamRef& p : params) owned.push_back(p.ToValue());
    HOTLINE_ASSIGN_OR_RETURN(auto r, Query(sql, owned));
    return ExecResult{r.affected_rows, 0};
  }
  // Runs several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
};

struct DatabaseOptions {
  // "sqlite:PATH" (relative to the working directory) or "postgresql://…" / "postgres://…" (libpq URI).
  std::string url = "sqlite:var/hotline.db";
  // Connections kept open; callers beyond that wait for a free one.
  int pool_size = 4;
  // SQLite only: how long a writer waits for another writer's lock before kUnavailable.
  int busy_timeout_ms = 5000;
  // SQLite only: synchronous=FULL makes every commit durable through a power cut (R-OPS-1).
  bool sqlite_synchronous_full = true;
};

// The transactions of one bulk load (the CDR import: millions of rows in batches of tens of thousands),
// committed without waiting for the disk. On SQLite the load's commits skip their fsync and do not
// checkpoint; a background thread makes each commit durable soon after it (fdatasync of the WAL) and
// checkpoints the WAL on a connection of its own, so that the disk writes overlap the loader's work
// instead of stalling it. Until Sync() returns, a power cut may roll back the load's last transactions —
// whole transactions, never half of one, never a corrupt file; kill -9 of the process loses nothing
// committed (the data is in the operating system's cache). A loader must therefore be re-runnable (the
// CDR import is idempotent) and report success only after Sync(). On PostgreSQL the transactions are
// ordinary ones (each commit already durable) and Sync() has nothing to do.
// Used by one thread at a time; the Database must outlive it.
struct BulkLoadOptions {
  // SQLite only, in WAL frames (one page each): the WAL is checkpointed when this many frames were added
  // since the last checkpoint, and the loader waits for the checkpoint once the WAL holds max_wal_frames
  // (so that it can start over from its beginning instead of growing without end).
  int64_t checkpoint_frames = 8192;
  int64_t max_wal_frames = 16384;
  // SQLite only: the loader's page cache, in KiB. SQLite's default of 2 MiB is smaller than what one
  // batch of the CDR import touches, and pages evicted mid-batch are written to the WAL and read back.
  int64_t cache_kib = 65536;
};
class BulkLoad {
 public:
  virtual ~BulkLoad() = default;  // waits for the background work, as Sync() does
  // As Database::Transaction.
  virtual Status Transaction(const std::function<Status(Session&)>& fn) = 0;
  // Returns when every transaction committed so far is as durable as Database::Transaction makes it, or the
  // first error of the background work (kInternal / kUnavailable: the data may not be on disk).
  virtual Status Sync() = 0;
};

// A pool of sessions on one database. Thread-safe: share one Database between all threads.
class Database {
 public:
  // Opens the engine the url names and checks that it answers.
  static Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);

  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // One statement in autocommit mode on a pooled session.
  virtual Result<QueryResult> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs `fn` inside one transaction: commits when it returns OK, rolls back otherwise and returns its error.
  // SQLite takes the write lock at BEGIN (BEGIN IMMEDIATE) so transactions never deadlock on upgrade.
  virtual Status Transaction(const std::function<Status(Session&)>& fn) = 0;
  // Starts a bulk load (see BulkLoad). The default runs plain transactions.
  virtual Result<std::unique_ptr<BulkLoad>> StartBulkLoad(const BulkLoadOptions& options = {});
  // OK when the database answers a trivial query now.
  virtual Status Ping() {
    auto r = Query("SELECT 1", {});
    if (!r.ok()) return r.take_error();
    return OkStatus();
  }
};

// Implementations (used by Database::Open; public for tests that need one engine explicitly).
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const DatabaseOptions& options);
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const DatabaseOptions& options);

// Expands the dialect tokens of a migration script ({{ID}}).
std::string ExpandDialect(std::string_view sql, Dialect dialect);

}  // namespace hotline::store
