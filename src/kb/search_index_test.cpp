// Tests of the search index itself (R-AGT-3): the effective window stored as day/month/year/decade terms
// selects exactly the versions in effect on every day around the block edges (and the value ranges beyond
// the terms' years), and on a large index a query of only common words searches titles, keywords and tags
// first, with consistent pages, and every article when fewer than ten heads have them.
#include "kb/search_index.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "kb/temp_dir_for_tests.hpp"
#include "testing/time.hpp"

namespace hotline::kb {
namespace {

namespace fs = std::filesystem;

using test::Day;

IndexEntry Entry(int64_t id, std::string title, std::string body, Date from, std::optional<Date> until) {
  IndexEntry e;
  e.article_id = id;
  e.version_id = id;
  e.number = 1;
  e.slug = "a-" + std::to_string(id);
  e.org_id = 1;
  e.org_code = "GS-LZ";
  e.content.title = std::move(title);
  e.content.body = std::move(body);
  e.content.category = "提取";
  e.content.effective_from = from;
  e.window = {.version_id = id, .from = from, .until = until};
  return e;
}

std::unique_ptr<SearchIndex> Build(const TempDir& dir, const std::vector<IndexEntry>& entries) {
  auto index = SearchIndex::Open({.dir = dir.index()});
  EXPECT_TRUE(index.ok());
  auto st = (*index)->Rebuild(
      [&](const std::function<Status(const IndexEntry&)>& add) -> Status {
        for (const auto& e : entries) HOTLINE_RETURN_IF_ERROR(add(e));
        return OkStatus();
      },
      1);
  EXPECT_TRUE(st.ok()) << st.error().message;
  return std::move(*index);
}

std::set<int64_t> InEffect(const SearchIndex& index, std::string text, Date day) {
  auto r = index.Search({.text = std::move(text), .org_ids = {1}, .at = day, .limit = 100});
  EXPECT_TRUE(r.ok()) << r.error().message;
  std::set<int64_t> ids;
  if (r.ok())
    for (const auto& h : r->hits) ids.insert(h.article_id);
  return ids;
}

TEST(SearchIndexWindows, ExactlyTheWindowsThatContainTheDayAroundEveryBlockEdge) {
  struct W {
    const char* from;
    std::optional<const char*> until;
  };
  const std::vector<W> windows = {
      {"2029-12-31", "2030-01-02"},  // days on both sides of a decade edge
      {"2026-02-15", "2031-03-03"},  // days, months, years, a decade's years, months, days
      {"2026-11-23", std::nullopt},  // open-ended: months, years, decades up to the term range's end
      {"2020-01-01", "2030-01-01"},  // one whole decade
      {"2027-03-01", "2027-04-01"},  // one whole month
      {"1965-06-01", "1971-02-01"},  // starts before the term range (1970): values before it
      {"2099-12-30", "2100-01-02"},  // ends after the term range (2100): values after it
      {"2026-05-31", "2026-06-01"},  // a single day
  };
  std::vector<IndexEntry> entries;
  for (size_t i = 0; i < windows.size(); ++i) {
    std::optional<Date> until;
    if (windows[i].until) until = Day(*windows[i].until);
    entries.push_back(Entry(static_cast<int64_t>(i + 1), "住房公积金提取须知", "提取条件和材料。",
                            Day(windows[i].from), until));
  }
  TempDir dir;
  auto index = Build(dir, entries);
  auto check = [&](std::string_view first, std::string_view last) {
    for (Date d = Day(first); d <= Day(last); d += std::chrono::days(1)) {
      std::set<int64_t> expected;
      for (const auto& e : entries)
        if (e.window.from <= d && (!e.window.until || d < *e.window.until)) expected.insert(e.article_id);
      ASSERT_EQ(InEffect(*index, "", d), expected) << "browse on " << FormatDate(d);
      ASSERT_EQ(InEffect(*index, "提取", d), expected) << "search on " << FormatDate(d);
    }
  };
  check("2025-12-25", "2031-03-10");
  check("1965-05-25", "1971-02-05");
  check("2099-12-20", "2100-01-05");
  EXPECT_EQ(InEffect(*index, "提取", Day("2150-07-01")), (std::set<int64_t>{3}));
}

// 1,200 articles (a large index: pairs in over 40 % of them are common). Every body says 公积金提取; 15
// titles have 提取 (one of them no longer in effect), 3 titles have 转移, every body has 转移 too.
class SearchIndexCommonWords : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<IndexEntry> entries;
    for (int i = 1; i <= 1200; ++i) {
      std::string title = i <= 15 ? "租房提取指南" : i <= 18 ? "异地转移说明" : "缴存登记说明";
      std::optional<Date> until;
      if (i == 15) until = Day("2025-01-01");
      entries.push_back(Entry(i, title + std::to_string(i),
                              "职工办理住房公积金提取和转移接续的规定第" + std::to_string(i) + "条。",
                              Day("2024-01-01"), until));
    }
    index_ = Build(dir_, entries);
  }

  SearchResult Page(std::string text, int offset) {
    auto r =
        index_->Search({.text = std::move(text), .org_ids = {1}, .at = Day("2026-03-02"), .offset = offset});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : SearchResult{};
  }

  TempDir dir_;
  std::unique_ptr<SearchIndex> index_;
};

TEST_F(SearchIndexCommonWords, ACommonWordFindsTheArticlesWithItInTheHeadOnConsistentPages) {
  auto first = Page("提取", 0), second = Page("提取", 10);
  ASSERT_EQ(first.hits.size(), 10u);
  ASSERT_EQ(second.hits.size(), 4u) << "14 titles in effect have 提取 (the 15th expired)";
  EXPECT_LT(first.total, 20) << "an estimate, but of the heads with 提取, not the 1,199 bodies";
  std::set<int64_t> seen;
  for (const auto* page : {&first, &second})
    for (const auto& h : page->hits) {
      EXPECT_LE(h.article_id, 14) << h.title;
      EXPECT_NE(h.title_html.find("<mark>提取</mark>"), std::string::npos) << h.title_html;
      EXPECT_TRUE(seen.insert(h.article_id).second) << "article on two pages: " << h.article_id;
    }
  // Rarer words of the query that no article has do not change that.
  auto with_rare = Page("飞机提取", 0);
  EXPECT_EQ(with_rare.hits.size(), 10u);
  EXPECT_LT(with_rare.total, 20);
}

TEST_F(SearchIndexCommonWords, FewerThanTenHeadsSearchEveryArticle) {
  auto r = Page("转移", 0);
  ASSERT_EQ(r.hits.size(), 10u);
  EXPECT_GT(r.total, 100) << "every article in effect has 转移 in its body";
  std::set<int64_t> top3;
  for (size_t i = 0; i < 3; ++i) top3.insert(r.hits[i].article_id);
  EXPECT_EQ(top3, (std::set<int64_t>{16, 17, 18})) << "the three with 转移 in the title rank first";
  EXPECT_NE(r.hits[5].snippet_html.find("<mark>转移</mark>"), std::string::npos) << r.hits[5].snippet_html;
}

TEST_F(SearchIndexCommonWords, RareWordsStillDriveTheMatch) {
  auto r = Page("登记说明1000", 0);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].article_id, 1000);
  EXPECT_TRUE(Page("飞机票", 0).hits.empty());
}

}  // namespace
}  // namespace hotline::kb
