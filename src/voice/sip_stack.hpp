// Signalling behind an interface (issue 13 §Signalling: "behind an interface so the stack can be
// replaced"). The stack runs its own thread (libre's single-threaded loop, LibreSipStack) and talks to the
// Asio side only through queues: commands go in with a thread-safe push, events come out as handlers
// posted to the executor given at construction.
//
// What the stack decides itself, on its thread, from immutable inputs: OPTIONS → 200 (keep-alive probes
// of trunks and Kamailio); an INVITE is admitted or rejected by the `Admission` function (source address
// on the trunk's list else 403, called number served else 404, SDP offer answered else 488) before any
// provisional reply, then answered 180 → 200 with the SDP answer; re-INVITEs (hold, codec change) are
// answered by `Reoffer`; INFO with application/dtmf-relay or application/dtmf becomes a digit event;
// BYE, CANCEL (487 by libre's transaction layer) and timeouts end the call. Malformed messages are dropped
// by the parser (UDP) or close the connection (TCP); the stack keeps serving.
//
// Thread-safety: SipStack methods are thread-safe. Events are delivered on `events_executor` in the order
// the stack saw them for a call.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "core/result.hpp"

namespace hotline::voice {

// One INVITE as the admission sees it (no personal data is logged from it; numbers are masked in logs).
struct InviteRequest {
  std::string source_ip;  // where the request came from (rport: the packet's source, RFC 3581)
  uint16_t source_port = 0;
  std::string transport;  // "udp" or "tcp"
  std::string caller;     // user part of From
  std::string called;     // user part of the Request-URI
  std::string sdp;        // the offer ("" when the INVITE carries none: delayed offer, rejected 488)
};

struct Admitted {
  std::string center_code;
  std::string sdp_answer;
  uint64_t media_cookie = 0;  // what the media side allocated for this call (its RTP session)
};

// SIP status + reason for a refusal (403, 404, 488, 503).
struct Refusal {
  uint16_t status = 488;
  std::string reason;
};

struct SipCallEvents {
  // The 200 OK was acknowledged (ACK): media may flow.
  std::function<void(uint64_t call, const InviteRequest& invite, const Admitted& admitted)> on_established;
  // A digit from SIP INFO. Never logged by the stack.
  std::function<void(uint64_t call, char digit)> on_info_digit;
  // A re-INVITE changed the media (hold: the direction; codec change).
  std::function<void(uint64_t call, const std::string& sdp_answer)> on_media_changed;
  // The call ended (BYE, CANCEL before answer, transaction timeout, our Hangup). Called once per call
  // that reached on_established or was admitted; `reason` is a short code ("bye", "cancel", "error").
  std::function<void(uint64_t call, uint64_t media_cookie, const std::string& reason)> on_ended;
};

struct SipStackOptions {
  std::string listen = "127.0.0.1:5060";  // "IP:PORT" for UDP and TCP; port 0 picks free ports
  std::string user_agent = "hotline12329";
  // Decides an INVITE (called on the SIP thread; must be thread-safe and must not block).
  std::function<std::variant<Admitted, Refusal>(const InviteRequest&)> admission;
  // Answers a re-INVITE's offer for an admitted call (SIP thread; thread-safe; must not block).
  std::function<std::variant<Admitted, Refusal>(uint64_t media_cookie, const std::string& sdp)> reoffer;
  // Called when an admitted call ends before it was established (CANCEL, no ACK), to free media.
  std::function<void(uint64_t media_cookie)> release;
};

class SipStack {
 public:
  virtual ~SipStack() = default;
  // Binds and starts the thread. Errors: `sip_listen_failed` (address in use, bad address).
  virtual Status Start() = 0;
  // Ends every call (BYE), closes the transports, joins the thread. Idempotent.
  virtual void Stop() = 0;
  virtual uint16_t udp_port() const = 0;  // the bound ports (after Start)
  virtual uint16_t tcp_port() const = 0;
  // Hangs up (BYE) an established call. Unknown or ended calls: nothing happens.
  virtual void Hangup(uint64_t call) = 0;
  virtual uint64_t calls_in_progress() const = 0;
};

// The libre implementation. libre has one global loop per process: at most one LibreSipStack may run
// at a time.
std::unique_ptr<SipStack> NewLibreSipStack(SipStackOptions options,
                                           boost::asio::any_io_executor events_executor,
                                           SipCallEvents events);

}  // namespace hotline::voice
