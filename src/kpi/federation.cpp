#include "kpi/federation.hpp"

#include <set>

#include "net/http_client.hpp"
#include "org/sessions.hpp"

namespace hotline::kpi {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "federation tokens, receipts, change log, outbox", R"sql(
CREATE TABLE federation_tokens (
  id {{ID}},
  org_id BIGINT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE federation_receipts (
  org_id BIGINT NOT NULL,
  day BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, day)
);
CREATE TABLE kpi_changes (
  id {{ID}},
  org_id BIGINT NOT NULL,
  day BIGINT NOT NULL
);
CREATE TABLE federation_outbox (
  upstream TEXT NOT NULL PRIMARY KEY,
  last_change_id BIGINT NOT NULL
);
)sql"},
    // Every insert or update of a centre-day is logged, so a sender knows what changed since its last push.
    {2, "log changes of kpi_daily", R"sql(
CREATE TRIGGER kpi_daily_changed_insert AFTER INSERT ON kpi_daily
BEGIN INSERT INTO kpi_changes (org_id, day) VALUES (NEW.org_id, NEW.day); END;
CREATE TRIGGER kpi_daily_changed_update AFTER UPDATE ON kpi_daily
BEGIN INSERT INTO kpi_changes (org_id, day) VALUES (NEW.org_id, NEW.day); END;
)sql",
     R"sql(
CREATE FUNCTION kpi_daily_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO kpi_changes (org_id, day) VALUES (NEW.org_id, NEW.day); RETURN NEW; END $$;
CREATE TRIGGER kpi_daily_changed AFTER INSERT OR UPDATE ON kpi_daily
FOR EACH ROW EXECUTE FUNCTION kpi_daily_changed();
)sql"},
};

constexpr const char* kSumFields[] = {"n_in",       "n_req",    "n_ans",     "n_ivr",   "n_abn",
                                      "n_overflow", "n_failed", "talk_ms",   "wait_ms", "acw_ms",
                                      "complaints", "surveyed", "satisfied", "basic",   "dissatisfied"};

int64_t* Field(DaySums& s, size_t i) {
  int64_t* f[] = {&s.n_in,       &s.n_req,    &s.n_ans,     &s.n_ivr,   &s.n_abn,
                  &s.n_overflow, &s.n_failed, &s.talk_ms,   &s.wait_ms, &s.acw_ms,
                  &s.complaints, &s.surveyed, &s.satisfied, &s.basic,   &s.dissatisfied};
  return f[i];
}

Error Invalid(std::string m) { return Error::InvalidArgument("invalid_field", std::move(m)); }

}  // namespace

const store::ModuleMigrations kFederationMigrations = {"federation", kMigrations};

nlohmann::json ToJson(const DailyRow& row) {
  nlohmann::json j = {{"center", row.center}, {"day", FormatDate(row.day)}};
  DaySums s = row.sums;
  for (size_t i = 0; i < std::size(kSumFields); ++i) j[kSumFields[i]] = *Field(s, i);
  return j;
}

Result<DailyRow> DailyRowFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Invalid("each row must be an object");
  DailyRow row;
  auto center = j.find("center");
  auto day = j.find("day");
  if (center == j.end() || !center->is_string()) return Invalid("row.center must be a centre code");
  if (day == j.end() || !day->is_string() || !ParseDate(day->get<std::string>(), &row.day))
    return Invalid("row.day must be YYYY-MM-DD");
  row.center = center->get<std::string>();
  for (size_t i = 0; i < std::size(kSumFields); ++i) {
    auto f = j.find(kSumFields[i]);
    if (f == j.end() || !f->is_number_integer() || f->get<int64_t>() < 0)
      return Invalid(std::string("row.") + kSumFields[i] + " must be a non-negative integer");
    *Field(row.sums, i) = f->get<int64_t>();
  }
  const DaySums& s = row.sums;
  if (s.n_req > s.n_in || s.n_ans > s.n_req || s.n_abn > s.n_req || s.surveyed > s.n_ans ||
      s.satisfied + s.basic + s.dissatisfied != s.surveyed)
    return Invalid("row " + row.center + " " + FormatDate(row.day) + ": the counts are inconsistent");
  return row;
}

Result<std::string> FederationStore::IssueToken(const std::string& org_code) {
  HOTLINE_ASSIGN_OR_RETURN(org::Org o, orgs_.FindByCode(org_code));
  std::string token = "fed_" + random_.Token(32);
  HOTLINE_RETURN_IF_ERROR(
      db_.Query("INSERT INTO federation_tokens (org_id, token_hash, created_at) VALUES ($1,$2,$3)",
                {o.id, org::HashToken(token), ToEpochMillis(clock_.Now())}));
  return token;
}

Result<org::Org> FederationStore::Authenticate(const std::string& token) const {
  Error denied{ErrorKind::kUnauthenticated, "unauthenticated",
               "联网上报令牌无效或已吊销：请向上级重新申请令牌"};
  if (token.rfind("fed_", 0) != 0 || token.size() > 128) return denied;
  HOTLINE_ASSIGN_OR_RETURN(
      auto r, db_.Query("SELECT org_id FROM federation_tokens WHERE token_hash = $1 AND revoked = 0",
                        {org::HashToken(token)}));
  if (r.empty()) return denied;
  return orgs_.FindById(r.rows[0][0].AsInt());
}

Result<int64_t> FederationStore::Receive(const org::Org& sender, const std::vector<DailyRow>& rows) {
  // Resolve every centre first: a batch is all or nothing.
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  std::map<std::string, int64_t> cache;
  for (const auto& row : rows) {
    auto it = cache.find(row.center);
    if (it == cache.end()) {
      auto o = orgs_.FindByCode(row.center);
      if (!o.ok())
        return Error::NotFound("上级平台没有中心 " + row.center +
                               "：请先在上级平台用 hotline org add 登记该中心");
      if (o->level != org::OrgLevel::kCenter || !sender.Contains(*o))
        return Invalid("令牌属于 " + sender.code + "，不能上报 " + row.center + " 的数据");
      it = cache.emplace(row.center, o->id).first;
    }
    ids.push_back(it->second);
  }
  int64_t now = ToEpochMillis(clock_.Now());
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const DaySums& d = rows[i].sums;
      int64_t day = rows[i].day.time_since_epoch().count();
      HOTLINE_RETURN_IF_ERROR(s.Query(
          "INSERT INTO kpi_daily (org_id, day, n_in, n_req, n_ans, n_ivr, n_abn, n_overflow, n_failed, "
          "talk_ms, "
          "wait_ms, acw_ms, complaints, surveyed, satisfied, basic, dissatisfied) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) "
          "ON CONFLICT (org_id, day) DO UPDATE SET n_in = excluded.n_in, n_req = excluded.n_req, "
          "n_ans = excluded.n_ans, n_ivr = excluded.n_ivr, n_abn = excluded.n_abn, n_overflow = "
          "excluded.n_overflow, "
          "n_failed = excluded.n_failed, talk_ms = excluded.talk_ms, wait_ms = excluded.wait_ms, "
          "acw_ms = excluded.acw_ms, complaints = excluded.complaints, surveyed = excluded.surveyed, "
          "satisfied = excluded.satisfied, basic = excluded.basic, dissatisfied = excluded.dissatisfied",
          {ids[i], day, d.n_in, d.n_req, d.n_ans, d.n_ivr, d.n_abn, d.n_overflow, d.n_failed, d.talk_ms,
           d.wait_ms, d.acw_ms, d.complaints, d.surveyed, d.satisfied, d.basic, d.dissatisfied}));
      HOTLINE_RETURN_IF_ERROR(
          s.Query("INSERT INTO federation_receipts (org_id, day, received_at) VALUES ($1,$2,$3) "
                  "ON CONFLICT (org_id, day) DO UPDATE SET received_at = excluded.received_at",
                  {ids[i], day, now}));
    }
    return OkStatus();
  });
  if (!st.ok()) return st.take_error();
  return static_cast<int64_t>(rows.size());
}

Result<std::vector<ReportingStatus>> FederationStore::Reporting(const org::Org& root, Date from,
                                                                Date to) const {
  HOTLINE_ASSIGN_OR_RETURN(auto all, orgs_.ListWithin(root));
  std::vector<ReportingStatus> out;
  for (const auto& o : all) {
    if (o.level != org::OrgLevel::kCenter) continue;
    HOTLINE_ASSIGN_OR_RETURN(
        auto r, db_.Query("SELECT day, received_at FROM federation_receipts WHERE org_id = $1 AND "
                          "day >= $2 AND day <= $3 ORDER BY day",
                          {o.id, static_cast<int64_t>(from.time_since_epoch().count()),
                           static_cast<int64_t>(to.time_since_epoch().count())}));
    ReportingStatus st{o.code, o.name, static_cast<int64_t>(r.size()), {}, std::nullopt};
    std::set<int64_t> have;
    for (const auto& row : r.rows) {
      have.insert(row[0].AsInt());
      TimePoint at = FromEpochMillis(row[1].AsInt());
      if (!st.last_received_at || at > *st.last_received_at) st.last_received_at = at;
    }
    for (Date d = from; d <= to && st.missing.size() < 62; d += std::chrono::days(1))
      if (!have.count(d.time_since_epoch().count())) st.missing.push_back(FormatDate(d));
    out.push_back(std::move(st));
  }
  return out;
}

Result<std::pair<std::vector<DailyRow>, int64_t>> FederationStore::Pending(const std::string& upstream,
                                                                           size_t limit) const {
  HOTLINE_ASSIGN_OR_RETURN(
      auto w, db_.Query("SELECT last_change_id FROM federation_outbox WHERE upstream = $1", {upstream}));
  int64_t since = w.empty() ? 0 : w.rows[0][0].AsInt();
  // The changed centre-days after the watermark, oldest change first; the acknowledged id is the largest
  // change id covered, so a later change to the same day is sent again next time.
  HOTLINE_ASSIGN_OR_RETURN(auto changes,
                           db_.Query("SELECT org_id, day, MAX(id) AS last_id FROM kpi_changes WHERE id > $1 "
                                     "GROUP BY org_id, day ORDER BY MAX(id) LIMIT $2",
                                     {since, static_cast<int64_t>(limit)}));
  std::vector<DailyRow> rows;
  int64_t ack = since;
  std::map<int64_t, std::string> codes;
  for (const auto& c : changes.rows) {
    int64_t org_id = c[0].AsInt(), day = c[1].AsInt();
    ack = std::max(ack, c[2].AsInt());
    auto code = codes.find(org_id);
    if (code == codes.end()) {
      auto o = orgs_.FindById(org_id);
      if (!o.ok()) continue;
      code = codes.emplace(org_id, o->code).first;
    }
    HOTLINE_ASSIGN_OR_RETURN(
        auto r,
        db_.Query("SELECT n_in, n_req, n_ans, n_ivr, n_abn, n_overflow, n_failed, talk_ms, wait_ms, acw_ms, "
                  "complaints, surveyed, satisfied, basic, dissatisfied FROM kpi_daily "
                  "WHERE org_id = $1 AND day = $2",
                  {org_id, day}));
    if (r.empty()) continue;
    DailyRow row{code->second, Date(std::chrono::days(day)), {}};
    for (size_t i = 0; i < std::size(kSumFields); ++i) *Field(row.sums, i) = r.rows[0][i].AsInt();
    rows.push_back(std::move(row));
  }
  return std::make_pair(std::move(rows), ack);
}

Status FederationStore::Acknowledge(const std::string& upstream, int64_t change_id) {
  HOTLINE_RETURN_IF_ERROR(
      db_.Query("INSERT INTO federation_outbox (upstream, last_change_id) VALUES ($1, $2) "
                "ON CONFLICT (upstream) DO UPDATE SET last_change_id = excluded.last_change_id",
                {upstream, change_id}));
  return OkStatus();
}

Result<int64_t> PushUpstream(FederationStore& store, const std::string& upstream_url,
                             const std::string& token) {
  int64_t delivered = 0;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(auto pending, store.Pending(upstream_url, 2000));
    auto& [rows, ack] = pending;
    if (rows.empty()) {
      if (ack > 0) HOTLINE_RETURN_IF_ERROR(store.Acknowledge(upstream_url, ack));
      return delivered;
    }
    nlohmann::json body = {{"rows", nlohmann::json::array()}};
    for (const auto& r : rows) body["rows"].push_back(ToJson(r));
    HOTLINE_ASSIGN_OR_RETURN(auto res, net::HttpRequest("POST", upstream_url + "/api/v1/federation/daily",
                                                        {{"Authorization", "Bearer " + token},
                                                         {"Content-Type", "application/json"}},
                                                        body.dump(), std::chrono::seconds(30)));
    if (res.status != 200)
      return Error::Unavailable("上级平台拒绝了上报（HTTP " + std::to_string(res.status) + "）：" +
                                res.body.substr(0, 300));
    HOTLINE_RETURN_IF_ERROR(store.Acknowledge(upstream_url, ack));
    delivered += static_cast<int64_t>(rows.size());
  }
}

}  // namespace hotline::kpi
