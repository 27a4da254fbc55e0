// A carrier transport: one configured connection group to one carrier's SMS gateway (R-SMS-1…6), over
// SMPP 3.4, CMPP 3.0 (China Mobile), SGIP 1.2 (China Unicom), SMGP 3.0 (China Telecom), or the `log`
// transport for development. This is the contract between the carrier module (src/carrier/: the
// protocols, their sessions, windows, throttles and reconnects) and the SMS service (src/sms/: the durable
// queue, subscriptions, the push window, keywords, statistics). Transports register by name in
// carrier::TransportRegistry (baresip's module registry is the model) and the configuration picks one per
// `[[sms.carriers]]` entry.
//
// Delivery semantics: the SMS service owns durability. It hands a transport one message at a time with
// Submit, and records the outcome it is told through SubmitCallback. A transport keeps a message only in
// memory, so after a crash the service resubmits what has no recorded outcome; a transport that reconnects
// resubmits the parts the SMSC did not acknowledge and never the ones it did (no duplicates where the SMSC
// acknowledged them).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "runtime/component.hpp"

namespace hotline::carrier {

// One message to send. The text is the whole message as the recipient reads it, signature (【甘肃公积金】)
// and unsubscribe instruction included; the transport encodes it as UCS-2 (data_coding 8) and splits it
// into concatenated parts of 67 characters with a UDH (or CMPP pk_total/pk_number) when it is longer
// than 70 (see segmenter.hpp).
struct SubmitRequest {
  int64_t message_id = 0;    // the SMS service's id for the message; stable across resubmissions
  std::string destination;   // national mobile number, 11 digits ("13800138000")
  std::string source;        // the source address (the carrier's service number, maybe extended)
  std::string text;          // UTF-8, valid, non-empty
  bool want_receipt = true;  // ask for delivery receipts (registered_delivery)
  // The newest moment the carrier may still deliver (SMPP validity_period); none when zero.
  TimePoint valid_until{};
};

// What the carrier said to a submission, once for the whole message (all parts answered).
struct SubmitOutcome {
  enum class Kind {
    kAccepted,   // every part acknowledged; carrier_ids holds one id per part, in order
    kRejected,   // the carrier refused it for good (bad number, content refused): do not retry
    kTransient,  // not sent now (no connection, throttled past the deadline, timeout): retry later
  };
  Kind kind = Kind::kTransient;
  std::vector<std::string> carrier_ids;  // message ids as the carrier gave them (normalised, see below)
  int parts = 0;                         // how many parts were (or would be) sent and billed
  int carrier_code = 0;                  // the protocol's status code for kRejected/kTransient, else 0
  std::string reason;                    // short, for the operator; no personal data
};
using SubmitCallback = std::function<void(SubmitOutcome)>;

// A delivery receipt (SMPP deliver_sm with esm_class receipt, CMPP status report, SGIP Report, SMGP
// report). carrier_id is normalised the same way as SubmitOutcome::carrier_ids (SMPP receipts name the
// id in hex or decimal; the transport maps both to the form it returned from the submit).
struct DeliveryReceipt {
  std::string carrier;     // the carrier's configured name
  std::string carrier_id;  // the part's id
  bool delivered = false;
  std::string status;  // the carrier's status word ("DELIVRD", "UNDELIV", "EXPIRED", …)
  int error_code = 0;
  TimePoint done_at{};
};

// A mobile-originated message (a person replying or sending a keyword). Concatenated MO parts are
// reassembled by the transport before this is delivered.
struct InboundMessage {
  std::string carrier;
  std::string from;  // the sender's mobile number, national form
  std::string to;    // the service number it was sent to (may carry an extension)
  std::string text;  // UTF-8
  TimePoint received_at{};
};

// The SMS service's side: called by the transport on its own executor; each call must return quickly
// (queue the work; never block on the database on this thread).
class TransportListener {
 public:
  virtual ~TransportListener() = default;
  virtual void OnReceipt(DeliveryReceipt receipt) = 0;
  virtual void OnInbound(InboundMessage message) = 0;
  // The transport's connections changed: `bound` of `configured` sessions are up.
  virtual void OnLinkState(std::string_view carrier, int bound, int configured) = 0;
};

// Thread-safety: Submit, InFlight and name may be called from any thread; callbacks run on the
// transport's own executor (never inside Submit). Start/Stop as runtime::Component.
class Transport : public runtime::Component {
 public:
  // Hands one message to the carrier. `done` is called exactly once, also when the transport stops
  // first (then with kTransient). A transport with a full window queues it in memory up to its own
  // bound and answers kTransient beyond it.
  virtual void Submit(SubmitRequest request, SubmitCallback done) = 0;
  // Messages handed over and not yet answered (for the service's back-pressure).
  virtual int InFlight() const = 0;
};

// How one `[[sms.carriers]]` entry configures a transport (the config loader fills it; documented in
// docs/SMS.md).
struct CarrierOptions {
  std::string name;      // "cmcc-gs"; unique
  std::string protocol;  // "smpp" | "cmpp" | "sgip" | "smgp" | "log"
  std::string host = "127.0.0.1";
  int port = 0;
  std::string system_id;  // SMPP system_id, CMPP Source_Addr (SP id), SGIP/SMGP login name
  std::string password;
  std::string service_code;        // CMPP Service_Id / SGIP ServiceType / SMGP ServiceID, when used
  std::string source_number;       // the service number messages come from ("10657109012329")
  int sessions = 1;                // parallel binds/connections
  int window = 16;                 // in-flight submits per session
  double throughput = 100;         // messages (parts) per second per session, as contracted
  int64_t price_per_part_fen = 5;  // what one billed part costs, in fen (0.01 yuan)
  std::chrono::milliseconds response_timeout{10'000};
  std::chrono::milliseconds enquire_interval{30'000};  // enquire_link / ACTIVE_TEST keep-alive
  std::chrono::milliseconds reconnect_min{1'000}, reconnect_max{60'000};  // backoff bounds
};

}  // namespace hotline::carrier
