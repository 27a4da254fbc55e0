// Test support: gmock mocks of the core ports (Envoy's test/mocks/, issue 12 §6), for tests that script
// or verify each call. Prefer the fakes (testing/fakes.hpp) when a test only needs time or bytes to be
// deterministic; a mock is for "Now() is asked exactly once" or "the token comes from these bytes".
// Header-only: a test that includes it links GTest::gmock (every module test does).
// Like every gmock object, a mock is thread-safe for calls, but set expectations before other threads call.
//
// Still to come (issue 12 §3/§4, added by the lead after merging the branches that define them):
// MockEventBus, for the event bus that leaves `web`.
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
