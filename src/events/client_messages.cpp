// The client protocol of client_messages.hpp: parsing with the shared JSON readers (core/json.hpp), then
// the bus's all-or-nothing AddTopics/RemoveTopics.
#include "events/client_messages.hpp"

#include "core/json.hpp"
#include "core/text.hpp"

namespace hotline::events {
namespace {

Error InvalidMessage(std::string message) {
  return Error::InvalidArgument("invalid_message", std::move(message));
}

}  // namespace

std::string_view ClientMessageTypeName(ClientMessage::Type type) {
  return type == ClientMessage::Type::kSubscribe ? "subscribe" : "unsubscribe";
}

Error MessageTooLarge() {
  return Error{ErrorKind::kPayloadTooLarge, "message_too_large",
               "消息超过 " + std::to_string(kMaxClientMessageBytes) + " 字节上限，已忽略"};
}

Error BinaryMessage() { return InvalidMessage("消息须为 JSON 文本帧，二进制帧已忽略"); }

Result<ClientMessage> ParseClientMessage(std::string_view bytes, nlohmann::json* id_out) {
  if (bytes.size() > kMaxClientMessageBytes) return MessageTooLarge();
  HOTLINE_ASSIGN_OR_RETURN(nlohmann::json obj, ParseJsonObjectBytes(bytes, /*max_depth=*/4));
  ClientMessage m;
  if (auto it = obj.find("id"); it != obj.end() && !it->is_null()) {
    bool string_id = it->is_string() && Utf8Length(it->get_ref<const std::string&>()) <= 64 &&
                     !HasControlChars(it->get_ref<const std::string&>());
    if (!string_id && !it->is_number_integer())
      return InvalidMessage("字段 id 须为整数或不超过 64 个字符的字符串");
    m.id = *it;
    if (id_out) *id_out = m.id;
  }
  auto type = obj.find("type");
  if (type == obj.end() || !type->is_string()) return InvalidMessage("字段 type 是必填的字符串");
  const auto& name = type->get_ref<const std::string&>();
  if (name == "subscribe")
    m.type = ClientMessage::Type::kSubscribe;
  else if (name == "unsubscribe")
    m.type = ClientMessage::Type::kUnsubscribe;
  else
    return Error::InvalidArgument("unknown_type", "未知的消息类型（可用 subscribe、unsubscribe）");
  auto topics = obj.find("topics");
  if (topics == obj.end() || !topics->is_array()) return InvalidMessage("字段 topics 须为主题名的数组");
  if (topics->size() > kMaxTopicsPerMessage)
    return InvalidMessage("字段 topics 最多 " + std::to_string(kMaxTopicsPerMessage) + " 项");
  for (const auto& t : *topics) {
    if (!t.is_string()) return InvalidMessage("字段 topics 的每一项须为字符串");
    const auto& topic = t.get_ref<const std::string&>();
    // Names the bus cannot hold are unknown topics (checked by the bus); only bound the length here.
    if (topic.size() > 64) return Error::InvalidArgument("unknown_topic", "没有这个事件主题");
    m.topics.push_back(topic);
  }
  return m;
}

std::string AckFrame(ClientMessage::Type request, const nlohmann::json& id,
                     const std::set<std::string>& topics) {
  return nlohmann::json{
      {"type", "ack"}, {"request", ClientMessageTypeName(request)}, {"id", id}, {"topics", topics}}
      .dump();
}

std::string ErrorFrame(const Error& error, const nlohmann::json& id, std::string_view request) {
  return nlohmann::json{{"type", "error"},
                        {"request", request.empty() ? nlohmann::json(nullptr) : nlohmann::json(request)},
                        {"id", id},
                        {"error", {{"code", error.code}, {"message", error.message}}}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string HandleClientMessage(EventBus& bus, uint64_t subscriber, std::string_view bytes) {
  nlohmann::json id;
  auto m = ParseClientMessage(bytes, &id);
  if (!m.ok()) return ErrorFrame(m.error(), id);
  auto topics = m->type == ClientMessage::Type::kSubscribe ? bus.AddTopics(subscriber, m->topics)
                                                           : bus.RemoveTopics(subscriber, m->topics);
  if (!topics.ok()) return ErrorFrame(topics.error(), m->id, ClientMessageTypeName(m->type));
  return AckFrame(m->type, m->id, *topics);
}

}  // namespace hotline::events
