// Repository and logic tests of the org module. Runs on SQLite and (org_test_postgres) on PostgreSQL.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "org/access.hpp"
#include "org/audit_log.hpp"
#include "org/login_throttle.hpp"
#include "org/sessions.hpp"
#include "org/users.hpp"
#include "store/test_database.hpp"

namespace hotline::org {
namespace {

using namespace std::chrono_literals;

PasswordHasher FastHasher() {
  // Minimum argon2id cost: these tests are about logic, not hashing strength.
  return *PasswordHasher::Create(
      {.secret_key = std::string(32, 'k'), .ops_limit = 1, .mem_limit_bytes = 8192});
}

class OrgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {kOrgMigrations};
    auto m = store::Migrate(*db_, modules);
    ASSERT_TRUE(m.ok()) << m.error().message;
    ASSERT_TRUE(
        orgs_.Create({.code = "MOHURD", .name = "住房和城乡建设部", .level = OrgLevel::kMinistry}).ok());
    for (auto [code, parent] : {std::pair{"GS", "MOHURD"}, {"SX", "MOHURD"}}) {
      auto r =
          orgs_.Create({.code = code, .name = code, .level = OrgLevel::kProvince, .parent_code = parent});
      ASSERT_TRUE(r.ok()) << r.error().message;
    }
    for (auto [code, parent] : {std::pair{"GS-LZ", "GS"}, {"GS-TS", "GS"}, {"SX-XA", "SX"}}) {
      ASSERT_TRUE(
          orgs_.Create({.code = code, .name = code, .level = OrgLevel::kCenter, .parent_code = parent}).ok());
    }
  }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{FromEpochMillis(1'772'000'000'000)};
  SeededRandom random_{42};
  PasswordHasher hasher_ = FastHasher();
  OrgDirectory orgs_{*db_, clock_};
  UserDirectory users_{*db_, orgs_, hasher_, clock_};
};

// R-ORG-1: a province sees its centres, the ministry all, nobody outside their subtree.
TEST_F(OrgTest, ScopeIsTheSubtree) {
  auto gs = *orgs_.FindByCode("GS");
  auto within = orgs_.ListWithin(gs);
  ASSERT_TRUE(within.ok());
  std::vector<std::string> codes;
  for (const auto& o : *within) codes.push_back(o.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"GS", "GS-LZ", "GS-TS"}));
  EXPECT_TRUE(gs.Contains(*orgs_.FindByCode("GS-LZ")));
  EXPECT_FALSE(gs.Contains(*orgs_.FindByCode("SX-XA")));
  EXPECT_FALSE(orgs_.FindByCode("GS-LZ")->Contains(gs));
  EXPECT_EQ(orgs_.ListWithin(*orgs_.FindByCode("MOHURD"))->size(), 6u);
  EXPECT_EQ(orgs_.FindByCode("GS-LZ")->parent_code, "GS");
}

TEST_F(OrgTest, TreeRulesAreEnforced) {
  auto second_ministry = orgs_.Create({.code = "M2", .name = "x", .level = OrgLevel::kMinistry});
  EXPECT_EQ(second_ministry.error().code, "invalid_field");
  auto centre_under_ministry =
      orgs_.Create({.code = "X-1", .name = "x", .level = OrgLevel::kCenter, .parent_code = "MOHURD"});
  EXPECT_EQ(centre_under_ministry.error().code, "invalid_field");
  auto no_parent =
      orgs_.Create({.code = "X-2", .name = "x", .level = OrgLevel::kCenter, .parent_code = "NOPE"});
  EXPECT_EQ(no_parent.error().kind, ErrorKind::kNotFound);
  auto dup = orgs_.Create({.code = "GS-LZ", .name = "x", .level = OrgLevel::kCenter, .parent_code = "GS"});
  EXPECT_EQ(dup.error().code, "conflict");
  auto bad_code =
      orgs_.Create({.code = "gs_lz%", .name = "x", .level = OrgLevel::kCenter, .parent_code = "GS"});
  EXPECT_EQ(bad_code.error().code, "invalid_field");
  auto bad_zone = orgs_.Create({.code = "GS-JY",
                                .name = "x",
                                .level = OrgLevel::kCenter,
                                .parent_code = "GS",
                                .time_zone = "Mars/Base"});
  EXPECT_EQ(bad_zone.error().code, "invalid_field");
}

TEST_F(OrgTest, UsersValidateRoleAgainstLevel) {
  auto agent_at_province =
      users_.Create({.username = "a1", .password = "Passw0rd!", .role = Role::kAgent, .org_code = "GS"});
  EXPECT_EQ(agent_at_province.error().code, "invalid_field");
  auto sup = users_.Create(
      {.username = "gs_sup", .password = "Passw0rd!", .role = Role::kSupervisor, .org_code = "GS"});
  ASSERT_TRUE(sup.ok()) << sup.error().message;
  auto agent = users_.Create({.username = "lz_agent",
                              .password = "Passw0rd!",
                              .role = Role::kAgent,
                              .org_code = "GS-LZ",
                              .display_name = "李娜",
                              .agent_no = "1001"});
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(agent->agent_no, "1001");
  EXPECT_EQ(agent->org_code, "GS-LZ");
  auto dup = users_.Create(
      {.username = "lz_agent", .password = "Passw0rd!", .role = Role::kAgent, .org_code = "GS-LZ"});
  EXPECT_EQ(dup.error().code, "conflict");
  EXPECT_EQ(users_.Create({.username = "x", .password = "Passw0rd!", .org_code = "GS-LZ"}).error().code,
            "invalid_field");
  EXPECT_EQ(users_.Create({.username = "weak", .password = "password", .org_code = "GS-LZ"}).error().code,
            "invalid_field");
  auto gs = *orgs_.FindByCode("GS");
  auto listed = users_.List({.within_path = gs.path});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);
  auto sx = *orgs_.FindByCode("SX");
  EXPECT_EQ(users_.List({.within_path = sx.path})->size(), 0u);
}

TEST_F(OrgTest, PasswordsAreHashedAndChecked) {
  auto u = users_.Create({.username = "lz_agent", .password = "Passw0rd!", .org_code = "GS-LZ"});
  ASSERT_TRUE(u.ok());
  auto stored = db_->Query("SELECT password_hash FROM users WHERE id = $1", {u->id});
  std::string hash = stored->rows[0][0].AsText();
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(hash.find("Passw0rd!"), std::string::npos);
  EXPECT_TRUE(users_.CheckPassword("lz_agent", "Passw0rd!").ok());
  auto wrong = users_.CheckPassword("lz_agent", "Passw0rd?");
  auto unknown = users_.CheckPassword("nobody", "Passw0rd!");
  EXPECT_EQ(wrong.error().code, "invalid_credentials");
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  ASSERT_TRUE(users_.Update(u->id, {.disabled = true}).ok());
  EXPECT_EQ(users_.CheckPassword("lz_agent", "Passw0rd!").error().code, "invalid_credentials");
  ASSERT_TRUE(users_.Update(u->id, {.disabled = false, .password = "N3wpassword"}).ok());
  EXPECT_TRUE(users_.CheckPassword("lz_agent", "N3wpassword").ok());
}

TEST_F(OrgTest, PepperMatters) {
  auto other =
      *PasswordHasher::Create({.secret_key = std::string(32, 'z'), .ops_limit = 1, .mem_limit_bytes = 8192});
  auto h = hasher_.Hash("Passw0rd!");
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(hasher_.Verify("Passw0rd!", *h));
  EXPECT_FALSE(other.Verify("Passw0rd!", *h));
  EXPECT_FALSE(hasher_.Verify("Passw0rd!", "garbage"));
}

TEST_F(OrgTest, SessionsExpireWhenIdleAndAtMaxAge) {
  auto u = *users_.Create({.username = "lz_agent", .password = "Passw0rd!", .org_code = "GS-LZ"});
  SessionStore sessions(*db_, clock_, random_, {.idle = 30min, .max_age = 2h, .revalidate_after = 0s});
  auto created = sessions.Create(u.id, "127.0.0.1");
  ASSERT_TRUE(created.ok());
  const std::string token = created->first;
  EXPECT_TRUE(sessions.Resolve(token).ok());
  for (int i = 0; i < 4; ++i) {  // used every 25 minutes: stays alive until the max age
    clock_.Advance(25min);
    EXPECT_TRUE(sessions.Resolve(token).ok()) << i;
  }
  clock_.Advance(25min);  // 2h05 after creation
  EXPECT_EQ(sessions.Resolve(token).error().code, "unauthenticated");

  auto second = *sessions.Create(u.id, "127.0.0.1");
  clock_.Advance(31min);
  EXPECT_EQ(sessions.Resolve(second.first).error().code, "unauthenticated");
  EXPECT_EQ(sessions.Resolve("not-a-token").error().code, "unauthenticated");
}

TEST_F(OrgTest, RevokedSessionsAreSeenByOtherStores) {
  auto u = *users_.Create({.username = "lz_agent", .password = "Passw0rd!", .org_code = "GS-LZ"});
  SessionStore a(*db_, clock_, random_, {.revalidate_after = 0s});
  SessionStore b(*db_, clock_, random_, {.revalidate_after = 0s});  // another node on the same database
  auto token = a.Create(u.id, "127.0.0.1")->first;
  EXPECT_TRUE(b.Resolve(token).ok());
  ASSERT_TRUE(a.Revoke(token).ok());
  EXPECT_FALSE(a.Resolve(token).ok());
  EXPECT_FALSE(b.Resolve(token).ok());
  auto token2 = a.Create(u.id, "127.0.0.1")->first;
  ASSERT_TRUE(users_.Update(u.id, {.disabled = true}).ok());
  EXPECT_FALSE(b.Resolve(token2).ok());  // disabled users lose their sessions
  auto stored = db_->Query("SELECT COUNT(*) FROM sessions WHERE token_hash = $1", {token});
  EXPECT_EQ(stored->rows[0][0].AsInt(), 0) << "tokens are stored hashed only";
}

TEST_F(OrgTest, ThrottleLocksUserAndAddress) {
  LoginThrottle throttle(
      clock_, {.max_failures_per_user = 3, .max_failures_per_address = 5, .window = 10min, .lockout = 15min});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(throttle.RetryAfter("u", "a1").count(), 0);
    throttle.RecordFailure("u", "a1");
  }
  EXPECT_EQ(throttle.RetryAfter("u", "a2"), std::chrono::seconds(15 * 60));
  EXPECT_EQ(throttle.RetryAfter("v", "a1").count(), 0);  // the address has 3 of 5
  throttle.RecordFailure("v", "a1");
  throttle.RecordFailure("w", "a1");
  EXPECT_GT(throttle.RetryAfter("x", "a1").count(), 0);  // address locked for everyone
  clock_.Advance(16min);
  EXPECT_EQ(throttle.RetryAfter("u", "a1").count(), 0);
}

TEST_F(OrgTest, AuditLogIsAppendOnlyAndScoped) {
  AuditLog audit(*db_, clock_);
  auto lz = *orgs_.FindByCode("GS-LZ");
  auto xa = *orgs_.FindByCode("SX-XA");
  for (const Org* o : {&lz, &xa}) {
    auto e = audit.Append({.actor = "cli",
                           .org_path = o->path,
                           .org_code = o->code,
                           .action = "user.create",
                           .target_type = "user",
                           .target_id = "1",
                           .channel = "cli"});
    ASSERT_TRUE(e.ok()) << e.error().message;
  }
  auto gs = *orgs_.FindByCode("GS");
  auto mine = audit.Query({.within_path = gs.path});
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].org_code, "GS-LZ");
  EXPECT_EQ(audit.Query({.within_path = "/"})->size(), 2u);
  EXPECT_FALSE(db_->Query("UPDATE audit_log SET actor = 'x'").ok());
  EXPECT_FALSE(db_->Query("DELETE FROM audit_log").ok());
  EXPECT_EQ(audit.Query({.within_path = "/"})->size(), 2u);
}

TEST_F(OrgTest, PermissionsFollowRoles) {
  Principal agent{.user = {.role = Role::kAgent}, .org = *orgs_.FindByCode("GS-LZ")};
  Principal admin{.user = {.role = Role::kAdmin}, .org = *orgs_.FindByCode("GS")};
  EXPECT_FALSE(agent.Has(Permission::kUserRead));
  EXPECT_FALSE(agent.Has(Permission::kAuditRead));
  EXPECT_TRUE(admin.Has(Permission::kUserWrite));
  EXPECT_TRUE(admin.CanSee(*orgs_.FindByCode("GS-TS")));
  EXPECT_FALSE(admin.CanSee(*orgs_.FindByCode("SX-XA")));
}

}  // namespace
}  // namespace hotline::org
