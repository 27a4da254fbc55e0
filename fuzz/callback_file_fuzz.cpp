// Fuzz target: reminder call-back lists (`POST /api/v1/callbacks/bulk`, docs/WORKORDERS.md), and the
// subject-search helpers that turn untrusted query text into FTS5 MATCH expressions.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.hpp"
#include "workorder/internal.hpp"
#include "workorder/workorder_service.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = hotline::workorder::ParseCallbackFile(bytes, "fuzz.csv", 1000);
  // All or nothing: a file with a bad line yields no reminders; every accepted line is clean.
  if (!parsed.errors.empty() && !parsed.reminders.empty()) __builtin_trap();
  if (parsed.errors.size() > 101) __builtin_trap();
  for (const auto& r : parsed.reminders) {
    if (r.topic.empty() || !hotline::IsValidUtf8(r.topic) || !hotline::IsValidUtf8(r.name)) __builtin_trap();
    if (r.kind == hotline::workorder::CallbackKind::kComplaintFollowUp) __builtin_trap();
  }
  if (hotline::IsValidUtf8(bytes)) {
    (void)hotline::workorder::internal::SubjectGrams(bytes);
    std::string match = hotline::workorder::internal::GramsMatch(bytes);
    // Every phrase is quoted: an odd number of quote characters would be a syntax error in MATCH.
    size_t quotes = 0;
    for (char c : match) quotes += c == '"';
    if (quotes % 2 != 0) __builtin_trap();
  }
  return 0;
}
