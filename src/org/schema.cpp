// Tables of the org module: organisations, users, login sessions and the audit log.
#include "org/org_directory.hpp"

namespace hotline::org {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "organisations, users, sessions, audit log", R"sql(
CREATE TABLE orgs (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('ministry', 'province', 'center')),
  parent_id BIGINT REFERENCES orgs(id),
  path TEXT NOT NULL UNIQUE,
  time_zone TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE users (
  id {{ID}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'team_leader', 'department', 'supervisor', 'admin')),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  agent_no TEXT,
  password_hash TEXT NOT NULL,
  disabled BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);
CREATE TABLE sessions (
  id {{ID}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  remote_addr TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE audit_log (
  id {{ID}},
  at BIGINT NOT NULL,
  actor_id BIGINT,
  actor TEXT NOT NULL,
  org_path TEXT NOT NULL,
  org_code TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  remote_addr TEXT NOT NULL,
  channel TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log(org_path, id);
)sql"},
    // Append-only audit log: the database itself refuses to change or remove an entry.
    {2, "audit log is append-only", R"sql(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql",
     R"sql(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
)sql"},
    // What org publishes to the other modules (issue 12 §5): read-only views of the organisation tree and
    // of the users without their credentials. Other modules' SQL joins these, never `orgs`, `users` or
    // `sessions` themselves; org may change its tables as long as the views keep their columns.
    {3, "read-only views for other modules", R"sql(
CREATE VIEW org_units_view AS
  SELECT id, code, name, level, parent_id, path, time_zone FROM orgs;
CREATE VIEW org_users_view AS
  SELECT id, username, display_name, role, org_id, agent_no, disabled FROM users;
)sql"},
};

}  // namespace

const store::ModuleMigrations kOrgMigrations = {"org", kMigrations};

}  // namespace hotline::org
