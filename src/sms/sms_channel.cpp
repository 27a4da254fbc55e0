#include "sms/sms_channel.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

namespace hotline::sms {

SmsChannel::SmsChannel(SmsOptions options, const carrier::TransportRegistry& registry, Outbox& outbox,
                       runtime::Scheduler& scheduler, boost::asio::any_io_executor blocking,
                       const Clock& clock)
    : options_(std::move(options)),
      registry_(registry),
      outbox_(outbox),
      scheduler_(scheduler),
      blocking_(blocking),
      recorder_(boost::asio::make_strand(blocking)),
      clock_(clock) {}

SmsChannel::~SmsChannel() { Stop(std::chrono::steady_clock::now()); }

Status SmsChannel::Start() {
  work_ = std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
      io_.get_executor());
  io_thread_ = std::thread([this] { io_.run(); });
  carrier::TransportContext context{.executor = io_.get_executor(), .listener = *this, .clock = clock_};
  auto fail = [this](Error e) -> Status {
    for (auto& link : links_) link->transport->Stop(std::chrono::steady_clock::now());
    links_.clear();
    work_.reset();
    io_.stop();
    if (io_thread_.joinable()) io_thread_.join();
    return e;
  };
  for (const CarrierConfig& c : options_.carriers) {
    auto transport = registry_.Create(c.options, context);
    if (!transport.ok()) return fail(transport.take_error());
    auto link = std::make_unique<Link>();
    link->config = c;
    link->transport = std::move(*transport);
    links_.push_back(std::move(link));
  }
  for (size_t i = 0; i < links_.size(); ++i) {
    Status st = links_[i]->transport->Start();
    if (!st.ok()) return fail(st.error());
  }
  // A message handed before a crash and never answered is handed again (see outbox.hpp).
  if (auto recovered = outbox_.RecoverHanded(); !recovered.ok()) {
    return fail(recovered.take_error());
  } else if (*recovered > 0) {
    spdlog::warn("sms: {} message(s) handed to a carrier before the last stop had no outcome; resubmitting",
                 *recovered);
  }
  job_ = scheduler_.Every("sms-dispatch", options_.poll_interval,
                          [this] {
                            auto r = Pump();
                            if (!r.ok()) spdlog::warn("sms: dispatch round failed: {}", r.error().message);
                          },
                          {.blocking = true, .run_immediately = false});
  return OkStatus();
}

void SmsChannel::Stop(runtime::Deadline deadline) {
  if (stopping_.exchange(true)) return;
  if (job_) scheduler_.Cancel(job_, deadline);
  // Transports answer what they hold with kTransient; those outcomes are recorded (queued again) below.
  for (auto& link : links_) link->transport->Stop(deadline);
  while (pending_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  work_.reset();
  io_.stop();
  if (io_thread_.joinable()) io_thread_.join();
  links_.clear();
}

SmsChannel::Link* SmsChannel::Route(const std::string& destination) {
  Link* fallback = nullptr;
  for (auto& link : links_) {
    if (link->config.prefixes.empty()) {
      if (!fallback) fallback = link.get();
      continue;
    }
    for (const std::string& p : link->config.prefixes) {
      if (destination.rfind(p, 0) == 0) return link.get();
    }
  }
  return fallback;
}

void SmsChannel::Record(std::function<void()> work) {
  ++pending_;
  boost::asio::post(recorder_, [this, work = std::move(work)] {
    work();
    --pending_;
  });
}

Result<int> SmsChannel::Pump() {
  std::lock_guard<std::mutex> lock(pump_mu_);
  if (stopping_.load() || links_.empty()) return 0;
  HOTLINE_ASSIGN_OR_RETURN(int64_t expired, outbox_.ExpireDue());
  if (expired > 0) spdlog::info("sms: {} message(s) expired", expired);
  const bool open = options_.window.IsOpen(clock_.Now());
  if (!open) HOTLINE_RETURN_IF_ERROR(outbox_.HoldPushes());
  // Back-pressure: room = Σ (sessions × window − in flight), and never more than one batch.
  int room = 0;
  for (auto& link : links_) {
    const int capacity =
        std::max(1, link->config.options.sessions) * std::max(1, link->config.options.window);
    // Handed and not yet recorded counts too: that bounds what a crash can leave without an outcome.
    room += std::max(0, capacity - std::max(link->transport->InFlight(), link->unrecorded.load()));
  }
  room = std::min(room, options_.claim_batch);
  if (room == 0) {
    more_ = true;  // the windows are full: the next outcome starts the next round
    return 0;
  }
  HOTLINE_ASSIGN_OR_RETURN(auto claimed, outbox_.Claim(room, open));
  if (static_cast<int>(claimed.size()) == room) more_ = true;
  int handed = 0;
  for (Message& m : claimed) {
    Link* link = Route(m.destination);
    if (!link) {
      carrier::SubmitOutcome none{.kind = carrier::SubmitOutcome::Kind::kRejected,
                                  .carrier_code = 0,
                                  .reason = "no carrier serves this number"};
      HOTLINE_RETURN_IF_ERROR(outbox_.RecordOutcome(m.id, "", 0, none));
      continue;
    }
    carrier::SubmitRequest request{.message_id = m.id,
                                   .destination = m.destination,
                                   .source = link->config.options.source_number,
                                   .text = m.text,
                                   .want_receipt = true,
                                   .valid_until = m.expires_at};
    const std::string carrier_name = link->config.options.name;
    const int64_t price = link->config.options.price_per_part_fen;
    const int64_t id = m.id;
    ++pending_;  // the outcome to come
    ++link->unrecorded;
    link->transport->Submit(
        std::move(request), [this, link, id, carrier_name, price](carrier::SubmitOutcome outcome) {
          Record([this, link, id, carrier_name, price, outcome = std::move(outcome)] {
            Status st = outbox_.RecordOutcome(id, carrier_name, price, outcome);
            --link->unrecorded;
            if (!st.ok())
              spdlog::error("sms: cannot record the outcome of message {}: {}", id, st.error().message);
            // The last round filled every window: room has come free, so go on without waiting for the
            // poll. Counted in pending_, so Stop waits for it.
            if (more_.exchange(false) && !stopping_.load()) {
              ++pending_;
              boost::asio::post(blocking_, [this] {
                auto r = Pump();
                if (!r.ok()) spdlog::warn("sms: dispatch round failed: {}", r.error().message);
                --pending_;
              });
            }
          });
          --pending_;
        });
    ++handed;
  }
  return handed;
}

void SmsChannel::OnReceipt(carrier::DeliveryReceipt receipt) {
  Record([this, receipt = std::move(receipt)] {
    Status st = outbox_.RecordReceipt(receipt);
    if (!st.ok()) spdlog::debug("sms: receipt from {} not matched: {}", receipt.carrier, st.error().message);
  });
}

void SmsChannel::OnInbound(carrier::InboundMessage message) {
  Record([this, message = std::move(message)] {
    if (inbound_) inbound_(message);
  });
}

void SmsChannel::OnLinkState(std::string_view carrier_name, int bound, int configured) {
  spdlog::info("sms: carrier {} has {}/{} session(s) bound", carrier_name, bound, configured);
  for (auto& link : links_) {
    if (link->config.options.name == carrier_name) link->bound = bound;
  }
}

}  // namespace hotline::sms
