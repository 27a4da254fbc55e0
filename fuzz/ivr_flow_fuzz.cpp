// Fuzz target: the IVR flow-file parser and validator (a centre's overlay files are operators' text).
// The input is split at the first NUL byte into a base flow and an overlay.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ivr/flow.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nul = text.find('\0');
  hotline::ivr::FlowErrors errors;
  if (nul == std::string_view::npos) {
    (void)hotline::ivr::ParseFlow(text, "fuzz.toml", &errors);
  } else {
    (void)hotline::ivr::ParseFlow(
        text.substr(0, nul), "fuzz.toml", &errors,
        std::pair<std::string_view, std::string_view>{text.substr(nul + 1), "overlay.toml"});
  }
  return 0;
}
