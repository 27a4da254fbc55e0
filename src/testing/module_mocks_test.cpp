// Tests of the header-only mocks of module interfaces (issue 12 §6): they compile against the interfaces
// they mock, their defaults are the documented ones, and expectations on them work.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/test_database.hpp"
#include "testing/events_mocks.hpp"
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

TEST(ModuleMocks, CdrRecorderStoresByDefaultAndCanAnswerAnError) {
  ::testing::NiceMock<MockCdrRecorder> recorder;
  kpi::Cdr cdr;
  cdr.call_id = "c1";
  cdr.arrived_at = At("2026-03-02T23:30:00+08:00");
  kpi::CdrRecorder& port = recorder;
  auto stored = port.Record(cdr);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->local_day, Day("2026-03-02"));  // Beijing's day
  EXPECT_FALSE(stored->already_stored);
  EXPECT_CALL(recorder, Record(Field(&kpi::Cdr::call_id, "c2")))
      .WillOnce(::testing::Return(Error::Unavailable("database down")));
  cdr.call_id = "c2";
  EXPECT_FALSE(port.Record(cdr).ok());
}

TEST(ModuleMocks, PublisherSeesEachEvent) {
  MockPublisher publisher;
  EXPECT_CALL(publisher, Publish(Field(&events::Event::topic, "workorders")));
  events::Publisher& port = publisher;
  port.Publish({.topic = "workorders", .org_path = "/MOHURD/GS/GS-LZ/", .json = "{}"});
}

}  // namespace
}  // namespace hotline::test
