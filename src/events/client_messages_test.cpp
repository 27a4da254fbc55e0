// The live channel's client protocol: parsing, and applying messages to a subscriber (ack listing the
// topics now held; error frames with stable codes; nothing changes on an error).
#include "events/client_messages.hpp"

#include <gtest/gtest.h>

namespace hotline::events {
namespace {

using nlohmann::json;

TEST(ParseClientMessageTest, Accepts) {
  auto m = ParseClientMessage(R"({"type":"subscribe","topics":["audit","workorder"],"id":7,"extra":true})");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->type, ClientMessage::Type::kSubscribe);
  EXPECT_EQ(m->topics, (std::vector<std::string>{"audit", "workorder"}));
  EXPECT_EQ(m->id, json(7));
  m = ParseClientMessage(R"({"type":"unsubscribe","topics":[],"id":"x-1"})");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type, ClientMessage::Type::kUnsubscribe);
  EXPECT_TRUE(m->topics.empty());
  EXPECT_EQ(m->id, json("x-1"));
  m = ParseClientMessage(R"({"type":"subscribe","topics":["call"]})");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->id.is_null());
}

TEST(ParseClientMessageTest, RefusesWithStableCodes) {
  auto code = [](std::string_view bytes) {
    auto m = ParseClientMessage(bytes);
    return m.ok() ? std::string("ok") : m.error().code;
  };
  EXPECT_EQ(code("not json"), "invalid_json");
  EXPECT_EQ(code("[1,2]"), "invalid_json");
  EXPECT_EQ(code(""), "invalid_json");
  EXPECT_EQ(code("{\"type\":\"subscribe\",\"topics\":[\"\xc0\xaf\"]}"), "invalid_json");  // bad UTF-8
  EXPECT_EQ(code(R"({"type":"subscribe","topics":[[[[[["a"]]]]]]})"), "invalid_json");    // too deep
  EXPECT_EQ(code(R"({"topics":["audit"]})"), "invalid_message");
  EXPECT_EQ(code(R"({"type":3,"topics":["audit"]})"), "invalid_message");
  EXPECT_EQ(code(R"({"type":"ping"})"), "unknown_type");
  EXPECT_EQ(code(R"({"type":"Subscribe","topics":[]})"), "unknown_type");
  EXPECT_EQ(code(R"({"type":"subscribe"})"), "invalid_message");
  EXPECT_EQ(code(R"({"type":"subscribe","topics":"audit"})"), "invalid_message");
  EXPECT_EQ(code(R"({"type":"subscribe","topics":[1]})"), "invalid_message");
  EXPECT_EQ(code(R"({"type":"subscribe","topics":[],"id":{"a":1}})"), "invalid_message");
  EXPECT_EQ(code(R"({"type":"subscribe","topics":[],"id":")" + std::string(65, 'x') + "\"}"),
            "invalid_message");
  std::string many = R"({"type":"subscribe","topics":[)";
  for (int i = 0; i < 33; ++i) many += std::string(i ? "," : "") + "\"audit\"";
  EXPECT_EQ(code(many + "]}"), "invalid_message");
  EXPECT_EQ(code(R"({"type":"subscribe","topics":[")" + std::string(100, 'a') + "\"]}"), "unknown_topic");
  std::string big =
      R"({"type":"subscribe","topics":[],"pad":")" + std::string(kMaxClientMessageBytes, 'x') + "\"}";
  EXPECT_EQ(code(big), "message_too_large");
}

// The id is echoed even when the message's shape is wrong, once it could be read.
TEST(ParseClientMessageTest, ReportsTheIdOfABadMessage) {
  json id;
  auto m = ParseClientMessage(R"({"id":42,"type":"nope"})", &id);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(id, json(42));
}

class HandleClientMessageTest : public ::testing::Test {
 protected:
  HandleClientMessageTest()
      : bus_({{.name = "audit", .permission = "audit.read"},
              {.name = "workorder", .permission = "workorder.read"},
              {.name = "call", .permission = ""}}) {
    id_ = *bus_.Subscribe({.scope_path = "/M/GS/",
                           .permissions = {"workorder.read"},
                           .topics = {"workorder"},
                           .deliver = [this](std::shared_ptr<const std::string> f) { got_.push_back(*f); }});
  }
  json Send(std::string_view bytes) { return json::parse(HandleClientMessage(bus_, id_, bytes)); }

  EventBus bus_;
  uint64_t id_ = 0;
  std::vector<std::string> got_;
};

TEST_F(HandleClientMessageTest, SubscribeAndUnsubscribeAnswerWithTheTopicsNowHeld) {
  EXPECT_EQ(Send(R"({"type":"subscribe","topics":["call"],"id":1})"),
            json::parse(R"({"type":"ack","request":"subscribe","id":1,"topics":["call","workorder"]})"));
  bus_.Publish({.topic = "call", .org_path = "/M/GS/GS-LZ/", .json = "c"});
  EXPECT_EQ(got_, (std::vector<std::string>{"c"}));
  EXPECT_EQ(Send(R"({"type":"unsubscribe","topics":["workorder","call"]})"),
            json::parse(R"({"type":"ack","request":"unsubscribe","id":null,"topics":[]})"));
  bus_.Publish({.topic = "call", .org_path = "/M/GS/GS-LZ/", .json = "c2"});
  bus_.Publish({.topic = "workorder", .org_path = "/M/GS/GS-LZ/", .json = "w"});
  EXPECT_EQ(got_, (std::vector<std::string>{"c"}));
  // An empty list changes nothing and reports the current topics.
  EXPECT_EQ(Send(R"({"type":"subscribe","topics":[]})")["topics"], json::array());
}

TEST_F(HandleClientMessageTest, ErrorsChangeNothing) {
  auto expect_error = [&](std::string_view bytes, std::string_view code, json id, json request) {
    json f = Send(bytes);
    EXPECT_EQ(f["type"], "error") << bytes;
    EXPECT_EQ(f["error"]["code"], code) << bytes;
    EXPECT_TRUE(f["error"]["message"].is_string());
    EXPECT_EQ(f["id"], id) << bytes;
    EXPECT_EQ(f["request"], request) << bytes;
    EXPECT_EQ(bus_.TopicsOf(id_), (std::set<std::string>{"workorder"})) << bytes;
  };
  expect_error(R"({"type":"subscribe","topics":["call","audit"],"id":"a"})", "forbidden_topic", "a",
               "subscribe");
  expect_error(R"({"type":"subscribe","topics":["call","sms"]})", "unknown_topic", nullptr, "subscribe");
  expect_error(R"({"type":"unsubscribe","topics":["workorder","sms"]})", "unknown_topic", nullptr,
               "unsubscribe");
  expect_error("{garbage", "invalid_json", nullptr, nullptr);
  expect_error(R"({"type":"hello","id":9})", "unknown_type", 9, nullptr);
  expect_error(R"({"type":"subscribe","topics":{"call":true}})", "invalid_message", nullptr, nullptr);
}

TEST(ClientFramesTest, ErrorFrameOfTransportErrors) {
  json f = json::parse(ErrorFrame(MessageTooLarge()));
  EXPECT_EQ(f["type"], "error");
  EXPECT_EQ(f["error"]["code"], "message_too_large");
  EXPECT_TRUE(f["id"].is_null());
  EXPECT_EQ(json::parse(ErrorFrame(BinaryMessage()))["error"]["code"], "invalid_message");
}

}  // namespace
}  // namespace hotline::events
