// The registry picks a transport by protocol name; the log transport accepts, counts parts and
// answers receipts (issue 15, development transport).
#include "carrier/log_transport.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "carrier/registry.hpp"

namespace hotline::carrier {
namespace {

struct RecordingListener : TransportListener {
  std::vector<DeliveryReceipt> receipts;
  std::vector<InboundMessage> inbound;
  int bound = -1;
  void OnReceipt(DeliveryReceipt r) override { receipts.push_back(std::move(r)); }
  void OnInbound(InboundMessage m) override { inbound.push_back(std::move(m)); }
  void OnLinkState(std::string_view, int b, int) override { bound = b; }
};

TEST(TransportRegistry, UnknownProtocolIsAClearErrorNamingTheKnownOnes) {
  boost::asio::io_context io;
  RecordingListener listener;
  FakeClock clock{TimePoint{}};
  TransportRegistry registry;
  RegisterBuiltinTransports(registry);
  CarrierOptions options{.name = "cmcc", .protocol = "carrier-pigeon"};
  auto made = registry.Create(options, {io.get_executor(), listener, clock});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code, "unknown_protocol");
  EXPECT_NE(made.error().message.find("log"), std::string::npos);
}

TEST(LogTransport, AcceptsWithOneIdPerPartAndAnswersReceipts) {
  boost::asio::io_context io;
  RecordingListener listener;
  FakeClock clock{TimePoint{}};
  TransportRegistry registry;
  RegisterBuiltinTransports(registry);
  auto made =
      registry.Create(CarrierOptions{.name = "dev", .protocol = "log"}, {io.get_executor(), listener, clock});
  ASSERT_TRUE(made.ok()) << made.error().message;
  Transport& t = **made;
  ASSERT_TRUE(t.Start().ok());

  std::optional<SubmitOutcome> outcome;
  std::string text = "【甘肃公积金】";
  for (int i = 0; i < 70; ++i) text += "额";
  t.Submit(SubmitRequest{.message_id = 7, .destination = "13800138000", .text = text},
           [&](SubmitOutcome o) { outcome = std::move(o); });
  EXPECT_FALSE(outcome.has_value()) << "callbacks never run inside Submit";
  io.run();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->kind, SubmitOutcome::Kind::kAccepted);
  EXPECT_EQ(outcome->parts, 2);
  EXPECT_EQ(outcome->carrier_ids, (std::vector<std::string>{"log-7-1", "log-7-2"}));
  ASSERT_EQ(listener.receipts.size(), 2u);
  EXPECT_TRUE(listener.receipts[0].delivered);
  EXPECT_EQ(listener.bound, 1);

  t.Stop(runtime::Deadline::clock::now());
  EXPECT_EQ(listener.bound, 0);
  outcome.reset();
  t.Submit(SubmitRequest{.message_id = 8, .destination = "13800138000", .text = "x"},
           [&](SubmitOutcome o) { outcome = std::move(o); });
  io.restart();
  io.run();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->kind, SubmitOutcome::Kind::kTransient);
}

}  // namespace
}  // namespace hotline::carrier
