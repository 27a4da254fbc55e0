// Test support: At() and Day(), the text forms of instants and dates in tests (time.hpp).
#include "testing/time.hpp"

#include <gtest/gtest.h>

namespace hotline::test {

TimePoint At(std::string_view iso) {
  TimePoint t{};
  EXPECT_TRUE(ParseIso8601(iso, &t)) << "not an RFC 3339 instant: " << iso;
  return t;
}

Date Day(std::string_view text) {
  Date d{};
  EXPECT_TRUE(ParseDate(text, &d)) << "not a YYYY-MM-DD date: " << text;
  return d;
}

}  // namespace hotline::test
