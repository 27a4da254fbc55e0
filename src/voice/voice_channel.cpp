#include "voice/voice_channel.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <future>
#include <nlohmann/json.hpp>

#include "voice/sdp.hpp"

namespace hotline::voice {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "voice_calls_in_progress: calls written when established, closed as failed CDRs after a crash", R"sql(
CREATE TABLE voice_calls_in_progress (
  call_id TEXT PRIMARY KEY,
  center TEXT NOT NULL,
  caller TEXT NOT NULL,
  arrived_at BIGINT NOT NULL
);
)sql"},
};

bool IsLoopback(const std::string& ip) { return ip.rfind("127.", 0) == 0 || ip == "::1"; }

std::string HostOf(const std::string& listen) {
  if (!listen.empty() && listen[0] == '[') return listen.substr(1, listen.find(']') - 1);
  return listen.substr(0, listen.rfind(':'));
}

}  // namespace

const store::ModuleMigrations kVoiceMigrations = {"voice", kMigrations};

events::TopicSpec VoiceTopic() {
  return {std::string(kVoiceTopic), "kpi.read", "voice calls: established, digit counts, ended (no digits)"};
}

VoiceChannel::VoiceChannel(VoiceOptions options, const Clock& clock, store::Database& db,
                           const org::OrgDirectory& orgs, kpi::CdrRecorder& cdrs, events::Publisher& events,
                           events::Metrics& metrics, boost::asio::any_io_executor blocking)
    : options_(std::move(options)),
      clock_(clock),
      db_(db),
      orgs_(orgs),
      cdrs_(cdrs),
      events_(events),
      calls_counter_(metrics.Counter(
          "hotline_voice_calls_total",
          "Inbound SIP calls by event (admitted, refused, ended, failed_at_start).", {"event"})),
      digits_counter_(
          metrics.Counter("hotline_voice_digits_total", "Caller digits received, by source.", {"source"})),
      strand_(boost::asio::make_strand(std::move(blocking))),
      rtp_socket_(rtp_io_) {}

VoiceChannel::~VoiceChannel() { Stop(runtime::Deadline::clock::now()); }

Result<int> VoiceChannel::CloseLeftoverCalls() {
  HOTLINE_ASSIGN_OR_RETURN(
      auto rows, db_.Query("SELECT call_id, center, caller, arrived_at FROM voice_calls_in_progress"));
  int closed = 0;
  for (const auto& row : rows.rows) {
    kpi::Cdr cdr;
    cdr.call_id = row[0].AsText();
    cdr.center = row[1].AsText();
    cdr.caller = row[2].AsText();
    cdr.arrived_at = FromEpochMillis(row[3].AsInt());
    cdr.ended_at = cdr.arrived_at;  // when it really ended is unknown: the crash lost it
    cdr.outcome = kpi::Outcome::kFailed;
    auto recorded = cdrs_.Record(cdr);
    if (!recorded.ok()) {
      spdlog::error("voice: call {} left in progress could not be closed: {}", cdr.call_id,
                    recorded.error().message);
      continue;  // kept in the table: tried again at the next start
    }
    HOTLINE_RETURN_IF_ERROR(
        db_.Query("DELETE FROM voice_calls_in_progress WHERE call_id = $1", {cdr.call_id}));
    calls_counter_.Add({"failed_at_start"});
    ++closed;
  }
  return closed;
}

Status VoiceChannel::Start() {
  HOTLINE_ASSIGN_OR_RETURN(int closed, CloseLeftoverCalls());
  if (closed > 0) spdlog::warn("voice: {} call(s) in progress at the last stop closed as failed", closed);
  boost::system::error_code ec;
  const std::string host = HostOf(options_.listen);
  auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return Error::InvalidArgument("invalid_config", "[sip] listen: not an IP address: " + host);
  rtp_socket_.open(address.is_v6() ? boost::asio::ip::udp::v6() : boost::asio::ip::udp::v4(), ec);
  if (!ec) rtp_socket_.bind({address, 0}, ec);
  if (ec) return Error{ErrorKind::kUnavailable, "rtp_bind_failed", "RTP 端口绑定失败: " + ec.message()};

  SipStackOptions so;
  so.listen = options_.listen;
  so.admission = [this](const InviteRequest& r) { return Admit(r); };
  so.reoffer = [this](uint64_t, const std::string& sdp) {
    InviteRequest r;
    r.source_ip = "127.0.0.1";
    r.called = options_.called_numbers.empty() ? "" : options_.called_numbers.front();
    r.sdp = sdp;
    return Admit(r);
  };
  SipCallEvents ev;
  ev.on_established = [this](uint64_t id, const InviteRequest& inv, const Admitted& adm) {
    OnEstablished(id, inv, adm);
  };
  ev.on_info_digit = [this](uint64_t id, char) { OnDigit(id); };
  ev.on_ended = [this](uint64_t id, uint64_t, const std::string& reason) { OnEnded(id, reason); };
  stack_ = NewLibreSipStack(std::move(so), strand_, std::move(ev));
  if (auto st = stack_->Start(); !st.ok()) {
    stack_.reset();
    return st;
  }
  spdlog::info("voice: SIP on {} (udp port {}, tcp port {}), RTP port {}, centre {}", host,
               stack_->udp_port(), stack_->tcp_port(), rtp_socket_.local_endpoint().port(),
               options_.default_center);
  return OkStatus();
}

void VoiceChannel::Stop(runtime::Deadline deadline) {
  if (!stack_) return;
  stack_->Stop();  // BYE to every call; their on_ended are queued on strand_
  // Wait for the queued ends (durable CDRs) until the deadline.
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  boost::asio::post(strand_, [done] { done->set_value(); });
  if (future.wait_until(deadline) != std::future_status::ready) {
    spdlog::warn("voice: stop deadline passed with call ends still queued (their rows stay in progress)");
  }
  stack_.reset();
}

std::variant<Admitted, Refusal> VoiceChannel::Admit(const InviteRequest& r) {
  // Development admission: loopback callers to a served number, for default_center. ([[sip.trunks]]
  // with allowed sources, numbers, codec preference and area-code centres: docs/VOICE.md "Status".)
  if (!IsLoopback(r.source_ip)) {
    calls_counter_.Add({"refused"});
    return Refusal{403, "Forbidden"};
  }
  bool served = false;
  for (const auto& n : options_.called_numbers) served = served || n == r.called;
  if (!served) {
    calls_counter_.Add({"refused"});
    return Refusal{404, "Not Found"};
  }
  auto offer = ParseSdp(r.sdp);
  if (!offer.ok()) {
    calls_counter_.Add({"refused"});
    return Refusal{488, "Not Acceptable Here"};
  }
  AnswerParams params;
  boost::system::error_code ec;
  auto local = rtp_socket_.local_endpoint(ec);
  params.local_address = local.address().to_string();
  params.local_port = local.port();
  params.session_id = ToEpochMillis(clock_.Now());
  params.session_version = next_call_.load();
  auto answer = AnswerOffer(*offer, params);
  if (!answer.ok()) {
    calls_counter_.Add({"refused"});
    return Refusal{488, "Not Acceptable Here"};
  }
  calls_counter_.Add({"admitted"});
  return Admitted{options_.default_center, answer->sdp, next_call_.fetch_add(1)};
}

void VoiceChannel::OnEstablished(uint64_t id, const InviteRequest& invite, const Admitted& admitted) {
  Live call;
  call.call_id = fmt::format("sip-{}-{}", ToEpochMillis(clock_.Now()), admitted.media_cookie);
  call.center = admitted.center_code;
  call.caller = invite.caller;
  call.arrived_at = clock_.Now();
  auto st = db_.Query(
      "INSERT INTO voice_calls_in_progress (call_id, center, caller, arrived_at) VALUES ($1,$2,$3,$4)",
      {call.call_id, call.center, call.caller, ToEpochMillis(call.arrived_at)});
  if (!st.ok())
    spdlog::error("voice: call {} not written as in progress: {}", call.call_id, st.error().message);
  in_progress_.fetch_add(1);
  spdlog::info("voice: call {} established for {} over {}", call.call_id, call.center, invite.transport);
  Publish(call, "established");
  live_.emplace(id, std::move(call));
}

void VoiceChannel::OnDigit(uint64_t id) {
  auto it = live_.find(id);
  if (it == live_.end()) return;
  ++it->second.digits;  // the digit itself is never logged nor published (it may be a password)
  digits_counter_.Add({"sip_info"});
  Publish(it->second, "digit", fmt::format(",\"digits\":{}", it->second.digits));
}

void VoiceChannel::OnEnded(uint64_t id, const std::string& reason) {
  auto it = live_.find(id);
  if (it == live_.end()) return;  // ended before it was established: no CDR of ours (not counted)
  Live call = std::move(it->second);
  live_.erase(it);
  kpi::Cdr cdr;
  cdr.call_id = call.call_id;
  cdr.center = call.center;
  cdr.caller = call.caller;
  cdr.arrived_at = call.arrived_at;
  cdr.ended_at = std::max(clock_.Now(), call.arrived_at);
  cdr.outcome = kpi::Outcome::kIvr;
  auto recorded = cdrs_.Record(cdr);
  if (recorded.ok()) {
    (void)db_.Query("DELETE FROM voice_calls_in_progress WHERE call_id = $1", {call.call_id});
  } else {
    // The row stays: the next start closes it as failed.
    spdlog::error("voice: CDR of call {} not stored: {}", call.call_id, recorded.error().message);
  }
  in_progress_.fetch_sub(1);
  calls_counter_.Add({"ended"});
  spdlog::info("voice: call {} ended ({}), {} digit(s)", call.call_id, reason, call.digits);
  Publish(call, "ended", fmt::format(",\"reason\":\"{}\"", reason));
}

void VoiceChannel::Publish(const Live& call, std::string_view state, const std::string& extra) {
  std::string path = "/";
  if (auto org = orgs_.FindByCode(call.center); org.ok()) path = org->path;
  events_.Publish(
      {.topic = std::string(kVoiceTopic),
       .org_path = path,
       .permission = "",
       .json = fmt::format(R"({{"type":"voice.call","state":"{}","call_id":"{}","center":"{}"{}}})", state,
                           call.call_id, call.center, extra)});
}

}  // namespace hotline::voice
