// Test support: instants and civil dates written as text in a test, so a fixture reads like the
// 12329 documents it checks ("2026-03-02T09:00:00+08:00" is a Monday morning in Lanzhou). Every
// module's tests use these instead of defining their own (issue 12 §6).
#pragma once

#include <string_view>

#include "core/clock.hpp"
#include "core/time_zone.hpp"

namespace hotline::test {

// The instant an RFC 3339 / ISO 8601 text names ('Z' or a ±hh:mm offset), as ParseIso8601 reads it.
// Text it cannot parse is a broken test, not a value: it fails the running test (non-fatally, so the
// test goes on and reports every bad literal) and returns the epoch.
TimePoint At(std::string_view iso);

// The civil date "YYYY-MM-DD" names (ParseDate). Unparseable text fails the running test and returns
// 1970-01-01.
Date Day(std::string_view text);

}  // namespace hotline::test
