// Repository tests of the storage port. The same binary runs on SQLite (plain) and on a real
// PostgreSQL server (ctest's store_test_pg, through tests/pg/with-postgres.sh).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/migrations.hpp"
#include "store/test_database.hpp"

namespace hotline::store {
namespace {

constexpr Migration kNotes[] = {
    {1, "create notes", "CREATE TABLE notes (id {{ID}}, body TEXT NOT NULL UNIQUE, n BIGINT)"},
    {2, "add flag", "ALTER TABLE notes ADD COLUMN flag BIGINT NOT NULL DEFAULT 0"},
};
constexpr ModuleMigrations kModules[] = {{"notes", kNotes}};

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenTestDatabase();
    auto applied = Migrate(*db_, kModules);
    ASSERT_TRUE(applied.ok()) << applied.error().message;
    ASSERT_EQ(*applied, 2);
  }
  std::unique_ptr<Database> db_;
};

TEST_F(StoreTest, InsertReturningAndTypedReadBack) {
  auto r = db_->Query("INSERT INTO notes (body, n) VALUES ($1, $2) RETURNING id",
                      {"兰州 12329", int64_t{1} << 40});
  ASSERT_TRUE(r.ok()) << r.error().message;
  int64_t id = r->rows[0][0].AsInt();
  auto q = db_->Query("SELECT body, n, flag FROM notes WHERE id = $1", {id});
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ(q->At(0, "body").AsText(), "兰州 12329");
  EXPECT_EQ(q->At(0, "n").AsInt(), int64_t{1} << 40);
  EXPECT_EQ(q->At(0, "flag").AsInt(), 0);
}

TEST_F(StoreTest, ParametersMayRepeatAndComeOutOfOrder) {
  ASSERT_TRUE(db_->Query("INSERT INTO notes (body, n) VALUES ($2, $1)", {7, "x"}).ok());
  auto q = db_->Query("SELECT COUNT(*) AS c FROM notes WHERE n = $1 AND body = $2 AND n + $1 = 14", {7, "x"});
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->At(0, "c").AsInt(), 1);
}

TEST_F(StoreTest, UniqueViolationIsConflict) {
  ASSERT_TRUE(db_->Query("INSERT INTO notes (body) VALUES ($1)", {"a"}).ok());
  auto dup = db_->Query("INSERT INTO notes (body) VALUES ($1)", {"a"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(dup.error().code, "unique_violation");
}

TEST_F(StoreTest, SqlMetacharactersAreData) {
  std::string evil = "'); DROP TABLE notes; --";
  ASSERT_TRUE(db_->Query("INSERT INTO notes (body) VALUES ($1)", {evil}).ok());
  auto q = db_->Query("SELECT body FROM notes");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->At(0, "body").AsText(), evil);
}

TEST_F(StoreTest, FailedTransactionChangesNothing) {
  Status st = db_->Transaction([](Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO notes (body) VALUES ($1)", {"one"}));
    HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO notes (body) VALUES ($1)", {"one"}));  // conflict
    return OkStatus();
  });
  ASSERT_FALSE(st.ok());
  auto q = db_->Query("SELECT COUNT(*) AS c FROM notes");
  EXPECT_EQ(q->At(0, "c").AsInt(), 0);
}

TEST_F(StoreTest, MigrateIsIdempotent) {
  auto again = Migrate(*db_, kModules);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_F(StoreTest, RefusesSchemaNewerThanProgram) {
  constexpr ModuleMigrations older[] = {{"notes", std::span<const Migration>(kNotes, 1)}};
  auto r = Migrate(*db_, older);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "schema_too_new");
}

TEST_F(StoreTest, ConcurrentWritersAllCommit) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        Status st = db_->Transaction([&](Session& s) -> Status {
          HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO notes (body, n) VALUES ($1, $2)",
                                          {"t" + std::to_string(t) + "-" + std::to_string(i), i}));
          return OkStatus();
        });
        EXPECT_TRUE(st.ok()) << st.error().message;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(db_->Query("SELECT COUNT(*) AS c FROM notes")->At(0, "c").AsInt(), 100);
}

// store::BulkLoad on either engine: a transaction's rows are visible once it returns, a failed one
// changes nothing, and Sync() reports success.
TEST_F(StoreTest, BulkLoadCommitsEachTransactionAndRollsBackAFailedOne) {
  auto bulk = db_->StartBulkLoad();
  ASSERT_TRUE(bulk.ok()) << bulk.error().message;
  for (int t = 0; t < 5; ++t) {
    Status st = (*bulk)->Transaction([&](Session& s) -> Status {
      for (int i = 0; i < 10; ++i)
        HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO notes (body, n) VALUES ($1, $2)",
                                        {"b" + std::to_string(t) + "-" + std::to_string(i), t}));
      return OkStatus();
    });
    ASSERT_TRUE(st.ok()) << st.error().message;
    EXPECT_EQ(db_->Query("SELECT COUNT(*) AS c FROM notes")->At(0, "c").AsInt(), 10 * (t + 1));
  }
  Status failed = (*bulk)->Transaction([](Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO notes (body) VALUES ($1)", {"new"}));
    HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO notes (body) VALUES ($1)", {"b0-0"}));  // conflict
    return OkStatus();
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "unique_violation");
  EXPECT_TRUE((*bulk)->Sync().ok());
  EXPECT_EQ(db_->Query("SELECT COUNT(*) AS c FROM notes")->At(0, "c").AsInt(), 50);
  // Ordinary transactions go on as before.
  Status after = db_->Transaction([](Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO notes (body) VALUES ($1)", {"after"}));
    return OkStatus();
  });
  EXPECT_TRUE(after.ok());
}

// A SQLite database of its own in a fresh directory, with power-cut durability on, as in production.
class SqliteBulkLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(TestDatabaseEngine()) != "sqlite") GTEST_SKIP() << "SQLite only";
    dir_ = std::filesystem::temp_directory_path() / ("hotline-bulk-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.url = "sqlite:" + (dir_ / "bulk.db").string();
    options_.pool_size = 1;  // the load has connections of its own: the pool's one stays free for the loader
    options_.sqlite_synchronous_full = true;
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<Database> Open() {
    auto db = Database::Open(options_);
    EXPECT_TRUE(db.ok()) << db.error().message;
    if (!db.ok()) return nullptr;
    auto applied = Migrate(**db, kModules);
    EXPECT_TRUE(applied.ok());
    return std::move(db).value();
  }
  // One transaction of `rows` notes of ≈4 KB each (a few pages of the WAL per transaction).
  static Status InsertNotes(BulkLoad& bulk, int first, int rows) {
    return bulk.Transaction([&](Session& s) -> Status {
      for (int i = first; i < first + rows; ++i)
        HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO notes (body, n) VALUES ($1, $2)",
                                        {std::to_string(i) + std::string(4000, 'x'), i}));
      return OkStatus();
    });
  }
  std::filesystem::path dir_;
  DatabaseOptions options_;
};

// The background thread checkpoints while the load goes on, and the WAL starts over instead of growing:
// its file never holds more than max_wal_frames plus one transaction's frames.
TEST_F(SqliteBulkLoadTest, CheckpointsInTheBackgroundAndKeepsTheWalShort) {
  auto db = Open();
  ASSERT_TRUE(db);
  BulkLoadOptions tuning{.checkpoint_frames = 16, .max_wal_frames = 40, .cache_kib = 1024};
  auto bulk = db->StartBulkLoad(tuning);
  ASSERT_TRUE(bulk.ok()) << bulk.error().message;
  auto db_file = dir_ / "bulk.db", wal_file = dir_ / "bulk.db-wal";
  uintmax_t db_size_before = std::filesystem::file_size(db_file);
  for (int t = 0; t < 200; ++t) ASSERT_TRUE(InsertNotes(**bulk, t * 8, 8).ok());
  // The loader may read through the pool (of one session) in the middle of a load transaction.
  Status read_inside = (*bulk)->Transaction([&](Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO notes (body, n) VALUES ($1, $2)", {"inside", -1}));
    auto n = db->Query("SELECT COUNT(*) AS c FROM notes");
    if (!n.ok()) return n.take_error();
    EXPECT_EQ(n->At(0, "c").AsInt(), 1600);  // the load's open transaction is not visible yet
    return OkStatus();
  });
  ASSERT_TRUE(read_inside.ok()) << read_inside.error().message;
  ASSERT_TRUE((*bulk)->Sync().ok());
  // 200 transactions × 8 notes × 4 KB = 6.4 MB went through the WAL; it was copied into the database file
  // while the load ran (the loader's own connection never checkpoints).
  EXPECT_GT(std::filesystem::file_size(db_file), db_size_before + 4'000'000);
  // One transaction here writes 10–20 frames (16 KiB pages); without the restarts the WAL would hold all
  // ≈3,000 of them.
  constexpr uintmax_t kFrame = 16384 + 24;
  EXPECT_LE(std::filesystem::file_size(wal_file), 32 + (40 + 24) * kFrame);
  EXPECT_EQ(db->Query("SELECT COUNT(*) AS c FROM notes")->At(0, "c").AsInt(), 1601);
  EXPECT_EQ(db->Query("PRAGMA integrity_check")->rows[0][0].AsText(), "ok");
}

// kill -9 in the middle of a bulk load: every transaction that had committed is there, whole, and the file
// is sound (R-OPS-1: the data is in the operating system's cache even before the background fdatasync).
TEST_F(SqliteBulkLoadTest, KillNineKeepsEveryCommittedTransactionWhole) {
  Open();  // creates the schema before the child starts
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto db = Database::Open(options_);
    if (!db.ok()) _exit(2);
    auto bulk = (*db)->StartBulkLoad({.checkpoint_frames = 16, .max_wal_frames = 64, .cache_kib = 1024});
    if (!bulk.ok()) _exit(3);
    for (int t = 0; t < 100000; ++t)
      if (!InsertNotes(**bulk, t * 10, 10).ok()) _exit(4);
    _exit(0);
  }
  auto db = Open();
  ASSERT_TRUE(db);
  int64_t seen = 0;
  for (int i = 0; i < 3000 && seen < 300; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto q = db->Query("SELECT COUNT(*) AS c FROM notes");
    if (q.ok()) seen = q->At(0, "c").AsInt();
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the loader ended before it was killed (exit " << WEXITSTATUS(status)
                                   << ")";
  ASSERT_GE(seen, 300) << "the loader did not get going";
  db.reset();
  db = Open();  // recovery of the WAL by a fresh process-level open
  ASSERT_TRUE(db);
  EXPECT_EQ(db->Query("PRAGMA integrity_check")->rows[0][0].AsText(), "ok");
  int64_t count = db->Query("SELECT COUNT(*) AS c FROM notes")->At(0, "c").AsInt();
  EXPECT_GE(count, seen);
  EXPECT_EQ(count % 10, 0) << "a transaction was kept in part";
  auto max = db->Query("SELECT MAX(n) AS m FROM notes")->At(0, "m").AsInt();
  EXPECT_EQ(max + 1, count) << "the kept transactions are not a prefix of the load";
}

TEST(DatabaseOpenTest, RejectsUnknownUrl) {
  DatabaseOptions options{.url = "mysql://x"};
  auto db = Database::Open(options);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, "invalid_database_url");
}

TEST(DialectTest, ExpandsIdColumn) {
  EXPECT_EQ(ExpandDialect("id {{ID}},", Dialect::kSqlite), "id INTEGER PRIMARY KEY AUTOINCREMENT,");
  EXPECT_EQ(ExpandDialect("id {{ID}}", Dialect::kPostgres),
            "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
}

}  // namespace
}  // namespace hotline::store
