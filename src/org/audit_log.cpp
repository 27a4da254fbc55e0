#include "org/audit_log.hpp"

namespace hotline::org {
namespace {

constexpr const char* kInsert =
    "INSERT INTO audit_log (at, actor_id, actor, org_path, org_code, action, target_type, target_id, "
    "remote_addr, "
    "channel, detail) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id";

store::Params InsertParams(const AuditEntry& e) {
  return {ToEpochMillis(e.at),
          e.actor_id ? store::Value(*e.actor_id) : store::Value(),
          e.actor,
          e.org_path,
          e.org_code,
          e.action,
          e.target_type,
          e.target_id,
          e.remote_addr,
          e.channel,
          e.detail.dump()};
}

}  // namespace

Result<AuditEntry> AuditLog::Append(AuditEntry e) {
  e.at = clock_.Now();
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(kInsert, InsertParams(e)));
  e.id = r.rows[0][0].AsInt();
  if (listener_) listener_(e);
  return e;
}

Result<AuditEntry> AuditLog::Append(store::Session& session, AuditEntry e) {
  e.at = clock_.Now();
  HOTLINE_ASSIGN_OR_RETURN(auto r, session.Query(kInsert, InsertParams(e)));
  e.id = r.rows[0][0].AsInt();
  // The listener hears of it before the commit; a rolled-back entry may thus be pushed live once.
  if (listener_) listener_(e);
  return e;
}

Result<std::vector<AuditEntry>> AuditLog::Query(const AuditQuery& q) const {
  std::string sql =
      "SELECT id, at, actor_id, actor, org_path, org_code, action, target_type, target_id, remote_addr, "
      "channel, "
      "detail FROM audit_log WHERE org_path LIKE $1";
  store::Params params{q.within_path + "%"};
  auto add = [&](const char* clause, store::Value v) {
    params.push_back(std::move(v));
    sql += std::string(" AND ") + clause + " $" + std::to_string(params.size());
  };
  if (q.org_code) add("org_code =", *q.org_code);
  if (q.action) add("action =", *q.action);
  if (q.actor) add("actor =", *q.actor);
  if (q.before_id) add("id <", *q.before_id);
  params.emplace_back(q.limit);
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  std::vector<AuditEntry> out;
  out.reserve(r.size());
  for (const auto& row : r.rows) {
    AuditEntry e;
    e.id = row[0].AsInt();
    e.at = FromEpochMillis(row[1].AsInt());
    if (!row[2].is_null()) e.actor_id = row[2].AsInt();
    e.actor = row[3].AsText();
    e.org_path = row[4].AsText();
    e.org_code = row[5].AsText();
    e.action = row[6].AsText();
    e.target_type = row[7].AsText();
    e.target_id = row[8].AsText();
    e.remote_addr = row[9].AsText();
    e.channel = row[10].AsText();
    e.detail = nlohmann::json::parse(row[11].AsText(), nullptr, /*allow_exceptions=*/false);
    if (e.detail.is_discarded()) e.detail = nlohmann::json::object();
    out.push_back(std::move(e));
  }
  return out;
}

nlohmann::json ToJson(const AuditEntry& e) {
  return {{"id", e.id},
          {"at", FormatUtc(e.at)},
          {"actor", e.actor},
          {"actor_id", e.actor_id ? nlohmann::json(*e.actor_id) : nlohmann::json(nullptr)},
          {"org", e.org_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.org_code)},
          {"action", e.action},
          {"target_type", e.target_type},
          {"target_id", e.target_id},
          {"remote_addr", e.remote_addr},
          {"channel", e.channel},
          {"detail", e.detail}};
}

}  // namespace hotline::org
