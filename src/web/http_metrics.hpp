// The HTTP server's metrics in the process registry (events/metrics.hpp): requests by route, method and
// status, and a latency histogram per route. Thread-safe (the families are).
#pragma once

#include <chrono>
#include <string_view>

#include "events/metrics.hpp"

namespace hotline::web {

class HttpMetrics {
 public:
  // Registers (or finds) hotline_http_requests_total and hotline_http_request_duration_seconds.
  explicit HttpMetrics(events::Metrics& registry);

  // `route` must come from a bounded set (route names), never from the raw path; methods other than the
  // standard ones count as "OTHER" (they come from the client).
  void ObserveRequest(std::string_view route, std::string_view method, int status,
                      std::chrono::microseconds latency);

 private:
  events::CounterFamily& requests_;
  events::HistogramFamily& latency_;
};

}  // namespace hotline::web
