// Metrics: one mutex per family for observing, one for the registry's list; rendering copies the gauge
// list and evaluates gauges outside every lock (a gauge may ping the database).
#include "events/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

namespace hotline::events {
namespace {

// {a="x",b="y"} (with `extra` appended, e.g. le="0.5"); "" for no labels at all.
void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra = {}) {
  if (names.empty() && extra.empty()) return;
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i];
    out += "=\"";
    // Exposition format escapes: backslash, double quote, newline.
    for (char c : values[i]) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  }
  if (!extra.empty()) {
    if (!names.empty()) out += ',';
    out += extra;
  }
  out += '}';
}

}  // namespace

CounterFamily::CounterFamily(std::string name, std::string help, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

void CounterFamily::Add(std::span<const std::string_view> labels, uint64_t n) {
  assert(labels.size() == label_names_.size());
  std::lock_guard lock(mu_);
  auto it = values_.find(labels);
  if (it == values_.end())
    it = values_.emplace(std::vector<std::string>(labels.begin(), labels.end()), 0).first;
  it->second += n;
}

uint64_t CounterFamily::Value(std::initializer_list<std::string_view> labels) const {
  std::lock_guard lock(mu_);
  auto it = values_.find(std::span<const std::string_view>(labels.begin(), labels.size()));
  return it == values_.end() ? 0 : it->second;
}

void CounterFamily::Render(std::string& out) const {
  out += fmt::format("# HELP {} {}\n# TYPE {} counter\n", name_, help_, name_);
  std::lock_guard lock(mu_);
  for (const auto& [labels, n] : values_) {
    out += name_;
    AppendLabels(out, label_names_, labels);
    out += fmt::format(" {}\n", n);
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                                 std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

void HistogramFamily::Observe(std::span<const std::string_view> labels, double value) {
  assert(labels.size() == label_names_.size());
  std::lock_guard lock(mu_);
  auto it = series_.find(labels);
  if (it == series_.end()) {
    it = series_.emplace(std::vector<std::string>(labels.begin(), labels.end()), Series{}).first;
    it->second.buckets.assign(bounds_.size(), 0);
  }
  Series& s = it->second;
  for (size_t i = 0; i < bounds_.size(); ++i)
    if (value <= bounds_[i]) ++s.buckets[i];
  ++s.count;
  s.sum += value;
}

void HistogramFamily::Render(std::string& out) const {
  out += fmt::format("# HELP {} {}\n# TYPE {} histogram\n", name_, help_, name_);
  std::lock_guard lock(mu_);
  for (const auto& [labels, s] : series_) {
    for (size_t i = 0; i <= bounds_.size(); ++i) {
      out += name_;
      out += "_bucket";
      AppendLabels(out, label_names_, labels,
                   i < bounds_.size() ? fmt::format("le=\"{}\"", bounds_[i]) : std::string("le=\"+Inf\""));
      out += fmt::format(" {}\n", i < bounds_.size() ? s.buckets[i] : s.count);
    }
    out += name_ + "_sum";
    AppendLabels(out, label_names_, labels);
    out += fmt::format(" {}\n", s.sum);
    out += name_ + "_count";
    AppendLabels(out, label_names_, labels);
    out += fmt::format(" {}\n", s.count);
  }
}

CounterFamily& Metrics::Counter(std::string name, std::string help, std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  for (auto& c : counters_)
    if (c->name_ == name) {
      assert(c->label_names_ == label_names);
      return *c;
    }
  counters_.push_back(std::unique_ptr<CounterFamily>(
      new CounterFamily(std::move(name), std::move(help), std::move(label_names))));
  order_.emplace_back(false, counters_.size() - 1);
  return *counters_.back();
}

HistogramFamily& Metrics::Histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                    std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  for (auto& h : histograms_)
    if (h->name_ == name) {
      assert(h->label_names_ == label_names && h->bounds_ == bounds);
      return *h;
    }
  histograms_.push_back(std::unique_ptr<HistogramFamily>(
      new HistogramFamily(std::move(name), std::move(help), std::move(label_names), std::move(bounds))));
  order_.emplace_back(true, histograms_.size() - 1);
  return *histograms_.back();
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
    for (auto [is_histogram, i] : order_) {
      if (is_histogram)
        histograms_[i]->Render(out);
      else
        counters_[i]->Render(out);
    }
  }
  // Gauges are evaluated outside the lock: they may be slow (a store ping).
  for (const auto& g : gauges) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name, g.value());
  }
  return out;
}

}  // namespace hotline::events
