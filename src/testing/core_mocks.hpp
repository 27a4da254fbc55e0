// Test support: gmock mocks of the core ports (Envoy's test/mocks/, issue 12 §6), for tests that script
// or verify each call. Prefer the fakes (testing/fakes.hpp) when a test only needs time or bytes to be
// deterministic; a mock is for "Now() is asked exactly once" or "the token comes from these bytes".
// Header-only: a test that includes it links GTest::gmock (every module test does).
// Like every gmock object, a mock is thread-safe for calls, but set expectations before other threads call.
// The event bus's port (events::Publisher) is mocked in testing/events_mocks.hpp, the CDR recorder in
// testing/kpi_mocks.hpp.
#pragma once

#include <gmock/gmock.h>

#include <chrono>
#include <cstddef>

#include "core/clock.hpp"
#include "core/random.hpp"

namespace hotline::test {

class MockClock : public Clock {
 public:
  MOCK_METHOD(TimePoint, Now, (), (const, override));
  MOCK_METHOD(std::chrono::steady_clock::time_point, Steady, (), (const, override));
};

class MockRandom : public Random {
 public:
  MOCK_METHOD(void, Fill, (void* buf, size_t n), (override));
};

}  // namespace hotline::test
