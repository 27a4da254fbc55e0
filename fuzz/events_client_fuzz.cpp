// Fuzz target: the live channel's client messages (events/client_messages.hpp), the bytes a WebSocket
// client of /api/v1/events sends. Each input is parsed and applied to a bus with declared topics; the
// answer must be an ack or an error frame in JSON, and the subscriber must never hold a topic its grant
// does not allow.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "events/client_messages.hpp"
#include "events/event_bus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hotline::events;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)ParseClientMessage(bytes);

  EventBus bus({{.name = "audit", .permission = "audit.read"},
                {.name = "workorder", .permission = "workorder.read"},
                {.name = "call", .permission = ""}});
  auto id = bus.Subscribe({.scope_path = "/M/GS/", .permissions = {"workorder.read"}, .topics = {"call"}});
  if (!id.ok()) std::abort();
  std::string reply = HandleClientMessage(bus, *id, bytes);
  auto frame = nlohmann::json::parse(reply, nullptr, /*allow_exceptions=*/false);
  if (frame.is_discarded() || !frame.is_object()) std::abort();
  std::string type = frame.value("type", "");
  if (type != "ack" && type != "error") std::abort();
  if (bus.TopicsOf(*id).count("audit")) std::abort();  // never beyond the grant
  bus.Publish({.topic = "call", .org_path = "/M/GS/GS-LZ/", .json = "{}"});
  return 0;
}
