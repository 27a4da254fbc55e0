// Values of the knowledge base (R-AGT-3): articles, their versions and review states, the category tree,
// audiences, branches (网点), and the rule that decides which published version is in effect on a date.
// Everything here is a plain value: copyable, not thread-safe, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/time_zone.hpp"

namespace hotline::kb {

// Who an article is written for. `all` matches both filters.
enum class Audience { kIndividual, kUnit, kAll };
std::string_view AudienceName(Audience a);  // "individual" | "unit" | "all"
std::optional<Audience> ParseAudience(std::string_view name);

// A version's place in the review workflow (docs/KNOWLEDGE-BASE.md "Workflow"):
//   draft → in_review → published, in_review → rejected → (edited) draft → in_review …
// A published version never changes again; editing an article creates a new version.
enum class VersionState { kDraft, kInReview, kPublished, kRejected };
std::string_view VersionStateName(VersionState s);  // "draft" | "in_review" | "published" | "rejected"
std::optional<VersionState> ParseVersionState(std::string_view name);

// The top levels of the category tree (kb-format.md); deeper levels are free text.
extern const std::vector<std::string_view> kTopCategories;
// A category path "提取/租房提取": 1–4 levels of 1–20 characters each, no '/' at either end, the first level
// one of kTopCategories. Errors: invalid_field.
Status ValidateCategory(std::string_view path);
// "提取/租房提取" → {"提取", "提取/租房提取"}: every prefix path, for subtree filters.
std::vector<std::string> CategoryPrefixes(std::string_view path);

// The editable content of one version.
struct ArticleContent {
  std::string title;  // 1–200 characters
  std::string body;   // Markdown (CommonMark subset, kb/markdown.hpp), ≤ 100,000 bytes
  std::string category;
  std::vector<std::string> tags;      // each 1–30 characters, ≤ 30 of them
  std::vector<std::string> keywords;  // each 1–50 characters, ≤ 50 of them
  Audience audience = Audience::kAll;
  Date effective_from{};
  std::optional<Date> expires_at;  // exclusive end; after effective_from

  bool operator==(const ArticleContent&) const = default;
};
// Checks every field (messages name the field). Errors: invalid_field.
Status ValidateContent(const ArticleContent& c);
// "租房, 提取、无房" → {"租房", "提取", "无房"}: splits on ',' '，' '、', trims, drops empty items.
std::vector<std::string> SplitList(std::string_view text);
std::string JoinList(const std::vector<std::string>& items);  // "租房, 提取"

// Slugs: the article's stable external key, [a-z0-9-]{1,80}, not starting or ending with '-'.
bool IsValidSlug(std::string_view slug);

struct Version {
  int64_t id = 0;
  int64_t article_id = 0;
  int number = 0;  // 1, 2, … per article
  VersionState state = VersionState::kDraft;
  ArticleContent content;
  std::string created_by;
  TimePoint created_at;
  std::optional<TimePoint> submitted_at;
  std::string reviewed_by;  // who published or rejected it
  std::optional<TimePoint> reviewed_at;
  std::string review_note;  // the reason of a rejection, or the publisher's note
};

struct Article {
  int64_t id = 0;
  std::string slug;
  int64_t org_id = 0;  // scope: a centre, or a province (shared by its centres)
  std::string org_code;
  std::string org_path;
  std::string org_level;  // "center" | "province" | "ministry"
  TimePoint created_at;
  std::optional<Date> retired_on;  // withdrawn from this local day on (nothing is in effect from then)
};

// One stretch of days [from, until) during which `version_id` is the version in effect.
struct EffectiveWindow {
  int64_t version_id = 0;
  Date from{};
  std::optional<Date> until;  // none = open-ended
};

// The in-effect rule (R-AGT-3, docs/KNOWLEDGE-BASE.md "Which version is in effect"): on day D, of the
// published versions with effective_from ≤ D < expires_at (and D before the article's retirement), the one
// with the latest effective_from is in effect; on equal dates the higher version number (published later).
// `versions` may contain unpublished versions; they are ignored. Returns null when none is in effect.
const Version* SelectInEffect(const std::vector<Version>& versions, Date day,
                              std::optional<Date> retired_on = {});
// The same rule as disjoint day ranges, in date order (what the search index stores).
std::vector<EffectiveWindow> EffectiveWindows(const std::vector<Version>& versions,
                                              std::optional<Date> retired_on = {});

// A branch office (业务网点) for callers and for the IVR's 业务网点查询.
struct Branch {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_code;
  std::string code;  // [A-Z0-9-]{2,32}, unique per organisation, e.g. "LZ-CG"
  std::string name;
  std::string address;
  std::string phone;
  std::string hours;
  std::vector<std::string> services;  // e.g. 提取, 贷款, 缴存, 转移接续
  std::optional<double> lat, lng;     // WGS-84 degrees
  TimePoint updated_at;
};
Status ValidateBranch(const Branch& b);

}  // namespace hotline::kb
