// SQLite implementation of the storage port: WAL mode, one pool of connections, BEGIN IMMEDIATE
// transactions, synchronous=FULL by default so that a committed record survives kill -9 and a
// power cut (R-OPS-1).
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
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
  sqlite3* raw() const { return db_; }

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

Result<std::unique_ptr<SqliteSession>> OpenConnection(const std::string& path,
                                                      const DatabaseOptions& options);

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, DatabaseOptions options)
      : path_(std::move(path)), options_(std::move(options)) {}
  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<QueryResult> Query(std::string_view sql, const Params& params) override {
    auto s = pool_.Acquire();
    return s->Query(sql, params);
  }

  Status Transaction(const std::function<Status(Session&)>& fn) override {
    auto s = pool_.Acquire();
    return RunInTransaction(*s, "BEGIN IMMEDIATE", fn);
  }

  Result<std::unique_ptr<BulkLoad>> StartBulkLoad(const BulkLoadOptions& options) override;

  const std::string path_;
  const DatabaseOptions options_;
  SessionPool<SqliteSession> pool_;
};

// store::BulkLoad on SQLite. The loader's transactions run on a connection of the load's own (not from the
// pool: its large page cache stays warm from one batch to the next, and the loader may still use the pool,
// whatever its size), set to synchronous=NORMAL (a WAL commit without fsync) with a WAL hook in place of
// SQLite's automatic checkpoint; the
// background thread then, for each commit, fdatasyncs the WAL file — after which that commit is as
// durable as a synchronous=FULL one: FULL adds exactly that fsync after the commit's frames — and, every
// checkpoint_frames frames, runs a PASSIVE checkpoint on its own connection (synchronous as configured, so
// the WAL is synced before and the database file after the copy, before the WAL may be reused).
// Safe across a power cut at any moment: SQLite's recovery keeps a prefix of whole transactions.
class SqliteBulkLoad final : public BulkLoad {
 public:
  // `sync_commits`: fdatasync the WAL after each commit (the database's synchronous=FULL).
  SqliteBulkLoad(bool sync_commits, std::unique_ptr<SqliteSession> writer,
                 std::unique_ptr<SqliteSession> checkpointer, const BulkLoadOptions& options)
      : sync_commits_(sync_commits),
        writer_(std::move(writer)),
        checkpointer_(std::move(checkpointer)),
        options_(options),
        wal_path_(sqlite3_filename_wal(sqlite3_db_filename(checkpointer_->raw(), "main"))),
        thread_([this] { Run(); }) {
    sqlite3_wal_hook(writer_->raw(), &SqliteBulkLoad::OnCommit, this);  // replaces the automatic checkpoint
  }

  ~SqliteBulkLoad() override {
    (void)Sync();
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    if (wal_fd_ >= 0) ::close(wal_fd_);
  }

  Status Transaction(const std::function<Status(Session&)>& fn) override {
    {
      // Once the WAL is long, let the background catch up: the checkpoint it then runs covers every
      // frame, so that this transaction starts the WAL over from its beginning.
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return wal_frames_ < options_.max_wal_frames || Idle(); });
      if (!error_.ok()) return error_;
    }
    committed_frames_ = -1;
    HOTLINE_RETURN_IF_ERROR(RunInTransaction(*writer_, "BEGIN IMMEDIATE", fn));
    if (committed_frames_ >= 0) {  // the transaction wrote something
      {
        std::lock_guard lock(mu_);
        ++committed_;
        wal_frames_ = committed_frames_;
      }
      cv_.notify_all();
    }
    return OkStatus();
  }

  Status Sync() override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return Idle(); });
    return error_;
  }

 private:
  // SQLite calls this on the loader's thread after each commit, with the frames now in the WAL.
  static int OnCommit(void* self, sqlite3*, const char*, int frames) {
    static_cast<SqliteBulkLoad*>(self)->committed_frames_ = frames;
    return SQLITE_OK;
  }

  bool Idle() const { return synced_ == committed_ && !working_; }  // REQUIRES: mu_ held

  void Run() {
    std::unique_lock lock(mu_);
    int64_t checkpointed = 0;  // frames of the WAL already copied into the database file
    while (true) {
      cv_.wait(lock, [&] { return stop_ || synced_ < committed_; });
      if (synced_ == committed_) return;  // stop_
      uint64_t target = committed_;
      int64_t frames = wal_frames_;
      working_ = true;
      lock.unlock();
      if (frames < checkpointed) checkpointed = 0;  // the WAL started over: everything before was copied
      Status st = sync_commits_ ? SyncWal() : OkStatus();
      if (st.ok() &&
          (frames - checkpointed >= options_.checkpoint_frames || frames >= options_.max_wal_frames))
        st = Checkpoint(&checkpointed);
      lock.lock();
      working_ = false;
      synced_ = target;
      if (!st.ok() && error_.ok()) error_ = std::move(st);
      cv_.notify_all();
    }
  }

  Status SyncWal() {
    if (wal_fd_ < 0) wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0 || ::fdatasync(wal_fd_) != 0)
      return Error::Unavailable("无法把 SQLite 预写日志 " + wal_path_ + " 写入磁盘：" + std::strerror(errno) +
                                "。请检查磁盘空间和设备状态。");
    return OkStatus();
  }

  Status Checkpoint(int64_t* checkpointed) {
    int log = 0, copied = 0;
    int rc =
        sqlite3_wal_checkpoint_v2(checkpointer_->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc == SQLITE_BUSY) return OkStatus();  // another connection is checkpointing: next time
    if (rc != SQLITE_OK) return SqliteError(checkpointer_->raw(), rc, "checkpoint");
    *checkpointed = copied;
    return OkStatus();
  }

  const bool sync_commits_;
  std::unique_ptr<SqliteSession> writer_;        // the loader's
  std::unique_ptr<SqliteSession> checkpointer_;  // the background thread's
  const BulkLoadOptions options_;
  const std::string wal_path_;
  int wal_fd_ = -1;               // the background thread's
  int64_t committed_frames_ = 0;  // the loader thread's: set by OnCommit, -1 before
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t committed_ = 0;  // GUARDED_BY(mu_): transactions committed
  uint64_t synced_ = 0;     // GUARDED_BY(mu_): of them, made durable (and checkpointed when due)
  int64_t wal_frames_ = 0;  // GUARDED_BY(mu_): frames in the WAL after the last commit
  bool working_ = false;    // GUARDED_BY(mu_): the background thread is syncing or checkpointing
  bool stop_ = false;       // GUARDED_BY(mu_)
  Status error_;            // GUARDED_BY(mu_): the first failure of the background thread
  std::thread thread_;      // last: starts after everything above
};

Result<std::unique_ptr<BulkLoad>> SqliteDatabase::StartBulkLoad(const BulkLoadOptions& options) {
  HOTLINE_ASSIGN_OR_RETURN(auto writer, OpenConnection(path_, options_));
  HOTLINE_RETURN_IF_ERROR(writer->ExecScript("PRAGMA synchronous=NORMAL; PRAGMA cache_size=-" +
                                             std::to_string(options.cache_kib) + ";"));
  HOTLINE_ASSIGN_OR_RETURN(auto checkpointer, OpenConnection(path_, options_));
  auto load = std::make_unique<SqliteBulkLoad>(options_.sqlite_synchronous_full, std::move(writer),
                                               std::move(checkpointer), options);
  return std::unique_ptr<BulkLoad>(std::move(load));
}

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
  // Statement journals (the undo records of one statement inside a transaction, e.g. an upsert whose
  // trigger updates another table) stay in memory up to 4 MiB instead of SQLite's 64 KiB: the CDR import's
  // upserts of kpi_daily otherwise wrote ≈9 MB of temporary files per 50,000-row batch
  // (docs/PERFORMANCE.md). A process-wide setting; it fails harmlessly when SQLite is already initialised.
  static const int spill_config = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 4 << 20);
  (void)spill_config;
  auto db = std::make_unique<SqliteDatabase>(path, options);
  for (int i = 0; i < std::max(1, options.pool_size); ++i) {
    HOTLINE_ASSIGN_OR_RETURN(auto session, OpenConnection(path, options));
    db->pool_.Add(std::move(session));
  }
  HOTLINE_RETURN_IF_ERROR(db->Ping());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace hotline::store
