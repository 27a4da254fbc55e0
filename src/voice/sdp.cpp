#include "voice/sdp.hpp"

#include <fmt/format.h>

#include <charconv>

namespace hotline::voice {
namespace {

Error Malformed(std::string why) { return Error::InvalidArgument("sdp_malformed", "SDP 格式错误: " + why); }

bool ParseInt(std::string_view s, int lo, int hi, int* out) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    auto pos = s.find(sep);
    auto part = s.substr(0, pos);
    if (!part.empty()) out.push_back(part);
    if (pos == std::string_view::npos) break;
    s.remove_prefix(pos + 1);
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// "IN IP4 192.0.2.1" → the address (IP4 or IP6 only).
bool ParseConnection(std::string_view value, std::string* address) {
  auto parts = Split(value, ' ');
  if (parts.size() < 3 || parts[0] != "IN" || (parts[1] != "IP4" && parts[1] != "IP6")) return false;
  auto addr = parts[2];
  if (auto slash = addr.find('/'); slash != std::string_view::npos) addr = addr.substr(0, slash);
  if (addr.empty() || addr.size() > 64) return false;
  *address = std::string(addr);
  return true;
}

bool ParseDirection(std::string_view attr, MediaDirection* d) {
  if (attr == "sendrecv")
    *d = MediaDirection::kSendRecv;
  else if (attr == "sendonly")
    *d = MediaDirection::kSendOnly;
  else if (attr == "recvonly")
    *d = MediaDirection::kRecvOnly;
  else if (attr == "inactive")
    *d = MediaDirection::kInactive;
  else
    return false;
  return true;
}

MediaDirection Mirror(MediaDirection d) {
  switch (d) {
    case MediaDirection::kSendOnly:
      return MediaDirection::kRecvOnly;
    case MediaDirection::kRecvOnly:
      return MediaDirection::kSendOnly;
    default:
      return d;
  }
}

}  // namespace

std::string_view MediaDirectionName(MediaDirection d) {
  switch (d) {
    case MediaDirection::kSendRecv:
      return "sendrecv";
    case MediaDirection::kSendOnly:
      return "sendonly";
    case MediaDirection::kRecvOnly:
      return "recvonly";
    case MediaDirection::kInactive:
      return "inactive";
  }
  return "sendrecv";
}

Result<SessionDescription> ParseSdp(std::string_view text) {
  if (text.size() > kMaxSdpBytes) {
    return Error{ErrorKind::kPayloadTooLarge, "sdp_too_large", "SDP 超过 16 KiB"};
  }
  SessionDescription sd;
  MediaDirection session_direction = MediaDirection::kSendRecv;
  bool saw_version = false;
  int lines = 0;
  SdpMedia* current = nullptr;
  std::vector<bool> media_has_direction;
  while (!text.empty()) {
    auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (++lines > kMaxSdpLines) return Malformed("too many lines");
    if (line.size() < 2 || line[1] != '=') return Malformed("a line is not type=value");
    const char type = line[0];
    std::string_view value = line.substr(2);
    switch (type) {
      case 'v':
        if (value != "0") return Malformed("version is not 0");
        saw_version = true;
        break;
      case 'o': {
        auto parts = Split(value, ' ');
        if (parts.size() != 6) return Malformed("o= needs six fields");
        sd.origin_address = std::string(parts[5].substr(0, 64));
        break;
      }
      case 'c': {
        std::string address;
        if (!ParseConnection(value, &address)) return Malformed("c= is not IN IP4/IP6 address");
        (current ? current->connection_address : sd.connection_address) = address;
        break;
      }
      case 'm': {
        auto parts = Split(value, ' ');
        if (parts.size() < 3) return Malformed("m= needs media, port and protocol");
        if (sd.media.size() >= 16) return Malformed("too many media streams");
        SdpMedia m;
        m.type = std::string(parts[0].substr(0, 32));
        auto port_text = parts[1];
        if (auto slash = port_text.find('/'); slash != std::string_view::npos)
          port_text = port_text.substr(0, slash);
        int port = 0;
        if (!ParseInt(port_text, 0, 65535, &port)) return Malformed("m= port out of range");
        m.port = static_cast<uint16_t>(port);
        m.protocol = std::string(parts[2].substr(0, 32));
        for (size_t i = 3; i < parts.size(); ++i) {
          int pt = 0;
          if (m.protocol.starts_with("RTP/")) {
            if (!ParseInt(parts[i], 0, 127, &pt)) return Malformed("m= payload type out of range");
            if (m.payload_types.size() >= 64) return Malformed("too many payload types");
            m.payload_types.push_back(pt);
            m.formats.push_back(SdpFormat{pt, "", 0});
          }
        }
        sd.media.push_back(std::move(m));
        media_has_direction.push_back(false);
        current = &sd.media.back();
        break;
      }
      case 'a': {
        MediaDirection d;
        if (ParseDirection(value, &d)) {
          if (current) {
            current->direction = d;
            media_has_direction.back() = true;
          } else {
            session_direction = d;
          }
        } else if (value.starts_with("rtpmap:") && current) {
          auto rest = value.substr(7);
          auto space = rest.find(' ');
          if (space == std::string_view::npos) return Malformed("rtpmap without encoding");
          int pt = 0;
          if (!ParseInt(rest.substr(0, space), 0, 127, &pt)) return Malformed("rtpmap payload type");
          auto enc = Split(rest.substr(space + 1), '/');
          if (enc.size() < 2) return Malformed("rtpmap without clock rate");
          int rate = 0;
          if (!ParseInt(enc[1], 1, 1000000, &rate)) return Malformed("rtpmap clock rate");
          for (auto& f : current->formats) {
            if (f.payload_type == pt) {
              f.encoding = Upper(enc[0].substr(0, 32));
              f.clock_rate = rate;
            }
          }
        } else if (value.starts_with("ptime:") && current) {
          int ptime = 0;
          if (!ParseInt(value.substr(6), 1, 1000, &ptime)) return Malformed("ptime out of range");
          current->ptime = ptime;
        }
        break;
      }
      default:
        break;  // s=, t=, b=, k=, … are not needed for the answer
    }
  }
  if (!saw_version) return Malformed("no v=0 line");
  for (size_t i = 0; i < sd.media.size(); ++i) {
    auto& m = sd.media[i];
    if (m.connection_address.empty()) m.connection_address = sd.connection_address;
    if (!media_has_direction[i]) m.direction = session_direction;
    // Static payload types without rtpmap (RFC 3551).
    for (auto& f : m.formats) {
      if (!f.encoding.empty()) continue;
      if (f.payload_type == 0) f = SdpFormat{0, "PCMU", 8000};
      if (f.payload_type == 8) f = SdpFormat{8, "PCMA", 8000};
    }
  }
  return sd;
}

Result<AudioAnswer> AnswerOffer(const SessionDescription& offer, const AnswerParams& params) {
  const SdpMedia* audio = nullptr;
  for (const auto& m : offer.media) {
    if (m.type == "audio" && m.port != 0 && m.protocol == "RTP/AVP") {
      audio = &m;
      break;
    }
  }
  const Error no_codec = Error::InvalidArgument("no_common_codec", "对方未提供 PCMA/PCMU 8 kHz 音频");
  if (audio == nullptr) return no_codec;
  AudioAnswer answer;
  bool found = false;
  for (G711Law law : params.codec_preference) {
    const std::string_view name = law == G711Law::kAlaw ? "PCMA" : "PCMU";
    for (const auto& f : audio->formats) {
      if (f.encoding == name && f.clock_rate == 8000) {
        answer.law = law;
        answer.payload_type = f.payload_type;
        found = true;
        break;
      }
    }
    if (found) break;
  }
  if (!found) return no_codec;
  for (const auto& f : audio->formats) {
    if (f.encoding == "TELEPHONE-EVENT" && f.clock_rate == 8000) {
      answer.telephone_event_pt = f.payload_type;
      break;
    }
  }
  if (audio->connection_address.empty()) return Malformed("no connection address for the audio stream");
  answer.remote_address = audio->connection_address;
  answer.remote_port = audio->port;
  answer.local_direction = Mirror(audio->direction);
  const bool v6 = params.local_address.find(':') != std::string::npos;
  const char* family = v6 ? "IP6" : "IP4";
  std::string sdp;
  sdp += "v=0\r\n";
  sdp += fmt::format("o=hotline {} {} IN {} {}\r\n", params.session_id, params.session_version, family,
                     params.local_address);
  sdp += "s=hotline12329\r\n";
  sdp += fmt::format("c=IN {} {}\r\n", family, params.local_address);
  sdp += "t=0 0\r\n";
  for (const auto& m : offer.media) {
    if (&m != audio) {
      // Refused stream (RFC 3264 §6): same media and protocol, port 0, the offered formats.
      std::string fmts;
      for (int pt : m.payload_types) fmts += fmt::format(" {}", pt);
      if (fmts.empty()) fmts = " 0";
      sdp += fmt::format("m={} 0 {}{}\r\n", m.type, m.protocol, fmts);
      continue;
    }
    const std::string_view codec = answer.law == G711Law::kAlaw ? "PCMA" : "PCMU";
    if (answer.telephone_event_pt >= 0) {
      sdp += fmt::format("m=audio {} RTP/AVP {} {}\r\n", params.local_port, answer.payload_type,
                         answer.telephone_event_pt);
    } else {
      sdp += fmt::format("m=audio {} RTP/AVP {}\r\n", params.local_port, answer.payload_type);
    }
    sdp += fmt::format("a=rtpmap:{} {}/8000\r\n", answer.payload_type, codec);
    if (answer.telephone_event_pt >= 0) {
      sdp += fmt::format("a=rtpmap:{} telephone-event/8000\r\n", answer.telephone_event_pt);
      sdp += fmt::format("a=fmtp:{} 0-15\r\n", answer.telephone_event_pt);
    }
    sdp += "a=ptime:20\r\n";
    sdp += fmt::format("a={}\r\n", MediaDirectionName(answer.local_direction));
  }
  answer.sdp = std::move(sdp);
  return answer;
}

}  // namespace hotline::voice
