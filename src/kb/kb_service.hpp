// The knowledge base service (R-AGT-3, docs/KNOWLEDGE-BASE.md): articles with versions and a review
// workflow, the in-effect rule by date, search through the Xapian index, the branch directory (网点), and
// the import of a centre's existing FAQ.
//
// Who (R-ORG-1, issue 12 §2): every method takes the org::Actor that acts — a signed-in user, the IVR or
// SMS service bound to its centre (they hold kb.read), or the command line (org::Actor::ForCli). Every
// role decision is an org::Permission: kb.read (search, read, branches), kb.edit (drafts, branches),
// kb.publish (review, retire, import).
//
// Scope: an article belongs to a centre or to a province (shared by the province's centres). An actor
// reads the articles of their own subtree and of the organisations above them (a centre agent sees their
// centre's and their province's articles); outside that, an article does not exist (not_found). An
// organisation code in a request is resolved by org::FindOrgInScope (not_found outside the subtree).
// Changes need the article's organisation inside the actor's subtree: province articles are edited at the
// province.
//
// Every change is audit-logged in its own transaction, the "who" stamped by org::Actor::Stamp. Publishing or
// retiring bumps the change sequence (kb_state.seq) and updates the index after the commit; the index stores
// the sequence, and EnsureIndex rebuilds a missing or stale index (the database is the source of truth).
//
// Thread-safe: share one KbService. Publications and index updates of this process are serialised.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "kb/article_file.hpp"
#include "kb/search_index.hpp"
#include "kb/types.hpp"
#include "org/access.hpp"
#include "org/actor.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace hotline::kb {

struct SearchRequest {
  std::string text;
  std::optional<std::string>
      org_code;  // search as this organisation (inside the caller's scope); default own
  std::optional<std::string> category;
  std::optional<Audience> audience;
  std::optional<Date> at;  // default: today in the organisation's time zone
  int page = 1;            // 1-based
  int page_size = 10;      // 1–50
};

struct SearchPage {
  SearchResult result;
  Date at{};
  int page = 1;
  int page_size = 10;
};

struct ArticleListFilter {
  std::optional<std::string> org_code;  // only this organisation's articles (inside the readable set)
  std::optional<std::string> category;  // subtree of the latest version's category
  std::optional<VersionState>
      has_state;                    // articles with a version in this state (in_review: the review queue)
  std::optional<std::string> text;  // substring of the latest title or the slug
  bool include_retired = false;
  int offset = 0;
  int limit = 50;  // 1–200
};

// One row of the article list: the article and its latest version (whatever its state).
struct ArticleSummary {
  Article article;
  Version latest;  // content included
  int published_versions = 0;
  std::optional<int> in_effect_number;  // today
};

struct ArticleDetail {
  Article article;
  std::vector<Version> versions;       // all, oldest first, content included
  const Version* in_effect = nullptr;  // into `versions`, on `at`
  Date at{};
  bool editable = false;     // the caller may write drafts of it
  bool publishable = false;  // the caller may review it
  // The caller may publish this version now (state, permission, and not their own under second_reviewer).
  bool CanPublish(const Version& v) const {
    return publishable && (v.state == VersionState::kInReview || v.state == VersionState::kDraft) &&
           !(second_reviewer && v.created_by == viewer);
  }
  std::string viewer;  // the caller's username
  bool second_reviewer = true;
};

struct NewArticle {
  std::string slug;
  std::optional<std::string>
      org_code;  // the article's organisation (inside the caller's subtree); default own
  ArticleContent content;
};

enum class ImportOutcome { kCreated, kNewVersion, kUnchanged };

struct BranchFilter {
  std::optional<std::string> org_code;
  std::optional<std::string> text;     // substring of name, address or code
  std::optional<std::string> service;  // offers this service
};

struct KbServiceOptions {
  int max_page_size = 50;
  // Four eyes (R-AGT-3: what agents tell callers is policy): a version is published by someone other than
  // its author. A centre with a single editor may switch it off ([kb] second_reviewer = false).
  bool second_reviewer = true;
};

class KbService {
 public:
  KbService(store::Database& db, const Clock& clock, org::OrgDirectory& orgs, org::AuditLog& audit,
            SearchIndex& index, KbServiceOptions options = {})
      : db_(db), clock_(clock), orgs_(orgs), audit_(audit), index_(index), options_(options) {}

  // Rebuilds the index when it does not reflect the database's change sequence. Returns true if rebuilt.
  Result<bool> EnsureIndex(const std::function<void(int64_t done, int64_t total)>& progress = {});
  // Rebuilds the index from the database; `progress` gets articles done of total.
  Status Reindex(const std::function<void(int64_t done, int64_t total)>& progress = {});

  // Search (kb.read). Errors: invalid_field (page, page size, category), not_found (org outside scope).
  Result<SearchPage> Search(const org::Actor& actor, const SearchRequest& request);
  // The category tree in use: every category path of the articles in effect in the actor's view, with
  // counts, plus the fixed top levels.
  Result<std::vector<std::pair<std::string, int>>> Categories(const org::Actor& actor,
                                                              std::optional<std::string> org_code);

  Result<std::vector<ArticleSummary>> ListArticles(const org::Actor& actor, const ArticleListFilter& filter);
  // The article with every version and the one in effect on `at` (default today).
  Result<ArticleDetail> GetArticle(const org::Actor& actor, int64_t article_id, std::optional<Date> at = {});
  Result<ArticleDetail> GetArticleBySlug(const org::Actor& actor, std::string_view slug,
                                         std::optional<Date> at = {});

  // The workflow (docs/KNOWLEDGE-BASE.md "Workflow"). Errors: forbidden (permission), not_found (scope),
  // invalid_field (content), conflict slug_taken / draft_exists, failed_precondition invalid_state.
  Result<ArticleDetail> CreateArticle(const org::Actor& actor, const NewArticle& article);
  Result<Version> CreateDraft(const org::Actor& actor, int64_t article_id, const ArticleContent& content);
  Result<Version> EditDraft(const org::Actor& actor, int64_t article_id, int number,
                            const ArticleContent& content);
  Result<Version> Submit(const org::Actor& actor, int64_t article_id, int number);
  Result<Version> Publish(const org::Actor& actor, int64_t article_id, int number, const std::string& note);
  Result<Version> Reject(const org::Actor& actor, int64_t article_id, int number, const std::string& note);
  // Withdraws the article from `on` (default today; not before today): nothing is in effect from then on,
  // history stays readable.
  Status Retire(const org::Actor& actor, int64_t article_id, std::optional<Date> on = {});

  // Import of one file's article into `org` (a centre; province-scope files go to its province): published
  // at once (the centre's existing FAQ), unless a published version with the same content exists.
  // `update_index` false (bulk imports): leave the index stale and call EnsureIndex once at the end.
  Result<ImportOutcome> ImportArticle(const org::Actor& actor, const org::Org& center,
                                      const ArticleFile& file, bool update_index = true);
  // The organisation a file's `scope` names when importing into `center`: the centre itself, or its
  // province. Errors: invalid_field (scope center into a province, …).
  Result<org::Org> ImportOwner(const org::Org& center, ScopeLevel scope);
  // Every published version of the articles in `org`'s view (its own and its province's), for export.
  Result<std::vector<ArticleFile>> ExportArticles(const org::Actor& actor, const org::Org& center);

  // Branch directory. The list is everything readable (own subtree and above).
  Result<std::vector<Branch>> ListBranches(const org::Actor& actor, const BranchFilter& filter);
  Result<Branch> GetBranch(const org::Actor& actor, int64_t id);
  Result<Branch> CreateBranch(const org::Actor& actor, std::optional<std::string> org_code,
                              const Branch& branch);
  Result<Branch> UpdateBranch(const org::Actor& actor, int64_t id, const Branch& branch);
  Status DeleteBranch(const org::Actor& actor, int64_t id);
  // Import: insert or update by (organisation, code). Returns true when something changed.
  Result<bool> UpsertBranch(const org::Actor& actor, const org::Org& owner, const Branch& branch);

  // The readable organisation ids of a search context: `context` and the organisations above it.
  Result<std::vector<int64_t>> ContextOrgIds(const org::Org& context);

 private:
  Result<org::Org> ContextOrg(const org::Actor& actor, const std::optional<std::string>& code);
  Result<org::Org> OwnerOrg(const org::Actor& actor,
                            const std::optional<std::string>& code);         // inside the subtree
  Result<Article> LoadArticle(const org::Actor& actor, int64_t article_id);  // readable or not_found
  Result<std::vector<Version>> LoadVersions(int64_t article_id);
  Result<Version> LoadVersion(int64_t article_id, int number);
  Date Today(const org::Org& org) const;
  // Bumps the change sequence inside a transaction.
  Result<int64_t> NextSequence(store::Session& s);
  // After a commit that changed what is in effect: reindex the article (failures leave the index stale,
  // repaired by the next EnsureIndex / search).
  void Reindexed(int64_t article_id, int64_t sequence);
  Result<std::vector<IndexEntry>> EntriesOf(const Article& article, const std::vector<Version>& versions);
  Status AuditChange(store::Session& s, const org::Actor& actor, const Article& article,
                     std::string_view action, nlohmann::json detail);

  store::Database& db_;
  const Clock& clock_;
  org::OrgDirectory& orgs_;
  org::AuditLog& audit_;
  SearchIndex& index_;
  KbServiceOptions options_;
  std::mutex publish_mu_;  // serialises (commit, index update) pairs of this process
  std::atomic<bool> index_stale_{false};
  std::mutex scope_mu_;
  std::unordered_map<std::string, std::vector<int64_t>> scope_ids_;  // GUARDED_BY(scope_mu_): ContextOrgIds
};

extern const store::ModuleMigrations kKbMigrations;

}  // namespace hotline::kb
