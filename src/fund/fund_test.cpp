// The provident-fund port, the demo data generator, identity verification (R-IVR-2) and appointments
// (R-SVC-2/3), on SQLite and (tests/CMakeLists.txt) PostgreSQL.
#include <gtest/gtest.h>

#include <set>

#include "calendar/calendar_store.hpp"
#include "core/identity_number.hpp"
#include "core/random.hpp"
#include "fund/embedded_fund_port.hpp"
#include "fund/fund_service.hpp"
#include "fund/generator.hpp"
#include "fund/identity.hpp"
#include "org/org_directory.hpp"
#include "store/test_database.hpp"
#include "testing/time.hpp"

namespace hotline::fund {
namespace {

using test::At;
using test::Day;

const std::string kKey(32, 'k');

class FundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {org::kOrgMigrations, calendar::kCalendarMigrations, kFundMigrations};
    auto m = store::Migrate(*db_, modules);
    ASSERT_TRUE(m.ok()) << m.error().message;
    ASSERT_TRUE(orgs_.Create({.code = "MOHURD", .name = "部", .level = org::OrgLevel::kMinistry}).ok());
    ASSERT_TRUE(
        orgs_
            .Create(
                {.code = "GS", .name = "甘肃", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
            .ok());
    ASSERT_TRUE(
        orgs_.Create({.code = "GS-LZ", .name = "兰州", .level = org::OrgLevel::kCenter, .parent_code = "GS"})
            .ok());
    auto lz = orgs_.FindByCode("GS-LZ");
    ASSERT_TRUE(lz.ok());
    lz_ = *lz;
    options_.people = 300;
    options_.units = 12;
    options_.seed = 7;
    options_.as_of = Day("2026-11-01");
    auto r = Generate(*db_, pins_, options_);
    ASSERT_TRUE(r.ok()) << r.error().message;
    report_ = *r;
  }

  // A user of `org` with `role` at the console.
  Access User(org::Role role, const org::Org& org, const char* username = "lz_agent") {
    org::Principal p;
    p.user.id = 42;
    p.user.username = username;
    p.user.role = role;
    p.user.org_id = org.id;
    p.user.org_code = org.code;
    p.org = org;
    return {.actor = org::Actor::ForUser(std::move(p), org::Channel::kWeb, "127.0.0.1")};
  }
  Access Agent() { return User(org::Role::kAgent, lz_); }
  Access Ivr() { return {.actor = org::Actor::ForSystem(org::SystemPrincipal::kIvr, lz_, "call-1")}; }
  std::vector<org::AuditEntry> AuditEntries(const std::string& action) {
    auto r = audit_.Query({.within_path = "/", .action = action, .limit = 1000});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<org::AuditEntry>{};
  }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{At("2026-11-23T09:00:00+08:00")};  // a Monday
  SeededRandom random_{1};
  org::OrgDirectory orgs_{*db_, clock_};
  org::AuditLog audit_{*db_, clock_};
  calendar::CalendarStore calendar_{*db_, clock_};
  PinHasher pins_ = *PinHasher::Create(kKey);
  EmbeddedFundPort port_{*db_, pins_, clock_};
  IdentityVerifier verifier_{*db_, port_, pins_, audit_, clock_, random_, IdentityOptions{}};
  FundService service_{port_, verifier_, audit_, calendar_, clock_};
  GeneratorOptions options_;
  GenerateReport report_;
  org::Org lz_;
};

TEST(PinHasherTest, KeyedSaltedAndConstantShape) {
  auto h = PinHasher::Create(kKey);
  ASSERT_TRUE(h.ok());
  std::string a = h->Hash("salt1", "123456");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_TRUE(h->Verify("salt1", "123456", a));
  EXPECT_FALSE(h->Verify("salt1", "123457", a));
  EXPECT_FALSE(h->Verify("salt2", "123456", a));  // the salt matters
  EXPECT_NE(h->Hash("salt2", "123456"), a);
  EXPECT_NE(PinHasher::Create(std::string(32, 'j'))->Hash("salt1", "123456"), a);  // so does the key
  EXPECT_FALSE(h->Verify("salt1", "123456", "short"));
  EXPECT_EQ(PinHasher::Create("too short").error().code, "invalid_secret_key");
  EXPECT_TRUE(IsSixDigitPin("012345"));
  EXPECT_FALSE(IsSixDigitPin("12345"));
  EXPECT_FALSE(IsSixDigitPin("12345a"));
}

TEST(LoginKindTest, DetectsAndValidatesEachShape) {
  EXPECT_EQ(*DetectLoginKind(SubjectType::kPerson, "620100000001"), LoginKind::kAccountNumber);
  EXPECT_EQ(*DetectLoginKind(SubjectType::kPerson, "11010519491231002X"), LoginKind::kCitizenId);
  EXPECT_EQ(DetectLoginKind(SubjectType::kPerson, "110105194912310021").error().code, "invalid_citizen_id");
  std::string card = "621799620100000001";
  EXPECT_EQ(*DetectLoginKind(SubjectType::kPerson, card + LuhnCheckDigit(card)), LoginKind::kCardNumber);
  char wrong = LuhnCheckDigit(card) == '9' ? '0' : static_cast<char>(LuhnCheckDigit(card) + 1);
  EXPECT_EQ(DetectLoginKind(SubjectType::kPerson, card + wrong).error().code, "invalid_card_number");
  EXPECT_EQ(DetectLoginKind(SubjectType::kPerson, "12345").error().code, "invalid_login_id");
  EXPECT_EQ(*DetectLoginKind(SubjectType::kUnit, "6201900001"), LoginKind::kUnitAccount);
  EXPECT_EQ(DetectLoginKind(SubjectType::kUnit, "620100000001").error().code, "invalid_login_id");
}

TEST_F(FundTest, GeneratorWritesValidUniqueDeterministicData) {
  EXPECT_EQ(report_.people, 300);
  EXPECT_EQ(report_.units, 12);
  EXPECT_GT(report_.history_rows, 300);
  EXPECT_EQ(report_.branches, 4);
  auto ids = db_->Query("SELECT citizen_id, card_number, account_number, pw_hash FROM fund_persons", {});
  ASSERT_TRUE(ids.ok());
  ASSERT_EQ(ids->size(), 300u);
  std::set<std::string> unique;
  for (size_t i = 0; i < ids->size(); ++i) {
    std::string id = ids->At(i, "citizen_id").AsText();
    EXPECT_TRUE(IsValidCitizenId(id)) << id;
    EXPECT_EQ(id.substr(0, 2), "62");  // Gansu
    unique.insert(id);
    std::string card = ids->At(i, "card_number").AsText();
    if (!card.empty()) EXPECT_TRUE(LuhnValid(card)) << card;
    EXPECT_EQ(ids->At(i, "pw_hash").AsText().size(), 64u);  // never the password itself
  }
  EXPECT_EQ(unique.size(), 300u);
  // Person 17 is re-derived without the database, identically.
  DemoCaller c = DescribePerson(options_, 17);
  EXPECT_EQ(c.account_number, "620100000018");
  auto row = db_->Query("SELECT name, citizen_id, mobile FROM fund_persons WHERE account_number = $1",
                        {c.account_number});
  ASSERT_TRUE(row.ok());
  ASSERT_EQ(row->size(), 1u);
  EXPECT_EQ(row->At(0, "name").AsText(), c.name);
  EXPECT_EQ(row->At(0, "citizen_id").AsText(), c.citizen_id);
  EXPECT_EQ(DescribePerson(options_, 17).password, c.password);
  EXPECT_EQ(c.password.size(), 6u);
  // A second run into the same centre is refused.
  EXPECT_EQ(Generate(*db_, pins_, options_).error().code, "fund_data_exists");
}

TEST_F(FundTest, VerifiesWithEachLoginIdAndReadsTheAccount) {
  DemoCaller c = DescribePerson(options_, 3);
  std::vector<std::string> logins = {c.account_number, c.citizen_id};
  if (!c.card_number.empty()) logins.push_back(c.card_number);
  for (const auto& login : logins) {
    auto ctx =
        verifier_.Verify(Agent(), {.type = SubjectType::kPerson, .login_id = login, .password = c.password});
    ASSERT_TRUE(ctx.ok()) << login << ": " << ctx.error().message;
    EXPECT_TRUE(ctx->verified);
    EXPECT_EQ(ctx->subject.account, c.account_number);
    auto view = service_.Account(Agent(), ctx->token);
    ASSERT_TRUE(view.ok()) << view.error().message;
    EXPECT_FALSE(view->masked);
    EXPECT_EQ(view->account.name, c.name);
    EXPECT_EQ(view->account.citizen_id, c.citizen_id);
    EXPECT_EQ(view->account.unit_account, c.unit_account);
    EXPECT_FALSE(view->account.unit_name.empty());
    EXPECT_FALSE(view->account.last_paid_month.empty());
  }
  EXPECT_EQ(AuditEntries("fund.verify.success").size(), logins.size());
  auto reads = AuditEntries("fund.account.read");
  ASSERT_EQ(reads.size(), logins.size());
  EXPECT_EQ(reads[0].target_id, c.account_number);
  EXPECT_EQ(reads[0].channel, "web");  // org::Channel of a console user (entries before issue 12 say "agent")
  EXPECT_EQ(reads[0].actor, "lz_agent");
  EXPECT_EQ(reads[0].actor_id, 42);
  EXPECT_EQ(reads[0].detail["purpose"], "来电查询");
}

TEST_F(FundTest, HistoriesAreDatedNewestFirstAndConsistent) {
  DemoCaller c = DescribePerson(options_, 5);
  auto ctx = verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = c.password});
  ASSERT_TRUE(ctx.ok());
  auto deposits = service_.Deposits(Ivr(), ctx->token, {});
  ASSERT_TRUE(deposits.ok());
  for (size_t i = 1; i < deposits->size(); ++i) EXPECT_GE((*deposits)[i - 1].on, (*deposits)[i].on);
  auto interest = service_.Interest(Ivr(), ctx->token, {});
  ASSERT_TRUE(interest.ok());
  for (const auto& s : *interest) {
    std::chrono::year_month_day ymd{s.on};
    EXPECT_EQ(static_cast<unsigned>(ymd.month()), 6u);  // 结息 on 30 June
    EXPECT_EQ(static_cast<unsigned>(ymd.day()), 30u);
    EXPECT_GT(s.balance_after, s.amount);
  }
  auto bases = service_.BaseAdjustments(Ivr(), ctx->token, {});
  ASSERT_TRUE(bases.ok());
  for (const auto& b : *bases)
    EXPECT_EQ(static_cast<unsigned>(std::chrono::year_month_day{b.on}.month()), 7u);
  auto limited = service_.Deposits(Ivr(), ctx->token, {.limit = 2});
  ASSERT_TRUE(limited.ok());
  EXPECT_LE(limited->size(), 2u);
  EXPECT_TRUE(service_.Withdrawals(Ivr(), ctx->token, {}).ok());
  EXPECT_TRUE(service_.StatusChanges(Ivr(), ctx->token, {}).ok());
  EXPECT_TRUE(service_.Loans(Ivr(), ctx->token).ok());
  EXPECT_TRUE(service_.BusinessProgress(Ivr(), ctx->token, std::nullopt).ok());
  auto eligible = service_.WithdrawalEligibility(Ivr(), ctx->token);
  ASSERT_TRUE(eligible.ok());
  EXPECT_FALSE(eligible->reasons.empty());
  EXPECT_GE(AuditEntries("fund.history.read").size(), 6u);
}

TEST_F(FundTest, LoansAreFoundForBorrowers) {
  auto r = db_->Query(
      "SELECT p.account_number FROM fund_loans l JOIN fund_persons p ON p.id = l.person_id LIMIT 1", {});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty()) << "300 people should include some borrowers";
  std::string account = r->At(0, "account_number").AsText();
  int64_t index = std::stoll(account.substr(4)) - 1;
  DemoCaller c = DescribePerson(options_, index);
  auto ctx = verifier_.Verify(Agent(), {.login_id = account, .password = c.password});
  ASSERT_TRUE(ctx.ok());
  auto loans = service_.Loans(Agent(), ctx->token);
  ASSERT_TRUE(loans.ok());
  ASSERT_EQ(loans->size(), 1u);
  const Loan& l = (*loans)[0];
  EXPECT_EQ(l.periods, l.years * 12);
  EXPECT_GT(l.monthly_payment, 0);
  EXPECT_LT(l.balance, l.principal);
  EXPECT_LE(l.remaining_periods, l.periods);
  auto eligibility = service_.LoanEligibility(Agent(), ctx->token);
  ASSERT_TRUE(eligibility.ok());
  EXPECT_FALSE(eligibility->eligible);  // a loan is still being repaid
}

TEST_F(FundTest, FiveFailuresLockTheLoginIdAndTheLockExpires) {
  DemoCaller c = DescribePerson(options_, 8);
  std::string wrong = c.password == "000000" ? "111111" : "000000";
  for (int i = 0; i < 4; ++i) {
    auto r = verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = wrong});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "verification_failed");
  }
  auto fifth = verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = wrong});
  EXPECT_EQ(fifth.error().code, "login_locked");
  // Locked: even the right password is refused, and the refusal does not say whether it was right.
  auto right = verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = c.password});
  EXPECT_EQ(right.error().code, "login_locked");
  EXPECT_EQ(right.error().kind, ErrorKind::kResourceExhausted);
  // Another login id of the same person is a different login id (the rule locks "that login id").
  EXPECT_TRUE(verifier_.Verify(Ivr(), {.login_id = c.citizen_id, .password = c.password}).ok());
  EXPECT_EQ(AuditEntries("fund.verify.failure").size(), 5u);
  EXPECT_EQ(AuditEntries("fund.verify.locked").size(), 1u);
  clock_.Advance(std::chrono::minutes(31));
  EXPECT_TRUE(verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = c.password}).ok());
  // A success resets the count: four failures after it do not lock.
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = wrong}).error().code,
              "verification_failed");
  EXPECT_TRUE(verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = c.password}).ok());
}

TEST_F(FundTest, UnknownIdsAnswerExactlyLikeWrongPasswords) {
  DemoCaller c = DescribePerson(options_, 9);
  std::string wrong = c.password == "000000" ? "111111" : "000000";
  auto known = verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = wrong});
  auto unknown = verifier_.Verify(Ivr(), {.login_id = "620199999999", .password = wrong});
  ASSERT_FALSE(known.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(known.error().code, unknown.error().code);
  EXPECT_EQ(known.error().kind, unknown.error().kind);
  EXPECT_EQ(known.error().message, unknown.error().message);
  // Unknown ids lock too, after the same number of failures.
  for (int i = 0; i < 3; ++i) (void)verifier_.Verify(Ivr(), {.login_id = "620199999999", .password = wrong});
  EXPECT_EQ(verifier_.Verify(Ivr(), {.login_id = "620199999999", .password = wrong}).error().code,
            "login_locked");
  // A valid citizen id nobody has: the same answer as a wrong password.
  std::string first17 = "62010219700101999";
  auto nobody =
      verifier_.Verify(Ivr(), {.login_id = first17 + CitizenIdCheckChar(first17), .password = wrong});
  EXPECT_EQ(nobody.error().code, "verification_failed");
  // A wrong check digit is refused before any lookup, and says why.
  char bad = CitizenIdCheckChar(first17) == '1' ? '2' : '1';
  EXPECT_EQ(verifier_.Verify(Ivr(), {.login_id = first17 + bad, .password = wrong}).error().code,
            "invalid_citizen_id");
}

TEST_F(FundTest, AuditNeverHoldsPasswordsOrCitizenIds) {
  DemoCaller c = DescribePerson(options_, 11);
  std::string wrong = c.password == "000000" ? "111111" : "000000";
  (void)verifier_.Verify(Ivr(), {.login_id = c.citizen_id, .password = wrong});
  auto ok = verifier_.Verify(Ivr(), {.login_id = c.citizen_id, .password = c.password});
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(service_.Account(Ivr(), ok->token).ok());
  auto all = audit_.Query({.within_path = "/", .limit = 1000});
  ASSERT_TRUE(all.ok());
  ASSERT_GE(all->size(), 3u);
  for (const auto& e : *all) {
    std::string text = org::ToJson(e).dump();
    std::string detail = e.detail.dump() + e.remote_addr + e.actor;
    EXPECT_EQ(detail.find(c.password), std::string::npos) << text;
    EXPECT_EQ(detail.find(wrong), std::string::npos) << text;
    EXPECT_NE(e.target_id, c.password);
    EXPECT_EQ(text.find(c.citizen_id), std::string::npos) << text;
    EXPECT_EQ(text.find(ok->token), std::string::npos) << text;
  }
  auto stored = db_->Query("SELECT token_hash FROM fund_contexts", {});
  ASSERT_TRUE(stored.ok());
  for (size_t i = 0; i < stored->size(); ++i) EXPECT_NE(stored->rows[i][0].AsText(), ok->token);
}

TEST_F(FundTest, ContextsExpireAndAreBoundToChannelAndCentre) {
  DemoCaller c = DescribePerson(options_, 12);
  auto ctx = verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = c.password});
  ASSERT_TRUE(ctx.ok());
  EXPECT_EQ(service_.Account(Agent(), ctx->token).error().code, "verification_required");  // other channel
  org::Org ts = lz_;
  ts.id = lz_.id + 100;
  ts.code = "GS-TS";
  ts.path = "/MOHURD/GS/GS-TS/";
  Access elsewhere{.actor = org::Actor::ForSystem(org::SystemPrincipal::kIvr, ts, "call-2")};
  EXPECT_EQ(service_.Account(elsewhere, ctx->token).error().code, "verification_required");
  EXPECT_EQ(service_.Account(Ivr(), "fv_not-a-real-token").error().code, "verification_required");
  EXPECT_EQ(service_.Loans(Ivr(), "").error().code, "verification_required");
  clock_.Advance(std::chrono::minutes(9));
  EXPECT_TRUE(service_.Account(Ivr(), ctx->token).ok());
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_EQ(service_.Account(Ivr(), ctx->token).error().code, "verification_expired");
  auto again = verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = c.password});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(verifier_.End(Ivr(), again->token).ok());
  EXPECT_EQ(service_.Account(Ivr(), again->token).error().code, "verification_required");
}

// Issue 12 §2: the IVR and the SMS service verify a caller and read in the verified context as themselves
// (no user); the audit log names them.
TEST_F(FundTest, TheIvrAndSmsActAsThemselves) {
  DemoCaller c = DescribePerson(options_, 20);
  Access sms{.actor = org::Actor::ForSystem(org::SystemPrincipal::kSms, lz_, "sms-77"),
             .purpose = "短信查询"};
  for (const Access& who : {Ivr(), sms}) {
    auto ctx = verifier_.Verify(who, {.login_id = c.account_number, .password = c.password});
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    EXPECT_EQ(ctx->channel, who.actor.channel());
    ASSERT_TRUE(service_.Account(who, ctx->token).ok());
    ASSERT_TRUE(service_.Deposits(who, ctx->token, {}).ok());
  }
  auto reads = AuditEntries("fund.account.read");
  ASSERT_EQ(reads.size(), 2u);
  std::set<std::string> seen;
  for (const auto& e : reads) {
    EXPECT_FALSE(e.actor_id.has_value()) << e.actor;
    EXPECT_EQ(e.actor, e.channel);  // "ivr" on channel ivr, "sms" on channel sms
    EXPECT_EQ(e.org_code, "GS-LZ");
    seen.insert(e.actor);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"ivr", "sms"}));
}

// Contexts keep the channel values stored since the first release ("agent" for the console, "ivr", "sms"),
// so a context in an existing database still resolves for a console user; a context is bound to its
// channel: the IVR cannot use the console's, nor the SMS service the IVR's.
TEST_F(FundTest, StoredContextChannelsStayReadable) {
  DemoCaller c = DescribePerson(options_, 21);
  auto agent = verifier_.Verify(Agent(), {.login_id = c.account_number, .password = c.password});
  auto ivr = verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = c.password});
  ASSERT_TRUE(agent.ok() && ivr.ok());
  auto rows = db_->Query("SELECT channel FROM fund_contexts ORDER BY created_at, channel");
  ASSERT_TRUE(rows.ok());
  std::set<std::string> channels;
  for (const auto& r : rows->rows) channels.insert(r[0].AsText());
  EXPECT_EQ(channels, (std::set<std::string>{"agent", "ivr"}));
  // A context as an earlier release wrote it (channel "agent") is the console's.
  EXPECT_TRUE(service_.Account(Agent(), agent->token).ok());
  EXPECT_TRUE(service_.Account(User(org::Role::kTeamLeader, lz_, "lz_leader"), agent->token).ok());
  EXPECT_EQ(service_.Account(Ivr(), agent->token).error().code, "verification_required");
  Access sms{.actor = org::Actor::ForSystem(org::SystemPrincipal::kSms, lz_, "sms-1")};
  EXPECT_EQ(service_.Account(sms, ivr->token).error().code, "verification_required");
}

// fund.read decides (R-ORG-1): a supervisor or department user of the centre, the scheduler, and anyone
// not bound to a centre are refused before anything is read or verified.
TEST_F(FundTest, OnlyHoldersOfFundReadBoundToACentreGetIn) {
  DemoCaller c = DescribePerson(options_, 22);
  auto province = orgs_.FindByCode("GS");
  ASSERT_TRUE(province.ok());
  const Access refused[] = {
      User(org::Role::kSupervisor, lz_, "lz_sup"),
      User(org::Role::kDepartment, lz_, "lz_dept"),
      User(org::Role::kAdmin, *province, "gs_admin"),  // an admin, but of a province
      {.actor = org::Actor::ForSystem(org::SystemPrincipal::kScheduler, lz_)},
      {.actor = org::Actor::ForSystem(org::SystemPrincipal::kIvr, *province, "call-9")},
  };
  for (const Access& who : refused) {
    EXPECT_EQ(verifier_.Verify(who, {.login_id = c.account_number, .password = c.password}).error().code,
              "forbidden")
        << who.actor.name();
    EXPECT_EQ(service_.Branches(who).error().code, "forbidden") << who.actor.name();
  }
  EXPECT_TRUE(AuditEntries("fund.verify.success").empty());
  EXPECT_TRUE(AuditEntries("fund.verify.failure").empty());
  auto ctx = verifier_.Verify(Agent(), {.login_id = c.account_number, .password = c.password});
  ASSERT_TRUE(ctx.ok());
  EXPECT_EQ(service_.Account(refused[0], ctx->token).error().code, "forbidden");
}

TEST_F(FundTest, ExpiredContextsAndIdleFailuresArePurged) {
  DemoCaller c = DescribePerson(options_, 15);
  ASSERT_TRUE(verifier_.Verify(Ivr(), {.login_id = c.account_number, .password = c.password}).ok());
  (void)verifier_.Verify(Ivr(), {.login_id = "620199999998", .password = "123456"});
  EXPECT_EQ(*verifier_.PurgeExpired(), 0);  // still fresh
  clock_.Advance(std::chrono::hours(25));
  EXPECT_EQ(*verifier_.PurgeExpired(), 1);
  EXPECT_TRUE(db_->Query("SELECT 1 FROM fund_contexts", {})->empty());
  EXPECT_TRUE(db_->Query("SELECT 1 FROM fund_login_failures", {})->empty());
}

TEST_F(FundTest, AnAgentsRecordedReasonGivesMaskedDataOnly) {
  DemoCaller c = DescribePerson(options_, 14);
  EXPECT_EQ(verifier_.RecordUnverified(Ivr(), SubjectType::kPerson, c.account_number, "来电人忘记密码")
                .error()
                .code,
            "forbidden");
  EXPECT_EQ(verifier_.RecordUnverified(Agent(), SubjectType::kPerson, c.account_number, "").error().code,
            "invalid_field");
  auto ctx =
      verifier_.RecordUnverified(Agent(), SubjectType::kPerson, c.account_number, "来电人忘记查询密码");
  ASSERT_TRUE(ctx.ok()) << ctx.error().message;
  EXPECT_FALSE(ctx->verified);
  auto view = service_.Account(Agent(), ctx->token);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->masked);
  EXPECT_NE(view->account.name, c.name);
  EXPECT_NE(view->account.name.find('*'), std::string::npos);
  EXPECT_EQ(view->account.citizen_id, c.citizen_id.substr(0, 6) + "********" + c.citizen_id.substr(14));
  EXPECT_EQ(view->account.mobile, c.mobile.substr(0, 3) + "****" + c.mobile.substr(7));
  EXPECT_EQ(view->account.account_number, "****" + c.account_number.substr(8));
  EXPECT_EQ(view->account.balance, 0);
  EXPECT_EQ(service_.Loans(Agent(), ctx->token).error().code, "verification_required");
  EXPECT_EQ(service_.Deposits(Agent(), ctx->token, {}).error().code, "verification_required");
  auto skipped = AuditEntries("fund.verify.skipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].detail["reason"], "来电人忘记查询密码");
  auto reads = AuditEntries("fund.account.read");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].detail["verified"], false);
}

TEST_F(FundTest, UnitsVerifyWithTheUnitAccount) {
  DemoCaller c = DescribePerson(options_, 2);
  auto ctx = verifier_.Verify(
      Agent(), {.type = SubjectType::kUnit, .login_id = c.unit_account, .password = c.unit_password});
  ASSERT_TRUE(ctx.ok()) << ctx.error().message;
  auto unit = service_.Unit(Agent(), ctx->token);
  ASSERT_TRUE(unit.ok());
  EXPECT_EQ(unit->unit.unit_account, c.unit_account);
  EXPECT_FALSE(unit->unit.name.empty());
  EXPECT_EQ(unit->unit.credit_code.size(), 18u);
  EXPECT_TRUE(service_.UnitChanges(Agent(), ctx->token, {}).ok());
  EXPECT_TRUE(service_.BusinessProgress(Agent(), ctx->token, BusinessKind::kUnitAnnualBase).ok());
  EXPECT_EQ(service_.Account(Agent(), ctx->token).error().code, "wrong_subject_type");
  // A person's password does not open the unit.
  if (c.password != c.unit_password)
    EXPECT_EQ(
        verifier_
            .Verify(Agent(), {.type = SubjectType::kUnit, .login_id = c.unit_account, .password = c.password})
            .error()
            .code,
        "verification_failed");
}

TEST_F(FundTest, AppointmentsFollowCalendarSlotsAndCapacity) {
  DemoCaller c = DescribePerson(options_, 20);
  auto ctx = verifier_.Verify(Agent(), {.login_id = c.account_number, .password = c.password});
  ASSERT_TRUE(ctx.ok());
  auto branches = service_.Branches(Agent());
  ASSERT_TRUE(branches.ok());
  ASSERT_EQ(branches->size(), 4u);
  std::string branch = (*branches)[0].code;
  auto slots = service_.Slots(Agent(), branch, Day("2026-11-24"));
  ASSERT_TRUE(slots.ok());
  ASSERT_EQ(slots->size(), 6u);
  EXPECT_EQ((*slots)[0].capacity, 20);

  NewAppointment req{.kind = AppointmentKind::kWithdrawal,
                     .branch_code = branch,
                     .date = Day("2026-11-24"),
                     .slot = "09:00-10:00"};
  auto booked = service_.Book(Agent(), ctx->token, req);
  ASSERT_TRUE(booked.ok()) << booked.error().message;
  EXPECT_EQ(booked->state, "booked");
  EXPECT_EQ(booked->reference.substr(0, 10), "YY20261124");
  EXPECT_EQ(service_.Book(Agent(), ctx->token, req).error().code, "appointment_exists");
  EXPECT_EQ((*service_.Slots(Agent(), branch, Day("2026-11-24")))[0].booked, 1);

  auto refused = [&](NewAppointment r) { return service_.Book(Agent(), ctx->token, r).error().code; };
  NewAppointment past = req;
  past.date = Day("2026-11-20");
  EXPECT_EQ(refused(past), "appointment_date_past");
  NewAppointment saturday = req;
  saturday.date = Day("2026-11-28");
  EXPECT_EQ(refused(saturday), "appointment_non_working_day");
  ASSERT_TRUE(
      calendar_
          .SetDay(std::nullopt,
                  {.date = Day("2026-11-25"), .kind = calendar::DayKind::kHoliday, .name = "测试假日"})
          .ok());
  NewAppointment holiday = req;
  holiday.date = Day("2026-11-25");
  EXPECT_EQ(refused(holiday), "appointment_non_working_day");
  NewAppointment night = req;
  night.slot = "20:00-21:00";
  EXPECT_EQ(refused(night), "slot_outside_hours");
  NewAppointment today_gone = req;
  today_gone.date = Day("2026-11-23");  // 09:00 now: the 09:00 slot has begun
  EXPECT_EQ(refused(today_gone), "appointment_slot_passed");
  NewAppointment far = req;
  far.date = Day("2027-02-01");
  EXPECT_EQ(refused(far), "appointment_too_far");
  NewAppointment malformed = req;
  malformed.slot = "9-10";
  EXPECT_EQ(refused(malformed), "invalid_field");
  NewAppointment unit_kind = req;
  unit_kind.kind = AppointmentKind::kUnitBusiness;
  EXPECT_EQ(refused(unit_kind), "invalid_field");

  // Fill the 10:00 slot with other people; the 21st booking is refused.
  NewAppointment ten = req;
  ten.slot = "10:00-11:00";
  ten.kind = AppointmentKind::kLoanRepayment;
  for (int i = 30; i < 50; ++i) {
    DemoCaller other = DescribePerson(options_, i);
    auto octx = verifier_.Verify(Agent(), {.login_id = other.account_number, .password = other.password});
    ASSERT_TRUE(octx.ok());
    ASSERT_TRUE(service_.Book(Agent(), octx->token, ten).ok()) << i;
  }
  EXPECT_EQ(refused(ten), "slot_full");

  auto list = service_.Appointments(Agent(), ctx->token);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  auto cancelled = service_.Cancel(Agent(), ctx->token, booked->reference);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->state, "cancelled");
  EXPECT_EQ(service_.Cancel(Agent(), ctx->token, booked->reference).error().code, "appointment_not_active");
  EXPECT_EQ(service_.Cancel(Agent(), ctx->token, "YY20261124-999999").error().code, "not_found");
  EXPECT_EQ((*service_.Slots(Agent(), branch, Day("2026-11-24")))[0].booked, 0);
  // After cancelling, the same booking is possible again.
  EXPECT_TRUE(service_.Book(Agent(), ctx->token, req).ok());
  EXPECT_EQ(AuditEntries("fund.appointment.create").size(), 22u);
}

TEST_F(FundTest, QueueStatusOfABranch) {
  auto branches = service_.Branches(Ivr());
  ASSERT_TRUE(branches.ok());
  auto q = service_.Queue(Ivr(), (*branches)[0].code);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->serving_number[0], 'A');
  EXPECT_EQ(q->estimated_wait_minutes, q->waiting * 6);
  EXPECT_EQ(service_.Queue(Ivr(), "NOPE").error().code, "not_found");
}

}  // namespace
}  // namespace hotline::fund
