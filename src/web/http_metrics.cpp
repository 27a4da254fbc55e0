#include "web/http_metrics.hpp"

#include <charconv>
#include <iterator>

namespace hotline::web {

HttpMetrics::HttpMetrics(events::Metrics& registry)
    : requests_(registry.Counter("hotline_http_requests_total", "HTTP requests by route, method and status.",
                                 {"route", "method", "status"})),
      latency_(registry.Histogram(
          "hotline_http_request_duration_seconds", "Time from a complete request to its response.", {"route"},
          {std::begin(events::Metrics::kLatencyBuckets), std::end(events::Metrics::kLatencyBuckets)})) {}

void HttpMetrics::ObserveRequest(std::string_view route, std::string_view method, int status,
                                 std::chrono::microseconds latency) {
  static constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",    "PUT",
                                                  "PATCH", "DELETE", "OPTIONS", "-"};
  bool known = false;
  for (auto m : kMethods) known = known || m == method;
  char digits[12];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, status);
  requests_.Add({route, known ? method : std::string_view("OTHER"), std::string_view(digits, end - digits)});
  latency_.Observe({route}, static_cast<double>(latency.count()) / 1e6);
}

}  // namespace hotline::web
