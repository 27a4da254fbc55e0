// Tables of the kb module (kKbMigrations); their org_id columns reference orgs of the org module (a foreign
// key only), so the app applies them after kOrgMigrations. The module's queries read organisations through
// org_units_view, what org publishes (org migration 3, issue 12 §5), never the orgs table itself.
//
//   kb_articles  one row per article: its organisation (scope), stable slug, retirement day
//   kb_versions  every version of every article with its content and review trail; a published row is
//                never updated again (old versions stay readable, R-AGT-3)
//   kb_branches  the branch directory (网点); coordinates in micro-degrees (integers on both engines)
//   kb_state     the change sequence of what is in effect (publish, retire, import), which the search
//                index records so a stale index is noticed and rebuilt
#include "kb/kb_service.hpp"

namespace hotline::kb {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "knowledge base articles, versions, branches", R"sql(
CREATE TABLE kb_articles (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  slug TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retired_on TEXT,
  UNIQUE (org_id, slug)
);
CREATE TABLE kb_versions (
  id {{ID}},
  article_id BIGINT NOT NULL REFERENCES kb_articles(id),
  number BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'published', 'rejected')),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  category TEXT NOT NULL,
  tags TEXT NOT NULL,
  keywords TEXT NOT NULL,
  audience TEXT NOT NULL CHECK (audience IN ('individual', 'unit', 'all')),
  effective_from TEXT NOT NULL,
  expires_at TEXT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  submitted_at BIGINT,
  reviewed_by TEXT NOT NULL,
  reviewed_at BIGINT,
  review_note TEXT NOT NULL,
  UNIQUE (article_id, number)
);
CREATE INDEX kb_versions_state ON kb_versions(state, article_id);
CREATE TABLE kb_branches (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  phone TEXT NOT NULL,
  hours TEXT NOT NULL,
  services TEXT NOT NULL,
  lat_e6 BIGINT,
  lng_e6 BIGINT,
  updated_at BIGINT NOT NULL,
  UNIQUE (org_id, code)
);
CREATE TABLE kb_state (
  id BIGINT PRIMARY KEY,
  seq BIGINT NOT NULL
);
INSERT INTO kb_state (id, seq) VALUES (1, 0);
)sql"},
};

}  // namespace

const store::ModuleMigrations kKbMigrations{"kb", kMigrations};

}  // namespace hotline::kb
