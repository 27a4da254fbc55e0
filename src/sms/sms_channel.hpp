// The SMS dispatcher (issue 15 "Durable outbound queue"): the runtime component `sms` that moves messages
// from the durable queue (Outbox) to the carriers' transports and records what they say.
//
// Every `poll_interval` (a scheduler job on the blocking executor), and at once after an outcome when the
// previous round filled every window, it expires overdue messages, holds push
// messages while the push window is closed (R-SMS-2), and claims as many due messages, in priority order,
// as the transports have room for (back-pressure: each carrier takes up to sessions × window messages
// minus the larger of Transport::InFlight and the messages handed whose outcome is not yet committed). Each
// claimed message goes to the carrier whose number prefixes match its destination (the first such carrier; a
// carrier without prefixes takes any number). Outcomes and delivery receipts arrive on the transports'
// executor and are recorded on one strand of the blocking executor, in the order they arrived (so a receipt
// never overtakes its own submit outcome). Mobile-originated messages go to the inbound handler (MO keywords,
// issue 15 "On-demand").
//
// At Start every message handed before a crash without a recorded outcome is made claimable again
// (Outbox::RecoverHanded): see docs/SMS.md "Delivery guarantees" for what that means at the carrier.
//
// Thread-safety: Start/Stop as runtime::Component; Pump, the TransportListener methods and the accessors
// may be called from any thread. The transports run on one I/O thread the channel owns (network I/O only;
// timers and database work use the scheduler and the blocking executor).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "carrier/registry.hpp"
#include "carrier/transport.hpp"
#include "runtime/scheduler.hpp"
#include "sms/outbox.hpp"
#include "sms/push_window.hpp"

namespace hotline::sms {

// One `[[sms.carriers]]` entry: the transport's options plus the number prefixes it serves.
struct CarrierConfig {
  carrier::CarrierOptions options;
  std::vector<std::string> prefixes;  // e.g. {"134", "135", …}; empty: any number
};

struct SmsOptions {
  std::vector<CarrierConfig> carriers;  // [[sms.carriers]]; none: the SMS channel is not started
  PushWindow window;
  std::chrono::milliseconds poll_interval{200};  // [sms] poll_interval_ms
  int claim_batch = 200;                         // most messages claimed per poll
  RetryPolicy retry;
};

class SmsChannel : public runtime::Component, public carrier::TransportListener {
 public:
  using InboundHandler = std::function<void(carrier::InboundMessage)>;

  // `registry` builds the transports at Start. REQUIRES: everything given outlives the channel.
  SmsChannel(SmsOptions options, const carrier::TransportRegistry& registry, Outbox& outbox,
             runtime::Scheduler& scheduler, boost::asio::any_io_executor blocking, const Clock& clock);
  ~SmsChannel() override;

  // Called (on the blocking executor) for every mobile-originated message; set before Start.
  void SetInboundHandler(InboundHandler handler) { inbound_ = std::move(handler); }

  std::string_view name() const override { return "sms"; }
  // Errors: a transport that cannot be built (unknown protocol, bad options).
  Status Start() override;
  void Stop(runtime::Deadline deadline) override;

  // One dispatch round (the scheduler job; tests call it directly). Returns how many messages it handed to
  // transports. Blocks on the database.
  Result<int> Pump();

  // TransportListener (transport executor): queue the work on the recording strand.
  void OnReceipt(carrier::DeliveryReceipt receipt) override;
  void OnInbound(carrier::InboundMessage message) override;
  void OnLinkState(std::string_view carrier, int bound, int configured) override;

  // Outcomes and receipts queued and not yet recorded (tests wait for 0).
  int pending_records() const { return pending_.load(); }

 private:
  struct Link {
    CarrierConfig config;
    std::unique_ptr<carrier::Transport> transport;
    std::atomic<int> bound{0};
    std::atomic<int> unrecorded{0};  // handed to the transport, outcome not yet committed
  };
  Link* Route(const std::string& destination);
  void Record(std::function<void()> work);

  SmsOptions options_;
  const carrier::TransportRegistry& registry_;
  Outbox& outbox_;
  runtime::Scheduler& scheduler_;
  boost::asio::any_io_executor blocking_;
  boost::asio::strand<boost::asio::any_io_executor> recorder_;
  const Clock& clock_;
  InboundHandler inbound_;

  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread io_thread_;
  std::vector<std::unique_ptr<Link>> links_;
  runtime::Scheduler::JobId job_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> pending_{0};
  std::atomic<bool> more_{false};  // the last round filled the windows: pump again when an outcome lands
  std::mutex pump_mu_;             // one Pump at a time
};

}  // namespace hotline::sms
