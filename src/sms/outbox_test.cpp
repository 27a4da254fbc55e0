// The durable outbound queue and the dispatcher (issue 15 "Durable outbound queue", R-SMS-2, R-SMS-5), on
// the test database engine (SQLite, or PostgreSQL under tests/pg) with a fake transport.
#include "sms/outbox.hpp"

#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>
#include <set>
#include <thread>

#include "runtime/scheduler.hpp"
#include "sms/sms_channel.hpp"
#include "store/test_database.hpp"
#include "testing/sms_mocks.hpp"
#include "testing/time.hpp"

namespace hotline::sms {
namespace {

using carrier::SubmitOutcome;
using test::At;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = store::OpenTestDatabase();
    const store::ModuleMigrations modules[] = {kSmsMigrations};
    ASSERT_TRUE(store::Migrate(*db_, modules).ok());
  }
  NewMessage Msg(std::string key, MessageKind kind, std::string to = "13800138000") {
    return {.centre_id = 1,
            .kind = kind,
            .idempotency_key = std::move(key),
            .destination = std::move(to),
            .text = "【甘肃公积金】您的账户已入账。",
            .expires_at = clock_.Now() + std::chrono::hours(24)};
  }
  std::unique_ptr<store::Database> db_;
  FakeClock clock_{At("2026-03-02T10:00:00+08:00")};
};

TEST_F(OutboxTest, EnqueueIsIdempotentByKey) {
  Outbox outbox(*db_, clock_);
  auto a = outbox.Enqueue(Msg("event:1", MessageKind::kEvent));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(a->created);
  auto b = outbox.Enqueue(Msg("event:1", MessageKind::kEvent));
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->created);
  EXPECT_EQ(a->id, b->id);
  auto m = outbox.Get(a->id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->status, MessageStatus::kQueued);
  EXPECT_EQ(m->parts, 1);
  EXPECT_EQ(m->priority, 2);
}

TEST_F(OutboxTest, RejectsBadInput) {
  Outbox outbox(*db_, clock_);
  auto bad_number = outbox.Enqueue(Msg("k", MessageKind::kReply, "2380013800"));
  ASSERT_FALSE(bad_number.ok());
  EXPECT_EQ(bad_number.error().code, "invalid_field");
  NewMessage empty = Msg("k2", MessageKind::kReply);
  empty.text.clear();
  EXPECT_FALSE(outbox.Enqueue(empty).ok());
  NewMessage nokey = Msg("", MessageKind::kReply);
  EXPECT_FALSE(outbox.Enqueue(nokey).ok());
}

TEST_F(OutboxTest, ClaimsInPriorityOrderAndOnlyOnce) {
  Outbox outbox(*db_, clock_);
  ASSERT_TRUE(outbox.Enqueue(Msg("c", MessageKind::kCampaign)).ok());
  ASSERT_TRUE(outbox.Enqueue(Msg("e", MessageKind::kEvent)).ok());
  ASSERT_TRUE(outbox.Enqueue(Msg("r", MessageKind::kReply)).ok());
  ASSERT_TRUE(outbox.Enqueue(Msg("v", MessageKind::kCode)).ok());
  auto claimed = outbox.Claim(10, /*window_open=*/true);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 4u);
  EXPECT_EQ((*claimed)[0].idempotency_key, "v");
  EXPECT_EQ((*claimed)[1].idempotency_key, "r");
  EXPECT_EQ((*claimed)[2].idempotency_key, "e");
  EXPECT_EQ((*claimed)[3].idempotency_key, "c");
  auto again = outbox.Claim(10, true);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());  // handed messages are not handed twice
}

TEST_F(OutboxTest, WindowClosedHoldsPushesButNotCodesOrReplies) {
  clock_.Advance(std::chrono::hours(13));  // 23:00 centre time
  Outbox outbox(*db_, clock_);
  auto e = outbox.Enqueue(Msg("e", MessageKind::kEvent));
  auto c = outbox.Enqueue(Msg("c", MessageKind::kCampaign));
  ASSERT_TRUE(outbox.Enqueue(Msg("v", MessageKind::kCode)).ok());
  ASSERT_TRUE(outbox.Enqueue(Msg("t", MessageKind::kTest)).ok());
  PushWindow window;
  ASSERT_FALSE(window.IsOpen(clock_.Now()));
  EXPECT_EQ(window.NextOpen(clock_.Now()), At("2026-03-03T08:00:00+08:00"));
  ASSERT_EQ(*outbox.HoldPushes(), 2);
  auto claimed = outbox.Claim(10, false);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].idempotency_key, "v");
  EXPECT_EQ((*claimed)[1].idempotency_key, "t");
  EXPECT_EQ(outbox.Get(e->id)->status, MessageStatus::kHeldForWindow);
  EXPECT_TRUE(outbox.Get(e->id)->held_at.has_value());
  // 08:00 next morning: released in priority order (event before campaign).
  clock_.Advance(std::chrono::hours(9));
  ASSERT_TRUE(window.IsOpen(clock_.Now()));
  auto released = outbox.Claim(10, true);
  ASSERT_TRUE(released.ok());
  ASSERT_EQ(released->size(), 2u);
  EXPECT_EQ((*released)[0].id, e->id);
  EXPECT_EQ((*released)[1].id, c->id);
}

TEST_F(OutboxTest, OutcomesReceiptsAndCost) {
  Outbox outbox(*db_, clock_);
  NewMessage longer = Msg("long", MessageKind::kReply);
  longer.text = std::string("【甘肃公积金】");
  for (int i = 0; i < 10; ++i) longer.text += "您的住房公积金账户余额已更新。";  // > 70 characters
  auto id = outbox.Enqueue(longer)->id;
  EXPECT_EQ(outbox.Get(id)->parts, 3);
  ASSERT_EQ(outbox.Claim(10, true)->size(), 1u);
  SubmitOutcome ok{.kind = SubmitOutcome::Kind::kAccepted, .carrier_ids = {"a1", "a2", "a3"}, .parts = 3};
  ASSERT_TRUE(outbox.RecordOutcome(id, "cmcc", 5, ok).ok());
  auto m = outbox.Get(id);
  EXPECT_EQ(m->status, MessageStatus::kSubmitted);
  EXPECT_EQ(m->cost_fen, 15);
  EXPECT_EQ(m->carrier, "cmcc");
  EXPECT_EQ(m->carrier_ids, (std::vector<std::string>{"a1", "a2", "a3"}));
  ASSERT_TRUE(outbox.RecordReceipt({.carrier = "cmcc", .carrier_id = "a1", .delivered = true}).ok());
  ASSERT_TRUE(outbox.RecordReceipt({.carrier = "cmcc", .carrier_id = "a2", .delivered = true}).ok());
  EXPECT_EQ(outbox.Get(id)->status, MessageStatus::kSubmitted);  // one part still out
  ASSERT_TRUE(outbox.RecordReceipt({.carrier = "cmcc", .carrier_id = "a3", .delivered = true}).ok());
  EXPECT_EQ(outbox.Get(id)->status, MessageStatus::kDelivered);
  EXPECT_TRUE(outbox.Get(id)->done_at.has_value());
  auto unknown = outbox.RecordReceipt({.carrier = "cmcc", .carrier_id = "zz", .delivered = true});
  EXPECT_FALSE(unknown.ok());
}

TEST_F(OutboxTest, RejectedFailsWithCarrierCodeAndUndeliveredReceiptFails) {
  Outbox outbox(*db_, clock_);
  auto a = outbox.Enqueue(Msg("a", MessageKind::kReply))->id;
  auto b = outbox.Enqueue(Msg("b", MessageKind::kReply))->id;
  ASSERT_EQ(outbox.Claim(10, true)->size(), 2u);
  ASSERT_TRUE(
      outbox
          .RecordOutcome(
              a, "x", 5,
              {.kind = SubmitOutcome::Kind::kRejected, .carrier_code = 11, .reason = "invalid destination"})
          .ok());
  EXPECT_EQ(outbox.Get(a)->status, MessageStatus::kFailed);
  EXPECT_EQ(outbox.Get(a)->carrier_code, 11);
  ASSERT_TRUE(outbox
                  .RecordOutcome(b, "x", 5,
                                 {.kind = SubmitOutcome::Kind::kAccepted, .carrier_ids = {"b1"}, .parts = 1})
                  .ok());
  ASSERT_TRUE(
      outbox
          .RecordReceipt(
              {.carrier = "x", .carrier_id = "b1", .delivered = false, .status = "UNDELIV", .error_code = 13})
          .ok());
  EXPECT_EQ(outbox.Get(b)->status, MessageStatus::kFailed);
  EXPECT_EQ(outbox.Get(b)->carrier_code, 13);
}

TEST_F(OutboxTest, TransientRetriesWithBackoffUntilExpiry) {
  Outbox outbox(*db_, clock_, {.initial = std::chrono::seconds(10), .max = std::chrono::seconds(40)});
  NewMessage m = Msg("t", MessageKind::kReply);
  m.expires_at = clock_.Now() + std::chrono::seconds(60);
  auto id = outbox.Enqueue(m)->id;
  SubmitOutcome busy{.kind = SubmitOutcome::Kind::kTransient, .carrier_code = 8, .reason = "flow control"};
  ASSERT_EQ(outbox.Claim(10, true)->size(), 1u);
  ASSERT_TRUE(outbox.RecordOutcome(id, "x", 5, busy).ok());
  EXPECT_EQ(outbox.Get(id)->next_attempt_at, clock_.Now() + std::chrono::seconds(10));
  EXPECT_TRUE(outbox.Claim(10, true)->empty());  // not due yet
  clock_.Advance(std::chrono::seconds(10));
  ASSERT_EQ(outbox.Claim(10, true)->size(), 1u);
  ASSERT_TRUE(outbox.RecordOutcome(id, "x", 5, busy).ok());
  EXPECT_EQ(outbox.Get(id)->next_attempt_at, clock_.Now() + std::chrono::seconds(20));
  clock_.Advance(std::chrono::seconds(20));
  ASSERT_EQ(outbox.Claim(10, true)->size(), 1u);
  ASSERT_TRUE(outbox.RecordOutcome(id, "x", 5, busy).ok());  // next would be +40 s: past the expiry
  EXPECT_EQ(outbox.Get(id)->status, MessageStatus::kExpired);
}

TEST_F(OutboxTest, ExpiresQueuedAndHeldMessages) {
  Outbox outbox(*db_, clock_);
  NewMessage m = Msg("x", MessageKind::kEvent);
  m.expires_at = clock_.Now() + std::chrono::minutes(1);
  auto id = outbox.Enqueue(m)->id;
  ASSERT_EQ(*outbox.HoldPushes(), 1);
  clock_.Advance(std::chrono::minutes(2));
  ASSERT_EQ(*outbox.ExpireDue(), 1);
  EXPECT_EQ(outbox.Get(id)->status, MessageStatus::kExpired);
  EXPECT_TRUE(outbox.Claim(10, true)->empty());
}

TEST_F(OutboxTest, HandedWithoutOutcomeIsRecoveredAfterRestart) {
  int64_t id = 0;
  {
    Outbox outbox(*db_, clock_);
    id = outbox.Enqueue(Msg("crash", MessageKind::kCampaign))->id;
    ASSERT_EQ(outbox.Claim(10, true)->size(), 1u);
  }  // the process dies here: handed, no outcome
  Outbox restarted(*db_, clock_);
  EXPECT_TRUE(restarted.Claim(10, true)->empty());
  ASSERT_EQ(*restarted.RecoverHanded(), 1);
  auto again = restarted.Claim(10, true);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].id, id);
  EXPECT_EQ((*again)[0].attempts, 2);
}

TEST_F(OutboxTest, BatchEnqueueSkipsKnownKeys) {
  Outbox outbox(*db_, clock_);
  std::vector<NewMessage> batch;
  for (int i = 0; i < 150; ++i) {
    batch.push_back(Msg("camp:1:" + std::to_string(i), MessageKind::kCampaign,
                        "139" + std::string(8 - std::to_string(i).size(), '0') + std::to_string(i)));
    batch.back().campaign_id = 1;
  }
  auto n = outbox.EnqueueBatch(batch);
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 150);
  auto again = outbox.EnqueueBatch(batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  auto counts = outbox.CountByStatus(1);
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].second, 150);
  batch[7].destination = "bad";
  auto bad = outbox.EnqueueBatch(batch);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("message 7"), std::string::npos);
}

// The dispatcher end to end over the fake transport.
class ChannelTest : public OutboxTest {
 protected:
  void SetUp() override {
    OutboxTest::SetUp();
    test::RegisterFakeTransport(registry_, made_);
  }
  SmsOptions Options(int window) {
    SmsOptions o;
    o.carriers.push_back(
        {.options = {.name = "cmcc", .protocol = "fake", .window = window, .price_per_part_fen = 4}});
    return o;
  }
  void Drain(SmsChannel& channel) {
    for (int i = 0; i < 2000 && channel.pending_records() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(channel.pending_records(), 0);
  }
  carrier::TransportRegistry registry_;
  std::vector<test::FakeTransport*> made_;
  boost::asio::thread_pool pool_{2};
  runtime::Scheduler scheduler_{clock_, pool_.get_executor(), pool_.get_executor()};
};

TEST_F(ChannelTest, BackPressureOutcomesAndReceipts) {
  Outbox outbox(*db_, clock_);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(outbox.Enqueue(Msg("m" + std::to_string(i), MessageKind::kReply)).ok());
  SmsChannel channel(Options(/*window=*/2), registry_, outbox, scheduler_, pool_.get_executor(), clock_);
  ASSERT_TRUE(channel.Start().ok());
  ASSERT_EQ(made_.size(), 1u);
  test::FakeTransport& t = *made_[0];
  // The scheduled round is an interval away (the FakeClock stands still): Pump drives it. Never more
  // than the window in flight.
  (void)channel.Pump();
  EXPECT_EQ(t.InFlight(), 2);
  EXPECT_EQ(*channel.Pump(), 0);
  // Answering frees the window: the channel hands the next ones at once, without waiting for its poll
  // (the FakeClock stands still, so no scheduled round runs), and never more than the window.
  for (int i = 0; i < 5000 && t.submitted().size() < 5; ++i) {
    const int in_flight = t.InFlight();
    EXPECT_LE(in_flight, 2);
    if (in_flight > 0) t.AnswerAll(SubmitOutcome::Kind::kAccepted);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  t.AnswerAll(SubmitOutcome::Kind::kAccepted);
  for (int i = 0; i < 5000 && outbox.List({.status = MessageStatus::kSubmitted})->size() < 5; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Drain(channel);
  auto submitted = outbox.List({.status = MessageStatus::kSubmitted});
  ASSERT_EQ(submitted->size(), 5u);
  EXPECT_EQ((*submitted)[0].cost_fen, 4);
  // Every message went out exactly once.
  std::set<int64_t> ids;
  for (const auto& r : t.submitted()) ids.insert(r.message_id);
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(t.submitted().size(), 5u);
  // The receipt travels through the transport's executor first: wait for its effect, not the counter.
  const int64_t first = (*submitted)[0].id;
  t.Receipt("cmcc-" + std::to_string(first) + "-1", true);
  for (int i = 0; i < 5000 && outbox.Get(first)->status != MessageStatus::kDelivered; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(outbox.Get(first)->status, MessageStatus::kDelivered);
  channel.Stop(std::chrono::steady_clock::now() + std::chrono::seconds(5));
}

TEST_F(ChannelTest, StopRequeuesWhatTheTransportHeld) {
  Outbox outbox(*db_, clock_);
  auto id = outbox.Enqueue(Msg("s", MessageKind::kCode))->id;
  SmsChannel channel(Options(10), registry_, outbox, scheduler_, pool_.get_executor(), clock_);
  ASSERT_TRUE(channel.Start().ok());
  (void)channel.Pump();
  ASSERT_EQ(made_[0]->submitted().size(), 1u);
  channel.Stop(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  auto m = outbox.Get(id);
  EXPECT_EQ(m->status, MessageStatus::kQueued);
  EXPECT_FALSE(m->handed);
}

TEST_F(ChannelTest, InboundGoesToTheHandler) {
  Outbox outbox(*db_, clock_);
  SmsChannel channel(Options(10), registry_, outbox, scheduler_, pool_.get_executor(), clock_);
  std::mutex mu;
  std::vector<std::string> got;
  channel.SetInboundHandler([&](carrier::InboundMessage m) {
    std::lock_guard<std::mutex> lock(mu);
    got.push_back(m.text);
  });
  ASSERT_TRUE(channel.Start().ok());
  made_[0]->Inbound("13800138000", "CXYE");
  for (int i = 0; i < 2000; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!got.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], "CXYE");
  channel.Stop(std::chrono::steady_clock::now() + std::chrono::seconds(5));
}

}  // namespace
}  // namespace hotline::sms
