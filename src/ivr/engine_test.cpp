// The engine on the shipped national menu, with a recording CallPort and a scripted SelfService: the
// prompt sequence a caller hears for each path (R-IVR-1…3, R-SVC-3), timeouts from a FakeClock, and that
// no password digit ever reaches a prompt, the path or an event.
#include "ivr/engine.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/clock.hpp"

namespace hotline::ivr {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kNational = std::string(HOTLINE_SOURCE_DIR) + "/config/ivr/national.toml";

class RecordingPort : public CallPort {
 public:
  void Play(std::vector<Segment> segments, bool) override {
    for (auto& s : segments) {
      said.push_back(s.prompt_id);
      texts.push_back(s.text);
    }
    playing = true;
  }
  void StopPlayback() override { playing = false; }
  void StartRecording(std::string path, std::chrono::seconds max) override {
    recording = path;
    max_recording = max;
  }
  void StopRecording() override {}
  bool TransferToAgents() override { return agents; }
  void Hangup() override { hung_up = true; }

  std::vector<std::string> said, texts;
  bool playing = false, hung_up = false, agents = false;
  std::string recording;
  std::chrono::seconds max_recording{0};
};

class FakeService : public SelfService {
 public:
  void Verify(const std::string& subject, const std::string& login, const std::string& password,
              Done<Verified> done) override {
    if (busy) return done(Error::Unavailable("fund_unavailable"));
    if (login == "123456789012" && password == "123456" && subject == "person") {
      failures = 0;
      return done(Verified{.token = "tok", .values = {{"mobile_tail", "一二三四"}}});
    }
    if (++failures >= 5) return done(Error{ErrorKind::kResourceExhausted, "login_locked", "locked"});
    done(Error{ErrorKind::kPermissionDenied, "verification_failed", "no"});
  }
  void Query(const std::string& token, const std::string& what, Done<std::vector<Values>> done) override {
    if (busy) return done(Error::Unavailable("fund_timeout"));
    EXPECT_EQ(token, "tok");
    if (what == "account") {
      return done(std::vector<Values>{{{"name", "张三"}, {"balance", "一万二千三百四十五元六角七分"}}});
    }
    done(std::vector<Values>{});
  }
  void OfferAppointment(const std::string&, const std::string& kind,
                        Done<std::optional<AppointmentOffer>> done) override {
    done(std::optional<AppointmentOffer>(AppointmentOffer{.kind = kind,
                                                          .branch_code = "LZ-CG",
                                                          .date = "2026-12-09",
                                                          .slot = "09:00-10:00",
                                                          .values = {{"branch", "城关服务大厅"},
                                                                     {"date", "十二月九日"},
                                                                     {"slot", "上午九点到十点"},
                                                                     {"kind", "提取"}}}));
  }
  void Book(const std::string&, const AppointmentOffer& offer, Done<Values> done) override {
    booked = offer.branch_code;
    done(Values{{"reference", "YY二〇二六"}, {"branch", "城关服务大厅"}});
  }
  void Subscription(const std::string&, const std::string& content, bool subscribe,
                    Done<Values> done) override {
    subscriptions.push_back((subscribe ? "+" : "-") + content);
    done(Values{{"content", content}, {"mobile_tail", "一二三四"}});
  }
  void Categories(const std::string&, Done<std::vector<std::string>> done) override {
    done(std::vector<std::string>{"提取", "贷款"});
  }
  void Articles(const std::string& category, Done<std::vector<Values>> done) override {
    done(std::vector<Values>{{{"title", category + "政策"}, {"answer", "今日生效的新规定。"}}});
  }
  void Branches(Done<std::vector<Values>> done) override {
    done(std::vector<Values>{
        {{"name", "城关服务大厅"}, {"address", "兰州"}, {"hours", "九点"}, {"phone", "幺"}}});
  }
  void ManualService(Done<ManualHours> done) override {
    done(ManualHours{.open = open, .values = {{"next_opening", "明天上午九点"}}});
  }
  void RequestCallback(const std::string& path, const std::string& voicemail, Done<int64_t> done) override {
    callbacks.push_back(path + "|" + voicemail);
    done(int64_t{7});
  }
  void EndContext(const std::string& token) override { ended.push_back(token); }

  bool busy = false, open = true;
  int failures = 0;
  std::string booked;
  std::vector<std::string> subscriptions, callbacks, ended;
};

class RecordingEvents : public events::Publisher {
 public:
  void Publish(const events::Event& e) override { events.push_back(e.json); }
  std::vector<std::string> events;
};

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto f = LoadFlow(kNational);
    ASSERT_TRUE(f.ok()) << f.error().message;
    flow = std::make_shared<const Flow>(std::move(*f));
    engine = std::make_unique<Engine>(
        EngineOptions{
            .call_id = "c1", .centre_code = "GS-LZ", .caller_number = "13912345678", .recording_dir = "/tmp"},
        flow, port, service, clock, nullptr, &events);
    engine->Start();
  }
  // Every prompt played ends: the caller listened to the end.
  void Listen() {
    while (port.playing) {
      port.playing = false;
      engine->OnPlaybackDone(false);
    }
  }
  void Keys(std::string_view keys) {
    Listen();
    for (char k : keys) {
      port.said.push_back(std::string("key:") + (k >= '0' && k <= '9' ? "d" : std::string(1, k)));
      if (port.playing) {
        port.playing = false;
        engine->OnPlaybackDone(true);
      }
      engine->OnDigit(k);
    }
    Listen();
  }
  std::vector<std::string> Heard() {
    std::vector<std::string> out;
    for (auto& s : port.said) {
      if (s.rfind("key:", 0) != 0) out.push_back(s);
    }
    port.said.clear();
    return out;
  }

  FakeClock clock{TimePoint(std::chrono::hours(24 * 365 * 56))};
  RecordingPort port;
  FakeService service;
  RecordingEvents events;
  std::shared_ptr<const Flow> flow;
  std::unique_ptr<Engine> engine;
};

TEST_F(EngineTest, WelcomeThenTheMainMenuAndStarRepeats) {
  Listen();
  EXPECT_THAT(Heard(), ElementsAre("welcome", "main_menu"));
  Keys("*");
  EXPECT_THAT(Heard(), ElementsAre("welcome", "main_menu"));
  Keys("9");
  EXPECT_THAT(Heard(), ElementsAre("invalid_key", "main_menu"));
}

TEST_F(EngineTest, IdentityThenBalanceReadBack) {
  Keys("11");  // 个人业务, 个人账户查询 → not verified: log in first
  EXPECT_THAT(Heard(), ElementsAre("welcome", "main_menu", "personal_menu", "login_kind"));
  Keys("1");
  EXPECT_THAT(Heard(), ElementsAre("enter_account"));
  Keys("123456789012#");
  EXPECT_THAT(Heard(), ElementsAre("enter_password"));
  Keys("123456");
  EXPECT_THAT(Heard(), ElementsAre("account_readback", "after_readback"));
  EXPECT_THAT(port.texts, Contains(HasSubstr("张三，您的公积金账户余额为一万二千三百四十五元六角七分")));
  EXPECT_TRUE(engine->verified());
  Keys("*");  // repeats the read-back
  EXPECT_THAT(Heard(), ElementsAre("account_readback", "after_readback"));
  Keys("#");
  EXPECT_THAT(Heard(), ElementsAre("back", "personal_menu"));
  EXPECT_THAT(engine->PathString(),
              HasSubstr("main>personal>p_account>p_login>p_enter_account>p_enter_password>"
                        "p_verify>p_account>after_p>personal"));
  // Passwords are nowhere: not in a text, the path or an event.
  for (const auto& t : port.texts) EXPECT_THAT(t, Not(HasSubstr("123456")));
  for (const auto& e : events.events) EXPECT_THAT(e, Not(HasSubstr("123456")));
  EXPECT_THAT(engine->PathString(), Not(HasSubstr("123456")));
  engine->OnEnded(EndReason::kCallerHangup);
  EXPECT_THAT(service.ended, ElementsAre("tok"));
}

TEST_F(EngineTest, FiveWrongPasswordsLockTheAccount) {
  Keys("11");
  Heard();
  Keys("1");
  for (int i = 0; i < 4; ++i) {
    Keys("123456789012#000000");
    EXPECT_THAT(Heard(), ElementsAre("enter_account", "enter_password", "login_failed", "login_kind")) << i;
    Keys("1");
  }
  Keys("123456789012#000000");
  EXPECT_THAT(Heard(), ElementsAre("enter_account", "enter_password", "login_locked", "main_menu"));
  EXPECT_FALSE(engine->verified());
}

TEST_F(EngineTest, TheCoreSystemDownGivesTheBusyMenuNeverSilence) {
  service.busy = true;
  Keys("111123456789012#123456");
  auto heard = Heard();
  EXPECT_EQ(heard.back(), "busy");
  Keys("1");  // a call-back
  EXPECT_THAT(Heard(), ElementsAre("callback_confirm"));
  EXPECT_THAT(port.texts.back(), HasSubstr("幺三九幺二三四五六七八"));
  Keys("1");
  EXPECT_THAT(Heard(), ElementsAre("callback_done", "goodbye"));
  EXPECT_TRUE(port.hung_up);
  ASSERT_EQ(service.callbacks.size(), 1u);
  EXPECT_THAT(service.callbacks[0], HasSubstr("p_verify>busy>callback|"));
  EXPECT_EQ(engine->outcome(), Outcome::kCallback);
}

TEST_F(EngineTest, ZeroOutsideHoursSaysWhenAndTakesACallbackOrAVoiceMessage) {
  service.open = false;
  Keys("0");
  EXPECT_THAT(Heard(), ElementsAre("welcome", "main_menu", "after_hours", "after_hours_menu"));
  EXPECT_THAT(port.texts, Contains(HasSubstr("人工服务将于明天上午九点开始")));
  Keys("2");
  EXPECT_THAT(Heard(), ElementsAre("voicemail_start"));
  EXPECT_EQ(port.recording, "/tmp/c1.wav");
  EXPECT_EQ(port.max_recording, std::chrono::seconds(60));
  engine->OnRecordingDone("/tmp/c1.wav", std::chrono::seconds(12));
  Listen();
  EXPECT_THAT(Heard(), ElementsAre("voicemail_done", "goodbye"));
  ASSERT_EQ(service.callbacks.size(), 1u);
  EXPECT_THAT(service.callbacks[0], HasSubstr("|/tmp/c1.wav"));
}

TEST_F(EngineTest, ZeroInHoursWithoutAgentsYetOffersACallback) {
  Keys("2#0");  // from 单位业务, # back to main, then 0
  EXPECT_THAT(Heard(), ElementsAre("welcome", "main_menu", "unit_menu", "back", "main_menu", "no_agents",
                                   "after_hours_menu"));
  port.agents = true;
  Keys("#0");
  EXPECT_EQ(engine->outcome(), Outcome::kTransferred);
}

TEST_F(EngineTest, TimeoutsRepromptThenFallBack) {
  Listen();
  Heard();
  clock.Advance(std::chrono::seconds(5));
  engine->Poll();
  EXPECT_TRUE(Heard().empty());  // 6 s not yet
  clock.Advance(std::chrono::seconds(2));
  engine->Poll();
  Listen();
  EXPECT_THAT(Heard(), ElementsAre("no_input", "main_menu"));
  clock.Advance(std::chrono::seconds(7));
  engine->Poll();
  Listen();
  clock.Advance(std::chrono::seconds(7));
  engine->Poll();  // retries (2) used up: on_fail = agent
  Listen();
  EXPECT_THAT(Heard(), ElementsAre("no_input", "main_menu", "no_agents", "after_hours_menu"));
}

TEST_F(EngineTest, GuideReadsTheKnowledgeBaseAndBranches) {
  Keys("31");
  EXPECT_THAT(Heard(),
              ElementsAre("welcome", "main_menu", "guide_menu", "kb_intro", "kb_category", "kb_category"));
  Keys("2");
  EXPECT_THAT(Heard(), ElementsAre("kb_article", "guide_menu"));
  EXPECT_THAT(port.texts, Contains("贷款政策。今日生效的新规定。"));
  Keys("2");
  EXPECT_THAT(Heard(), ElementsAre("branch_item", "guide_menu"));
}

TEST_F(EngineTest, BookingAndSmsSubscriptionAfterLogin) {
  Keys(
      "41"
      "1123456789012#123456");
  EXPECT_THAT(Heard(), ElementsAre("welcome", "main_menu", "booking_menu", "login_kind", "enter_account",
                                   "enter_password", "book_offer", "book_confirm"));
  Keys("1");
  EXPECT_THAT(Heard(), ElementsAre("book_done", "booking_menu"));
  EXPECT_EQ(service.booked, "LZ-CG");
  Keys("41");
  EXPECT_THAT(Heard(), ElementsAre("sms_menu", "sms_subscribed", "sms_menu"));
  Keys("4");
  EXPECT_THAT(service.subscriptions, ElementsAre("+账户信息", "-账户信息"));
}

TEST_F(EngineTest, CitizenIdTakesStarAsX) {
  Keys("112");
  Heard();
  Keys("62010319900101123*#");
  EXPECT_THAT(Heard(), ElementsAre("enter_password"));
}

}  // namespace
}  // namespace hotline::ivr
