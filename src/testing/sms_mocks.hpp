// Test support for the SMS service (src/sms/): a carrier transport that keeps every submission and answers
// only when the test says so, on the transport executor as the contract requires (carrier/transport.hpp).
// Thread-safe: a mutex guards the submissions; Answer* may be called from the test thread while the
// dispatcher submits from another.
#pragma once

#include <boost/asio/post.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "carrier/registry.hpp"
#include "carrier/segmenter.hpp"
#include "carrier/transport.hpp"

namespace hotline::test {

class FakeTransport final : public carrier::Transport {
 public:
  FakeTransport(carrier::CarrierOptions options, carrier::TransportContext context)
      : options_(std::move(options)), context_(context) {}
  std::string_view name() const override { return "fake-transport"; }
  Status Start() override { return OkStatus(); }
  void Stop(runtime::Deadline) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& p : waiting_) Post(std::move(p.done), carrier::SubmitOutcome{.reason = "transport stopped"});
    waiting_.clear();
  }
  void Submit(carrier::SubmitRequest request, carrier::SubmitCallback done) override {
    std::lock_guard<std::mutex> lock(mu_);
    submitted_.push_back(request);
    waiting_.push_back({std::move(request), std::move(done)});
  }
  int InFlight() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(waiting_.size());
  }

  // Answers every waiting submission: kAccepted gives ids "<carrier>-<message id>-<part>".
  int AnswerAll(carrier::SubmitOutcome::Kind kind, int carrier_code = 0) {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (auto& p : waiting_) {
      carrier::SubmitOutcome o{
          .kind = kind, .parts = carrier::PartCount(p.request.text), .carrier_code = carrier_code};
      if (kind == carrier::SubmitOutcome::Kind::kAccepted) {
        for (int i = 1; i <= o.parts; ++i)
          o.carrier_ids.push_back(options_.name + "-" + std::to_string(p.request.message_id) + "-" +
                                  std::to_string(i));
      } else {
        o.reason = kind == carrier::SubmitOutcome::Kind::kRejected ? "rejected by fake" : "fake transient";
      }
      Post(std::move(p.done), std::move(o));
      ++n;
    }
    waiting_.clear();
    return n;
  }
  // Delivers a receipt for a carrier id as the carrier would.
  void Receipt(const std::string& carrier_id, bool delivered, int error_code = 0) {
    boost::asio::post(context_.executor, [this, carrier_id, delivered, error_code] {
      context_.listener.OnReceipt({.carrier = options_.name,
                                   .carrier_id = carrier_id,
                                   .delivered = delivered,
                                   .status = delivered ? "DELIVRD" : "UNDELIV",
                                   .error_code = error_code,
                                   .done_at = context_.clock.Now()});
    });
  }
  void Inbound(const std::string& from, const std::string& text) {
    boost::asio::post(context_.executor, [this, from, text] {
      context_.listener.OnInbound({.carrier = options_.name,
                                   .from = from,
                                   .to = options_.source_number,
                                   .text = text,
                                   .received_at = {}});
    });
  }
  std::vector<carrier::SubmitRequest> submitted() const {
    std::lock_guard<std::mutex> lock(mu_);
    return submitted_;
  }

 private:
  struct Waiting {
    carrier::SubmitRequest request;
    carrier::SubmitCallback done;
  };
  void Post(carrier::SubmitCallback done, carrier::SubmitOutcome o) {
    boost::asio::post(context_.executor,
                      [done = std::move(done), o = std::move(o)]() mutable { done(std::move(o)); });
  }
  carrier::CarrierOptions options_;
  carrier::TransportContext context_;
  mutable std::mutex mu_;
  std::vector<carrier::SubmitRequest> submitted_;
  std::vector<Waiting> waiting_;
};

// Registers protocol "fake" in `registry`; every transport it builds is appended to `made` (not owned).
inline void RegisterFakeTransport(carrier::TransportRegistry& registry, std::vector<FakeTransport*>& made) {
  registry.Register(
      "fake",
      [&made](const carrier::CarrierOptions& o,
              const carrier::TransportContext& c) -> Result<std::unique_ptr<carrier::Transport>> {
        auto t = std::make_unique<FakeTransport>(o, c);
        made.push_back(t.get());
        return std::unique_ptr<carrier::Transport>(std::move(t));
      });
}

}  // namespace hotline::test
