// HttpFundPort against the contract server (contract_server.hpp) serving the embedded core system on a
// free loopback port, and against misbehaving servers: slow (timeout → fund_unavailable, never a hang),
// failing (5xx), garbage answers (fund_bad_response), and nobody listening.
#include "fund/http_fund_port.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "calendar/calendar_store.hpp"
#include "fund/embedded_fund_port.hpp"
#include "fund/fund_service.hpp"
#include "fund/generator.hpp"
#include "fund/wire.hpp"
#include "fund_contract/contract_server.hpp"
#include "org/org_directory.hpp"
#include "store/test_database.hpp"
#include "testing/time.hpp"
#include "web/http_server.hpp"

namespace hotline::fund {
namespace {

using test::At;

// A server on 127.0.0.1:0 running `router` until destroyed.
class TestServer {
 public:
  explicit TestServer(std::function<void(web::Router&)> routes) {
    routes(router_);
    auto s = web::HttpServer::Create(
        {.listen = "127.0.0.1:0", .threads = 2, .shutdown_grace = std::chrono::seconds(1)}, router_, metrics_,
        hub_, nullptr, [](web::Request&) { return web::ErrorResponse(Error::NotFound("no route")); });
    EXPECT_TRUE(s.ok()) << s.error().message;
    server_ = std::move(s).value();
    EXPECT_TRUE(server_->Start().ok());
  }
  ~TestServer() {
    server_->Stop();
    // Deliberately leaked: HttpServer::Stop() hands `this` to a detached thread that may call ioc_.stop()
    // after Run() has returned (when the io_context ran out of work first), so destroying the server here
    // can corrupt the next server a test creates. Reported to the web module; harmless in the server
    // process, which exits after Stop().
    (void)server_.release();
  }
  std::string url() const { return "http://" + server_->local_address(); }

 private:
  web::Router router_;
  events::Metrics metrics_;
  events::EventBus hub_;
  std::unique_ptr<web::HttpServer> server_;
};

class HttpFundPortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {org::kOrgMigrations, calendar::kCalendarMigrations, kFundMigrations};
    ASSERT_TRUE(store::Migrate(*db_, modules).ok());
    ASSERT_TRUE(orgs_.Create({.code = "MOHURD", .name = "部", .level = org::OrgLevel::kMinistry}).ok());
    ASSERT_TRUE(
        orgs_
            .Create(
                {.code = "GS", .name = "甘肃", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
            .ok());
    ASSERT_TRUE(
        orgs_.Create({.code = "GS-LZ", .name = "兰州", .level = org::OrgLevel::kCenter, .parent_code = "GS"})
            .ok());
    lz_ = *orgs_.FindByCode("GS-LZ");
    options_ = {.people = 60, .units = 5, .seed = 3};
    ParseDate("2026-11-01", &options_.as_of);
    ASSERT_TRUE(Generate(*db_, pins_, options_).ok());
    server_ = std::make_unique<TestServer>([this](web::Router& r) { AddContractRoutes(r, embedded_); });
    auto port =
        HttpFundPort::Create({.base_url = server_->url(), .timeout = std::chrono::milliseconds(15000)});
    ASSERT_TRUE(port.ok());
    http_ = std::move(port).value();
  }
  Access Ivr() { return {.actor = org::Actor::ForSystem(org::SystemPrincipal::kIvr, lz_, "call-7")}; }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{At("2026-11-23T09:00:00+08:00")};
  SeededRandom random_{2};
  org::OrgDirectory orgs_{*db_, clock_};
  org::AuditLog audit_{*db_, clock_};
  calendar::CalendarStore calendar_{*db_, clock_};
  PinHasher pins_ = *PinHasher::Create(std::string(32, 'k'));
  EmbeddedFundPort embedded_{*db_, pins_, clock_};
  GeneratorOptions options_;
  org::Org lz_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<HttpFundPort> http_;
};

TEST_F(HttpFundPortTest, ReadsTheSameDataAsTheCoreSystemHolds) {
  DemoCaller c = DescribePerson(options_, 4);
  auto subject = http_->CheckPassword("GS-LZ", LoginKind::kCitizenId, c.citizen_id, c.password);
  ASSERT_TRUE(subject.ok()) << subject.error().message;
  ASSERT_TRUE(subject->has_value());
  EXPECT_EQ((*subject)->account, c.account_number);
  auto wrong = http_->CheckPassword("GS-LZ", LoginKind::kCitizenId, c.citizen_id,
                                    c.password == "000000" ? "111111" : "000000");
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(wrong->has_value());

  auto over_http = http_->GetPersonAccount(**subject);
  auto direct = embedded_.GetPersonAccount(**subject);
  ASSERT_TRUE(over_http.ok()) << over_http.error().message;
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(wire::ToWire(*over_http), wire::ToWire(*direct));
  auto deposits = http_->GetDeposits(**subject, {.limit = 3});
  ASSERT_TRUE(deposits.ok());
  EXPECT_EQ(deposits->size(), std::min<size_t>(3, embedded_.GetDeposits(**subject, {.limit = 3})->size()));
  EXPECT_TRUE(http_->GetLoans(**subject).ok());
  EXPECT_TRUE(http_->GetInterestSettlements(**subject, {}).ok());
  EXPECT_TRUE(http_->GetBaseAdjustments(**subject, {}).ok());
  EXPECT_TRUE(http_->GetWithdrawals(**subject, {}).ok());
  EXPECT_TRUE(http_->GetStatusChanges(**subject, {}).ok());
  EXPECT_TRUE(http_->GetLoanEligibility(**subject).ok());
  EXPECT_TRUE(http_->GetWithdrawalEligibility(**subject).ok());
  EXPECT_TRUE(http_->GetProgress(**subject, std::nullopt).ok());
  auto unit = http_->FindSubject("GS-LZ", LoginKind::kUnitAccount, c.unit_account);
  ASSERT_TRUE(unit.ok() && unit->has_value());
  EXPECT_TRUE(http_->GetUnitAccount(**unit).ok());
  EXPECT_TRUE(http_->GetUnitChanges(**unit, {}).ok());
  auto branches = http_->ListBranches("GS-LZ");
  ASSERT_TRUE(branches.ok());
  ASSERT_EQ(branches->size(), 4u);
  EXPECT_TRUE(http_->GetQueue("GS-LZ", (*branches)[0].code).ok());
  EXPECT_EQ(http_->GetQueue("GS-LZ", "NOPE").error().code, "not_found");
  EXPECT_EQ(http_->GetPersonAccount({.account = "620199999999", .center_code = "GS-LZ"}).error().code,
            "not_found");
}

TEST_F(HttpFundPortTest, TheWholeServiceWorksOverHttpIncludingAppointments) {
  IdentityVerifier verifier(*db_, *http_, pins_, audit_, clock_, random_, {});
  FundService service(*http_, verifier, audit_, calendar_, clock_);
  DemoCaller c = DescribePerson(options_, 6);
  auto ctx = verifier.Verify(Ivr(), {.login_id = c.account_number, .password = c.password});
  ASSERT_TRUE(ctx.ok()) << ctx.error().message;
  auto view = service.Account(Ivr(), ctx->token);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->account.name, c.name);
  auto branches = service.Branches(Ivr());
  ASSERT_TRUE(branches.ok());
  Date day;
  ParseDate("2026-11-24", &day);
  NewAppointment req{.kind = AppointmentKind::kLoanApplication,
                     .branch_code = (*branches)[1].code,
                     .date = day,
                     .slot = "14:30-15:30"};
  auto booked = service.Book(Ivr(), ctx->token, req);
  ASSERT_TRUE(booked.ok()) << booked.error().message;
  EXPECT_EQ(service.Book(Ivr(), ctx->token, req).error().code, "appointment_exists");  // mapped from the peer
  req.slot = "23:00-23:30";
  EXPECT_EQ(service.Book(Ivr(), ctx->token, req).error().code, "slot_outside_hours");
  auto list = service.Appointments(Ivr(), ctx->token);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
  auto cancelled = service.Cancel(Ivr(), ctx->token, booked->reference);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->state, "cancelled");
  EXPECT_EQ(service.Cancel(Ivr(), ctx->token, booked->reference).error().code, "appointment_not_active");
}

TEST(HttpFundPortFailureTest, ASlowCoreSystemGivesSystemBusyNotAHang) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> calls{0};
  {
    TestServer slow([&](web::Router& r) {
      r.Add("POST", "/v1/person/account", "slow", [&](web::Request&) {
        ++calls;
        std::unique_lock lock(mu);
        cv.wait_for(lock, std::chrono::seconds(10), [&] { return release; });
        return web::Response::Json(200, nlohmann::json::object());
      });
    });
    auto port = HttpFundPort::Create(
        {.base_url = slow.url(), .timeout = std::chrono::milliseconds(200), .retries = 1});
    ASSERT_TRUE(port.ok());
    auto r = (*port)->GetPersonAccount({.account = "620100000001", .center_code = "GS-LZ"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "fund_unavailable");
    EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
    // One retry for a read: both requests reach the server (a loaded machine may dispatch the second late).
    for (int i = 0; i < 500 && calls.load() < 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(calls.load(), 2);
    {
      std::lock_guard lock(mu);
      release = true;
    }
    cv.notify_all();
  }
}

TEST(HttpFundPortFailureTest, FailingGarbageAndAbsentServers) {
  std::atomic<int> calls{0};
  TestServer failing([&](web::Router& r) {
    r.Add("POST", "/v1/person/account", "fail", [&](web::Request&) {
      ++calls;
      return web::Response::Json(503, {{"error", {{"code", "maintenance"}, {"message", "维护中"}}}});
    });
    r.Add("POST", "/v1/person/loans", "garbage", [](web::Request&) {
      web::Response resp;
      resp.body = "{\"items\": [{\"loan_number\": 5}]}";
      return resp;
    });
    r.Add("POST", "/v1/appointments/create", "fail_write", [&](web::Request&) {
      ++calls;
      return web::Response::Json(500, nlohmann::json::object());
    });
    r.Add("POST", "/v1/appointments/cancel", "refuse", [](web::Request&) {
      return web::Response::Json(409, {{"error", {{"code", "something_new"}, {"message", "不能取消"}}}});
    });
  });
  // Generous timeouts: these answers are immediate, and a loaded test machine must not turn them into
  // timeouts.
  auto port = HttpFundPort::Create(
      {.base_url = failing.url(), .timeout = std::chrono::milliseconds(15000), .retries = 2});
  ASSERT_TRUE(port.ok());
  Subject s{.account = "620100000001", .center_code = "GS-LZ"};
  EXPECT_EQ((*port)->GetPersonAccount(s).error().code, "fund_unavailable");
  EXPECT_EQ(calls.load(), 3);  // 1 + 2 retries
  EXPECT_EQ((*port)->GetLoans(s).error().code, "fund_bad_response");
  calls = 0;
  EXPECT_EQ((*port)->CreateAppointment(s, {.branch_code = "X", .slot = "09:00-10:00"}).error().code,
            "fund_unavailable");
  EXPECT_EQ(calls.load(), 1);  // a booking is never retried
  auto refused = (*port)->CancelAppointment(s, "YY1");
  EXPECT_EQ(refused.error().code, "fund_rejected");
  EXPECT_EQ(refused.error().message, "不能取消");

  // Nobody listening: a port that was free a moment ago.
  std::string dead;
  {
    TestServer gone([](web::Router&) {});
    dead = gone.url();
  }
  auto absent =
      HttpFundPort::Create({.base_url = dead, .timeout = std::chrono::milliseconds(500), .retries = 0});
  EXPECT_EQ((*absent)->GetPersonAccount(s).error().code, "fund_unavailable");
  EXPECT_EQ(HttpFundPort::Create({.base_url = "ftp://x"}).error().code, "invalid_config");
}

TEST(WireTest, ReadersRefuseMalformedFields) {
  EXPECT_EQ(wire::ParseResponse(200, "not json").error().code, "fund_bad_response");
  EXPECT_EQ(wire::ParseResponse(502, "").error().code, "fund_unavailable");
  EXPECT_EQ(wire::ParseResponse(404, "{}").error().code, "not_found");
  EXPECT_EQ(wire::ParseResponse(409, R"({"error":{"code":"slot_full","message":"满"}})").error().code,
            "slot_full");
  EXPECT_FALSE(wire::PersonAccountFromWire(nlohmann::json::parse(R"({"account_number": 1})")).ok());
  EXPECT_FALSE(
      wire::SlotFromWire(nlohmann::json::parse(R"({"slot":"09:00-10:00","capacity":-1,"booked":0})")).ok());
  EXPECT_FALSE(
      wire::DepositFromWire(
          nlohmann::json::parse(R"({"date":"2026-02-30","month":"2026-02","amount":1,"balance_after":1})"))
          .ok());
  EXPECT_FALSE(wire::AppointmentFromWire(nlohmann::json::array()).ok());
  Loan l{.loan_number = "D1", .principal = 100, .years = 1, .periods = 12, .status = "repaying"};
  ParseDate("2026-01-01", &l.started_on);
  auto back = wire::LoanFromWire(wire::ToWire(l));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(wire::ToWire(*back), wire::ToWire(l));
}

}  // namespace
}  // namespace hotline::fund
