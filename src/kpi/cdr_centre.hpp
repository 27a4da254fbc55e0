// Resolving a CDR to where it is counted: its centre (org code → org id, which must be a centre) and the
// local day it arrived on in that centre's zone (R-KPI-1…8 count per centre and local business day).
// Shared by the two ways a CDR gets in — `hotline cdr import` (cdr_import.hpp, millions of rows, cached)
// and the live channels' kpi::CdrRecorder (cdr_recorder.hpp, one call at a time) — so both count a call
// on the same day of the same centre.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "org/org_directory.hpp"

namespace hotline::kpi {

// A centre as CDRs need it. Plain value.
struct CdrCentre {
  int64_t org_id = 0;
  TimeZone zone = TimeZone::Shanghai();
};

// Looks up `code` in the directory. Errors (stable codes, messages name the code, at most 32 bytes of it):
//   unknown_centre (invalid_argument) — no org has the code;
//   not_a_centre (invalid_argument)   — the org is a ministry or province (CDRs belong to centres);
//   invalid_field                     — the centre's time zone is not in the system tzdata;
//   and the directory's own errors (unavailable when the database is down).
Result<CdrCentre> ResolveCdrCentre(const org::OrgDirectory& orgs, std::string_view code);

// The local day of instants in one zone, remembering the span [day_begin, day_end) of the last day found:
// calls come day by day (a file's rows, a channel's calls), and a tzdata lookup per call was 1 % of the
// import. Not thread-safe (one per thread or per import).
class LocalDayCache {
 public:
  explicit LocalDayCache(TimeZone zone) : zone_(std::move(zone)) {}
  const TimeZone& zone() const { return zone_; }
  // The local day of `t` (a call belongs to the local day it arrived on). Exact in every zone: only a day
  // of exactly 24 hours is cached, so a daylight-saving day is looked up instant by instant.
  Date LocalDay(TimePoint t) {
    if (t >= day_begin_ && t < day_end_) return day_;
    return Miss(t);
  }

 private:
  Date Miss(TimePoint t);
  TimeZone zone_;
  Date day_{};
  TimePoint day_begin_{}, day_end_{};
};

// ResolveCdrCentre with every answer kept, for the length of one import: a file names a few dozen centres
// over millions of rows. Refusals are kept too (the rows of an unknown code are all refused with the same
// message), so a centre created during the import is not seen by it. Not thread-safe.
class CdrCentreCache {
 public:
  struct Entry {
    int64_t org_id = 0;
    std::optional<LocalDayCache> days;  // set when error is empty
    std::string error;                  // non-empty: rows of this code are refused with this message
  };
  explicit CdrCentreCache(const org::OrgDirectory& orgs) : orgs_(orgs) {}
  // The entry of `code`, with a one-entry cache in front (files list a centre's calls together). The
  // reference stays valid for the cache's lifetime.
  Entry& Resolve(const std::string& code) {
    if (!last_ || code != last_code_) {
      last_ = &Lookup(code);
      last_code_ = code;
    }
    return *last_;
  }

 private:
  Entry& Lookup(const std::string& code);
  const org::OrgDirectory& orgs_;
  std::unordered_map<std::string, Entry> entries_;  // node-based: references stay valid
  std::string last_code_;
  Entry* last_ = nullptr;
};

}  // namespace hotline::kpi
