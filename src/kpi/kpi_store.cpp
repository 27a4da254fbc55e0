#include "kpi/kpi_store.hpp"

#include <algorithm>
#include <bit>
#include <unordered_map>

namespace hotline::kpi {
namespace {

// cdrs as migration 1 created it (migration 2, below, reshapes it): one row per call. The primary key
// clusters a centre-day's calls together (drill-down to the calls of a day, and the reference GROUP BY,
// read one contiguous range); UNIQUE (call_id) makes the import idempotent. On SQLite the table is
// WITHOUT ROWID, so the clustered key is the table itself rather than a third B-tree.
//   local_day: days since 1970-01-01 of arrived_at in the centre's zone; instants: epoch ms UTC;
//   outcome, survey: OutcomeName / SurveyName (cdr.hpp); complaint: 0/1;
//   import_id, import_line: the import that stored the row and its line in that file.
// kpi_daily: the additive sums per (centre, local day) that every report reads (indicators.hpp).
// kpi_monthly: the same per (centre, month), month = the day number of its first day. Triggers keep it the
// exact sum of its kpi_daily rows whoever writes them (the import, federation, the complaint counter), in
// the same transaction; a report over a long period then reads months instead of days (KpiStore::Sum).
#define HOTLINE_KPI_CDRS_TABLE                    \
  "CREATE TABLE cdrs (\n"                         \
  "  org_id BIGINT NOT NULL,\n"                   \
  "  local_day BIGINT NOT NULL,\n"                \
  "  call_id TEXT NOT NULL,\n"                    \
  "  caller TEXT NOT NULL,\n"                     \
  "  arrived_at BIGINT NOT NULL,\n"               \
  "  queued_at BIGINT,\n"                         \
  "  answered_at BIGINT,\n"                       \
  "  talk_ended_at BIGINT,\n"                     \
  "  acw_ended_at BIGINT,\n"                      \
  "  ended_at BIGINT,\n"                          \
  "  agent TEXT NOT NULL,\n"                      \
  "  outcome TEXT NOT NULL,\n"                    \
  "  survey TEXT NOT NULL,\n"                     \
  "  complaint BIGINT NOT NULL,\n"                \
  "  import_id BIGINT NOT NULL,\n"                \
  "  import_line BIGINT NOT NULL,\n"              \
  "  PRIMARY KEY (org_id, local_day, call_id),\n" \
  "  UNIQUE (call_id)\n"                          \
  ")"

constexpr std::string_view kSumFields[] = {"n_in",       "n_req",    "n_ans",     "n_ivr",   "n_abn",
                                           "n_overflow", "n_failed", "talk_ms",   "wait_ms", "acw_ms",
                                           "complaints", "surveyed", "satisfied", "basic",   "dissatisfied"};

// CREATE TABLE `table` (org_id, `key`, the sums…, PRIMARY KEY (org_id, `key`)).
std::string SumsTable(std::string_view table, std::string_view key) {
  std::string sql = "CREATE TABLE " + std::string(table) + " (\n  org_id BIGINT NOT NULL,\n  " +
                    std::string(key) + " BIGINT NOT NULL,\n";
  for (auto f : kSumFields) sql += "  " + std::string(f) + " BIGINT NOT NULL,\n";
  return sql + "  PRIMARY KEY (org_id, " + std::string(key) + ")\n);\n";
}

// Adds (sign "") or subtracts (sign "-") the kpi_daily row `row` (NEW or OLD) to its month.
// `month_of_day` turns the SQL expression "DAY" (a day number) into its month's first day number.
std::string AddToMonth(std::string_view row, std::string_view sign, std::string_view month_of_day) {
  std::string month(month_of_day);
  month.replace(month.find("DAY"), 3, std::string(row) + ".day");
  std::string cols = "org_id, month", values = std::string(row) + ".org_id, " + month, set;
  for (auto f : kSumFields) {
    cols += ", " + std::string(f);
    values += ", " + std::string(sign) + std::string(row) + "." + std::string(f);
    set += std::string(set.empty() ? "" : ", ") + std::string(f) + " = kpi_monthly." + std::string(f) +
           " + excluded." + std::string(f);
  }
  return "  INSERT INTO kpi_monthly (" + cols + ") VALUES (" + values +
         ")\n  ON CONFLICT (org_id, month) DO UPDATE SET " + set + ";\n";
}

std::string KpiSchema(store::Dialect d) {
  std::string sql = HOTLINE_KPI_CDRS_TABLE;
  sql += d == store::Dialect::kSqlite ? " WITHOUT ROWID;\n" : ";\n";
  sql += SumsTable("kpi_daily", "day") + SumsTable("kpi_monthly", "month");
  if (d == store::Dialect::kSqlite) {
    constexpr std::string_view kMonth =
        "(CAST(strftime('%s', DAY * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400)";
    sql += "CREATE TRIGGER kpi_daily_to_monthly_insert AFTER INSERT ON kpi_daily BEGIN\n" +
           AddToMonth("NEW", "", kMonth) + "END;\n";
    sql += "CREATE TRIGGER kpi_daily_to_monthly_update AFTER UPDATE ON kpi_daily BEGIN\n" +
           AddToMonth("OLD", "-", kMonth) + AddToMonth("NEW", "", kMonth) + "END;\n";
    sql += "CREATE TRIGGER kpi_daily_to_monthly_delete AFTER DELETE ON kpi_daily BEGIN\n" +
           AddToMonth("OLD", "-", kMonth) + "END;\n";
  } else {
    constexpr std::string_view kMonth =
        "(date_trunc('month', (DATE '1970-01-01' + (DAY)::integer)::timestamp)::date - DATE '1970-01-01')";
    sql +=
        "CREATE FUNCTION kpi_daily_to_monthly() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        "IF TG_OP <> 'INSERT' THEN\n" +
        AddToMonth("OLD", "-", kMonth) +
        "END IF;\n"
        "IF TG_OP <> 'DELETE' THEN\n" +
        AddToMonth("NEW", "", kMonth) +
        "END IF;\n"
        "RETURN NULL;\nEND $$;\n"
        "CREATE TRIGGER kpi_daily_to_monthly AFTER INSERT OR UPDATE OR DELETE ON kpi_daily\n"
        "FOR EACH ROW EXECUTE FUNCTION kpi_daily_to_monthly();\n";
  }
  return sql;
}
#undef HOTLINE_KPI_CDRS_TABLE

const std::string kSqliteSchema = KpiSchema(store::Dialect::kSqlite);
const std::string kPostgresSchema = KpiSchema(store::Dialect::kPostgres);

// Migration 2 (issue 5, import ≥ 300,000 CDRs/s): cdrs becomes a table whose rows are appended in import
// order (on SQLite a rowid table; the clustered WITHOUT ROWID key made every insert a B-tree search and
// split at one of the centres' insertion points), with
//   - UNIQUE (call_id): the import's idempotence, exact (the call_id itself, no hash);
//   - INDEX (org_id, local_day): the drill-down to a centre-day's calls (CallLog) and the reference
//     GROUP BY (SumFromCdrs) read a range of it;
// and narrower rows: outcome and survey as small integers (the Outcome / Survey enum values, cdr.hpp),
// the later instants as milliseconds after arrived_at (queued_ms … ended_ms: small numbers, 2–4 bytes
// instead of 6 in SQLite's record format). Existing rows are copied over, converted.
//   outcome: 0 ivr, 1 answered, 2 abandoned, 3 overflow, 4 failed; survey: 0 none, 1 satisfied, 2 basic,
//   3 dissatisfied; complaint 0/1; import_id, import_line as before.
#define HOTLINE_KPI_CDRS_V2(TABLE)   \
  "CREATE TABLE " TABLE              \
  " (\n"                             \
  "  org_id BIGINT NOT NULL,\n"      \
  "  local_day BIGINT NOT NULL,\n"   \
  "  call_id TEXT NOT NULL,\n"       \
  "  caller TEXT NOT NULL,\n"        \
  "  arrived_at BIGINT NOT NULL,\n"  \
  "  queued_ms BIGINT,\n"            \
  "  answered_ms BIGINT,\n"          \
  "  talk_ended_ms BIGINT,\n"        \
  "  acw_ended_ms BIGINT,\n"         \
  "  ended_ms BIGINT,\n"             \
  "  agent TEXT NOT NULL,\n"         \
  "  outcome SMALLINT NOT NULL,\n"   \
  "  survey SMALLINT NOT NULL,\n"    \
  "  complaint SMALLINT NOT NULL,\n" \
  "  import_id BIGINT NOT NULL,\n"   \
  "  import_line BIGINT NOT NULL\n"  \
  ");\n"
constexpr const char* kCdrsV2 =
    HOTLINE_KPI_CDRS_V2("cdrs_v2")
    "INSERT INTO cdrs_v2 (org_id, local_day, call_id, caller, arrived_at, queued_ms, answered_ms, talk_ended_ms,\n"
    "  acw_ended_ms, ended_ms, agent, outcome, survey, complaint, import_id, import_line)\n"
    "SELECT org_id, local_day, call_id, caller, arrived_at, queued_at - arrived_at, answered_at - arrived_at,\n"
    "  talk_ended_at - arrived_at, acw_ended_at - arrived_at, ended_at - arrived_at, agent,\n"
    "  CASE outcome WHEN 'ivr' THEN 0 WHEN 'answered' THEN 1 WHEN 'abandoned' THEN 2 WHEN 'overflow' THEN 3 ELSE 4 END,\n"
    "  CASE survey WHEN 'satisfied' THEN 1 WHEN 'basic' THEN 2 WHEN 'dissatisfied' THEN 3 ELSE 0 END,\n"
    "  complaint, import_id, import_line\n"
    "FROM cdrs ORDER BY import_id, import_line;\n"
    "DROP TABLE cdrs;\n"
    "ALTER TABLE cdrs_v2 RENAME TO cdrs;\n"
    "CREATE UNIQUE INDEX cdrs_call_id ON cdrs (call_id);\n"
    "CREATE INDEX cdrs_org_day ON cdrs (org_id, local_day);\n";
#undef HOTLINE_KPI_CDRS_V2

// Migration 3 (issue 5, import ≥ 300,000 CDRs/s): the (org_id, local_day) index goes — it was a fifth
// of the import's instructions, one more B-tree search and insert per CDR — and what it served, the
// drill-down to a centre-day's calls (CallLog) and the kpi_bench reference, reads cdr_runs instead:
//   - cdrs.id: the row's number in import order, max(id) + 1 on (on SQLite the rowid itself, INTEGER
//     PRIMARY KEY, assigned by SQLite; on PostgreSQL assigned by the import under a lock: KpiStore::Insert);
//   - cdr_runs (org_id, local_day, first_id, last_id): the CDRs of a centre-day lie in its runs, each
//     a range of ids; the import writes one run per stretch of consecutive rows of one centre-day (a
//     file exported per centre and day in time order gives one or two runs per centre-day and batch,
//     a file with the centres' calls interleaved one per row, no better than the index was). A run may
//     hold ids that were never stored (rows skipped as already imported), never ids of another centre-
//     day. Readers still filter on org_id and local_day.
// Existing rows are numbered centre-day by centre-day (in arrival order within one), so each centre-day
// has one run; the runs are found as islands of consecutive ids, the same way whatever the numbering.
// (Not by import_id: it is a random number, so it says nothing about the order of imports.)
// clang-format off
#define HOTLINE_KPI_CDRS_V3(ID_COLUMN) \
  "CREATE TABLE cdrs_v3 (\n" \
  "  id " ID_COLUMN ",\n" \
  "  org_id BIGINT NOT NULL,\n" \
  "  local_day BIGINT NOT NULL,\n" \
  "  call_id TEXT NOT NULL,\n" \
  "  caller TEXT NOT NULL,\n" \
  "  arrived_at BIGINT NOT NULL,\n" \
  "  queued_ms BIGINT,\n" \
  "  answered_ms BIGINT,\n" \
  "  talk_ended_ms BIGINT,\n" \
  "  acw_ended_ms BIGINT,\n" \
  "  ended_ms BIGINT,\n" \
  "  agent TEXT NOT NULL,\n" \
  "  outcome SMALLINT NOT NULL,\n" \
  "  survey SMALLINT NOT NULL,\n" \
  "  complaint SMALLINT NOT NULL,\n" \
  "  import_id BIGINT NOT NULL,\n" \
  "  import_line BIGINT NOT NULL\n" \
  ");\n" \
  "INSERT INTO cdrs_v3 (id, org_id, local_day, call_id, caller, arrived_at, queued_ms, answered_ms,\n" \
  "  talk_ended_ms, acw_ended_ms, ended_ms, agent, outcome, survey, complaint, import_id, import_line)\n" \
  "SELECT ROW_NUMBER() OVER (ORDER BY org_id, local_day, arrived_at, call_id),\n" \
  "  org_id, local_day, call_id, caller, arrived_at, queued_ms, answered_ms, talk_ended_ms, acw_ended_ms,\n" \
  "  ended_ms, agent, outcome, survey, complaint, import_id, import_line\n" \
  "FROM cdrs;\n" \
  "DROP TABLE cdrs;\n" \
  "ALTER TABLE cdrs_v3 RENAME TO cdrs;\n" \
  "CREATE UNIQUE INDEX cdrs_call_id ON cdrs (call_id);\n" \
  "CREATE TABLE cdr_runs (\n" \
  "  org_id BIGINT NOT NULL,\n" \
  "  local_day BIGINT NOT NULL,\n" \
  "  first_id BIGINT NOT NULL,\n" \
  "  last_id BIGINT NOT NULL,\n" \
  "  PRIMARY KEY (org_id, local_day, first_id)\n" \
  ");\n" \
  "INSERT INTO cdr_runs (org_id, local_day, first_id, last_id)\n" \
  "SELECT org_id, local_day, MIN(id), MAX(id) FROM (\n" \
  "  SELECT id, org_id, local_day,\n" \
  "    id - ROW_NUMBER() OVER (PARTITION BY org_id, local_day ORDER BY id) AS island\n" \
  "  FROM cdrs) AS numbered\n" \
  "GROUP BY org_id, local_day, island;\n"
// clang-format on
constexpr const char* kCdrsV3Sqlite = HOTLINE_KPI_CDRS_V3("INTEGER PRIMARY KEY");
constexpr const char* kCdrsV3Postgres = HOTLINE_KPI_CDRS_V3("BIGINT PRIMARY KEY");
#undef HOTLINE_KPI_CDRS_V3

const store::Migration kMigrations[] = {
    {1, "cdrs, daily and monthly sums", kSqliteSchema, kPostgresSchema},
    {2, "cdrs appended in import order, narrow rows", kCdrsV2},
    {3, "cdrs numbered in import order, cdr_runs instead of the (org_id, local_day) index", kCdrsV3Sqlite,
     kCdrsV3Postgres},
};

constexpr const char* kSumColumns =
    "SUM(n_in), SUM(n_req), SUM(n_ans), SUM(n_ivr), SUM(n_abn), SUM(n_overflow), SUM(n_failed), "
    "SUM(talk_ms), "
    "SUM(wait_ms), SUM(acw_ms), SUM(complaints), SUM(surveyed), SUM(satisfied), SUM(basic), "
    "SUM(dissatisfied)";

DaySums FromRow(const std::vector<store::Value>& row, size_t first) {
  DaySums s;
  int64_t* fields[] = {&s.n_in,       &s.n_req,    &s.n_ans,     &s.n_ivr,   &s.n_abn,
                       &s.n_overflow, &s.n_failed, &s.talk_ms,   &s.wait_ms, &s.acw_ms,
                       &s.complaints, &s.surveyed, &s.satisfied, &s.basic,   &s.dissatisfied};
  for (size_t i = 0; i < std::size(fields); ++i) *fields[i] = row[first + i].AsInt();
  return s;
}

int64_t DayNumber(Date d) { return d.time_since_epoch().count(); }

// " AND org_id IN ($k, …)" with the ids appended to params (`column`: the org_id column, qualified when
// the query joins tables).
std::string OrgFilter(const std::vector<int64_t>& org_ids, store::Params& params,
                      std::string_view column = "org_id") {
  std::string sql = " AND " + std::string(column) + " IN (";
  for (size_t i = 0; i < org_ids.size(); ++i) {
    params.emplace_back(org_ids[i]);
    sql += (i ? ",$" : "$") + std::to_string(params.size());
  }
  return sql + ")";
}

// Rows per INSERT statement (a power of two). A multi-row VALUES list spreads a statement's fixed cost:
// on PostgreSQL a network round trip, on SQLite the statement's reset, bind and step overhead (the port
// maps $n parameters to slots once per prepared statement, so long lists cost nothing extra there).
// Measured on SQLite, 1,006,672 CDRs: 1 row per statement 5.2–5.7 s user CPU, 16 rows 4.2 s, 64 rows 4.1–4.9
// s (docs/PERFORMANCE.md).
size_t RowsPerInsert(store::Dialect d) { return d == store::Dialect::kPostgres ? 256 : 64; }
// call_ids per classification SELECT (padded to this many, so one statement text serves all).
constexpr size_t kIdsPerLookup = 64;
// Parameters per row ($1 is the import_id, shared by all rows): PostgreSQL names the id, SQLite lets the
// rowid be assigned (KpiStore::Insert).
size_t CdrParams(store::Dialect d) { return d == store::Dialect::kSqlite ? 15 : 16; }

// INSERT of `rows` CDRs with parameters $1 (import_id) and $2… (kCdrParams per row, in AppendCdr's order).
// SQLite takes `INSERT OR IGNORE` rather than `ON CONFLICT (call_id) DO NOTHING`: with the upsert the
// other constraints (NOT NULL) may still abort a statement halfway, so SQLite writes a statement
// journal for every multi-row INSERT — a copy of each page the statement touches, in a temporary file:
// two thirds of the import's write calls (docs/PERFORMANCE.md). OR IGNORE cannot abort, so there is
// none. The rows are validated before they get here, so IGNORE only ever skips a stored call_id.
std::string InsertSql(size_t rows, store::Dialect dialect) {
  bool sqlite = dialect == store::Dialect::kSqlite;
  std::string sql = std::string(sqlite ? "INSERT OR IGNORE INTO cdrs (" : "INSERT INTO cdrs (id,") +
                    "org_id,local_day,call_id,caller,arrived_at,queued_ms,answered_ms,talk_ended_ms,"
                    "acw_ended_ms,ended_ms,agent,outcome,survey,complaint,import_line,import_id) VALUES ";
  size_t n = 2;
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (size_t i = 0; i < CdrParams(dialect); ++i) sql += "$" + std::to_string(n++) + ",";
    sql += "$1)";
  }
  return sqlite ? sql : sql + " ON CONFLICT (call_id) DO NOTHING";
}

// Milliseconds of `t` after `arrived` (migration 2's columns), NULL when `t` is not set.
store::ParamRef After(const std::optional<TimePoint>& t, TimePoint arrived) {
  return t ? store::ParamRef(ToEpochMillis(*t) - ToEpochMillis(arrived)) : store::ParamRef();
}

// Writes the row's parameters at `p` and returns the end of them. The texts are borrowed from `r`, which
// outlives the statement. `id`: the row's id, 0 to let SQLite assign it.
store::ParamRef* AppendCdr(const ResolvedCdr& r, int64_t id, store::ParamRef* p) {
  const Cdr& c = r.cdr;
  if (id) *p++ = id;
  *p++ = r.org_id;
  *p++ = DayNumber(r.local_day);
  *p++ = std::string_view(c.call_id);
  *p++ = std::string_view(c.caller);
  *p++ = ToEpochMillis(c.arrived_at);
  *p++ = After(c.queued_at, c.arrived_at);
  *p++ = After(c.answered_at, c.arrived_at);
  *p++ = After(c.talk_ended_at, c.arrived_at);
  *p++ = After(c.acw_ended_at, c.arrived_at);
  *p++ = After(c.ended_at, c.arrived_at);
  *p++ = std::string_view(c.agent);
  *p++ = static_cast<int64_t>(c.outcome);
  *p++ = static_cast<int64_t>(c.survey);
  *p++ = static_cast<int64_t>(c.complaint);
  *p++ = static_cast<int64_t>(r.line);
  return p;
}

std::string LookupSql() {
  std::string sql = "SELECT call_id, import_id, import_line FROM cdrs WHERE call_id IN (";
  for (size_t i = 1; i <= kIdsPerLookup; ++i) sql += (i > 1 ? ",$" : "$") + std::to_string(i);
  return sql + ")";
}

}  // namespace

const store::ModuleMigrations kKpiMigrations = {"kpi", kMigrations};

Result<KpiStore::InsertResult> KpiStore::Insert(std::span<const ResolvedCdr> batch, int64_t import_id,
                                                store::BulkLoad* bulk) {
  // Statements of per_insert, per_insert/2, …, 1 rows: a batch's tail takes at most log2(per_insert) of
  // them, and the sessions' statement caches see only these few texts.
  const size_t per_insert =
      options_.rows_per_insert ? std::bit_floor(options_.rows_per_insert) : RowsPerInsert(db_.dialect());
  std::vector<std::string> insert_sql;  // [k]: 2^k rows
  for (size_t rows = 1; rows <= per_insert; rows *= 2) insert_sql.push_back(InsertSql(rows, db_.dialect()));
  static const std::string lookup = LookupSql();
  InsertResult result;
  auto transaction = [&](store::Session& s) -> Status {
    result = {};
    // The ids of the stored rows (migration 3), increasing in batch order. SQLite assigns them itself —
    // max(rowid) + 1, + 2, … in the order an INSERT stores its rows, cheaper than naming them (no seek per
    // row) — and the write lock of BEGIN IMMEDIATE keeps other writers out. On PostgreSQL the batch's
    // rows are given first_id + their index, under a lock that stops other writers (readers go on).
    const bool sqlite = db_.dialect() == store::Dialect::kSqlite;
    int64_t first_id = 0;
    if (!sqlite) {
      HOTLINE_RETURN_IF_ERROR(s.ExecScript("LOCK TABLE cdrs IN SHARE ROW EXCLUSIVE MODE"));
      HOTLINE_ASSIGN_OR_RETURN(auto max_id, s.Query("SELECT MAX(id) FROM cdrs"));
      first_id = max_id.rows[0][0].AsInt() + 1;
    }
    std::vector<int64_t> row_id(batch.size(), 0);  // 0: not stored
    std::map<std::pair<int64_t, int64_t>, DaySums> sums;
    std::pair<int64_t, int64_t> last_key{-1, 0};
    DaySums* last = nullptr;
    auto count = [&](size_t index) {  // consecutive rows are mostly of one centre-day
      const ResolvedCdr& r = batch[index];
      std::pair<int64_t, int64_t> key{r.org_id, DayNumber(r.local_day)};
      if (!last || key != last_key) last = &sums[key], last_key = key;
      last->Add(r.cdr);
      ++result.inserted;
    };
    // 1. Insert in statements of up to per_insert rows. When a statement stores all its rows (the usual
    //    case) they are counted at once; otherwise which of them it stored is settled in step 2.
    struct Unsettled {
      size_t first, rows;
      int64_t stored;      // rows the statement inserted
      int64_t last_rowid;  // SQLite: of the last of them
    };
    std::vector<Unsettled> unsettled;
    std::vector<size_t> unsettled_rows;  // batch indexes, in order
    std::vector<store::ParamRef> refs(1 + per_insert * CdrParams(db_.dialect()));
    refs[0] = import_id;
    for (size_t i = 0; i < batch.size();) {
      size_t log2 = insert_sql.size() - 1;
      while ((size_t{1} << log2) > batch.size() - i) --log2;
      size_t n = size_t{1} << log2;
      store::ParamRef* end = refs.data() + 1;
      for (size_t k = 0; k < n; ++k)
        end = AppendCdr(batch[i + k], sqlite ? 0 : first_id + static_cast<int64_t>(i + k), end);
      HOTLINE_ASSIGN_OR_RETURN(auto done, s.Exec(insert_sql[log2], std::span(refs.data(), end)));
      if (done.changed == static_cast<int64_t>(n)) {
        for (size_t k = 0; k < n; ++k) {
          count(i + k);
          row_id[i + k] = sqlite ? done.last_rowid - static_cast<int64_t>(n - 1 - k)
                                 : first_id + static_cast<int64_t>(i + k);
        }
      } else {
        unsettled.push_back({i, n, done.changed, done.last_rowid});
        for (size_t k = 0; k < n; ++k) unsettled_rows.push_back(i + k);
      }
      i += n;
    }
    // 2. Read back the stored row of each unsettled call_id (stored rows never change, so afterwards is
    //    as good as during). Another import's row: imported before. This import's row: a duplicate inside
    //    the import — unless the statement stored some rows and the stored row is this very line.
    store::Params params;
    std::unordered_map<std::string, std::pair<int64_t, int64_t>> stored;  // call_id → (import_id, line)
    for (size_t first = 0; first < unsettled_rows.size(); first += kIdsPerLookup) {
      size_t n = std::min(kIdsPerLookup, unsettled_rows.size() - first);
      params.clear();
      for (size_t k = 0; k < kIdsPerLookup; ++k)
        params.emplace_back(batch[unsettled_rows[first + std::min(k, n - 1)]].cdr.call_id);
      HOTLINE_ASSIGN_OR_RETURN(auto found, s.Query(lookup, params));
      for (const auto& row : found.rows)
        stored.emplace(row[0].AsText(), std::pair{row[1].AsInt(), row[2].AsInt()});
    }
    for (const Unsettled& u : unsettled) {
      int64_t counted = 0;
      int64_t next_rowid = u.last_rowid - u.stored + 1;  // SQLite: the stored rows' ids, in order
      for (size_t index = u.first; index < u.first + u.rows; ++index) {
        const ResolvedCdr& r = batch[index];
        auto it = stored.find(r.cdr.call_id);
        // Cannot happen: the row was inserted or conflicted with a stored one, and CDRs are never deleted.
        if (it == stored.end())
          return Error::Internal("cdr " + r.cdr.call_id + " neither inserted nor stored");
        auto [stored_import, stored_line] = it->second;
        if (stored_import != import_id) {
          ++result.already_stored;
        } else if (u.stored > 0 && stored_line == r.line) {
          count(index);
          row_id[index] = sqlite ? next_rowid++ : first_id + static_cast<int64_t>(index);
          ++counted;
        } else {
          result.duplicates.push_back({index, stored_line});
        }
      }
      // Two rows of one import with the same line would make step 2 ambiguous (a caller's bug).
      if (counted != u.stored) return Error::Internal("cdr rows of one import must have distinct lines");
    }
    std::sort(result.duplicates.begin(), result.duplicates.end(),
              [](const Duplicate& a, const Duplicate& b) { return a.index < b.index; });
    // 3. The runs (migration 3): one per stretch of stored rows of one centre-day, in batch order; the
    //    rows skipped in between are not stored, so their ids belong to nobody.
    std::vector<store::ParamRef> run(4);
    bool open = false;
    auto flush = [&]() -> Status {
      if (!open) return OkStatus();
      open = false;
      auto r =
          s.Exec("INSERT INTO cdr_runs (org_id, local_day, first_id, last_id) VALUES ($1, $2, $3, $4)", run);
      if (!r.ok()) return r.take_error();
      return OkStatus();
    };
    for (size_t index = 0; index < batch.size(); ++index) {
      if (!row_id[index]) continue;
      const ResolvedCdr& r = batch[index];
      int64_t id = row_id[index], day = DayNumber(r.local_day);
      if (open && run[0].int_value() == r.org_id && run[1].int_value() == day) {
        run[3] = id;
        continue;
      }
      HOTLINE_RETURN_IF_ERROR(flush());
      run = {r.org_id, day, id, id};
      open = true;
    }
    HOTLINE_RETURN_IF_ERROR(flush());
    for (const auto& [key, d] : sums) {
      HOTLINE_RETURN_IF_ERROR(s.Query(
          "INSERT INTO kpi_daily (org_id, day, n_in, n_req, n_ans, n_ivr, n_abn, n_overflow, n_failed, "
          "talk_ms, "
          "wait_ms, acw_ms, complaints, surveyed, satisfied, basic, dissatisfied) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) "
          "ON CONFLICT (org_id, day) DO UPDATE SET n_in = kpi_daily.n_in + excluded.n_in, "
          "n_req = kpi_daily.n_req + excluded.n_req, n_ans = kpi_daily.n_ans + excluded.n_ans, "
          "n_ivr = kpi_daily.n_ivr + excluded.n_ivr, n_abn = kpi_daily.n_abn + excluded.n_abn, "
          "n_overflow = kpi_daily.n_overflow + excluded.n_overflow, "
          "n_failed = kpi_daily.n_failed + excluded.n_failed, talk_ms = kpi_daily.talk_ms + "
          "excluded.talk_ms, "
          "wait_ms = kpi_daily.wait_ms + excluded.wait_ms, acw_ms = kpi_daily.acw_ms + excluded.acw_ms, "
          "complaints = kpi_daily.complaints + excluded.complaints, "
          "surveyed = kpi_daily.surveyed + excluded.surveyed, satisfied = kpi_daily.satisfied + "
          "excluded.satisfied, "
          "basic = kpi_daily.basic + excluded.basic, dissatisfied = kpi_daily.dissatisfied + "
          "excluded.dissatisfied",
          {key.first, key.second, d.n_in, d.n_req, d.n_ans, d.n_ivr, d.n_abn, d.n_overflow, d.n_failed,
           d.talk_ms, d.wait_ms, d.acw_ms, d.complaints, d.surveyed, d.satisfied, d.basic, d.dissatisfied}));
    }
    return OkStatus();
  };
  Status st = bulk ? bulk->Transaction(transaction) : db_.Transaction(transaction);
  if (!st.ok()) return st.take_error();
  return result;
}

Result<DaySums> KpiStore::Sum(const std::vector<int64_t>& org_ids, Date from, Date to) const {
  if (org_ids.empty()) return DaySums{};
  // The whole months inside [from, to] come from kpi_monthly, the days before and after them from kpi_daily:
  // a year of a province is 10 × 12 rows instead of 10 × 365. The three parts never overlap.
  using std::chrono::year_month_day, std::chrono::months, std::chrono::day;
  auto first_of_month = [](Date d) {
    year_month_day ymd{d};
    return Date(ymd.year() / ymd.month() / day{1});
  };
  Date months_begin =
      first_of_month(from) == from ? from : Date(year_month_day{first_of_month(from)} + months{1});
  Date months_end =
      first_of_month(to + std::chrono::days{1});  // exclusive: the first day after the last whole month
  if (months_end < months_begin) months_end = months_begin;  // no whole month: [from, to] is all head
  store::Params params{DayNumber(from),
                       DayNumber(std::min(to, months_begin - std::chrono::days{1})),
                       DayNumber(std::max(from, months_end)),
                       DayNumber(to),
                       DayNumber(months_begin),
                       DayNumber(months_end)};
  std::string columns(kSumFields[0]);
  for (size_t i = 1; i < std::size(kSumFields); ++i) columns += ", " + std::string(kSumFields[i]);
  std::string sql = std::string("SELECT ") + kSumColumns + " FROM (SELECT " + columns +
                    " FROM kpi_daily WHERE day >= $1 AND day <= $2" + OrgFilter(org_ids, params) +
                    " UNION ALL SELECT " + columns + " FROM kpi_monthly WHERE month >= $5 AND month < $6" +
                    OrgFilter(org_ids, params) + " UNION ALL SELECT " + columns +
                    " FROM kpi_daily WHERE day >= $3 AND day <= $4" + OrgFilter(org_ids, params) +
                    ") AS parts";
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  return FromRow(r.rows[0], 0);
}

Result<std::map<std::pair<int64_t, Date>, DaySums>> KpiStore::Daily(const std::vector<int64_t>& org_ids,
                                                                    Date from, Date to) const {
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
      "SUM(CASE WHEN outcome IN (1, 2, 3) THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 0 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 2 THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 3 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 4 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 1 THEN talk_ended_ms - answered_ms ELSE 0 END), "
      "SUM(CASE WHEN outcome = 1 THEN answered_ms - queued_ms ELSE 0 END), "
      "SUM(CASE WHEN outcome = 1 AND acw_ended_ms IS NOT NULL THEN acw_ended_ms - talk_ended_ms ELSE 0 END), "
      "SUM(complaint), SUM(CASE WHEN survey <> 0 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN survey = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN survey = 2 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN survey = 3 THEN 1 ELSE 0 END) "
      // The CDRs of the centre-days in range, through their id runs (migration 3), as the index served
      // before.
      "FROM cdr_runs r JOIN cdrs c ON c.id BETWEEN r.first_id AND r.last_id "
      "WHERE r.local_day >= $1 AND r.local_day <= $2 AND c.org_id = r.org_id AND c.local_day = r.local_day" +
      OrgFilter(org_ids, params, "r.org_id");
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  return FromRow(r.rows[0], 0);
}

}  // namespace hotline::kpi
