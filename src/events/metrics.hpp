// The process's metrics registry (Prometheus): counter and histogram families with fixed label names,
// and gauges computed when scraped. Every part of the program counts here — the HTTP server its
// requests, later the SIP stack its calls and the SMPP sessions their messages — and `web` renders the
// whole registry at GET /metrics, so no channel needs the HTTP server to be observable.
//
// Label values must come from bounded sets (route names, status codes, carrier names), never from raw
// client input: every distinct combination is a time series kept for the life of the process.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::events {

// Orders label tuples, and finds a stored tuple from string_views without building one (observing an
// existing series allocates nothing).
struct LabelsLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
};

// A counter family, e.g. hotline_http_requests_total{route,method,status}. Thread-safe.
class CounterFamily {
 public:
  // REQUIRES: labels.size() == the family's number of label names.
  void Add(std::span<const std::string_view> labels, uint64_t n = 1);
  void Add(std::initializer_list<std::string_view> labels, uint64_t n = 1) {
    Add(std::span<const std::string_view>(labels.begin(), labels.size()), n);
  }
  // The current value of one series (0 if never counted).
  uint64_t Value(std::initializer_list<std::string_view> labels) const;

 private:
  friend class Metrics;
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names);
  void Render(std::string& out) const;

  const std::string name_, help_;
  const std::vector<std::string> label_names_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, uint64_t, LabelsLess> values_;  // GUARDED_BY(mu_)
};

// A histogram family with fixed upper bucket bounds (seconds, bytes, …). Thread-safe.
class HistogramFamily {
 public:
  // REQUIRES: labels.size() == the family's number of label names.
  void Observe(std::span<const std::string_view> labels, double value);
  void Observe(std::initializer_list<std::string_view> labels, double value) {
    Observe(std::span<const std::string_view>(labels.begin(), labels.size()), value);
  }

 private:
  friend class Metrics;
  struct Series {
    std::vector<uint64_t> buckets;  // cumulative: observations <= bound i
    uint64_t count = 0;
    double sum = 0;
  };
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds);
  void Render(std::string& out) const;

  const std::string name_, help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, Series, LabelsLess> series_;  // GUARDED_BY(mu_)
};

// Thread-safe. Families live as long as the registry; the references it hands out stay valid.
class Metrics {
 public:
  // Seconds from half a millisecond to five: the latency buckets of request/response work.
  static constexpr double kLatencyBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                               0.1,    0.25,  0.5,    1,     2.5,  5};

  // The counter family `name`, created on first use (later calls with the same name return the same
  // family; REQUIRES: the same label names). `name` follows Prometheus naming (…_total).
  CounterFamily& Counter(std::string name, std::string help, std::vector<std::string> label_names);
  // The histogram family `name`, created on first use (REQUIRES: same label names and bounds later).
  HistogramFamily& Histogram(std::string name, std::string help, std::vector<std::string> label_names,
                             std::vector<double> bounds);
  // A gauge computed when scraped, e.g. store health (1/0). `value` may be slow (it runs outside every
  // lock) and is called from the scraping thread.
  void AddGauge(std::string name, std::string help, std::function<double()> value);

  // Prometheus text exposition format 0.0.4: families in the order they were created, then gauges.
  std::string Render() const;

 private:
  struct Gauge {
    std::string name, help;
    std::function<double()> value;
  };
  mutable std::mutex mu_;
  // Creation order; unique_ptr keeps handed-out references stable.
  std::vector<std::unique_ptr<CounterFamily>> counters_;      // GUARDED_BY(mu_)
  std::vector<std::unique_ptr<HistogramFamily>> histograms_;  // GUARDED_BY(mu_)
  std::vector<std::pair<bool, size_t>> order_;                // GUARDED_BY(mu_): (is_histogram, index)
  std::vector<Gauge> gauges_;                                 // GUARDED_BY(mu_)
};

}  // namespace hotline::events
