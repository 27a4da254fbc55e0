// Fuzz target: JSON request bodies (every API handler's first step) and typed field access.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto obj = hotline::ParseJsonObjectBytes(bytes);
  if (obj.ok()) {
    for (const char* field : {"username", "password", "name", "code", "role", "disabled", "agent_no"}) {
      (void)hotline::RequiredString(*obj, field);
      (void)hotline::OptionalString(*obj, field, 8);
      (void)hotline::OptionalBool(*obj, field);
      (void)hotline::IsExplicitNull(*obj, field);
    }
  }
  return 0;
}
