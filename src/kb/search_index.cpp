#include "kb/search_index.hpp"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/text.hpp"
#include "kb/markdown.hpp"

namespace hotline::kb {
namespace {

namespace fs = std::filesystem;

// Value slots and boolean term prefixes of a document.
constexpr Xapian::valueno kSlotFrom = 0;     // window start "YYYYMMDD"
constexpr Xapian::valueno kSlotUntil = 1;    // window end (exclusive) "YYYYMMDD", "99999999" when open
constexpr Xapian::valueno kSlotArticle = 2;  // article id, collapse key
constexpr Xapian::valueno kSlotTitle = 3;    // for browsing without a query
constexpr const char* kPrefixArticle = "XR";
constexpr const char* kPrefixOrg = "XO";
constexpr const char* kPrefixCategory = "XC";
constexpr const char* kPrefixAudience = "XA";
// The effective window as boolean terms (see WindowTerms): XWC decade, XWY year, XWM month, XWD day.
constexpr const char* kPrefixDecade = "XWC";
constexpr const char* kPrefixYear = "XWY";
constexpr const char* kPrefixMonth = "XWM";
constexpr const char* kPrefixDay = "XWD";
// The n-grams of title, keywords and tags once more under this prefix: the "head" of an article, where a
// word found in most articles still tells what an article is about (see TextQuery).
constexpr const char* kPrefixHead = "S";
constexpr const char* kFormat = "2";  // bump when the document layout changes: forces a rebuild
constexpr unsigned kIndexFlags = Xapian::TermGenerator::FLAG_CJK_NGRAM;

std::string DayKey(Date d) {
  std::string s = FormatDate(d);  // YYYY-MM-DD
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

// The days the window terms cover, [kTermsFrom, kTermsUntil): a window is clipped to them, and a search
// for a day outside them falls back to the value ranges (slots kSlotFrom/kSlotUntil, kept for that).
constexpr std::chrono::year_month_day kTermsFromYmd{std::chrono::year(1970), std::chrono::January,
                                                    std::chrono::day(1)};
constexpr std::chrono::year_month_day kTermsUntilYmd{std::chrono::year(2100), std::chrono::January,
                                                     std::chrono::day(1)};

bool InTermRange(Date d) {
  return d >= std::chrono::sys_days(kTermsFromYmd) && d < std::chrono::sys_days(kTermsUntilYmd);
}

std::string Digits(int value, int width) {
  std::string s = std::to_string(value);
  return std::string(width > static_cast<int>(s.size()) ? width - s.size() : 0, '0') + s;
}

// The window [from, until) (until none: open-ended) as the fewest aligned blocks — whole decades, years,
// months, single days — one boolean term each. The blocks are disjoint, so "in effect on day D" is the OR
// of the four terms of D's decade, year, month and day (DayTerms): a posting-list intersection instead of
// reading two values of every candidate (R-AGT-3: still exact to the day, and a version published today for
// next month matches from that day on without a reindex). At most ~30 day, 11 month and 9 year terms on
// each side plus the decades up to kTermsUntil.
std::vector<std::string> WindowTerms(Date from, std::optional<Date> until) {
  using namespace std::chrono;
  const sys_days lo = std::max(from, sys_days(kTermsFromYmd));
  const sys_days hi = until ? std::min(*until, sys_days(kTermsUntilYmd)) : sys_days(kTermsUntilYmd);
  std::vector<std::string> out;
  for (sys_days cur = lo; cur < hi;) {
    const year_month_day ymd(cur);
    const int y = static_cast<int>(ymd.year());
    const bool first_of_month = ymd.day() == day(1);
    const bool first_of_year = first_of_month && ymd.month() == January;
    const sys_days next_decade = sys_days((ymd.year() + years(10)) / January / 1);
    const sys_days next_year = sys_days((ymd.year() + years(1)) / January / 1);
    const sys_days next_month = sys_days((ymd.year() / ymd.month() + months(1)) / 1);
    if (first_of_year && y % 10 == 0 && next_decade <= hi) {
      out.push_back(kPrefixDecade + std::to_string(y / 10));
      cur = next_decade;
    } else if (first_of_year && next_year <= hi) {
      out.push_back(kPrefixYear + std::to_string(y));
      cur = next_year;
    } else if (first_of_month && next_month <= hi) {
      out.push_back(kPrefixMonth + std::to_string(y) +
                    Digits(static_cast<int>(static_cast<unsigned>(ymd.month())), 2));
      cur = next_month;
    } else {
      out.push_back(kPrefixDay + DayKey(cur));
      cur += days(1);
    }
  }
  return out;
}

// The four blocks that contain day `d` (REQUIRES: InTermRange(d)).
std::vector<std::string> DayTerms(Date d) {
  using namespace std::chrono;
  year_month_day ymd(d);
  const int y = static_cast<int>(ymd.year());
  return {kPrefixDecade + std::to_string(y / 10), kPrefixYear + std::to_string(y),
          kPrefixMonth + std::to_string(y) + Digits(static_cast<int>(static_cast<unsigned>(ymd.month())), 2),
          kPrefixDay + DayKey(d)};
}

Error IndexError(const Xapian::Error& e) {
  return Error::Unavailable(std::string("知识库索引出错：") + e.get_type() + " " + e.get_msg());
}

bool IsCjkUnigram(const std::string& term) {
  if (term.empty() || static_cast<unsigned char>(term[0]) < 0x80) return false;
  return Utf8Length(term) == 1;
}

Xapian::Document MakeDocument(const IndexEntry& e) {
  Xapian::Document doc;
  Xapian::TermGenerator tg;
  tg.set_flags(kIndexFlags);
  tg.set_document(doc);
  const auto& c = e.content;
  std::string body_text = MarkdownToPlainText(c.body);
  tg.index_text_without_positions(c.title, 5);
  tg.index_text_without_positions(JoinList(c.keywords), 4);
  tg.index_text_without_positions(JoinList(c.tags), 4);
  tg.index_text_without_positions(body_text, 1);
  tg.index_text_without_positions(c.title, 5, kPrefixHead);
  tg.index_text_without_positions(JoinList(c.keywords), 4, kPrefixHead);
  tg.index_text_without_positions(JoinList(c.tags), 4, kPrefixHead);
  for (const auto& term : WindowTerms(e.window.from, e.window.until)) doc.add_boolean_term(term);
  doc.add_boolean_term(kPrefixArticle + std::to_string(e.article_id));
  doc.add_boolean_term(kPrefixOrg + std::to_string(e.org_id));
  for (const auto& prefix : CategoryPrefixes(c.category)) doc.add_boolean_term(kPrefixCategory + prefix);
  doc.add_boolean_term(kPrefixAudience + std::string(AudienceName(c.audience)));
  doc.add_value(kSlotFrom, DayKey(e.window.from));
  doc.add_value(kSlotUntil, e.window.until ? DayKey(*e.window.until) : "99999999");
  doc.add_value(kSlotArticle, Xapian::sortable_serialise(static_cast<double>(e.article_id)));
  doc.add_value(kSlotTitle, c.title);
  nlohmann::json data = {{"a", e.article_id},
                         {"v", e.version_id},
                         {"n", e.number},
                         {"s", e.slug},
                         {"t", c.title},
                         {"c", c.category},
                         {"au", AudienceName(c.audience)},
                         {"o", e.org_code},
                         {"f", FormatDate(c.effective_from)},
                         {"x", c.expires_at ? FormatDate(*c.expires_at) : ""},
                         {"b", body_text}};
  doc.set_data(data.dump());
  return doc;
}

// The n-grams of a query (the same FLAG_CJK_NGRAM tokenisation as the documents), by how they search.
struct QueryTerms {
  std::vector<std::string> pairs;      // CJK bigrams and Latin/digit words
  std::vector<std::string> common;     // those of them in more than 40 % of a large index (see below)
  std::vector<std::string> singles;    // single CJK characters
  std::vector<std::string> highlight;  // what the highlighter marks
};

// A pair in more than 40 % of the documents (公积 of 公积金 …) barely ranks (its IDF is near zero) but its
// posting list is the longest of the OR: it does not drive the match (see SearchWith). Only in an index of
// over 1,000 documents — in a small one every list is short.
QueryTerms ClassifyTerms(const Xapian::Database& db, const std::string& text) {
  Xapian::Document scratch;
  Xapian::TermGenerator tg;
  tg.set_flags(kIndexFlags);
  tg.set_document(scratch);
  tg.index_text_without_positions(text);
  QueryTerms t;
  const Xapian::doccount common_above = db.get_doccount() * 2 / 5;
  for (auto it = scratch.termlist_begin(); it != scratch.termlist_end(); ++it) {
    std::string term = *it;
    if (IsCjkUnigram(term))
      t.singles.push_back(term);
    else if (db.get_doccount() > 1000 && db.get_termfreq(term) > common_above)
      t.common.push_back(term);
    else
      t.pairs.push_back(term);
  }
  // Single CJK characters occur in nearly every article (公, 金 …): they search (and are marked) only when
  // the query has no other term (a one-character query).
  const bool only_singles = t.pairs.empty() && t.common.empty();
  for (auto it = scratch.termlist_begin(); it != scratch.termlist_end(); ++it)
    if (only_singles || !IsCjkUnigram(*it)) t.highlight.push_back(*it);
  return t;
}

// How a query's terms become a Xapian query, tried in this order by SearchWith.
enum class Shape {
  kRare,  // OR of the pairs that are not common (or of the single characters when there is nothing else)
  kHead,  // OR of the common pairs in titles, keywords and tags only (kPrefixHead)
  kAll,   // OR of every pair, common ones included
};

// The text part of a query in `shape`: BM25 over the OR of its terms (colloquial questions rarely contain
// every word of the answer), plus the AND of all of them as a boost for documents that contain the whole
// query — what QueryParser with FLAG_CJK_NGRAM and OP_AND matches (a document with all pairs of a span has
// all its characters), without walking the single characters' long posting lists. MatchNothing when the
// shape has no term.
Xapian::Query TextQuery(const QueryTerms& t, Shape shape) {
  std::vector<Xapian::Query> parts, all;
  switch (shape) {
    case Shape::kRare:
      for (const auto& p : t.pairs) parts.emplace_back(p);
      if (t.pairs.empty() && t.common.empty())
        for (const auto& c : t.singles)
          parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(c), 0.3);
      all = parts;
      for (const auto& c : t.common) all.emplace_back(c);
      break;
    case Shape::kHead:
      for (const auto& c : t.common) parts.emplace_back(kPrefixHead + c);
      all = parts;
      break;
    case Shape::kAll:
      for (const auto& p : t.pairs) parts.emplace_back(p);
      for (const auto& c : t.common) parts.emplace_back(c);
      all = parts;
      break;
  }
  if (parts.empty()) return Xapian::Query::MatchNothing;
  Xapian::Query relaxed(Xapian::Query::OP_OR, parts.begin(), parts.end());
  if (all.size() < 2) return relaxed;
  return Xapian::Query(Xapian::Query::OP_OR, relaxed,
                       Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()));
}

size_t CharLen(unsigned char c) { return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4; }

// Our own snippet: the query's terms (CJK pairs, lower-case words) found in `text`, a window of about
// `max_chars` characters around the first match, every character HTML-escaped, matches in <mark>. Xapian's
// MSet::snippet highlights CJK text only for single-character query terms, which the query leaves out
// (see TextQuery). Empty when nothing matches.
std::string Highlight(const std::string& text, const std::vector<std::string>& terms, size_t max_chars) {
  std::string lower = text;
  for (auto& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::vector<bool> marked(text.size(), false);
  size_t first = std::string::npos;
  for (const auto& t : terms) {
    if (t.empty()) continue;
    for (size_t p = lower.find(t); p != std::string::npos; p = lower.find(t, p + 1)) {
      // Latin words only at word boundaries ("lpr" not inside "lprs"); CJK anywhere.
      bool ascii = static_cast<unsigned char>(t[0]) < 0x80;
      auto alnum = [&](size_t i) { return std::isalnum(static_cast<unsigned char>(lower[i])) != 0; };
      if (ascii && ((p > 0 && alnum(p - 1)) || (p + t.size() < lower.size() && alnum(p + t.size()))))
        continue;
      for (size_t i = p; i < p + t.size(); ++i) marked[i] = true;
      first = std::min(first, p);
    }
  }
  if (first == std::string::npos) return "";
  // Start up to 20 characters before the first match, at a character boundary.
  size_t start = first;
  for (int back = 0; back < 20 && start > 0; ++back) {
    do --start;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80);
  }
  std::string out = start > 0 ? "…" : "";
  bool open = false;
  size_t i = start, chars = 0;
  for (; i < text.size() && chars < max_chars; ++chars) {
    size_t len = std::min(CharLen(static_cast<unsigned char>(text[i])), text.size() - i);
    if (marked[i] != open) {
      out += open ? "</mark>" : "<mark>";
      open = !open;
    }
    std::string ch = text.substr(i, len);
    out += ch == "\n" ? " " : HtmlEscape(ch);
    i += len;
  }
  if (open) out += "</mark>";
  if (i < text.size()) out += "…";
  return out;
}

Xapian::Query OrOfTerms(const std::vector<std::string>& terms) {
  std::vector<Xapian::Query> qs;
  for (const auto& t : terms) qs.emplace_back(t);
  return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

}  // namespace

struct SearchIndex::Reader {
  uint64_t generation = 0;
  Xapian::Database db;
};

Result<std::unique_ptr<SearchIndex>> SearchIndex::Open(const SearchIndexOptions& options) {
  std::unique_ptr<SearchIndex> index(new SearchIndex(options));
  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec) return Error::Unavailable("无法创建知识库索引目录 " + options.dir + "：" + ec.message());
  try {
    Xapian::WritableDatabase db(options.dir, Xapian::DB_CREATE_OR_OPEN);
    db.close();
  } catch (const Xapian::DatabaseLockError&) {
    // Another process is writing (e.g. a reindex): the index exists; readers will see its commits.
  } catch (const Xapian::Error& e) {
    return IndexError(e);
  }
  return index;
}

SearchIndex::SearchIndex(SearchIndexOptions options) : options_(std::move(options)) {}
SearchIndex::~SearchIndex() = default;

Result<int64_t> SearchIndex::StoredSequence() const {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.take_error();
  int64_t seq = 0;
  try {
    if ((*reader)->db.get_metadata("kb_format") == kFormat) {
      std::string s = (*reader)->db.get_metadata("kb_seq");
      seq = s.empty() ? 0 : std::stoll(s);
    }
  } catch (const Xapian::Error& e) {
    return IndexError(e);
  } catch (const std::exception&) {
    seq = 0;
  }
  ReleaseReader(std::move(*reader));
  return seq;
}

int64_t SearchIndex::document_count() const {
  auto reader = AcquireReader();
  if (!reader.ok()) return 0;
  int64_t n = (*reader)->db.get_doccount();
  ReleaseReader(std::move(*reader));
  return n;
}

namespace {

// Opens the writer, waiting for another process's writer to finish.
Result<Xapian::WritableDatabase> OpenWriter(const std::string& dir, std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    try {
      return Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
    } catch (const Xapian::DatabaseLockError& e) {
      if (std::chrono::steady_clock::now() >= deadline)
        return Error::Unavailable("知识库索引正被另一进程写入（如 hotline kb reindex），请稍后重试");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } catch (const Xapian::Error& e) {
      return IndexError(e);
    }
  }
}

}  // namespace

Status SearchIndex::ReplaceArticle(int64_t article_id, const std::vector<IndexEntry>& entries,
                                   int64_t sequence) {
  std::lock_guard lock(write_mu_);
  HOTLINE_ASSIGN_OR_RETURN(auto db, OpenWriter(options_.dir, options_.lock_wait));
  try {
    db.begin_transaction();
    db.delete_document(kPrefixArticle + std::to_string(article_id));
    for (const auto& e : entries) db.add_document(MakeDocument(e));
    db.set_metadata("kb_format", kFormat);
    db.set_metadata("kb_seq", std::to_string(sequence));
    db.commit_transaction();
    db.close();
  } catch (const Xapian::Error& e) {
    return IndexError(e);
  }
  return OkStatus();
}

Status SearchIndex::Rebuild(
    const std::function<Status(const std::function<Status(const IndexEntry&)>& add)>& produce,
    int64_t sequence) {
  std::lock_guard lock(write_mu_);
  fs::path dir(options_.dir);
  fs::path fresh = dir.string() + ".new";
  fs::path old = dir.string() + ".old";
  std::error_code ec;
  fs::remove_all(fresh, ec);
  fs::remove_all(old, ec);
  try {
    Xapian::WritableDatabase db(fresh.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    Status st = produce([&db](const IndexEntry& e) -> Status {
      try {
        db.add_document(MakeDocument(e));
      } catch (const Xapian::Error& err) {
        return IndexError(err);
      }
      return OkStatus();
    });
    if (!st.ok()) {
      db.close();
      fs::remove_all(fresh, ec);
      return st;
    }
    db.set_metadata("kb_format", kFormat);
    db.set_metadata("kb_seq", std::to_string(sequence));
    db.commit();
    db.close();
  } catch (const Xapian::Error& e) {
    fs::remove_all(fresh, ec);
    return IndexError(e);
  }
  // Swap directories: readers opened on the old one keep their open files until they reopen.
  fs::rename(dir, old, ec);
  fs::rename(fresh, dir, ec);
  if (ec) return Error::Unavailable("无法替换知识库索引目录 " + dir.string() + "：" + ec.message());
  fs::remove_all(old, ec);
  {
    std::lock_guard rl(readers_mu_);
    ++generation_;
    readers_.clear();
  }
  return OkStatus();
}

Result<std::unique_ptr<SearchIndex::Reader>> SearchIndex::AcquireReader() const {
  std::unique_ptr<Reader> r;
  uint64_t generation;
  {
    std::lock_guard lock(readers_mu_);
    generation = generation_;
    if (!readers_.empty()) {
      r = std::move(readers_.back());
      readers_.pop_back();
    }
  }
  try {
    if (r) {
      r->db.reopen();  // cheap when nothing changed; sees commits of this and other processes
      return r;
    }
  } catch (const Xapian::Error&) {
    r.reset();  // the directory was swapped under it: open afresh
  }
  try {
    r = std::make_unique<Reader>();
    r->generation = generation;
    r->db = Xapian::Database(options_.dir);
  } catch (const Xapian::Error& e) {
    return IndexError(e);
  }
  return r;
}

void SearchIndex::ReleaseReader(std::unique_ptr<Reader> reader) const {
  std::lock_guard lock(readers_mu_);
  if (reader->generation == generation_ && readers_.size() < 16) readers_.push_back(std::move(reader));
}

Result<SearchResult> SearchIndex::Search(const SearchQuery& query) const {
  if (Utf8Length(query.text) > 200 || !IsValidUtf8(query.text))
    return Error::InvalidArgument("query_too_long", "搜索词最多 200 个字符");
  for (int attempt = 0;; ++attempt) {
    auto reader = AcquireReader();
    if (!reader.ok()) return reader.take_error();
    try {
      auto result = SearchWith((*reader)->db, query);
      ReleaseReader(std::move(*reader));
      return result;
    } catch (const Xapian::DatabaseModifiedError&) {
      // A writer committed twice while we read: retry on a fresh reader.
    } catch (const Xapian::DatabaseError& e) {
      if (attempt >= 1) return IndexError(e);
    } catch (const Xapian::Error& e) {
      return IndexError(e);
    }
    if (attempt >= 2) return Error::Unavailable("知识库索引正在更新，请重试");
  }
}

Result<SearchResult> SearchIndex::SearchWith(Xapian::Database& db, const SearchQuery& query) const {
  const bool browse = query.text.find_first_not_of(" \t\r\n") == std::string::npos;
  QueryTerms terms;
  if (!browse) terms = ClassifyTerms(db, query.text);
  const std::vector<std::string>& highlight = terms.highlight;

  std::vector<Xapian::Query> filters;
  std::vector<std::string> orgs;
  for (int64_t id : query.org_ids) orgs.push_back(kPrefixOrg + std::to_string(id));
  filters.push_back(OrOfTerms(orgs));
  if (query.category) filters.emplace_back(kPrefixCategory + *query.category);
  if (query.audience && *query.audience != Audience::kAll)
    filters.push_back(OrOfTerms({kPrefixAudience + std::string(AudienceName(*query.audience)),
                                 kPrefixAudience + std::string("all")}));
  if (InTermRange(query.at)) {
    filters.push_back(OrOfTerms(DayTerms(query.at)));
  } else {
    filters.emplace_back(Xapian::Query::OP_VALUE_LE, kSlotFrom, DayKey(query.at));
    filters.emplace_back(Xapian::Query::OP_VALUE_GE, kSlotUntil, DayKey(query.at + std::chrono::days(1)));
  }
  Xapian::Query filter(Xapian::Query::OP_AND, filters.begin(), filters.end());
  Xapian::Enquire enquire(db);
  // No collapse key: an article's windows are disjoint, so the date filter already leaves one document per
  // article (and collapsing reads a value for every candidate).
  const auto first = static_cast<Xapian::doccount>(query.offset);
  const auto count = static_cast<Xapian::doccount>(query.limit);
  Xapian::MSet mset;
  if (browse) {
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll, filter));
    enquire.set_sort_by_value(kSlotTitle, false);
    mset = enquire.get_mset(first, count);
  } else {
    // 1. The query's rarer pairs drive the match (the common ones only boost).
    const bool rare = !terms.pairs.empty() || terms.common.empty();
    if (rare) {
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, TextQuery(terms, Shape::kRare), filter));
      mset = enquire.get_mset(first, count);
    }
    if (!terms.common.empty() && (!rare || mset.get_matches_upper_bound() == 0)) {
      // 2. Only common pairs occur: the articles with them in title, keywords or tags — short posting lists
      // where a word in most bodies still tells what an article is about — when there are at least
      // kHeadEnough of them (decided on the total, not the page, so all pages come from one shape) …
      constexpr Xapian::doccount kHeadEnough = 10;
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, TextQuery(terms, Shape::kHead), filter));
      mset = enquire.get_mset(first, count, kHeadEnough);
      if (mset.get_matches_lower_bound() < kHeadEnough) {
        // 3. … else every article with them (the long posting lists).
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, TextQuery(terms, Shape::kAll), filter));
        mset = enquire.get_mset(first, count);
      }
    }
  }
  SearchResult out;
  out.total = mset.get_matches_estimated();
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    auto data = nlohmann::json::parse(it.get_document().get_data(), nullptr, false);
    if (!data.is_object()) continue;
    SearchHit h;
    h.article_id = data.value("a", int64_t{0});
    h.version_id = data.value("v", int64_t{0});
    h.number = data.value("n", 0);
    h.slug = data.value("s", "");
    h.title = data.value("t", "");
    h.category = data.value("c", "");
    h.audience = ParseAudience(data.value("au", "all")).value_or(Audience::kAll);
    h.org_code = data.value("o", "");
    ParseDate(data.value("f", ""), &h.effective_from);
    Date x;
    if (ParseDate(data.value("x", ""), &x)) h.expires_at = x;
    std::string body = data.value("b", "");
    h.percent = browse ? 0 : it.get_percent();
    if (browse) {
      h.title_html = HtmlEscape(h.title);
    } else {
      h.title_html = Highlight(h.title, highlight, 200);
      if (h.title_html.empty()) h.title_html = HtmlEscape(h.title);
      h.snippet_html = Highlight(body, highlight, 120);
    }
    if (h.snippet_html.empty()) {
      // No match in the body (the title or keywords matched): the opening of the body.
      std::string opening;
      size_t chars = 0;
      for (size_t i = 0; i < body.size() && chars < 80; ++chars) {
        unsigned char c = static_cast<unsigned char>(body[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        opening.append(body, i, len);
        i += len;
      }
      for (auto& ch : opening)
        if (ch == '\n') ch = ' ';
      h.snippet_html = HtmlEscape(opening) + (opening.size() < body.size() ? "…" : "");
    }
    out.hits.push_back(std::move(h));
  }
  return out;
}

}  // namespace hotline::kb
