// Tests of the header-only mocks of module interfaces (issue 12 §6): they compile against the interfaces
// they mock, their defaults are the documented ones, and expectations on them work.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/test_database.hpp"
#include "testing/kpi_mocks.hpp"
#include "testing/time.hpp"
#include "testing/workorder_mocks.hpp"

namespace hotline::test {
namespace {

using ::testing::_;
using ::testing::Field;

TEST(ModuleMocks, ComplaintCounterSucceedsByDefaultAndRecordsItsArguments) {
  auto db = store::OpenTestDatabase();
  MockComplaintCounter counter;
  EXPECT_CALL(counter,
              AddComplaintOrders(_, 7, Day("2026-03-02"), -1));  // the expectation's action: the default
  ::testing::NiceMock<MockComplaintCounter> unwatched;
  Status st = db->Transaction([&](store::Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(counter.AddComplaintOrders(s, 7, Day("2026-03-02"), -1));
    return unwatched.AddComplaintOrders(s, 8, Day("2026-03-03"), 1);  // uninteresting: the default OK
  });
  EXPECT_TRUE(st.ok());
}

TEST(ModuleMocks, EscalationSinkSeesEachNotice) {
  MockEscalationSink sink;
  EXPECT_CALL(sink, Notify(Field(&workorder::EscalationNotice::order_id, 42)));
  workorder::EscalationSink& as_sink = sink;
  as_sink.Notify({.order_id = 42, .number = "GS-LZ-20260302-0001"});
}

}  // namespace
}  // namespace hotline::test
