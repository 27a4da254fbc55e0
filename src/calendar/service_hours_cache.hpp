// "Is manual service open for centre X now, and when does it open next?" (R-IVR-3), answered in
// microseconds for the live channels: the IVR asks on every call that wants an agent, the SMS service
// on every "转人工" reply. calendar::ServiceHours is the rule (a centre's hours); this keeps, per centre,
// the working calendar (national days, 调休 make-up days, the centre's closures, loaded years) and the
// centre's ServiceHours in memory, where CalendarStore::Load + GetServiceHours re-read the whole calendar
// table (four queries) for every question.
//
// Kept current (issue 12 §4):
//   - writes through the same CalendarStore (the console's API, this process's CLI commands): every
//     write path bumps CalendarStore::generation() after its commit; each question compares it (one
//     atomic load), so the next question after a write already sees it;
//   - writes by other processes on the same database (`hotline calendar import` while the server runs,
//     a second server on PostgreSQL): every write also increments the calendar_version row in its own
//     transaction; a question reads that row when `recheck_interval` has passed since the last read,
//     so such a write is seen within recheck_interval (default 2 s). One single-row primary-key read
//     per interval, whatever the call rate — cheaper than a notification channel, and the same on
//     SQLite and PostgreSQL (LISTEN/NOTIFY exists only on the latter).
// When the version read fails (database down), the cached answers go on being served (manual service
// hours change a few times a year; the IVR must keep routing), and the read is tried again at the next
// interval.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>

#include "calendar/calendar_store.hpp"
#include "calendar/service_hours.hpp"
#include "calendar/working_calendar.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/time_zone.hpp"

namespace hotline::calendar {

struct ServiceHoursCacheOptions {
  // How long a cached calendar may miss another process's write: at most this often a question reads
  // calendar_version. Default 2 s. Zero: every question reads it (tests; a row read per question).
  std::chrono::milliseconds recheck_interval{2000};
};

// The answer to one question.
struct ManualService {
  bool open = false;                      // an agent may be reached at `at`
  std::optional<TimePoint> next_opening;  // `at` itself when open; none when no opening within 400 days
};

// Thread-safe: any number of threads may ask at once (readers share a lock; a miss loads outside it).
class ServiceHoursCache {
 public:
  // REQUIRES: `store` and `clock` outlive the cache.
  ServiceHoursCache(CalendarStore& store, const Clock& clock, ServiceHoursCacheOptions options = {})
      : store_(store), clock_(clock), options_(options) {}

  // The answer for centre `org_id` (its local days and hours in `zone`, the centre's org::Org::time_zone)
  // at the clock's now. Errors: the store's (unavailable on the first question of a centre while the
  // database is down; internal for a damaged service-hours row).
  Result<ManualService> Ask(int64_t org_id, const TimeZone& zone) {
    return AskAt(org_id, zone, clock_.Now());
  }
  // The same at instant `at`.
  Result<ManualService> AskAt(int64_t org_id, const TimeZone& zone, TimePoint at);

  // Drops every cached centre (the next question of each reloads it). Writes through `store` do this by
  // themselves; for writes the cache cannot see otherwise sooner than recheck_interval.
  void Invalidate();

 private:
  struct Centre {
    WorkingCalendar calendar;
    ServiceHours hours = ServiceHours::Default();
  };
  // Drops the cache when the store's generation or (at most every recheck_interval) calendar_version
  // moved. Returns the generation the answer may be cached under.
  uint64_t Refresh();

  CalendarStore& store_;
  const Clock& clock_;
  const ServiceHoursCacheOptions options_;

  std::shared_mutex mutex_;
  std::unordered_map<int64_t, std::shared_ptr<const Centre>> centres_;  // GUARDED_BY(mutex_)
  uint64_t generation_ = 0;             // GUARDED_BY(mutex_): bumped whenever centres_ is dropped
  uint64_t store_generation_seen_ = 0;  // GUARDED_BY(mutex_): store_.generation() centres_ is current for
  std::mutex version_mutex_;            // serialises the version reads
  std::optional<int64_t> version_;      // GUARDED_BY(version_mutex_): last calendar_version read
  std::atomic<int64_t> next_version_read_ms_{0};  // epoch ms; 0: read at the next question
};

}  // namespace hotline::calendar
