// Tests of test::FaultyDatabase (issue 12 §6, STYLE.md habit 9): it fails exactly the planned statement,
// commit or autocommit query and nothing else, and the real database then holds what a rollback leaves —
// on SQLite and (testing_test_postgres) PostgreSQL.
#include "testing/faulty_database.hpp"

#include <gtest/gtest.h>

#include <array>

#include "store/test_database.hpp"

namespace hotline::test {
namespace {

class FaultyDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        db_->Query(store::ExpandDialect("CREATE TABLE t (id {{ID}}, v BIGINT NOT NULL)", db_->dialect()))
            .ok());
  }
  // Three inserts in one transaction through `db`.
  Status InsertThree(store::Database& db) {
    return db.Transaction([](store::Session& s) -> Status {
      for (int v : {1, 2, 3}) HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO t (v) VALUES ($1)", {v}));
      return OkStatus();
    });
  }
  int64_t Rows() { return db_->Query("SELECT COUNT(*) FROM t")->rows[0][0].AsInt(); }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
};

TEST_F(FaultyDatabaseTest, FailsTheNthStatementAndTheTransactionRollsBack) {
  for (int n : {1, 2, 3}) {
    FaultyDatabase faulty(*db_, n);
    Status st = InsertThree(faulty);
    ASSERT_FALSE(st.ok()) << n;
    EXPECT_EQ(st.error().kind, ErrorKind::kUnavailable) << n;
    EXPECT_EQ(st.error().code, "unavailable") << n;
    EXPECT_TRUE(faulty.fired()) << n;
    EXPECT_EQ(faulty.statements(), n) << "the caller stops at the failed statement";
    EXPECT_EQ(Rows(), 0) << n;
  }
  FaultyDatabase past_the_end(*db_, 4);
  EXPECT_TRUE(InsertThree(past_the_end).ok());
  EXPECT_FALSE(past_the_end.fired());
  EXPECT_EQ(past_the_end.statements(), 3);
  EXPECT_EQ(past_the_end.commits(), 1);
  EXPECT_EQ(Rows(), 3);
}

TEST_F(FaultyDatabaseTest, CountsAcrossTransactions) {
  FaultyDatabase faulty(*db_, 5);  // the second statement of the second transaction
  EXPECT_TRUE(InsertThree(faulty).ok());
  EXPECT_FALSE(InsertThree(faulty).ok());
  EXPECT_TRUE(InsertThree(faulty).ok()) << "not sticky: only the one statement fails";
  EXPECT_EQ(Rows(), 6);
}

TEST_F(FaultyDatabaseTest, FailsTheNthCommitAfterTheWorkWasDone) {
  FaultyDatabase faulty(*db_, FaultPlan{.fail_commit = 2});
  EXPECT_TRUE(InsertThree(faulty).ok());
  Status st = InsertThree(faulty);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "unavailable");
  EXPECT_EQ(faulty.statements(), 6) << "every statement of the failed transaction ran";
  EXPECT_EQ(faulty.commits(), 2);
  EXPECT_EQ(Rows(), 3) << "the second transaction was rolled back";
}

TEST_F(FaultyDatabaseTest, FailsTheNthAutocommitQueryWithTheGivenError) {
  Error down{ErrorKind::kUnavailable, "store_down", "disk gone"};
  FaultyDatabase faulty(*db_, FaultPlan{.fail_autocommit = 2, .error = down});
  EXPECT_TRUE(faulty.Query("INSERT INTO t (v) VALUES (1)", {}).ok());
  auto second = faulty.Query("INSERT INTO t (v) VALUES (2)", {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "store_down");
  EXPECT_TRUE(faulty.Query("INSERT INTO t (v) VALUES (3)", {}).ok());
  EXPECT_EQ(faulty.autocommit_queries(), 3);
  EXPECT_EQ(Rows(), 2);
  EXPECT_TRUE(faulty.Ping().ok()) << "Ping goes to the real database and is not counted";
  EXPECT_EQ(faulty.autocommit_queries(), 3);
}

TEST_F(FaultyDatabaseTest, StickyFaultKeepsTheDatabaseDown) {
  FaultyDatabase faulty(*db_, FaultPlan{.fail_statement = 2, .sticky = true});
  EXPECT_FALSE(InsertThree(faulty).ok());
  EXPECT_FALSE(InsertThree(faulty).ok());
  EXPECT_FALSE(faulty.Query("SELECT 1", {}).ok());
  EXPECT_EQ(Rows(), 0);
}

TEST_F(FaultyDatabaseTest, ExecAndBulkLoadsAreCountedAndForwarded) {
  FaultyDatabase faulty(*db_, 3);
  auto load = faulty.StartBulkLoad();
  ASSERT_TRUE(load.ok());
  Status st = (*load)->Transaction([](store::Session& s) -> Status {
    for (int64_t v : {10, 20, 30}) {
      std::array<store::ParamRef, 1> p = {store::ParamRef(v)};
      HOTLINE_ASSIGN_OR_RETURN(auto done, s.Exec("INSERT INTO t (v) VALUES ($1)", p));
      if (done.changed != 1) return Error::Internal("Exec did not reach the database");
    }
    return OkStatus();
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(faulty.statements(), 3);
  EXPECT_TRUE((*load)->Sync().ok());
  EXPECT_EQ(Rows(), 0);
  FaultyDatabase later(*db_, 4);
  auto again = later.StartBulkLoad();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)
                  ->Transaction([](store::Session& s) -> Status {
                    std::array<store::ParamRef, 1> p = {store::ParamRef(int64_t{7})};
                    return s.Exec("INSERT INTO t (v) VALUES ($1)", p).ok() ? OkStatus()
                                                                           : Error::Internal("exec");
                  })
                  .ok());
  EXPECT_EQ(Rows(), 1);
  EXPECT_EQ(faulty.dialect(), db_->dialect());
}

}  // namespace
}  // namespace hotline::test
