// Test support: a gmock mock of events::Publisher, the port through which a channel (voice, SMS, the
// work-order escalation) publishes live events (issue 12 §6). For "this call published exactly this
// event"; a test that wants delivery, scope and permission filtering uses a real events::EventBus.
// Header-only; thread-safe for calls, as gmock mocks are; set expectations before other threads call.
#pragma once

#include <gmock/gmock.h>

#include "events/event_bus.hpp"

namespace hotline::test {

class MockPublisher : public events::Publisher {
 public:
  MOCK_METHOD(void, Publish, (const events::Event& event), (override));
};

}  // namespace hotline::test
