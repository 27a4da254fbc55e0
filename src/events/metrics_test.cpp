// The metrics registry: families in creation order, label escaping, histograms, gauges, same family on
// a second registration, and concurrent counting.
#include "events/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace hotline::events {
namespace {

TEST(MetricsTest, RendersFamiliesThenGauges) {
  Metrics m;
  auto& sms = m.Counter("hotline_sms_sent_total", "SMS handed to a carrier.", {"carrier", "result"});
  auto& calls = m.Histogram("hotline_call_setup_seconds", "INVITE to answer.", {}, {0.5, 1});
  sms.Add({"cmcc", "ok"});
  sms.Add({"cmcc", "ok"}, 2);
  sms.Add({"ct\"x\\y\nz", "rejected"});
  calls.Observe({}, 0.7);
  calls.Observe({}, 3);
  m.AddGauge("hotline_store_up", "1 when the database answers.", [] { return 1.0; });
  EXPECT_EQ(sms.Value({"cmcc", "ok"}), 3u);
  EXPECT_EQ(sms.Value({"cmcc", "none"}), 0u);
  EXPECT_EQ(m.Render(),
            "# HELP hotline_sms_sent_total SMS handed to a carrier.\n"
            "# TYPE hotline_sms_sent_total counter\n"
            "hotline_sms_sent_total{carrier=\"cmcc\",result=\"ok\"} 3\n"
            "hotline_sms_sent_total{carrier=\"ct\\\"x\\\\y\\nz\",result=\"rejected\"} 1\n"
            "# HELP hotline_call_setup_seconds INVITE to answer.\n"
            "# TYPE hotline_call_setup_seconds histogram\n"
            "hotline_call_setup_seconds_bucket{le=\"0.5\"} 0\n"
            "hotline_call_setup_seconds_bucket{le=\"1\"} 1\n"
            "hotline_call_setup_seconds_bucket{le=\"+Inf\"} 2\n"
            "hotline_call_setup_seconds_sum 3.7\n"
            "hotline_call_setup_seconds_count 2\n"
            "# HELP hotline_store_up 1 when the database answers.\n"
            "# TYPE hotline_store_up gauge\n"
            "hotline_store_up 1\n");
}

TEST(MetricsTest, SameNameSameFamily) {
  Metrics m;
  auto& a = m.Counter("x_total", "x", {"k"});
  auto& b = m.Counter("x_total", "x", {"k"});
  EXPECT_EQ(&a, &b);
  auto& h1 = m.Histogram("h_seconds", "h", {"k"}, {1});
  EXPECT_EQ(&h1, &m.Histogram("h_seconds", "h", {"k"}, {1}));
}

TEST(MetricsTest, CountsFromManyThreads) {
  Metrics m;
  auto& c = m.Counter("c_total", "c", {"t"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&c, t] {
      std::string label = t % 2 ? "odd" : "even";
      for (int i = 0; i < 1000; ++i) c.Add({label});
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value({"odd"}), 2000u);
  EXPECT_EQ(c.Value({"even"}), 2000u);
}

}  // namespace
}  // namespace hotline::events
