// Fuzz target: JSON request bodies (every API handler's first step) and typed field access.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/json_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto obj = hotline::web::ParseJsonObjectBytes(bytes);
  if (obj.ok()) {
    for (const char* field : {"username", "password", "name", "code", "role", "disabled", "agent_no"}) {
      (void)hotline::web::RequiredString(*obj, field);
      (void)hotline::web::OptionalString(*obj, field, 8);
      (void)hotline::web::OptionalBool(*obj, field);
      (void)hotline::web::IsExplicitNull(*obj, field);
    }
  }
  return 0;
}
