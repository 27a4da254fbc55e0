#include "calendar/service_hours_cache.hpp"

namespace hotline::calendar {

void ServiceHoursCache::Invalidate() {
  std::unique_lock lock(mutex_);
  centres_.clear();
  ++generation_;  // an answer loaded before the call is not cached after it
}

uint64_t ServiceHoursCache::Refresh() {
  const int64_t now_ms = ToEpochMillis(clock_.Now());
  if (now_ms >= next_version_read_ms_.load(std::memory_order_relaxed)) {
    std::unique_lock version_lock(version_mutex_, std::try_to_lock);
    // Another thread reading the version meanwhile: this question uses the cache as it is.
    if (version_lock.owns_lock() && now_ms >= next_version_read_ms_.load(std::memory_order_relaxed)) {
      next_version_read_ms_.store(now_ms + options_.recheck_interval.count(), std::memory_order_relaxed);
      if (options_.recheck_interval.count() == 0) next_version_read_ms_.store(0, std::memory_order_relaxed);
      auto version = store_.Version();
      if (version.ok()) {  // on error: keep serving what is cached (file comment)
        if (version_ && *version_ != *version) Invalidate();
        version_ = *version;
      }
    }
  }
  const uint64_t store_generation = store_.generation();
  {
    std::shared_lock lock(mutex_);
    if (store_generation_seen_ == store_generation) return generation_;
  }
  std::unique_lock lock(mutex_);
  if (store_generation_seen_ != store_generation) {
    centres_.clear();
    ++generation_;
    store_generation_seen_ = store_generation;
  }
  return generation_;
}

Result<ManualService> ServiceHoursCache::AskAt(int64_t org_id, const TimeZone& zone, TimePoint at) {
  const uint64_t generation = Refresh();
  std::shared_ptr<const Centre> centre;
  {
    std::shared_lock lock(mutex_);
    if (auto it = centres_.find(org_id); it != centres_.end()) centre = it->second;
  }
  if (!centre) {
    // Loaded outside the lock (four queries); two threads missing the same centre at once both load it.
    auto loaded = std::make_shared<Centre>();
    HOTLINE_ASSIGN_OR_RETURN(loaded->calendar, store_.Load(org_id));
    HOTLINE_ASSIGN_OR_RETURN(loaded->hours, store_.GetServiceHours(org_id));
    centre = loaded;
    std::unique_lock lock(mutex_);
    // A write committed while this was loading moved the generation: the load may predate it, so it
    // answers this question but is not kept.
    if (generation_ == generation && store_generation_seen_ == store_.generation()) centres_[org_id] = centre;
  }
  ManualService out;
  out.open = centre->hours.IsOpen(at, zone, centre->calendar);
  out.next_opening = out.open ? std::optional(at) : centre->hours.NextOpening(at, zone, centre->calendar);
  return out;
}

}  // namespace hotline::calendar
