// LibreSipStack: voice::SipStack on libre (Debian libre 1.1). libre's loop (re_main) runs on the
// stack's own thread; every libre object is created, used and freed there. The Asio side reaches it
// only through an mqueue (mqueue_push is libre's thread-safe entry), and hears from it only through
// boost::asio::post to the events executor (issue 13 §Signalling).
#include <re.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <future>
#include <map>
#include <thread>

#include "voice/sip_stack.hpp"

namespace hotline::voice {
namespace {

std::string Str(const pl& p) { return p.p ? std::string(p.p, p.l) : std::string(); }

constexpr const char* kAllow = "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE\r\n";

// A digit from an INFO body: application/dtmf-relay ("Signal=5\r\nDuration=160") or application/dtmf
// ("5"). '\0' when the body holds no DTMF key.
char DigitFromInfo(const sip_msg* msg) {
  std::string body;
  if (msg->mb) body.assign(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
  std::string value;
  if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf-relay")) {
    auto pos = body.find("Signal=");
    if (pos == std::string::npos) pos = body.find("signal=");
    if (pos == std::string::npos) return '\0';
    value = body.substr(pos + 7);
  } else if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf")) {
    value = body;
  } else {
    return '\0';
  }
  size_t i = 0;
  while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
  if (i >= value.size()) return '\0';
  char c = value[i];
  if ((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) return c;
  if (c >= 'a' && c <= 'd') return static_cast<char>(c - 'a' + 'A');
  // RFC 4733 event numbers 10/11 written as numbers ("Signal=10"/"11").
  if (value.compare(i, 2, "10") == 0) return '*';
  if (value.compare(i, 2, "11") == 0) return '#';
  return '\0';
}

class LibreSipStack final : public SipStack {
 public:
  LibreSipStack(SipStackOptions options, boost::asio::any_io_executor executor, SipCallEvents events)
      : options_(std::move(options)), executor_(std::move(executor)), events_(std::move(events)) {}
  ~LibreSipStack() override { Stop(); }

  Status Start() override {
    if (thread_.joinable()) return OkStatus();
    std::promise<Status> started;
    auto ready = started.get_future();
    thread_ = std::thread([this, &started] { Run(started); });
    Status st = ready.get();
    if (!st.ok()) thread_.join();
    return st;
  }

  void Stop() override {
    if (!thread_.joinable()) return;
    Push([this] {
      stopping_ = true;
      if (sock_) sipsess_close_all(sock_);
      sessions_.clear();
      if (sip_) sip_close(sip_, false);
      re_cancel();
    });
    thread_.join();
  }

  uint16_t udp_port() const override { return udp_port_.load(); }
  uint16_t tcp_port() const override { return tcp_port_.load(); }
  uint64_t calls_in_progress() const override { return in_progress_.load(); }

  void Hangup(uint64_t call) override {
    Push([this, call] {
      auto it = sessions_.find(call);
      if (it == sessions_.end()) return;
      auto session = std::move(it->second);
      sessions_.erase(it);
      End(*session, "hangup");
    });
  }

 private:
  struct Session {
    LibreSipStack* stack = nullptr;
    uint64_t id = 0;
    sipsess* sess = nullptr;
    InviteRequest invite;
    Admitted admitted;
    bool established = false;
    ~Session() { mem_deref(sess); }  // sends BYE/CANCEL reply as libre sees fit
  };

  void Push(std::function<void()> fn) {
    if (!mq_) return;
    auto* heap = new std::function<void()>(std::move(fn));
    if (mqueue_push(mq_, 0, heap) != 0) delete heap;
  }

  static void OnCommand(int, void* data, void*) {
    std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(data));
    (*fn)();
  }

  void Run(std::promise<Status>& started) {
    auto fail = [&](const std::string& what, int err) {
      spdlog::error("voice: SIP stack: {} ({})", what, std::strerror(err));
      Cleanup();
      started.set_value(Error{ErrorKind::kUnavailable, "sip_listen_failed",
                              "SIP 监听失败: " + what + " (" + std::strerror(err) + ")"});
    };
    int err = libre_init();
    if (err) return started.set_value(Error{ErrorKind::kInternal, "sip_listen_failed", "libre_init failed"});
    fd_setsize(65536);
    sa laddr;
    if ((err = sa_decode(&laddr, options_.listen.data(), options_.listen.size())) != 0) {
      return fail("bad [sip] listen address", err);
    }
    if ((err = mqueue_alloc(&mq_raw_, &LibreSipStack::OnCommand, this)) != 0) return fail("mqueue", err);
    // No DNS client: the stack only answers (replies go to Via/rport, in-dialog requests to the
    // Contact's IP literal, as trunks and our own tests send them).
    if ((err = sip_alloc(&sip_, nullptr, 32, 32, 32, options_.user_agent.c_str(), nullptr, nullptr)) != 0) {
      return fail("sip_alloc", err);
    }
    if ((err = sip_transp_add(sip_, SIP_TRANSP_UDP, &laddr)) != 0) return fail("UDP " + options_.listen, err);
    if ((err = sip_transp_add(sip_, SIP_TRANSP_TCP, &laddr)) != 0) return fail("TCP " + options_.listen, err);
    sa bound;
    if (sip_transp_laddr(sip_, &bound, SIP_TRANSP_UDP, &laddr) == 0) udp_port_ = sa_port(&bound);
    if (sip_transp_laddr(sip_, &bound, SIP_TRANSP_TCP, &laddr) == 0) tcp_port_ = sa_port(&bound);
    if ((err = sip_listen(&lsnr_, sip_, true, &LibreSipStack::OnRequest, this)) != 0)
      return fail("sip_listen", err);
    if ((err = sipsess_listen(&sock_, sip_, 32, &LibreSipStack::OnConnect, this)) != 0) {
      return fail("sipsess_listen", err);
    }
    mq_ = mq_raw_;
    started.set_value(OkStatus());
    re_main(nullptr);
    Cleanup();
  }

  void Cleanup() {
    sessions_.clear();
    mq_ = nullptr;
    sock_ = static_cast<sipsess_sock*>(mem_deref(sock_));
    lsnr_ = static_cast<sip_lsnr*>(mem_deref(lsnr_));
    sip_ = static_cast<sip*>(mem_deref(sip_));
    mq_raw_ = static_cast<mqueue*>(mem_deref(mq_raw_));
    libre_close();
  }

  // Requests outside sessions that are not INVITE: OPTIONS → 200. Others fall through to libre
  // (sipsess takes INVITE; anything else gets libre's 501/481).
  static bool OnRequest(const sip_msg* msg, void* arg) {
    auto* self = static_cast<LibreSipStack*>(arg);
    if (pl_strcmp(&msg->met, "OPTIONS") != 0) return false;
    (void)sip_treplyf(nullptr, nullptr, self->sip_, msg, false, 200, "OK",
                      "%sAccept: application/sdp\r\nContent-Length: 0\r\n\r\n", kAllow);
    return true;
  }

  static void OnConnect(const sip_msg* msg, void* arg) { static_cast<LibreSipStack*>(arg)->Invite(msg); }

  void Invite(const sip_msg* msg) {
    if (stopping_) {
      (void)sip_treply(nullptr, sip_, msg, 503, "Service Unavailable");
      return;
    }
    auto session = std::make_unique<Session>();
    session->stack = this;
    session->id = next_id_++;
    InviteRequest& req = session->invite;
    char ip[64] = {0};
    sa_ntop(&msg->src, ip, sizeof(ip));
    req.source_ip = ip;
    req.source_port = sa_port(&msg->src);
    req.transport = msg->tp == SIP_TRANSP_TCP ? "tcp" : "udp";
    req.caller = Str(msg->from.uri.user);
    req.called = Str(msg->uri.user);
    if (msg->mb && msg_ctype_cmp(&msg->ctyp, "application", "sdp")) {
      req.sdp.assign(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
    }
    std::variant<Admitted, Refusal> decision = Refusal{488, "Not Acceptable Here"};
    if (options_.admission) decision = options_.admission(req);
    if (auto* refusal = std::get_if<Refusal>(&decision)) {
      (void)sip_treply(nullptr, sip_, msg, refusal->status, refusal->reason.c_str());
      return;
    }
    session->admitted = std::get<Admitted>(decision);
    int err = sipsess_accept(&session->sess, sock_, msg, 180, "Ringing", "hotline", "application/sdp",
                             nullptr, nullptr, nullptr, false, &LibreSipStack::OnOffer,
                             &LibreSipStack::OnAnswer, &LibreSipStack::OnEstablished, &LibreSipStack::OnInfo,
                             nullptr, &LibreSipStack::OnClose, session.get(), "%s", kAllow);
    if (err) {
      spdlog::warn("voice: sipsess_accept failed ({})", std::strerror(err));
      (void)sip_treply(nullptr, sip_, msg, 500, "Server Internal Error");
      if (options_.release) options_.release(session->admitted.media_cookie);
      return;
    }
    mbuf* desc = mbuf_alloc(session->admitted.sdp_answer.size() + 1);
    mbuf_write_str(desc, session->admitted.sdp_answer.c_str());
    mbuf_set_pos(desc, 0);
    err = sipsess_answer(session->sess, 200, "OK", desc, "%s", kAllow);
    mem_deref(desc);
    if (err) {
      spdlog::warn("voice: sipsess_answer failed ({})", std::strerror(err));
      if (options_.release) options_.release(session->admitted.media_cookie);
      return;  // ~Session frees the sipsess
    }
    in_progress_.fetch_add(1);
    sessions_.emplace(session->id, std::move(session));
  }

  // re-INVITE / UPDATE with an offer (hold, codec change).
  static int OnOffer(mbuf** descp, const sip_msg* msg, void* arg) {
    auto* s = static_cast<Session*>(arg);
    auto* self = s->stack;
    std::string sdp;
    if (msg->mb) sdp.assign(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
    if (!self->options_.reoffer) return EPROTO;
    auto decision = self->options_.reoffer(s->admitted.media_cookie, sdp);
    if (std::holds_alternative<Refusal>(decision)) return EPROTO;  // libre answers 488
    const std::string answer = std::get<Admitted>(decision).sdp_answer;
    mbuf* desc = mbuf_alloc(answer.size() + 1);
    if (!desc) return ENOMEM;
    mbuf_write_str(desc, answer.c_str());
    mbuf_set_pos(desc, 0);
    *descp = desc;
    if (self->events_.on_media_changed) {
      boost::asio::post(self->executor_,
                        [cb = self->events_.on_media_changed, id = s->id, answer] { cb(id, answer); });
    }
    return 0;
  }

  static int OnAnswer(const sip_msg*, void*) { return 0; }  // we never send offers

  static void OnEstablished(const sip_msg*, void* arg) {
    auto* s = static_cast<Session*>(arg);
    s->established = true;
    if (s->stack->events_.on_established) {
      boost::asio::post(s->stack->executor_, [cb = s->stack->events_.on_established, id = s->id,
                                              inv = s->invite, adm = s->admitted] { cb(id, inv, adm); });
    }
  }

  static void OnInfo(struct sip* sip, const sip_msg* msg, void* arg) {
    auto* s = static_cast<Session*>(arg);
    const char digit = DigitFromInfo(msg);
    if (digit == '\0') {
      (void)sip_reply(sip, msg, 415, "Unsupported Media Type");
      return;
    }
    (void)sip_reply(sip, msg, 200, "OK");
    if (s->stack->events_.on_info_digit) {
      boost::asio::post(s->stack->executor_,
                        [cb = s->stack->events_.on_info_digit, id = s->id, digit] { cb(id, digit); });
    }
  }

  static void OnClose(int err, const sip_msg* msg, void* arg) {
    auto* s = static_cast<Session*>(arg);
    auto* self = s->stack;
    // libre reports both a BYE and a CANCEL as ECONNRESET without a message: the dialog state tells them
    // apart (a CANCEL can only end a call that was never acknowledged).
    (void)msg;
    const char* reason = err == ECONNRESET ? (s->established ? "bye" : "cancel") : "error";
    auto it = self->sessions_.find(s->id);
    if (it == self->sessions_.end()) return;
    auto session = std::move(it->second);
    self->sessions_.erase(it);
    self->End(*session, reason);
  }

  // REQUIRES: the session was removed from sessions_. Reports the end once and frees the sipsess
  // (which sends BYE when the dialog is still up).
  void End(Session& s, const std::string& reason) {
    in_progress_.fetch_sub(1);
    if (!s.established && options_.release) options_.release(s.admitted.media_cookie);
    if (events_.on_ended) {
      boost::asio::post(executor_, [cb = events_.on_ended, id = s.id, cookie = s.admitted.media_cookie,
                                    reason] { cb(id, cookie, reason); });
    }
  }

  SipStackOptions options_;
  boost::asio::any_io_executor executor_;
  SipCallEvents events_;
  std::thread thread_;
  std::atomic<uint16_t> udp_port_{0};
  std::atomic<uint16_t> tcp_port_{0};
  std::atomic<uint64_t> in_progress_{0};
  std::atomic<mqueue*> mq_{nullptr};
  // SIP thread only:
  mqueue* mq_raw_ = nullptr;
  struct sip* sip_ = nullptr;
  sip_lsnr* lsnr_ = nullptr;
  sipsess_sock* sock_ = nullptr;
  std::map<uint64_t, std::unique_ptr<Session>> sessions_;
  uint64_t next_id_ = 1;
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<SipStack> NewLibreSipStack(SipStackOptions options,
                                           boost::asio::any_io_executor events_executor,
                                           SipCallEvents events) {
  return std::make_unique<LibreSipStack>(std::move(options), std::move(events_executor), std::move(events));
}

}  // namespace hotline::voice
