// Test support: gmock mocks of the interfaces kpi offers other modules (issue 12 §6), so a test of the
// caller needs no kpi tables behind them:
//  * kpi::ComplaintCounter — how workorder feeds 投诉率 (R-KPI-7); runs inside the caller's transaction.
//    By default every call succeeds; EXPECT_CALL what the test checks.
//  * kpi::CdrRecorder — how the live channels store one finished call (voice and SMS fake it). By default
//    Record answers "stored for org 0 on the call's Beijing day"; EXPECT_CALL it to check the record or to
//    answer an error (unavailable: the channel must retry later, the call is not lost).
// Header-only; the test includes kpi headers only (ComplaintCounter is a pure interface).
// Thread-safe for calls, as gmock mocks are; set expectations before other threads call.
#pragma once

#include <gmock/gmock.h>

#include <cstdint>

#include "core/time_zone.hpp"
#include "kpi/cdr_recorder.hpp"
#include "kpi/complaint_counter.hpp"

namespace hotline::test {

class MockComplaintCounter : public kpi::ComplaintCounter {
 public:
  MockComplaintCounter() { ON_CALL(*this, AddComplaintOrders).WillByDefault(::testing::Return(OkStatus())); }
  MOCK_METHOD(Status, AddComplaintOrders, (store::Session & session, int64_t org_id, Date day, int delta),
              (override));
};

class MockCdrRecorder : public kpi::CdrRecorder {
 public:
  MockCdrRecorder() {
    ON_CALL(*this, Record).WillByDefault([](const kpi::Cdr& cdr) -> Result<Recorded> {
      return Recorded{.org_id = 0, .local_day = TimeZone::Shanghai().LocalDay(cdr.arrived_at)};
    });
  }
  MOCK_METHOD(Result<Recorded>, Record, (const kpi::Cdr& cdr), (override));
};

}  // namespace hotline::test
