// Prometheus metrics of the HTTP server: requests by route, method and status; a latency histogram
// per route; and gauges that other parts provide (store health, WebSocket clients). Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace hotline::web {

class Metrics {
 public:
  // `route` must come from a bounded set (route names), never from the raw path.
  void ObserveRequest(std::string_view route, std::string_view method, int status, std::chrono::microseconds latency);
  // A gauge computed when /metrics is scraped, e.g. store health (1/0).
  void AddGauge(std::string name, std::string help, std::function<double()> value);
  // Prometheus text exposition format 0.0.4.
  std::string Render() const;

  static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

 private:
  struct Histogram {
    uint64_t buckets[std::size(kBuckets)] = {};
    uint64_t count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> value;
  };
  // Interned label values: after the first request of a route, observing allocates nothing.
  std::string_view Intern(std::string_view s);  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  std::set<std::string, std::less<>> names_;                                          // GUARDED_BY(mu_)
  std::map<std::tuple<std::string_view, std::string_view, int>, uint64_t> requests_;  // GUARDED_BY(mu_)
  std::map<std::string_view, Histogram> latency_;                                     // GUARDED_BY(mu_)
  std::vector<Gauge> gauges_;                                               // GUARDED_BY(mu_)
};

}  // namespace hotline::web
