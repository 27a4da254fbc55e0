#include "voice/call.hpp"

namespace hotline::voice {

std::string_view DigitSourceName(DigitSource source) {
  switch (source) {
    case DigitSource::kRfc4733:
      return "rfc4733";
    case DigitSource::kSipInfo:
      return "sip_info";
    case DigitSource::kInBand:
      return "in_band";
  }
  return "rfc4733";
}

std::string_view EndReasonName(EndReason reason) {
  switch (reason) {
    case EndReason::kCallerHangup:
      return "caller_hangup";
    case EndReason::kHandlerHangup:
      return "handler_hangup";
    case EndReason::kRtpTimeout:
      return "rtp_timeout";
    case EndReason::kShutdown:
      return "shutdown";
    case EndReason::kError:
      return "error";
  }
  return "error";
}

}  // namespace hotline::voice
