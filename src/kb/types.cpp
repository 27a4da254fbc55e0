#include "kb/types.hpp"

#include <algorithm>
#include <set>

#include "core/text.hpp"

namespace hotline::kb {
namespace {

Error Bad(std::string_view field, std::string_view what) {
  return Error::InvalidArgument("invalid_field", "字段 " + std::string(field) + " " + std::string(what));
}

std::string_view Trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  // The ideographic space U+3000 too (pasted from Chinese documents).
  while (s.size() >= 3 && s.substr(0, 3) == "\xE3\x80\x80") s.remove_prefix(3);
  while (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80") s.remove_suffix(3);
  return s;
}

Status CheckText(std::string_view field, std::string_view value, size_t min_chars, size_t max_chars,
                 bool multiline = false) {
  if (!IsValidUtf8(value)) return Bad(field, "不是有效的 UTF-8 文本");
  if (HasControlChars(value, multiline)) return Bad(field, "含有控制字符");
  size_t n = Utf8Length(value);
  if (n < min_chars) return Bad(field, min_chars == 1 ? "不能为空" : "太短");
  if (n > max_chars) return Bad(field, "超过 " + std::to_string(max_chars) + " 个字符");
  return OkStatus();
}

}  // namespace

std::string_view AudienceName(Audience a) {
  switch (a) {
    case Audience::kIndividual:
      return "individual";
    case Audience::kUnit:
      return "unit";
    case Audience::kAll:
      return "all";
  }
  return "";
}

std::optional<Audience> ParseAudience(std::string_view name) {
  if (name == "individual") return Audience::kIndividual;
  if (name == "unit") return Audience::kUnit;
  if (name == "all") return Audience::kAll;
  return std::nullopt;
}

std::string_view VersionStateName(VersionState s) {
  switch (s) {
    case VersionState::kDraft:
      return "draft";
    case VersionState::kInReview:
      return "in_review";
    case VersionState::kPublished:
      return "published";
    case VersionState::kRejected:
      return "rejected";
  }
  return "";
}

std::optional<VersionState> ParseVersionState(std::string_view name) {
  for (auto s :
       {VersionState::kDraft, VersionState::kInReview, VersionState::kPublished, VersionState::kRejected})
    if (VersionStateName(s) == name) return s;
  return std::nullopt;
}

const std::vector<std::string_view> kTopCategories = {
    "缴存", "提取", "贷款", "转移接续", "政策法规", "网点与联系方式", "常见问题", "单位业务", "线上服务"};

Status ValidateCategory(std::string_view path) {
  if (path.empty()) return Bad("category", "不能为空");
  if (!IsValidUtf8(path) || HasControlChars(path, false)) return Bad("category", "含有无效字符");
  std::vector<std::string_view> levels;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    levels.push_back(
        path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (levels.size() > 4) return Bad("category", "最多 4 级");
  for (auto level : levels) {
    if (level.empty() || Trim(level).size() != level.size())
      return Bad("category", "的每一级都不能为空，且首尾不能有空格");
    if (Utf8Length(level) > 20) return Bad("category", "的每一级最多 20 个字符");
  }
  if (std::find(kTopCategories.begin(), kTopCategories.end(), levels[0]) == kTopCategories.end())
    return Bad("category",
               "的第一级须为 "
               "缴存、提取、贷款、转移接续、政策法规、网点与联系方式、常见问题、单位业务、线上服务 之一");
  return OkStatus();
}

std::vector<std::string> CategoryPrefixes(std::string_view path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) break;
    out.emplace_back(path.substr(0, slash));
    pos = slash + 1;
  }
  out.emplace_back(path);
  return out;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    auto t = Trim(current);
    if (!t.empty()) out.emplace_back(t);
    current.clear();
  };
  for (size_t i = 0; i < text.size();) {
    if (text[i] == ',') {
      flush();
      ++i;
    } else if (text.substr(i, 3) == "\xEF\xBC\x8C" /* ， */ || text.substr(i, 3) == "\xE3\x80\x81" /* 、 */) {
      flush();
      i += 3;
    } else {
      current.push_back(text[i++]);
    }
  }
  flush();
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

bool IsValidSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > 80 || slug.front() == '-' || slug.back() == '-') return false;
  return std::all_of(slug.begin(), slug.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

Status ValidateContent(const ArticleContent& c) {
  HOTLINE_RETURN_IF_ERROR(CheckText("title", c.title, 1, 200));
  if (Trim(c.title).size() != c.title.size()) return Bad("title", "首尾不能有空格");
  if (c.body.size() > 100000) return Bad("body", "超过 100,000 字节");
  HOTLINE_RETURN_IF_ERROR(CheckText("body", c.body, 0, 100000, /*multiline=*/true));
  HOTLINE_RETURN_IF_ERROR(ValidateCategory(c.category));
  if (c.tags.size() > 30) return Bad("tags", "最多 30 个");
  for (const auto& t : c.tags) {
    HOTLINE_RETURN_IF_ERROR(CheckText("tags", t, 1, 30));
    if (t.find(',') != std::string::npos) return Bad("tags", "的每一项不能含逗号");
  }
  if (c.keywords.size() > 50) return Bad("keywords", "最多 50 个");
  for (const auto& k : c.keywords) {
    HOTLINE_RETURN_IF_ERROR(CheckText("keywords", k, 1, 50));
    if (k.find(',') != std::string::npos) return Bad("keywords", "的每一项不能含逗号");
  }
  if (c.effective_from == Date{}) return Bad("effective_from", "是必填项（YYYY-MM-DD）");
  if (c.expires_at && *c.expires_at <= c.effective_from) return Bad("expires_at", "须晚于 effective_from");
  return OkStatus();
}

const Version* SelectInEffect(const std::vector<Version>& versions, Date day,
                              std::optional<Date> retired_on) {
  if (retired_on && day >= *retired_on) return nullptr;
  const Version* best = nullptr;
  for (const auto& v : versions) {
    if (v.state != VersionState::kPublished) continue;
    if (v.content.effective_from > day) continue;
    if (v.content.expires_at && day >= *v.content.expires_at) continue;
    if (!best || v.content.effective_from > best->content.effective_from ||
        (v.content.effective_from == best->content.effective_from && v.number > best->number))
      best = &v;
  }
  return best;
}

std::vector<EffectiveWindow> EffectiveWindows(const std::vector<Version>& versions,
                                              std::optional<Date> retired_on) {
  // The winner can only change at a version's start or end (or the retirement): evaluate the rule at each
  // boundary and merge neighbouring stretches with the same winner.
  std::set<Date> bounds;
  for (const auto& v : versions) {
    if (v.state != VersionState::kPublished) continue;
    bounds.insert(v.content.effective_from);
    if (v.content.expires_at) bounds.insert(*v.content.expires_at);
  }
  if (retired_on) bounds.insert(*retired_on);
  std::vector<EffectiveWindow> out;
  for (auto it = bounds.begin(); it != bounds.end(); ++it) {
    const Version* v = SelectInEffect(versions, *it, retired_on);
    auto next = std::next(it);
    std::optional<Date> until = next == bounds.end() ? std::nullopt : std::optional<Date>(*next);
    if (!v) continue;
    if (!out.empty() && out.back().version_id == v->id && out.back().until == *it) {
      out.back().until = until;
    } else {
      out.push_back({.version_id = v->id, .from = *it, .until = until});
    }
  }
  return out;
}

Status ValidateBranch(const Branch& b) {
  if (b.code.size() < 2 || b.code.size() > 32 || !std::all_of(b.code.begin(), b.code.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      }))
    return Bad("code", "须为 2–32 位大写字母、数字或 -");
  HOTLINE_RETURN_IF_ERROR(CheckText("name", b.name, 1, 100));
  HOTLINE_RETURN_IF_ERROR(CheckText("address", b.address, 1, 200));
  HOTLINE_RETURN_IF_ERROR(CheckText("phone", b.phone, 0, 50));
  HOTLINE_RETURN_IF_ERROR(CheckText("hours", b.hours, 0, 200));
  if (b.services.size() > 20) return Bad("services", "最多 20 项");
  for (const auto& s : b.services) HOTLINE_RETURN_IF_ERROR(CheckText("services", s, 1, 20));
  if (b.lat.has_value() != b.lng.has_value()) return Bad("lat", "和 lng 须同时给出");
  if (b.lat && (!(*b.lat >= -90 && *b.lat <= 90))) return Bad("lat", "须在 -90 到 90 之间");
  if (b.lng && (!(*b.lng >= -180 && *b.lng <= 180))) return Bad("lng", "须在 -180 到 180 之间");
  return OkStatus();
}

}  // namespace hotline::kb
