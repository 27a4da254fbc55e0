// Tests of test::HotlineServer (issue 12 §6): the real `hotline serve` on a free port with a temp database,
// answering /healthz over a plain socket, seeded and queried through its own CLI, stopped by SIGTERM.
#include "testing/hotline_server.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

namespace hotline::test {
namespace {

TEST(HotlineServerTest, ServesHealthzOnAFreePortAndStopsOnSigterm) {
  auto started = HotlineServer::Start(
      {.seed = {{"org", "add", "--code", "MOHURD", "--name", "住房和城乡建设部", "--level", "ministry"}}});
  ASSERT_TRUE(started.ok()) << started.error().message;
  HotlineServer& server = **started;
  EXPECT_EQ(server.address().rfind("127.0.0.1:", 0), 0u) << server.address();
  EXPECT_NE(server.address(), "127.0.0.1:0");
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(server.dir()) / "hotline.db"));

  auto health = server.Get("/healthz");
  ASSERT_TRUE(health.ok()) << health.error().message;
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"status\":\"ok\""), std::string::npos) << health->body;
  EXPECT_NE(health->headers["content-type"].find("application/json"), std::string::npos);

  auto unknown = server.Get("/api/v1/no-such-thing");
  ASSERT_TRUE(unknown.ok()) << unknown.error().message;
  EXPECT_GE(unknown->status, 400);

  // The CLI beside the running server sees the seeded data (same database).
  auto orgs = server.Command({"org", "list"});
  ASSERT_TRUE(orgs.ok()) << orgs.error().message;
  EXPECT_NE(orgs->find("MOHURD"), std::string::npos) << *orgs;
  auto bad = server.Command({"org", "add", "--code", "MOHURD", "--name", "again", "--level", "ministry"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "command_failed");

  const pid_t pid = server.pid();
  ASSERT_GT(pid, 0);
  EXPECT_EQ(server.Stop(), 0) << "staged shutdown on SIGTERM exits 0:\n" << server.Log();
  EXPECT_FALSE(server.running());
  EXPECT_EQ(server.Stop(), 0) << "idempotent";
  EXPECT_NE(::kill(pid, 0), 0) << "the process is gone (and reaped)";
  EXPECT_EQ(server.Get("/healthz").error().code, "server_unreachable");
}

TEST(HotlineServerTest, ABadConfigFailsStartWithTheProgramsMessage) {
  auto started = HotlineServer::Start({.config = {{"http", {{"no_such_key", "1"}}}}});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, "server_start_failed");
  EXPECT_NE(started.error().message.find("no_such_key"), std::string::npos) << started.error().message;
}

TEST(HotlineServerTest, AMissingBinaryIsABadOption) {
  auto started = HotlineServer::Start({.binary = "/nonexistent/hotline"});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, "bad_options");
}

TEST(HotlineServerTest, TomlStringsAreEscaped) { EXPECT_EQ(TomlString(R"(a"b\c)"), R"("a\"b\\c")"); }

}  // namespace
}  // namespace hotline::test
