// Tables of the workorder module (kWorkOrderMigrations). Their foreign keys reference orgs and users of the
// org module (released migrations are never edited), so the app applies these migrations after
// kOrgMigrations; the module's queries read organisations and users only through the views org publishes,
// org_units_view and org_users_view (org migration 3, issue 12 §5).
//
//   workorder_departments        handling departments of a centre (业务部门, e.g. 贷款科)
//   workorder_department_members which `department`-role users work in which department
//   workorder_settings           a centre's deadlines in working days and its due-soon threshold (R-WO-4)
//   workorder_counters           the last sequence number per centre and local day (order numbers)
//   workorders                   the orders; deadline columns are computed once (creation, reclassification)
//   workorder_timeline           every transition, edit, comment and attachment of an order
//   workorder_attachments        attachment metadata and bytes (base64 TEXT: TEXT must be UTF-8 on both
//   engines) workorder_callbacks          call-back tasks (回访, R-SVC-1/2; after-hours requests since
//   migration 3) workorder_subject_grams      SQLite only: FTS5 index of subject bigrams for substring search
//
// Indexes serve the list pages (newest first = id descending, per centre, per state, per department; the
// primary key for a province), the due-soon/overdue board (open orders by due instant), the escalation scan
// (partial indexes over open orders not yet notified, so the scheduler reads only what it must act on) and
// the SLA report (orders done and closed per centre). bench/workorder_bench.cpp measures them.
#include "workorder/workorder_service.hpp"

namespace hotline::workorder {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "work orders, departments, timeline, attachments, call-backs", R"sql(
CREATE TABLE workorder_departments (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, name)
);
CREATE TABLE workorder_department_members (
  department_id BIGINT NOT NULL REFERENCES workorder_departments(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  PRIMARY KEY (department_id, user_id)
);
CREATE INDEX workorder_department_members_user ON workorder_department_members(user_id);
CREATE TABLE workorder_settings (
  org_id BIGINT PRIMARY KEY REFERENCES orgs(id),
  complaint_workdays BIGINT NOT NULL,
  suggestion_workdays BIGINT NOT NULL,
  inquiry_workdays BIGINT NOT NULL,
  due_soon_workdays BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE workorder_counters (
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  day TEXT NOT NULL,
  last BIGINT NOT NULL,
  PRIMARY KEY (org_id, day)
);
CREATE TABLE workorders (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  number TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('complaint', 'suggestion', 'inquiry')),
  channel TEXT NOT NULL CHECK (channel IN ('phone', 'sms', 'web', 'walk_in')),
  priority TEXT NOT NULL CHECK (priority IN ('normal', 'urgent')),
  state TEXT NOT NULL CHECK (state IN ('draft', 'pending_confirmation', 'dispatched', 'in_progress', 'returned',
                                       'feedback_done', 'closed', 'cancelled', 'merged')),
  is_open BIGINT NOT NULL,
  caller_name TEXT NOT NULL,
  caller_phone TEXT NOT NULL,
  identity_ref TEXT,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  call_id TEXT,
  recording_url TEXT,
  department_id BIGINT REFERENCES workorder_departments(id),
  created_by BIGINT REFERENCES users(id),
  created_by_name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  workdays BIGINT NOT NULL,
  last_day TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  due_soon_at BIGINT NOT NULL,
  due_provisional BIGINT NOT NULL,
  done_at BIGINT,
  closed_at BIGINT,
  merged_into BIGINT REFERENCES workorders(id),
  result TEXT,
  feedback TEXT,
  complaint_counted BIGINT NOT NULL DEFAULT 0,
  escalation_level BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (org_id, number)
);
CREATE INDEX workorders_org ON workorders(org_id, id);
CREATE INDEX workorders_org_state ON workorders(org_id, state, id);
CREATE INDEX workorders_department ON workorders(department_id, id);
CREATE INDEX workorders_org_created ON workorders(org_id, created_at);
CREATE INDEX workorders_org_open_due ON workorders(org_id, is_open, due_at, id);
CREATE INDEX workorders_open_due ON workorders(due_at, id) WHERE is_open = 1;
CREATE INDEX workorders_overdue_pending ON workorders(due_at) WHERE is_open = 1 AND escalation_level < 2;
CREATE INDEX workorders_due_soon_pending ON workorders(due_soon_at) WHERE is_open = 1 AND escalation_level < 1;
CREATE INDEX workorders_org_done ON workorders(org_id, done_at) WHERE done_at IS NOT NULL;
CREATE INDEX workorders_org_closed ON workorders(org_id, closed_at) WHERE closed_at IS NOT NULL;
CREATE TABLE workorder_timeline (
  id {{ID}},
  order_id BIGINT NOT NULL REFERENCES workorders(id),
  at BIGINT NOT NULL,
  actor_id BIGINT,
  actor TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  note TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX workorder_timeline_order ON workorder_timeline(order_id, id);
CREATE TABLE workorder_attachments (
  id {{ID}},
  order_id BIGINT NOT NULL REFERENCES workorders(id),
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data_base64 TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_by_id BIGINT,
  uploaded_at BIGINT NOT NULL
);
CREATE INDEX workorder_attachments_order ON workorder_attachments(order_id, id);
CREATE TABLE workorder_callbacks (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL CHECK (kind IN ('complaint_followup', 'policy_change', 'rate_change', 'account_change',
                                     'repayment_deadline')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'unreachable')),
  order_id BIGINT REFERENCES workorders(id),
  caller_name TEXT NOT NULL,
  phone TEXT NOT NULL,
  topic TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  outcome TEXT,
  satisfaction TEXT,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  done_at BIGINT,
  done_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX workorder_callbacks_org ON workorder_callbacks(org_id, status, id);
CREATE INDEX workorder_callbacks_order ON workorder_callbacks(order_id);
)sql"},
    // Substring search on subjects (issue 4 performance: a search that matches nothing must not scan a
    // centre's 500,000 orders). SQLite: an FTS5 index of the subject's character bigrams, separated by
    // spaces so that every bigram is one token (SubjectGrams); a search for a substring of 2+ characters
    // finds candidates by its bigrams and confirms them with LIKE. PostgreSQL: no index (LIKE scans in
    // parallel there); the table is not created.
    {2, "subject search index (SQLite FTS5 bigrams)",
     "CREATE VIRTUAL TABLE workorder_subject_grams USING fts5(grams, content='', detail=none);", "SELECT 1;"},
    // After-hours call-back requests (issue 12 §4): the IVR (or the SMS service) files a call-back for a
    // caller who rang outside the manual service hours — kind after_hours, with the call it came from.
    // SQLite cannot alter a CHECK constraint, so the table is rebuilt (nothing references it); PostgreSQL
    // replaces the constraint.
    {3, "after-hours call-back requests", R"sql(
CREATE TABLE workorder_callbacks_v3 (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL CHECK (kind IN ('complaint_followup', 'policy_change', 'rate_change', 'account_change',
                                     'repayment_deadline', 'after_hours')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'unreachable')),
  order_id BIGINT REFERENCES workorders(id),
  caller_name TEXT NOT NULL,
  phone TEXT NOT NULL,
  topic TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  outcome TEXT,
  satisfaction TEXT,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  done_at BIGINT,
  done_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  call_id TEXT
);
INSERT INTO workorder_callbacks_v3 (id, org_id, kind, status, order_id, caller_name, phone, topic, attempts, outcome,
  satisfaction, note, created_at, created_by, done_at, done_by, updated_at, version)
  SELECT id, org_id, kind, status, order_id, caller_name, phone, topic, attempts, outcome, satisfaction, note,
         created_at, created_by, done_at, done_by, updated_at, version FROM workorder_callbacks;
DROP TABLE workorder_callbacks;
ALTER TABLE workorder_callbacks_v3 RENAME TO workorder_callbacks;
CREATE INDEX workorder_callbacks_org ON workorder_callbacks(org_id, status, id);
CREATE INDEX workorder_callbacks_order ON workorder_callbacks(order_id);
)sql",
     R"sql(
ALTER TABLE workorder_callbacks DROP CONSTRAINT workorder_callbacks_kind_check;
ALTER TABLE workorder_callbacks ADD CONSTRAINT workorder_callbacks_kind_check
  CHECK (kind IN ('complaint_followup', 'policy_change', 'rate_change', 'account_change', 'repayment_deadline',
                  'after_hours'));
ALTER TABLE workorder_callbacks ADD COLUMN call_id TEXT;
)sql"},
};

}  // namespace

const store::ModuleMigrations kWorkOrderMigrations = {"workorder", kMigrations};

}  // namespace hotline::workorder
