// SQLite implementation of the storage port: WAL mode, one pool of connections, BEGIN IMMEDIATE
// transactions, synchronous=FULL by default so that a committed record survives kill -9 and a
// power cut (R-OPS-1).
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <charconv>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "store/database.hpp"
#include "store/pool.hpp"

namespace hotline::store {
namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Error::Conflict("unique_violation", msg);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return Error::InvalidArgument("constraint_violation", msg);
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return Error::Unavailable("数据库忙，请稍后重试 (" + msg + ")");
  return Error::Internal(msg);
}

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(sqlite3* db) : db_(db) {}
  ~SqliteSession() override {
    for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
    sqlite3_close_v2(db_);
  }

  Result<QueryResult> Query(std::string_view sql, const Params& params) override {
    HOTLINE_ASSIGN_OR_RETURN(Prepared * prepared, Cached(sql));
    if (!prepared) return QueryResult{};  // empty statement
    sqlite3_stmt* stmt = prepared->stmt;
    // Leaves the cached statement reusable whatever happens below.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    // SQLITE_STATIC: `params` outlives every step below, and Reset clears the bindings before return.
    HOTLINE_RETURN_IF_ERROR(BindAll(*prepared, params));
    int rc = SQLITE_OK;
    QueryResult out;
    int cols = sqlite3_column_count(stmt);
    for (int c = 0; c < cols; ++c) out.columns.emplace_back(sqlite3_column_name(stmt, c));
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      auto& row = out.rows.emplace_back();
      row.reserve(cols);
      for (int c = 0; c < cols; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_NULL:
            row.emplace_back();
            break;
          default: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, c));
            row.emplace_back(std::string(p ? p : "", sqlite3_column_bytes(stmt, c)));
          }
        }
      }
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "step");
    out.affected_rows = sqlite3_changes64(db_);
    return out;
  }

  Result<ExecResult> Exec(std::string_view sql, std::span<const ParamRef> params) override {
    HOTLINE_ASSIGN_OR_RETURN(Prepared * prepared, Cached(sql));
    if (!prepared) return ExecResult{};
    sqlite3_stmt* stmt = prepared->stmt;
    // Every slot is bound below, so the bindings need no clearing; the borrowed texts are released by
    // the reset (SQLITE_STATIC: they outlive the step).
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() { sqlite3_reset(s); }
    } reset{stmt};
    HOTLINE_RETURN_IF_ERROR(BindAll(*prepared, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "step");
    return ExecResult{static_cast<int64_t>(sqlite3_changes64(db_)),
                      static_cast<int64_t>(sqlite3_last_insert_rowid(db_))};
  }

  Status ExecScript(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return Error::Internal("script: " + msg);
    }
    return OkStatus();
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

 private:
  static constexpr size_t kMaxCachedStatements = 256;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    std::vector<size_t> value_of;  // [slot - 1]: index into Params of the value bound to that slot
  };
  static int Bind(sqlite3_stmt* stmt, int slot, const Value& v) {
    if (v.is_null()) return sqlite3_bind_null(stmt, slot);
    if (v.is_int()) return sqlite3_bind_int64(stmt, slot, v.AsInt());
    if (v.is_double()) return sqlite3_bind_double(stmt, slot, v.AsDouble());
    const std::string* text = v.TextIf();
    return sqlite3_bind_text(stmt, slot, text->data(), static_cast<int>(text->size()), SQLITE_STATIC);
  }
  static int Bind(sqlite3_stmt* stmt, int slot, const ParamRef& v) {
    if (v.is_null()) return sqlite3_bind_null(stmt, slot);
    if (v.is_int()) return sqlite3_bind_int64(stmt, slot, v.int_value());
    return sqlite3_bind_text(stmt, slot, v.text().data(), static_cast<int>(v.text().size()), SQLITE_STATIC);
  }
  // Binds every slot of `p` to its value in `params` ($n → params[n - 1]) without copying text
  // (SQLITE_STATIC): the caller keeps `params` alive until the statement is reset.
  template <typename Values>
  Status BindAll(const Prepared& p, const Values& params) {
    for (size_t i = 0; i < p.value_of.size(); ++i) {
      size_t index = p.value_of[i];
      if (index >= params.size())
        return Error::Internal("SQL parameter $" + std::to_string(index + 1) + " has no value");
      if (int rc = Bind(p.stmt, static_cast<int>(i + 1), params[index]); rc != SQLITE_OK)
        return SqliteError(db_, rc, "bind");
    }
    return OkStatus();
  }

  // The cached statement of `sql`, prepared on first use (parsed and planned once per session and text;
  // which value each parameter slot takes is worked out once too). Null for an empty statement.
  Result<Prepared*> Cached(std::string_view sql) {
    // The statement of the previous call first: bulk writes run one long text over and over, and
    // comparing it is much cheaper than hashing it.
    if (last_ && last_->first == sql) return &last_->second;
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      last_ = &*it;
      return &it->second;
    }
    HOTLINE_ASSIGN_OR_RETURN(Prepared fresh, Prepare(sql));
    if (!fresh.stmt) return static_cast<Prepared*>(nullptr);
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [text, old] : cache_) sqlite3_finalize(old.stmt);
      cache_.clear();
    }
    last_ = &*cache_.emplace(std::string(sql), std::move(fresh)).first;
    return &last_->second;
  }

  Result<Prepared> Prepare(std::string_view sql) {
    Prepared p;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &p.stmt, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    if (!p.stmt) return p;
    int n = sqlite3_bind_parameter_count(p.stmt);
    for (int i = 1; i <= n; ++i) {
      const char* name = sqlite3_bind_parameter_name(p.stmt, i);
      // Parameters are written $1…$n; a name maps to the n-th value.
      size_t index = 0;
      if (!name || name[0] != '$' ||
          std::from_chars(name + 1, name + std::strlen(name), index).ec != std::errc{} || index < 1) {
        sqlite3_finalize(p.stmt);
        return Error::Internal("SQL parameter " + std::string(name ? name : "?") + " is not of the form $n");
      }
      p.value_of.push_back(index - 1);
    }
    return p;
  }

  sqlite3* db_;
  std::unordered_map<std::string, Prepared, Hash, std::equal_to<>> cache_;
  std::pair<const std::string, Prepared>* last_ = nullptr;  // in cache_: the statement Cached gave last
};

class SqliteDatabase final : public Database {
 public:
  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<QueryResult> Query(std::string_view sql, const Params& params) override {
    auto s = pool_.Acquire();
    return s->Query(sql, params);
  }

  Status Transaction(const std::function<Status(Session&)>& fn) override {
    auto s = pool_.Acquire();
    return RunInTransaction(*s, "BEGIN IMMEDIATE", fn);
  }

  SessionPool<SqliteSession> pool_;
};

Result<std::unique_ptr<SqliteSession>> OpenConnection(const std::string& path,
                                                      const DatabaseOptions& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = Error::Unavailable("无法打开 SQLite 数据库 " + path + "：" +
                                 (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) +
                                 "。请检查 database.url 的路径和目录权限。");
    sqlite3_close_v2(db);
    return e;
  }
  auto session = std::make_unique<SqliteSession>(db);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // page_size applies only to a database being created (before WAL mode is on); an existing one keeps
  // its own. 16 KiB rather than SQLite's 4 KiB: the CDR import writes a quarter of the WAL frames
  // (each frame is two write calls) and took 12 % less time on 10M CDRs (docs/PERFORMANCE.md).
  std::string pragmas =
      "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=";
  pragmas += options.sqlite_synchronous_full ? "FULL;" : "NORMAL;";
  HOTLINE_RETURN_IF_ERROR(session->ExecScript(pragmas));
  return session;
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const DatabaseOptions& options) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto db = std::make_unique<SqliteDatabase>();
  for (int i = 0; i < std::max(1, options.pool_size); ++i) {
    HOTLINE_ASSIGN_OR_RETURN(auto session, OpenConnection(path, options));
    db->pool_.Add(std::move(session));
  }
  HOTLINE_RETURN_IF_ERROR(db->Ping());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace hotline::store
