// Test support: gmock mocks of the interfaces kpi offers other modules (issue 12 §6), so a test of the
// caller needs no kpi tables behind them:
//  * kpi::ComplaintCounter — how workorder feeds 投诉率 (R-KPI-7); runs inside the caller's transaction.
//    By default every call succeeds; EXPECT_CALL what the test checks.
// Header-only; the test includes kpi headers only (ComplaintCounter is a pure interface).
// Thread-safe for calls, as gmock mocks are; set expectations before other threads call.
//
// Still to come (issue 12 §4, added by the lead after merging the branch that defines it):
// MockCdrRecorder, for kpi::CdrRecorder (one finished call written durably), which the voice channel fakes.
#pragma once

#include <gmock/gmock.h>

#include <cstdint>

#include "kpi/complaint_counter.hpp"

namespace hotline::test {

class MockComplaintCounter : public kpi::ComplaintCounter {
 public:
  MockComplaintCounter() { ON_CALL(*this, AddComplaintOrders).WillByDefault(::testing::Return(OkStatus())); }
  MOCK_METHOD(Status, AddComplaintOrders, (store::Session & session, int64_t org_id, Date day, int delta),
              (override));
};

}  // namespace hotline::test
