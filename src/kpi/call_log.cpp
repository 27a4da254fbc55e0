#include "kpi/call_log.hpp"

namespace hotline::kpi {

std::string MaskPhone(std::string_view p) {
  if (p.size() >= 11) return std::string(p.substr(0, 3)) + "****" + std::string(p.substr(p.size() - 4));
  if (p.size() >= 5)
    return std::string(p.substr(0, 2)) + std::string(p.size() - 4, '*') + std::string(p.substr(p.size() - 2));
  return std::string(p.size(), '*');
}

Result<CallLog::Page> CallLog::ListDay(int64_t org_id, Date day, std::optional<Outcome> outcome, int offset,
                                       int limit) const {
  store::Params params{org_id, static_cast<int64_t>(day.time_since_epoch().count())};
  // The centre-day's calls lie in its id runs (migration 3, kpi_store.cpp); a run holds no other
  // centre-day's calls, the filter on org_id and local_day says so again.
  std::string where =
      " FROM cdr_runs r JOIN cdrs c ON c.id BETWEEN r.first_id AND r.last_id"
      " WHERE r.org_id = $1 AND r.local_day = $2 AND c.org_id = $1 AND c.local_day = $2";
  if (outcome) {
    params.emplace_back(static_cast<int64_t>(*outcome));  // stored as the enum value (migration 2)
    where += " AND c.outcome = $3";
  }
  HOTLINE_ASSIGN_OR_RETURN(auto count, db_.Query("SELECT COUNT(*)" + where, params));
  params.emplace_back(limit);
  params.emplace_back(offset);
  std::string n = std::to_string(params.size());
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query("SELECT c.call_id, c.caller, c.arrived_at, c.outcome, c.queued_ms, c.answered_ms, "
                        "c.talk_ended_ms, c.acw_ended_ms, c.agent, c.survey, c.complaint" +
                            where + " ORDER BY c.arrived_at, c.call_id LIMIT $" +
                            std::to_string(params.size() - 1) + " OFFSET $" + n,
                        params));
  Page page;
  page.total = count.rows[0][0].AsInt();
  std::vector<CallSummary>& out = page.calls;
  out.reserve(r.size());
  for (const auto& row : r.rows) {
    CallSummary c;
    c.call_id = row[0].AsText();
    c.caller_masked = MaskPhone(row[1].AsText());
    c.arrived_at = FromEpochMillis(row[2].AsInt());
    int64_t outcome = row[3].AsInt(), survey = row[9].AsInt();
    c.outcome = outcome >= 0 && outcome <= 4 ? static_cast<Outcome>(outcome) : Outcome::kFailed;
    auto at = [&](size_t i) { return row[i].is_null() ? std::optional<int64_t>() : row[i].AsInt(); };
    auto queued = at(4), answered = at(5), talk_end = at(6), acw_end = at(7);
    if (queued && answered) c.wait_ms = *answered - *queued;
    if (answered && talk_end) c.talk_ms = *talk_end - *answered;
    if (talk_end && acw_end) c.acw_ms = *acw_end - *talk_end;
    c.agent = row[8].AsText();
    c.survey = survey >= 0 && survey <= 3 ? static_cast<Survey>(survey) : Survey::kNone;
    c.complaint = row[10].AsInt() != 0;
    out.push_back(std::move(c));
  }
  return page;
}

}  // namespace hotline::kpi
