#include "carrier/log_transport.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "carrier/segmenter.hpp"
#include "core/masking.hpp"

namespace hotline::carrier {

LogTransport::LogTransport(CarrierOptions options, const TransportContext& context)
    : options_(std::move(options)), context_(context), name_("sms-carrier-" + options_.name) {}

Status LogTransport::Start() {
  running_ = true;
  boost::asio::post(context_.executor, [this] { context_.listener.OnLinkState(options_.name, 1, 1); });
  return {};
}

void LogTransport::Stop(runtime::Deadline) {
  if (running_.exchange(false)) context_.listener.OnLinkState(options_.name, 0, 1);
}

void LogTransport::Submit(SubmitRequest request, SubmitCallback done) {
  SubmitOutcome outcome;
  outcome.parts = PartCount(request.text);
  if (!running_) {
    outcome.kind = SubmitOutcome::Kind::kTransient;
    outcome.reason = "transport stopped";
  } else {
    outcome.kind = SubmitOutcome::Kind::kAccepted;
    for (int p = 1; p <= outcome.parts; ++p) {
      outcome.carrier_ids.push_back(fmt::format("log-{}-{}", request.message_id, p));
    }
    spdlog::info("sms[{}]: message {} to {}, {} part(s) (log transport: not sent)", options_.name,
                 request.message_id, MaskMobile(request.destination), outcome.parts);
  }
  const bool receipt = outcome.kind == SubmitOutcome::Kind::kAccepted && request.want_receipt;
  boost::asio::post(context_.executor,
                    [this, receipt, outcome = std::move(outcome), done = std::move(done)]() mutable {
                      const auto ids = outcome.carrier_ids;
                      done(std::move(outcome));
                      if (!receipt) return;
                      for (const auto& id : ids) {
                        context_.listener.OnReceipt(DeliveryReceipt{.carrier = options_.name,
                                                                    .carrier_id = id,
                                                                    .delivered = true,
                                                                    .status = "DELIVRD",
                                                                    .error_code = 0,
                                                                    .done_at = context_.clock.Now()});
                      }
                    });
}

}  // namespace hotline::carrier
