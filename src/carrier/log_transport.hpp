// The `log` transport, for development and demos: it sends nothing. Every submission is accepted at once
// (ids "log-<message_id>-<part>"), written to the log with the number masked and the part count (never the
// text: it may carry account data), and, when a receipt is asked for, answered by a DELIVRD receipt on the
// executor. Connected from Start to Stop. Thread-safety: as Transport.
#pragma once

#include <atomic>
#include <memory>

#include "carrier/registry.hpp"

namespace hotline::carrier {

class LogTransport final : public Transport {
 public:
  LogTransport(CarrierOptions options, const TransportContext& context);

  std::string_view name() const override { return name_; }
  Status Start() override;
  void Stop(runtime::Deadline deadline) override;
  void Submit(SubmitRequest request, SubmitCallback done) override;
  int InFlight() const override { return 0; }

 private:
  CarrierOptions options_;
  TransportContext context_;
  std::string name_;
  std::atomic<bool> running_{false};
};

}  // namespace hotline::carrier
