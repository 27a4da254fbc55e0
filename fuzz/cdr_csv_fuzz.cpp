// Fuzz target: CDR CSV imports (`hotline cdr import FILE`, docs/INDICATORS.md) — the part of
// CdrImporter::ImportBytes that reads untrusted bytes: the CSV reader, the header (CdrCsvLayout::FromHeader,
// columns in any order), each row (CdrCsvLayout::ParseInto into a recycled record, as the import's hot loop
// does, and Parse), ParseCdrTime's fast path against ParseIso8601, and ValidateCdr.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/csv.hpp"
#include "kpi/cdr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hotline;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  CsvReader reader(bytes);
  std::vector<std::string_view> fields;
  if (!reader.Next(&fields)) return 0;
  auto layout = kpi::CdrCsvLayout::FromHeader(fields);
  if (!layout.ok()) {
    // Not a CDR header: still exercise the time parser on every field (both paths must agree).
    for (auto f : fields) {
      TimePoint fast{}, slow{};
      bool a = kpi::ParseCdrTime(f, &fast), b = ParseIso8601(f, &slow);
      if (a != b || (a && fast != slow)) __builtin_trap();
    }
    return 0;
  }
  kpi::Cdr recycled;
  while (!reader.at_end()) {
    if (!reader.Next(&fields)) continue;
    Status into = layout->ParseInto(fields, &recycled);
    auto fresh = layout->Parse(fields);
    // The recycled record and a fresh one agree on whether the row is good (the hot loop's reuse of
    // string storage must not change the verdict).
    if (into.ok() != fresh.ok()) __builtin_trap();
    if (fresh.ok()) {
      if (!kpi::ValidateCdr(*fresh).ok()) __builtin_trap();  // a parsed row is a valid CDR
      if (fresh->call_id != recycled.call_id || fresh->arrived_at != recycled.arrived_at) __builtin_trap();
    }
    for (auto f : fields) {
      TimePoint fast{}, slow{};
      bool a = kpi::ParseCdrTime(f, &fast), b = ParseIso8601(f, &slow);
      if (a != b || (a && fast != slow)) __builtin_trap();
    }
  }
  return 0;
}
