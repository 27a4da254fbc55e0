// LibreSipStack against raw SIP over loopback UDP and TCP (port 0): OPTIONS, malformed input, INVITE →
// 180/200 with the SDP answer, ACK → established, INFO digits, BYE → ended, 488 for an unknown codec,
// and the admission's 403. (The real-peer tests with baresip/SIPp/sipsak are under tests/sip/.)
#include "voice/sip_stack.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "voice/sdp.hpp"

namespace hotline::voice {
namespace {

using boost::asio::ip::udp;

constexpr std::string_view kPcmaOffer =
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\n";
constexpr std::string_view kG729Offer =
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n";

std::variant<Admitted, Refusal> Admit(const InviteRequest& req) {
  if (req.caller == "blocked") return Refusal{403, "Forbidden"};
  if (req.called != "12329") return Refusal{404, "Not Found"};
  auto offer = ParseSdp(req.sdp);
  if (!offer.ok()) return Refusal{488, "Not Acceptable Here"};
  AnswerParams params;
  params.local_address = "127.0.0.1";
  params.local_port = 30000;
  auto answer = AnswerOffer(*offer, params);
  if (!answer.ok()) return Refusal{488, "Not Acceptable Here"};
  return Admitted{"GS-LZ", answer->sdp, 7};
}

struct Fixture : ::testing::Test {
  boost::asio::io_context events;  // the "Asio side": events are polled from it
  std::vector<std::string> log;
  std::unique_ptr<SipStack> stack;
  boost::asio::io_context io;
  udp::socket sock{io, udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};

  void SetUp() override {
    SipStackOptions options;
    options.listen = "127.0.0.1:0";
    options.admission = Admit;
    options.reoffer = [](uint64_t, const std::string& sdp) {
      InviteRequest r;
      r.called = "12329";
      r.sdp = sdp;
      return Admit(r);
    };
    SipCallEvents ev;
    ev.on_established = [this](uint64_t, const InviteRequest& inv, const Admitted& adm) {
      log.push_back("established " + inv.called + " " + adm.center_code);
    };
    ev.on_info_digit = [this](uint64_t, char d) { log.push_back(std::string("digit ") + d); };
    ev.on_ended = [this](uint64_t, uint64_t cookie, const std::string& reason) {
      log.push_back("ended " + reason + " " + std::to_string(cookie));
    };
    stack = NewLibreSipStack(options, events.get_executor(), ev);
    ASSERT_TRUE(stack->Start().ok());
    ASSERT_NE(stack->udp_port(), 0);
    ASSERT_NE(stack->tcp_port(), 0);
  }
  void TearDown() override { stack->Stop(); }

  udp::endpoint Server() { return {boost::asio::ip::make_address("127.0.0.1"), stack->udp_port()}; }
  void Send(const std::string& m) { sock.send_to(boost::asio::buffer(m), Server()); }
  // The next datagram (the stack answers quickly; a generous bound keeps a broken stack from hanging).
  std::string Receive() {
    std::string buf(65536, '\0');
    sock.non_blocking(true);
    for (int i = 0; i < 500; ++i) {
      boost::system::error_code ec;
      size_t n = sock.receive(boost::asio::buffer(buf), 0, ec);
      if (!ec) return buf.substr(0, n);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return "";
  }
  // Polls the events executor until `n` events arrived (bounded).
  void WaitEvents(size_t n) {
    for (int i = 0; i < 500 && log.size() < n; ++i) {
      events.restart();
      events.poll();
      if (log.size() < n) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::string Via(const std::string& branch) {
    return "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(sock.local_endpoint().port()) +
           ";rport;branch=" + branch + "\r\n";
  }
  std::string Request(const std::string& method, const std::string& branch, const std::string& from_user,
                      const std::string& to_tag, int cseq, const std::string& call_id,
                      const std::string& ctype = "", std::string_view body = "") {
    std::string m = method + " sip:12329@127.0.0.1:" + std::to_string(stack->udp_port()) + " SIP/2.0\r\n";
    m += Via(branch);
    m += "Max-Forwards: 70\r\n";
    m += "From: <sip:" + from_user + "@127.0.0.1>;tag=abc\r\n";
    m += "To: <sip:12329@127.0.0.1>" + (to_tag.empty() ? "" : ";tag=" + to_tag) + "\r\n";
    m += "Call-ID: " + call_id + "\r\n";
    m += "CSeq: " + std::to_string(cseq) + " " + (method == "ACK" ? "ACK" : method) + "\r\n";
    m +=
        "Contact: <sip:" + from_user + "@127.0.0.1:" + std::to_string(sock.local_endpoint().port()) + ">\r\n";
    if (!ctype.empty()) m += "Content-Type: " + ctype + "\r\n";
    m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    m += body;
    return m;
  }
};

std::string ToTag(const std::string& response) {
  auto to = response.find("\r\nTo:");
  auto tag = response.find("tag=", to);
  auto end = response.find_first_of(";\r\n", tag + 4);
  return response.substr(tag + 4, end - tag - 4);
}

TEST_F(Fixture, OptionsIsAnsweredAndGarbageDoesNotStopTheServer) {
  Send(Request("OPTIONS", "z9hG4bK-o1", "probe", "", 1, "opt1"));
  EXPECT_TRUE(Receive().starts_with("SIP/2.0 200"));
  Send("\x01\x02garbage\r\n\r\n");
  Send("INVITE sip:12329@127.0.0.1 SIP/2.0\r\nContent-Length: 99999\r\n\r\nv=0");
  Send(std::string(60000, 'A'));
  Send(Request("OPTIONS", "z9hG4bK-o2", "probe", "", 2, "opt2"));
  std::string r = Receive();
  while (!r.empty() && r.find("opt2") == std::string::npos) r = Receive();  // skip any 400 to the garbage
  EXPECT_TRUE(r.starts_with("SIP/2.0 200")) << r;
}

TEST_F(Fixture, OptionsOverTcp) {
  boost::asio::ip::tcp::socket tcp(io);
  tcp.connect({boost::asio::ip::make_address("127.0.0.1"), stack->tcp_port()});
  std::string m =
      "OPTIONS sip:12329@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK-t1\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:12329@127.0.0.1>\r\n"
      "Call-ID: tcp1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  boost::asio::write(tcp, boost::asio::buffer(m));
  boost::asio::streambuf buf;
  boost::asio::read_until(tcp, buf, "\r\n\r\n");
  std::string r(boost::asio::buffers_begin(buf.data()), boost::asio::buffers_end(buf.data()));
  EXPECT_TRUE(r.starts_with("SIP/2.0 200")) << r;
}

TEST_F(Fixture, InviteIsAnsweredWithSdpThenInfoDigitAndBye) {
  Send(Request("INVITE", "z9hG4bK-i1", "13800000000", "", 1, "call1", "application/sdp", kPcmaOffer));
  std::string r = Receive();
  while (r.starts_with("SIP/2.0 1")) {
    r = Receive();
  }
  ASSERT_TRUE(r.starts_with("SIP/2.0 200")) << r;
  EXPECT_NE(r.find("m=audio 30000 RTP/AVP 8 101"), std::string::npos) << r;
  const std::string tag = ToTag(r);
  Send(Request("ACK", "z9hG4bK-a1", "13800000000", tag, 1, "call1"));
  WaitEvents(1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0], "established 12329 GS-LZ");
  EXPECT_EQ(stack->calls_in_progress(), 1u);

  Send(Request("INFO", "z9hG4bK-n1", "13800000000", tag, 2, "call1", "application/dtmf-relay",
               "Signal=5\r\nDuration=160\r\n"));
  EXPECT_TRUE(Receive().starts_with("SIP/2.0 200"));
  Send(Request("INFO", "z9hG4bK-n2", "13800000000", tag, 3, "call1", "application/dtmf", "#"));
  EXPECT_TRUE(Receive().starts_with("SIP/2.0 200"));

  // Hold: a re-INVITE with sendonly is answered recvonly.
  std::string hold(kPcmaOffer);
  hold += "a=sendonly\r\n";
  Send(Request("INVITE", "z9hG4bK-h1", "13800000000", tag, 4, "call1", "application/sdp", hold));
  r = Receive();
  while (r.starts_with("SIP/2.0 1")) r = Receive();
  ASSERT_TRUE(r.starts_with("SIP/2.0 200")) << r;
  EXPECT_NE(r.find("a=recvonly"), std::string::npos) << r;
  Send(Request("ACK", "z9hG4bK-a2", "13800000000", tag, 4, "call1"));

  Send(Request("BYE", "z9hG4bK-b1", "13800000000", tag, 5, "call1"));
  EXPECT_TRUE(Receive().starts_with("SIP/2.0 200"));
  WaitEvents(4);
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[1], "digit 5");
  EXPECT_EQ(log[2], "digit #");
  EXPECT_EQ(log[3], "ended bye 7");
  EXPECT_EQ(stack->calls_in_progress(), 0u);
}

TEST_F(Fixture, UnknownCodecIs488AndAdmissionRefusalsPassThrough) {
  Send(Request("INVITE", "z9hG4bK-x1", "13800000000", "", 1, "call2", "application/sdp", kG729Offer));
  std::string r = Receive();
  while (r.starts_with("SIP/2.0 1")) r = Receive();
  EXPECT_TRUE(r.starts_with("SIP/2.0 488")) << r;
  Send(Request("INVITE", "z9hG4bK-x2", "blocked", "", 1, "call3", "application/sdp", kPcmaOffer));
  r = Receive();
  while (r.starts_with("SIP/2.0 1")) r = Receive();
  EXPECT_TRUE(r.starts_with("SIP/2.0 403")) << r;
  EXPECT_EQ(stack->calls_in_progress(), 0u);
}

}  // namespace
}  // namespace hotline::voice
