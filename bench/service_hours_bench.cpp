// "Is manual service open for centre X now, and when does it open next?" (R-IVR-3, issue 12 §4):
// calendar::ServiceHoursCache against the uncached path (CalendarStore::Load + GetServiceHours, then
// ServiceHours::IsOpen/NextOpening — what every question cost before), on a SQLite file database with
// the shipped 2025/2026 calendars and 30 centres with a closure each. Run by hand:
//   build/release/bench/service_hours_bench [--benchmark_filter=…]
// The results are in docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>

#include "calendar/calendar_store.hpp"
#include "calendar/service_hours_cache.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace {

using namespace hotline;
using namespace hotline::calendar;

constexpr int kCentres = 30;

TimePoint At(const char* iso) {
  TimePoint t;
  if (!ParseIso8601(iso, &t)) std::abort();
  return t;
}

struct World {
  std::filesystem::path dir;
  std::unique_ptr<store::Database> db;
  FakeClock clock{At("2026-03-02T10:00:00+08:00")};
  std::unique_ptr<CalendarStore> store;
  World() {
    dir = std::filesystem::temp_directory_path() / ("service_hours_bench_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto opened = store::Database::Open({.url = "sqlite:" + (dir / "bench.db").string()});
    if (!opened.ok()) std::abort();
    db = std::move(opened).value();
    store::ModuleMigrations modules[] = {kCalendarMigrations};
    if (!store::Migrate(*db, modules).ok()) std::abort();
    store = std::make_unique<CalendarStore>(*db, clock);
    for (int64_t org = 1; org <= kCentres; ++org) {
      Date d;
      ParseDate("2026-03-1" + std::to_string(org % 10), &d);
      if (!store->SetDay(org, {.date = d, .kind = DayKind::kHoliday, .name = "闭馆"}).ok()) std::abort();
    }
    if (!store->SetServiceHours(7, {.ranges = {{std::chrono::minutes(540), std::chrono::minutes(1020)}}})
             .ok())
      std::abort();
  }
  ~World() { std::filesystem::remove_all(dir); }
};

World& TheWorld() {
  static World w;
  return w;
}

// Open now (Monday 10:00) and closed (Friday 18:00: opens next Monday), the two questions the IVR asks.
const char* const kInstants[] = {"2026-03-02T10:00:00+08:00", "2026-03-06T18:00:00+08:00"};

void BM_Uncached(benchmark::State& state) {
  World& w = TheWorld();
  TimeZone zone = TimeZone::Shanghai();
  TimePoint t = At(kInstants[state.range(0)]);
  int64_t org = 1;
  for (auto _ : state) {
    auto cal = w.store->Load(org);
    auto hours = w.store->GetServiceHours(org);
    if (!cal.ok() || !hours.ok()) std::abort();
    bool open = hours->IsOpen(t, zone, *cal);
    auto next = open ? std::optional(t) : hours->NextOpening(t, zone, *cal);
    benchmark::DoNotOptimize(next);
    org = org % kCentres + 1;
  }
}
BENCHMARK(BM_Uncached)->Arg(0)->Arg(1)->ArgName("closed")->Unit(benchmark::kMicrosecond);

void BM_Cached(benchmark::State& state) {
  World& w = TheWorld();
  ServiceHoursCache cache(*w.store, w.clock);  // the default recheck_interval, 2 s (of the fake clock)
  TimeZone zone = TimeZone::Shanghai();
  TimePoint t = At(kInstants[state.range(0)]);
  int64_t org = 1;
  for (auto _ : state) {
    auto answer = cache.AskAt(org, zone, t);
    if (!answer.ok()) std::abort();
    benchmark::DoNotOptimize(answer);
    org = org % kCentres + 1;
  }
}
BENCHMARK(BM_Cached)->Arg(0)->Arg(1)->ArgName("closed")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Cached)->Arg(0)->ArgName("closed")->Threads(2)->Unit(benchmark::kMicrosecond);

// The cache with the version row read on every question (recheck_interval 0): the price of checking
// across processes without the interval.
void BM_CachedRecheckEveryQuestion(benchmark::State& state) {
  World& w = TheWorld();
  ServiceHoursCache cache(*w.store, w.clock, {.recheck_interval = std::chrono::milliseconds(0)});
  TimeZone zone = TimeZone::Shanghai();
  TimePoint t = At(kInstants[0]);
  int64_t org = 1;
  for (auto _ : state) {
    auto answer = cache.AskAt(org, zone, t);
    if (!answer.ok()) std::abort();
    benchmark::DoNotOptimize(answer);
    org = org % kCentres + 1;
  }
}
BENCHMARK(BM_CachedRecheckEveryQuestion)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
