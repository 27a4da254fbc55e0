#include "kpi/cdr_generator.hpp"

#include <fmt/format.h>

#include "kpi/cdr.hpp"

namespace hotline::kpi {
namespace {
std::string Iso(TimePoint t) {
  // Local Beijing time with offset, the way Chinese call-centre systems export it.
  auto local = t + std::chrono::hours(8);
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(local - day)};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}
}  // namespace

int64_t GenerateCdrs(const GeneratorOptions& o, std::ostream& out, const std::function<void(int)>& progress) {
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::exponential_distribution<double> wait_s(1 / 25.0), talk_s(1 / 170.0), acw_s(1 / 20.0);
  out << "call_id,center,caller,arrived_at,queued_at,answered_at,talk_ended_at,acw_ended_at,ended_at,agent,"
         "outcome,"
         "survey,complaint\n";
  int64_t rows = 0;
  std::string line;
  for (int d = 0; d < o.days; ++d) {
    Date day = o.first_day + std::chrono::days(d);
    unsigned wd = std::chrono::weekday{day}.iso_encoding();
    double scale = wd >= 6 ? 0.3 : 1.0;
    // Midnight in Beijing is 16:00 UTC of the previous day.
    TimePoint midnight = TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(
                             (day - std::chrono::days(0)).time_since_epoch())) -
                         std::chrono::hours(8);
    for (size_t c = 0; c < o.centers.size(); ++c) {
      int n = static_cast<int>(o.calls_per_day * scale * (0.8 + 0.4 * u(rng)));
      for (int i = 0; i < n; ++i) {
        // Arrival: two humps (9–11, 14–16) plus a flat night-time share for the 7×24 IVR.
        double h = u(rng) < 0.85 ? (u(rng) < 0.5 ? 9 + 2 * u(rng) : 14 + 2 * u(rng)) : 24 * u(rng);
        TimePoint arrived = midnight + std::chrono::milliseconds(static_cast<int64_t>(h * 3600000));
        double r = u(rng);
        Outcome outcome = r < 0.30   ? Outcome::kIvr
                          : r < 0.90 ? Outcome::kAnswered
                          : r < 0.96 ? Outcome::kAbandoned
                          : r < 0.98 ? Outcome::kOverflow
                                     : Outcome::kFailed;
        std::string queued, answered, talk_end, acw_end, ended, agent, survey;
        TimePoint q = arrived + std::chrono::seconds(20 + static_cast<int>(40 * u(rng)));
        if (outcome == Outcome::kAnswered) {
          TimePoint a = q + std::chrono::seconds(static_cast<int64_t>(wait_s(rng)));
          TimePoint t = a + std::chrono::seconds(15 + static_cast<int64_t>(talk_s(rng)));
          TimePoint w = t + std::chrono::seconds(static_cast<int64_t>(acw_s(rng)));
          queued = Iso(q), answered = Iso(a), talk_end = Iso(t), acw_end = Iso(w), ended = Iso(t);
          agent = std::to_string(1001 + rng() % 8);
          double s = u(rng);
          survey = s < 0.55 ? "satisfied" : s < 0.65 ? "basic" : s < 0.68 ? "dissatisfied" : "";
        } else if (outcome == Outcome::kAbandoned || outcome == Outcome::kOverflow) {
          queued = Iso(q);
          ended = Iso(q + std::chrono::seconds(5 + static_cast<int64_t>(wait_s(rng))));
        } else {
          ended = Iso(arrived + std::chrono::seconds(30 + rng() % 120));
        }
        bool complaint = outcome == Outcome::kAnswered && u(rng) < 0.002;
        line = fmt::format("{}-{:08}-{:05}-{},{},1{:02}{:08},{},{},{},{},{},{},{},{},{},{}\n", o.centers[c],
                           d, i, rng() % 1000, o.centers[c], 30 + rng() % 60, rng() % 100000000, Iso(arrived),
                           queued, answered, talk_end, acw_end, ended, agent, OutcomeName(outcome), survey,
                           complaint ? 1 : 0);
        out << line;
        ++rows;
      }
    }
    if (progress) progress(d);
  }
  return rows;
}

}  // namespace hotline::kpi
