#include "kpi/kpi_store.hpp"

#include <unordered_map>

namespace hotline::kpi {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "cdrs and daily sums", R"sql(
CREATE TABLE cdrs (
  call_id TEXT NOT NULL PRIMARY KEY,
  org_id BIGINT NOT NULL,
  local_day BIGINT NOT NULL,
  caller TEXT NOT NULL,
  arrived_at BIGINT NOT NULL,
  queued_at BIGINT,
  answered_at BIGINT,
  talk_ended_at BIGINT,
  acw_ended_at BIGINT,
  ended_at BIGINT,
  agent TEXT NOT NULL,
  outcome TEXT NOT NULL,
  survey TEXT NOT NULL,
  complaint BIGINT NOT NULL,
  import_id BIGINT NOT NULL
);
CREATE INDEX cdrs_org_day ON cdrs(org_id, local_day);
CREATE TABLE kpi_daily (
  org_id BIGINT NOT NULL,
  day BIGINT NOT NULL,
  n_in BIGINT NOT NULL, n_req BIGINT NOT NULL, n_ans BIGINT NOT NULL, n_ivr BIGINT NOT NULL,
  n_abn BIGINT NOT NULL, n_overflow BIGINT NOT NULL, n_failed BIGINT NOT NULL,
  talk_ms BIGINT NOT NULL, wait_ms BIGINT NOT NULL, acw_ms BIGINT NOT NULL,
  complaints BIGINT NOT NULL, surveyed BIGINT NOT NULL, satisfied BIGINT NOT NULL, basic BIGINT NOT NULL,
  dissatisfied BIGINT NOT NULL,
  PRIMARY KEY (org_id, day)
);
)sql"},
};

constexpr const char* kSumColumns =
    "SUM(n_in), SUM(n_req), SUM(n_ans), SUM(n_ivr), SUM(n_abn), SUM(n_overflow), SUM(n_failed), SUM(talk_ms), "
    "SUM(wait_ms), SUM(acw_ms), SUM(complaints), SUM(surveyed), SUM(satisfied), SUM(basic), SUM(dissatisfied)";

DaySums FromRow(const std::vector<store::Value>& row, size_t first) {
  DaySums s;
  int64_t* fields[] = {&s.n_in,    &s.n_req,   &s.n_ans,    &s.n_ivr,      &s.n_abn,    &s.n_overflow,
                       &s.n_failed, &s.talk_ms, &s.wait_ms, &s.acw_ms,     &s.complaints, &s.surveyed,
                       &s.satisfied, &s.basic,  &s.dissatisfied};
  for (size_t i = 0; i < std::size(fields); ++i) *fields[i] = row[first + i].AsInt();
  return s;
}

int64_t DayNumber(Date d) { return d.time_since_epoch().count(); }

// " AND org_id IN ($k, …)" with the ids appended to params.
std::string OrgFilter(const std::vector<int64_t>& org_ids, store::Params& params) {
  std::string sql = " AND org_id IN (";
  for (size_t i = 0; i < org_ids.size(); ++i) {
    params.emplace_back(org_ids[i]);
    sql += (i ? ",$" : "$") + std::to_string(params.size());
  }
  return sql + ")";
}

store::Value Opt(const std::optional<TimePoint>& t) {
  return t ? store::Value(ToEpochMillis(*t)) : store::Value();
}

}  // namespace

const store::ModuleMigrations kKpiMigrations = {"kpi", kMigrations};

Result<KpiStore::InsertResult> KpiStore::Insert(const std::vector<ResolvedCdr>& batch, int64_t import_id) {
  InsertResult result;
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    result = {};
    std::map<std::pair<int64_t, int64_t>, DaySums> sums;
    for (size_t i = 0; i < batch.size(); ++i) {
      const ResolvedCdr& r = batch[i];
      const Cdr& c = r.cdr;
      HOTLINE_ASSIGN_OR_RETURN(
          auto res,
          s.Query("INSERT INTO cdrs (call_id, org_id, local_day, caller, arrived_at, queued_at, answered_at, "
                  "talk_ended_at, acw_ended_at, ended_at, agent, outcome, survey, complaint, import_id) "
                  "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) ON CONFLICT (call_id) DO NOTHING",
                  {c.call_id, r.org_id, DayNumber(r.local_day), c.caller, ToEpochMillis(c.arrived_at), Opt(c.queued_at),
                   Opt(c.answered_at), Opt(c.talk_ended_at), Opt(c.acw_ended_at), Opt(c.ended_at), c.agent,
                   OutcomeName(c.outcome), SurveyName(c.survey), c.complaint, import_id}));
      if (res.affected_rows == 0) {
        HOTLINE_ASSIGN_OR_RETURN(auto prev, s.Query("SELECT import_id FROM cdrs WHERE call_id = $1", {c.call_id}));
        if (!prev.empty() && prev.rows[0][0].AsInt() == import_id)
          result.duplicates.push_back(i);
        else
          ++result.already_stored;
        continue;
      }
      ++result.inserted;
      sums[{r.org_id, DayNumber(r.local_day)}].Add(c);
    }
    for (const auto& [key, d] : sums) {
      HOTLINE_RETURN_IF_ERROR(s.Query(
          "INSERT INTO kpi_daily (org_id, day, n_in, n_req, n_ans, n_ivr, n_abn, n_overflow, n_failed, talk_ms, "
          "wait_ms, acw_ms, complaints, surveyed, satisfied, basic, dissatisfied) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) "
          "ON CONFLICT (org_id, day) DO UPDATE SET n_in = kpi_daily.n_in + excluded.n_in, "
          "n_req = kpi_daily.n_req + excluded.n_req, n_ans = kpi_daily.n_ans + excluded.n_ans, "
          "n_ivr = kpi_daily.n_ivr + excluded.n_ivr, n_abn = kpi_daily.n_abn + excluded.n_abn, "
          "n_overflow = kpi_daily.n_overflow + excluded.n_overflow, "
          "n_failed = kpi_daily.n_failed + excluded.n_failed, talk_ms = kpi_daily.talk_ms + excluded.talk_ms, "
          "wait_ms = kpi_daily.wait_ms + excluded.wait_ms, acw_ms = kpi_daily.acw_ms + excluded.acw_ms, "
          "complaints = kpi_daily.complaints + excluded.complaints, "
          "surveyed = kpi_daily.surveyed + excluded.surveyed, satisfied = kpi_daily.satisfied + excluded.satisfied, "
          "basic = kpi_daily.basic + excluded.basic, dissatisfied = kpi_daily.dissatisfied + excluded.dissatisfied",
          {key.first, key.second, d.n_in, d.n_req, d.n_ans, d.n_ivr, d.n_abn, d.n_overflow, d.n_failed, d.talk_ms,
           d.wait_ms, d.acw_ms, d.complaints, d.surveyed, d.satisfied, d.basic, d.dissatisfied}));
    }
    return OkStatus();
  });
  if (!st.ok()) return st.take_error();
  return result;
}

Result<DaySums> KpiStore::Sum(const std::vector<int64_t>& org_ids, Date from, Date to) const {
  if (org_ids.empty()) return DaySums{};
  store::Params params{DayNumber(from), DayNumber(to)};
  std::string sql = std::string("SELECT ") + kSumColumns + " FROM kpi_daily WHERE day >= $1 AND day <= $2" +
                    OrgFilter(org_ids, params);
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  return FromRow(r.rows[0], 0);
}

Result<std::map<std::pair<int64_t, Date>, DaySums>> KpiStore::Daily(const std::vector<int64_t>& org_ids, Date from,
                                                                   Date to) const {
  std::map<std::pair<int64_t, Date>, DaySums> out;
  if (org_ids.empty()) return out;
  store::Params params{DayNumber(from), DayNumber(to)};
  std::string sql =
      "SELECT org_id, day, n_in, n_req, n_ans, n_ivr, n_abn, n_overflow, n_failed, talk_ms, wait_ms, acw_ms, "
      "complaints, surveyed, satisfied, basic, dissatisfied FROM kpi_daily WHERE day >= $1 AND day <= $2" +
      OrgFilter(org_ids, params);
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  for (const auto& row : r.rows)
    out[{row[0].AsInt(), Date(std::chrono::days(row[1].AsInt()))}] = FromRow(row, 2);
  return out;
}

Result<DaySums> KpiStore::SumFromCdrs(const std::vector<int64_t>& org_ids, Date from, Date to) const {
  if (org_ids.empty()) return DaySums{};
  store::Params params{DayNumber(from), DayNumber(to)};
  std::string sql =
      "SELECT COUNT(*), "
      "SUM(CASE WHEN outcome IN ('answered','abandoned','overflow') THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'ivr' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 'abandoned' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'overflow' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 'answered' THEN talk_ended_at - answered_at ELSE 0 END), "
      "SUM(CASE WHEN outcome = 'answered' THEN answered_at - queued_at ELSE 0 END), "
      "SUM(CASE WHEN outcome = 'answered' AND acw_ended_at IS NOT NULL THEN acw_ended_at - talk_ended_at ELSE 0 END), "
      "SUM(complaint), SUM(CASE WHEN survey <> '' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN survey = 'satisfied' THEN 1 ELSE 0 END), SUM(CASE WHEN survey = 'basic' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN survey = 'dissatisfied' THEN 1 ELSE 0 END) "
      "FROM cdrs WHERE local_day >= $1 AND local_day <= $2" +
      OrgFilter(org_ids, params);
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  return FromRow(r.rows[0], 0);
}

}  // namespace hotline::kpi
