// Full-text search over the published article versions (R-AGT-3), on a Xapian database on disk.
//
// One Xapian document per (published version, effective window): the windows of an article are disjoint
// (kb::EffectiveWindows), so a filter "in effect on day D" selects at most one version per article, with no
// job that flips versions at midnight: a version published today for next month is found from that day on
// (R-AGT-3 "实时同步"). The window is stored as boolean terms — the fewest whole decades, years, months and
// single days that cover it — so the filter is the OR of day D's four terms, a posting-list intersection
// (bench/kb_bench.cpp: −0.6 ms p50); for days before 1970 or from 2100 on it falls back to two value ranges.
//
// Chinese text is indexed with Xapian's CJK n-grams (TermGenerator::FLAG_CJK_NGRAM: unigrams and
// bigrams), so two-character words such as 贷款, 提取, 异地 match as bigram terms. Title (×5), keywords and
// tags (×4) are weighted above the body, and indexed once more under their own prefix (the "head"). A query
// ranks by BM25 over the OR of its own n-grams (the same FLAG_CJK_NGRAM tokenisation; colloquial questions
// rarely contain every word of the answer), plus the AND of them as a boost for documents that contain all
// of it — what QueryParser with FLAG_CJK_NGRAM and OP_AND matches, without the single characters' long
// posting lists. In an index of over 1,000 documents, pairs in over 40 % of them ("common": 公积, 提取 in a
// repetitive corpus) only boost; when only common pairs occur, the articles with them in the head are
// searched (when there are at least 10 of them; else every article) — short lists instead of walking most
// of the index (bench/kb_bench.cpp: p99 13 → 3 ms). Titles and snippets are highlighted by our own
// escaping highlighter (matches in <mark>).
//
// The database (kb tables) is the source of truth; the index stores the change sequence it reflects
// (metadata "kb_seq") so a stale or missing index is rebuilt at start (KbService::EnsureIndex).
//
// Thread-safety: safe to share. Writes are serialised (Xapian allows one writer; the writer is opened per
// batch and closed again, waiting up to `lock_wait` for another process such as `hotline kb reindex`);
// searches use a pool of readers that reopen to the latest commit before each search.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "kb/types.hpp"

namespace Xapian {
class Database;
}

namespace hotline::kb {

struct SearchIndexOptions {
  std::string dir;                             // the index directory; created when missing
  std::chrono::milliseconds lock_wait{10000};  // how long a write waits for another writer
};

// What the index needs of one published version in one window.
struct IndexEntry {
  int64_t article_id = 0;
  int64_t version_id = 0;
  int number = 0;
  std::string slug;
  int64_t org_id = 0;
  std::string org_code;
  ArticleContent content;
  EffectiveWindow window;
};

struct SearchQuery {
  std::string text;                     // free text; empty = browse (by title)
  std::vector<int64_t> org_ids;         // scope: articles of these organisations (REQUIRES: not empty)
  std::optional<std::string> category;  // a category path: that category and its subcategories
  std::optional<Audience> audience;     // individual or unit: also matches `all`
  Date at{};                            // only the version in effect on this day
  int offset = 0;
  int limit = 10;
};

struct SearchHit {
  int64_t article_id = 0;
  int64_t version_id = 0;
  int number = 0;
  std::string slug;
  std::string title;
  std::string title_html;    // escaped, matches in <mark>
  std::string snippet_html;  // escaped, matches in <mark>
  std::string category;
  Audience audience = Audience::kAll;
  std::string org_code;
  Date effective_from{};
  std::optional<Date> expires_at;
  int percent = 0;  // relevance 0–100
};

struct SearchResult {
  std::vector<SearchHit> hits;
  int64_t total = 0;  // estimated matches
};

class SearchIndex {
 public:
  // Opens (creating when missing) the index. Errors: unavailable (directory not writable, corrupt index).
  static Result<std::unique_ptr<SearchIndex>> Open(const SearchIndexOptions& options);
  ~SearchIndex();

  // The database change sequence the index reflects (0 for a new or foreign index).
  Result<int64_t> StoredSequence() const;
  // Replaces every document of `article_id` by `entries` (empty: the article leaves the index), and
  // records `sequence`. Atomic: one commit.
  Status ReplaceArticle(int64_t article_id, const std::vector<IndexEntry>& entries, int64_t sequence);
  // Replaces the whole index by the entries `produce` hands to `add` (built in a new directory, then
  // swapped in, so searches see the old index until the new one is complete).
  Status Rebuild(const std::function<Status(const std::function<Status(const IndexEntry&)>& add)>& produce,
                 int64_t sequence);
  // Errors: invalid_argument (query_too_long) on a query over 200 characters.
  Result<SearchResult> Search(const SearchQuery& query) const;
  int64_t document_count() const;

 private:
  explicit SearchIndex(SearchIndexOptions options);
  struct Reader;
  Result<std::unique_ptr<Reader>> AcquireReader() const;
  void ReleaseReader(std::unique_ptr<Reader> reader) const;
  Result<SearchResult> SearchWith(Xapian::Database& db, const SearchQuery& query) const;

  SearchIndexOptions options_;
  std::mutex write_mu_;  // one writer at a time in this process
  mutable std::mutex readers_mu_;
  mutable std::vector<std::unique_ptr<Reader>> readers_;  // GUARDED_BY(readers_mu_)
  mutable uint64_t generation_ = 0;  // GUARDED_BY(readers_mu_): bumped by Rebuild, drops pooled readers
};

}  // namespace hotline::kb
