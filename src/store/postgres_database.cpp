// PostgreSQL implementation of the storage port (libpq): a fixed pool of connections, parameters
// sent as text with $1…$n, results mapped to the engine-neutral Value types, and SQLSTATEs mapped to
// the error kinds database.hpp promises. A connection that breaks is reset when next taken from the
// pool, so a restarted server costs one failed request per pooled connection, not a restart of ours.
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "store/database.hpp"
#include "store/pool.hpp"

namespace hotline::store {
namespace {

// Type OIDs from PostgreSQL's catalog/pg_type.h (stable since forever; not in the client headers).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

// libpq's messages end in a newline and may span lines ("…failed: Connection refused\n\tIs the
// server running…"): make them one line for the log and for Error messages.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\n' || ch == '\r' || ch == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += ch;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Server notices ("relation … already exists, skipping") are not our output: keep them off stderr.
void LogNotice(void* /*arg*/, const char* message) { spdlog::debug("postgres: {}", OneLine(message)); }

bool IsConnectionLost(PGconn* conn, std::string_view sqlstate) {
  return PQstatus(conn) != CONNECTION_OK || sqlstate.starts_with("08") || sqlstate == "57P01" ||
         sqlstate == "57P02" || sqlstate == "57P03";  // server shutting down
}

// `res` may be null (out of memory or connection lost). Only the primary message goes into the
// Error: DETAIL repeats the offending values ("Key (phone)=(…) already exists"), and an Error's
// message must not carry personal data.
Error PgError(PGconn* conn, const PGresult* res, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view sqlstate = state ? state : "";
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string msg =
      std::string(what) + ": " + (primary ? std::string(primary) : OneLine(PQerrorMessage(conn)));
  if (!sqlstate.empty()) msg += " (SQLSTATE " + std::string(sqlstate) + ")";
  if (sqlstate == "23505") return Error::Conflict("unique_violation", msg);
  if (sqlstate.starts_with("23")) return Error::InvalidArgument("constraint_violation", msg);
  if (IsConnectionLost(conn, sqlstate))
    return Error::Unavailable("与 PostgreSQL 的连接已断开，请稍后重试；若持续出现请检查数据库服务器 (" + msg +
                              ")");
  // Class 40 (serialization failure, deadlock) and lock_not_available are PostgreSQL's "busy":
  // retrying succeeds, like SQLite's SQLITE_BUSY, which sqlite_database.cpp also maps here.
  if (sqlstate.starts_with("40") || sqlstate == "55P03")
    return Error::Unavailable("数据库忙，请稍后重试 (" + msg + ")");
  return Error::Internal(msg);
}

Value ParseValue(const char* text, int length, Oid type) {
  const char* end = text + length;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      int64_t v = 0;
      if (std::from_chars(text, end, v).ec == std::errc{}) return Value(v);
      break;
    }
    case kBoolOid:
      return Value(int64_t{length > 0 && text[0] == 't' ? 1 : 0});
    case kFloat4Oid:
    case kFloat8Oid: {
      double v = 0;
      // from_chars reads "NaN", "Infinity" and "-Infinity" (PostgreSQL's spellings) as well.
      if (std::from_chars(text, end, v).ec == std::errc{}) return Value(v);
      break;
    }
    default:
      break;
  }
  return Value(std::string(text, length));
}

// One libpq connection. Not thread-safe: the pool hands it to one thread at a time.
class PgSession final : public Session {
 public:
  explicit PgSession(PGconn* conn) : conn_(conn) {}
  ~PgSession() override { PQfinish(conn_); }

  Result<QueryResult> Query(std::string_view sql, const Params& params) override {
    std::string statement(sql);
    // Integers and doubles go as decimal text typed int8/float8, so that `$1 - 86400000` stays
    // 64-bit; text and NULL go untyped (like a quoted literal) so the server infers the column's type.
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (v.is_null()) continue;
      if (v.is_int()) {
        texts[i] = std::to_string(v.AsInt());
        types[i] = kInt8Oid;
      } else if (v.is_double()) {
        char buf[64];
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.AsDouble());  // shortest exact form
        texts[i].assign(buf, p);
        types[i] = kFloat8Oid;
      } else {
        texts[i] = v.AsText();
      }
      values[i] = texts[i].c_str();
    }
    PGresult* res = PQexecParams(conn_, statement.c_str(), static_cast<int>(params.size()), types.data(),
                                 values.data(), nullptr, nullptr, /*resultFormat=*/0);
    std::unique_ptr<PGresult, void (*)(PGresult*)> guard(res, PQclear);
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_EMPTY_QUERY) return QueryResult{};
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Fail(PgError(conn_, res, "query"));

    QueryResult out;
    int cols = PQnfields(res);
    int rows = PQntuples(res);
    std::vector<Oid> col_types(cols);
    for (int c = 0; c < cols; ++c) {
      out.columns.emplace_back(PQfname(res, c));
      col_types[c] = PQftype(res, c);
    }
    out.rows.reserve(rows);
    for (int r = 0; r < rows; ++r) {
      auto& row = out.rows.emplace_back();
      row.reserve(cols);
      for (int c = 0; c < cols; ++c) {
        if (PQgetisnull(res, r, c))
          row.emplace_back();
        else
          row.push_back(ParseValue(PQgetvalue(res, r, c), PQgetlength(res, r, c), col_types[c]));
      }
    }
    const char* tuples = PQcmdTuples(res);
    if (tuples && *tuples) std::from_chars(tuples, tuples + std::strlen(tuples), out.affected_rows);
    return out;
  }

  Status ExecScript(std::string_view sql) override {
    std::string script(sql);
    PGresult* res = PQexec(conn_, script.c_str());
    std::unique_ptr<PGresult, void (*)(PGresult*)> guard(res, PQclear);
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
      return Fail(PgError(conn_, res, "script"));
    return OkStatus();
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  // Called when the pool hands the session out: reconnects a connection that broke, and ends a
  // transaction a previous user left open, so every borrower starts idle in autocommit mode.
  void PrepareForUse() {
    if (PQstatus(conn_) != CONNECTION_OK) {
      PQreset(conn_);
      if (PQstatus(conn_) == CONNECTION_OK) spdlog::info("postgres: connection re-established");
      return;  // still down: the next Query reports kUnavailable
    }
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)Query("ROLLBACK", {});
  }

  // Marks the start of a Transaction: forgets errors of earlier ones.
  void BeginTracking() { first_error_.reset(); }
  // The first statement error since BeginTracking, if the transaction is now aborted because of it.
  // PostgreSQL, unlike SQLite, aborts the whole transaction when one statement fails, and a COMMIT
  // of an aborted transaction silently rolls back — the caller must hear about that.
  std::optional<Error> AbortedBy() const {
    if (PQtransactionStatus(conn_) != PQTRANS_INERROR) return std::nullopt;
    return first_error_ ? first_error_ : Error::Internal("transaction aborted");
  }

 private:
  Error Fail(Error e) {
    if (!first_error_) first_error_ = e;
    return e;
  }

  PGconn* conn_;
  std::optional<Error> first_error_;
};

// A pool of libpq connections. Thread-safe: share one between all threads; each call borrows a
// connection for its duration (libpq connections are safe as long as one thread uses each at a time).
class PostgresDatabase final : public Database {
 public:
  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<QueryResult> Query(std::string_view sql, const Params& params) override {
    auto s = Acquire();
    return s->Query(sql, params);
  }

  Status Transaction(const std::function<Status(Session&)>& fn) override {
    auto s = Acquire();
    s->BeginTracking();
    return RunInTransaction(*s, "BEGIN", fn, [&s]() -> std::optional<Error> {
      // fn went on after a failed statement (fine on SQLite); here nothing of it can commit.
      auto aborted = s->AbortedBy();
      if (aborted) aborted->message = "事务中有语句失败，PostgreSQL 已回滚整个事务: " + aborted->message;
      return aborted;
    });
  }

  SessionPool<PgSession>::Lease Acquire() {
    auto s = pool_.Acquire();
    s->PrepareForUse();
    return s;
  }

  SessionPool<PgSession> pool_;
};

Result<std::unique_ptr<PgSession>> OpenConnection(const std::string& url) {
  // Defaults come before "dbname" so that the same keys in the URL override them.
  const char* keywords[] = {"connect_timeout", "client_encoding", "fallback_application_name", "dbname",
                            nullptr};
  const char* values[] = {"10", "UTF8", "hotline", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn) return Error::Unavailable("无法连接 PostgreSQL：内存不足");
  if (PQstatus(conn) != CONNECTION_OK) {
    // The URL is not echoed: it may hold a password. libpq's message names host and port.
    Error e =
        Error::Unavailable("无法连接 PostgreSQL：" + OneLine(PQerrorMessage(conn)) +
                           "。请检查 database.url（主机、端口、数据库名、用户名和密码）、服务器是否启动，"
                           "以及 pg_hba.conf 是否允许本机连接。");
    PQfinish(conn);
    return e;
  }
  PQsetNoticeProcessor(conn, LogNotice, nullptr);
  return std::make_unique<PgSession>(conn);
}

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const DatabaseOptions& options) {
  auto db = std::make_unique<PostgresDatabase>();
  for (int i = 0; i < std::max(1, options.pool_size); ++i) {
    HOTLINE_ASSIGN_OR_RETURN(auto session, OpenConnection(url));
    db->pool_.Add(std::move(session));
  }
  HOTLINE_RETURN_IF_ERROR(db->Ping());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace hotline::store
