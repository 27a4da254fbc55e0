#include "store/migrations.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"

namespace hotline::store {

Result<int> Migrate(Database& db, std::span<const ModuleMigrations> modules) {
  auto created = db.Query(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " module TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL,"
      " PRIMARY KEY (module, version))");
  // Two processes creating the table at once on PostgreSQL may race; the loser sees a conflict.
  if (!created.ok() && created.error().code != "unique_violation") return created.take_error();

  // Bookkeeping only, so the wall clock is fine here (no domain rule depends on it).
  int64_t now_ms = ToEpochMillis(SystemClock().Now());
  int applied = 0;
  for (const auto& mod : modules) {
    for (const auto& m : mod.migrations) {
      Status st = db.Transaction([&](Session& s) -> Status {
        if (s.dialect() == Dialect::kPostgres) {
          // Serialises concurrent migrators (the key is arbitrary but fixed).
          HOTLINE_RETURN_IF_ERROR(s.Query("SELECT pg_advisory_xact_lock(12329)"));
        }
        HOTLINE_ASSIGN_OR_RETURN(auto max,
                                 s.Query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations "
                                         "WHERE module = $1",
                                         {std::string(mod.module)}));
        int64_t current = max.rows[0][0].AsInt();
        int64_t known = mod.migrations.empty() ? 0 : mod.migrations.back().version;
        if (current > known)
          return Error{ErrorKind::kFailedPrecondition, "schema_too_new",
                       "数据库中模块 " + std::string(mod.module) + " 的结构版本 " + std::to_string(current) +
                           " 高于本程序所知的 " + std::to_string(known) + "：请使用更新版本的 hotline。"};
        if (m.version <= current) return OkStatus();
        std::string_view script =
            s.dialect() == Dialect::kPostgres && !m.postgres_sql.empty() ? m.postgres_sql : m.sql;
        HOTLINE_RETURN_IF_ERROR(s.ExecScript(ExpandDialect(script, s.dialect())));
        HOTLINE_RETURN_IF_ERROR(s.Query(
            "INSERT INTO schema_migrations (module, version, name, applied_at) VALUES ($1, $2, $3, $4)",
            {std::string(mod.module), m.version, std::string(m.name), now_ms}));
        ++applied;
        spdlog::info("migration applied: {} v{} ({})", mod.module, m.version, m.name);
        return OkStatus();
      });
      if (!st.ok()) return st.take_error();
    }
  }
  return applied;
}

}  // namespace hotline::store
