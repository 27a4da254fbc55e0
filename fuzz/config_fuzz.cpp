// Fuzz target: the strict TOML configuration loader (operators' files are untrusted text too).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)hotline::app::ParseConfig(text, "fuzz.toml");
  return 0;
}
