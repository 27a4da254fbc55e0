// voice::VoiceChannel: the runtime component that makes `hotline serve` answer the 12329 line on SIP
// (issue 13 §Signalling, §CDRs). Built by App::Serve from app::ChannelServices (the references it
// uses are passed one by one) and its Options ([sip]/[voice], docs/VOICE.md); listed after the HTTP
// server.
//
// This first cut (issue 13 part 1, step 1 and 4): signalling through voice::SipStack with the
// development admission (calls from the loopback address to a served number, for [sip]
// default_center); media is answered on one RTP port of the channel whose packets are not yet played
// or decoded (the media engine of voice/media_clock.hpp, jitter_buffer.hpp, g711.hpp, rfc4733.hpp is
// built but not yet wired to calls; docs/VOICE.md "Status").
//
// Every admitted call becomes ONE CDR through kpi::CdrRecorder when it ends: outcome `ivr`, the
// centre, caller, arrived/ended. A call is written to the voice module's own table
// `voice_calls_in_progress` when it is established; a row left there at the next Start (a crash, a
// kill -9) is closed as a `failed` CDR, so no call is lost (R-KPI). Caller digits are counted, never
// logged or published.
//
// Thread-safety: Start/Stop per runtime::Component. Calls are handled on one strand of the blocking
// executor (durable writes happen there); the SIP thread belongs to the SipStack.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/strand.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "events/event_bus.hpp"
#include "events/metrics.hpp"
#include "kpi/cdr_recorder.hpp"
#include "org/org_directory.hpp"
#include "runtime/component.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "voice/sip_stack.hpp"

namespace hotline::voice {

// The voice module's migrations (table voice_calls_in_progress). App::Open applies them.
extern const store::ModuleMigrations kVoiceMigrations;

// The live-events topic of the channel: {"type":"voice.call","state":"established|digit|ended",…}.
inline constexpr std::string_view kVoiceTopic = "voice.calls";
events::TopicSpec VoiceTopic();

struct VoiceOptions {
  // [sip] listen "IP:PORT" for UDP and TCP (port 0: free ports, logged). Empty: no voice channel.
  std::string listen;
  // [sip] default_center: the centre of calls in the development setup (no [[sip.trunks]]).
  std::string default_center;
  // [sip] called_numbers: the numbers served (default "12329").
  std::vector<std::string> called_numbers = {"12329"};
  bool enabled() const { return !listen.empty(); }
};

class VoiceChannel final : public runtime::Component {
 public:
  // REQUIRES: the references outlive the channel.
  VoiceChannel(VoiceOptions options, const Clock& clock, store::Database& db, const org::OrgDirectory& orgs,
               kpi::CdrRecorder& cdrs, events::Publisher& events, events::Metrics& metrics,
               boost::asio::any_io_executor blocking);
  ~VoiceChannel() override;

  std::string_view name() const override { return "voice"; }
  Status Start() override;
  void Stop(runtime::Deadline deadline) override;

  uint16_t sip_udp_port() const { return stack_ ? stack_->udp_port() : 0; }
  uint64_t calls_in_progress() const { return in_progress_.load(); }

  // Closes every row of voice_calls_in_progress as a `failed` CDR (done by Start; public for tests and
  // for `hotline` commands that run without the channel). Returns how many were closed.
  Result<int> CloseLeftoverCalls();

 private:
  struct Live {
    std::string call_id;
    std::string center;
    std::string caller;
    TimePoint arrived_at;
    int digits = 0;
  };
  std::variant<Admitted, Refusal> Admit(const InviteRequest& invite);
  void OnEstablished(uint64_t id, const InviteRequest& invite, const Admitted& admitted);
  void OnDigit(uint64_t id);
  void OnEnded(uint64_t id, const std::string& reason);
  void Publish(const Live& call, std::string_view state, const std::string& extra = "");

  VoiceOptions options_;
  const Clock& clock_;
  store::Database& db_;
  const org::OrgDirectory& orgs_;
  kpi::CdrRecorder& cdrs_;
  events::Publisher& events_;
  events::CounterFamily& calls_counter_;
  events::CounterFamily& digits_counter_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::io_context rtp_io_;  // owns the channel's RTP socket (not run yet: no media engine)
  boost::asio::ip::udp::socket rtp_socket_;
  std::unique_ptr<SipStack> stack_;
  std::map<uint64_t, Live> live_;  // on strand_
  std::atomic<uint64_t> in_progress_{0};
  std::atomic<uint64_t> next_call_{1};
};

}  // namespace hotline::voice
