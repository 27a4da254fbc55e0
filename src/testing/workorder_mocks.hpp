// Test support: gmock mocks of the interfaces workorder calls out through (issue 12 §6):
//  * workorder::EscalationSink — where the escalation scheduler's notices go (R-WO-5): the console's
//    live channel today, the SMS module's sink next.
// Header-only; the test links hotline_workorder.
// Thread-safe for calls, as gmock mocks are (the scheduler notifies from its own thread); set
// expectations before the scheduler starts.
#pragma once

#include <gmock/gmock.h>

#include "workorder/escalation.hpp"

namespace hotline::test {

class MockEscalationSink : public workorder::EscalationSink {
 public:
  MOCK_METHOD(void, Notify, (const workorder::EscalationNotice& notice), (override));
};

}  // namespace hotline::test
