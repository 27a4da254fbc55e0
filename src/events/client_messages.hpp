// The live channel's client protocol (docs/API.md "Live events"): what a subscriber may send over its
// connection, and what it is answered. Transport-neutral — the WebSocket /api/v1/events is one transport;
// the agents' call controls and the supervisors' live boards use the same messages.
//
//   → {"type":"subscribe","topics":["audit","workorder"],"id":7}
//   ← {"type":"ack","request":"subscribe","id":7,"topics":["audit","workorder"]}   (all topics now held)
//   → {"type":"unsubscribe","topics":["audit"]}
//   ← {"type":"ack","request":"unsubscribe","id":null,"topics":["workorder"]}
//   ← {"type":"error","request":"subscribe","id":7,"error":{"code":"forbidden_topic","message":"…"}}
//
// A message is all or nothing: on any error nothing changes. `id` (optional: an integer, or a string of
// at most 64 characters) is echoed so a client can match answers; unknown fields are ignored. Error codes
// (stable): invalid_json, invalid_message (wrong shape, a binary frame), unknown_type, unknown_topic,
// forbidden_topic, message_too_large. Every function here is thread-safe (pure, or through the bus).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "events/event_bus.hpp"

namespace hotline::events {

// Larger client messages are answered message_too_large (and discarded; the connection stays).
inline constexpr size_t kMaxClientMessageBytes = 4096;
// Most topics one message may name.
inline constexpr size_t kMaxTopicsPerMessage = 32;

// One parsed client message. A plain value.
struct ClientMessage {
  enum class Type { kSubscribe, kUnsubscribe };
  Type type = Type::kSubscribe;
  std::vector<std::string> topics;  // as sent (names not yet checked against the bus)
  nlohmann::json id;                // echoed; null when absent
};

// Parses one text message. Errors: message_too_large (over kMaxClientMessageBytes), invalid_json,
// invalid_message, unknown_type. `id_out`, when given, receives the message's id as soon as it could be
// read (so even an error about the message's shape can echo it).
Result<ClientMessage> ParseClientMessage(std::string_view bytes, nlohmann::json* id_out = nullptr);

// Applies one client message to subscriber `subscriber` of `bus` and returns the answer frame: an ack
// listing the topics now subscribed, or an error frame (nothing changed).
std::string HandleClientMessage(EventBus& bus, uint64_t subscriber, std::string_view bytes);

// The frames, for transports that find an error before parsing (an oversized or binary message).
std::string AckFrame(ClientMessage::Type request, const nlohmann::json& id,
                     const std::set<std::string>& topics);
std::string ErrorFrame(const Error& error, const nlohmann::json& id = nullptr, std::string_view request = {});
Error MessageTooLarge();
Error BinaryMessage();

std::string_view ClientMessageTypeName(ClientMessage::Type type);

}  // namespace hotline::events
