#include "kpi/cdr_centre.hpp"

namespace hotline::kpi {

Result<CdrCentre> ResolveCdrCentre(const org::OrgDirectory& orgs, std::string_view code) {
  auto org = orgs.FindByCode(code);
  if (!org.ok()) {
    if (org.error().kind != ErrorKind::kNotFound) return org.take_error();
    return Error::InvalidArgument("unknown_centre", "unknown centre '" + std::string(code.substr(0, 32)) +
                                                        "' (add it with hotline org add, or fix the center "
                                                        "column)");
  }
  if (org->level != org::OrgLevel::kCenter)
    return Error::InvalidArgument("not_a_centre", "'" + std::string(code.substr(0, 32)) + "' is a " +
                                                      std::string(org::OrgLevelName(org->level)) +
                                                      ", not a centre");
  HOTLINE_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Find(org->time_zone));
  return CdrCentre{.org_id = org->id, .zone = std::move(zone)};
}

Date LocalDayCache::Miss(TimePoint t) {
  day_ = zone_.LocalDay(t);
  day_begin_ = zone_.StartOfDay(day_);
  day_end_ = zone_.StartOfDay(day_ + std::chrono::days{1});
  // Only a day of exactly 24 hours has one UTC offset throughout, so that every instant of it maps to it
  // (not so on a day of a daylight-saving change, which is looked up call by call).
  if (day_end_ - day_begin_ != std::chrono::hours{24}) day_end_ = day_begin_;
  return day_;
}

CdrCentreCache::Entry& CdrCentreCache::Lookup(const std::string& code) {
  auto it = entries_.find(code);
  if (it != entries_.end()) return it->second;
  Entry e;
  auto centre = ResolveCdrCentre(orgs_, code);
  if (centre.ok()) {
    e.org_id = centre->org_id;
    e.days.emplace(std::move(centre->zone));
  } else {
    e.error = centre.error().message;
  }
  return entries_.emplace(code, std::move(e)).first->second;
}

}  // namespace hotline::kpi
