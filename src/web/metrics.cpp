#include "web/metrics.hpp"

#include <fmt/format.h>

namespace hotline::web {

std::string_view Metrics::Intern(std::string_view s) {
  auto it = names_.find(s);
  if (it == names_.end()) it = names_.emplace(s).first;
  return *it;
}

void Metrics::ObserveRequest(std::string_view route, std::string_view method, int status,
                             std::chrono::microseconds latency) {
  double seconds = latency.count() / 1e6;
  std::lock_guard lock(mu_);
  route = Intern(route);
  // Methods come from the client: bound their cardinality.
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "-"};
  bool known = false;
  for (auto m : kMethods) known = known || m == method;
  method = Intern(known ? method : "OTHER");
  ++requests_[{route, method, status}];
  auto& h = latency_[route];
  for (size_t i = 0; i < std::size(kBuckets); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> value) {
  std::lock_guard lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(value)});
}

std::string Metrics::Render() const {
  std::vector<Gauge> gauges;
  std::string out;
  {
    std::lock_guard lock(mu_);
    gauges = gauges_;
    out += "# HELP hotline_http_requests_total HTTP requests by route, method and status.\n";
    out += "# TYPE hotline_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [route, method, status] = key;
      out += fmt::format("hotline_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", route, method,
                         status, n);
    }
    out += "# HELP hotline_http_request_duration_seconds Time from a complete request to its response.\n";
    out += "# TYPE hotline_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      for (size_t i = 0; i < std::size(kBuckets); ++i)
        out += fmt::format("hotline_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                           kBuckets[i], h.buckets[i]);
      out += fmt::format("hotline_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
                         h.count);
      out += fmt::format("hotline_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, h.sum);
      out += fmt::format("hotline_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, h.count);
    }
  }
  // Gauges are evaluated outside the lock: they may be slow (a store ping).
  for (const auto& g : gauges) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name, g.value());
  }
  return out;
}

}  // namespace hotline::web
