#include "kb/article_file.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/text.hpp"

namespace hotline::kb {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "slug@3.md" → slug "slug", sequence 3.
bool SplitFileName(std::string_view name, std::string* slug, int* sequence) {
  if (name.size() < 4 || name.substr(name.size() - 3) != ".md") return false;
  name.remove_suffix(3);
  *sequence = 1;
  size_t at = name.find('@');
  if (at != std::string_view::npos) {
    auto digits = name.substr(at + 1);
    int n = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || ec != std::errc{} || p != digits.data() + digits.size() || n < 1 || n > 999)
      return false;
    *sequence = n;
    name = name.substr(0, at);
  }
  *slug = std::string(name);
  return true;
}

Status ParseScope(std::string_view v, ScopeLevel* out) {
  if (v == "center")
    *out = ScopeLevel::kCenter;
  else if (v == "province")
    *out = ScopeLevel::kProvince;
  else
    return Error::InvalidArgument("invalid_field", "scope 须为 center 或 province");
  return OkStatus();
}

// Finds the byte offset where each top-level element of a JSON array starts (for line numbers of
// element errors). Tolerant: only used after the text parsed as JSON.
std::vector<size_t> ElementOffsets(std::string_view text) {
  std::vector<size_t> out;
  int depth = 0;
  bool in_string = false, escape = false, expect = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escape)
        escape = false;
      else if (c == '\\')
        escape = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (depth == 1 && expect && c != ']') {
      out.push_back(i);
      expect = false;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{') {
      ++depth;
      if (depth == 1 && c == '[') expect = true;
    } else if (c == ']' || c == '}')
      --depth;
    else if (c == ',' && depth == 1)
      expect = true;
  }
  return out;
}

int LineAt(std::string_view text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i)
    if (text[i] == '\n') ++line;
  return line;
}

// Parses a JSON array with bounded nesting; on failure returns the error with its line.
Result<nlohmann::json> ParseArray(std::string_view file, std::string_view bytes) {
  if (!IsValidUtf8(bytes)) return FileError(file, 1, "不是有效的 UTF-8 文本");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(bytes.begin(), bytes.end(),
                              [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
                                if (depth > 8) throw std::out_of_range("嵌套层数超过 8");
                                return true;
                              });
  } catch (const nlohmann::json::parse_error& e) {
    return FileError(file, LineAt(bytes, e.byte > 0 ? e.byte - 1 : 0), "JSON 格式错误");
  } catch (const std::exception& e) {
    return FileError(file, 1, std::string("JSON 格式错误：") + e.what());
  }
  if (!j.is_array()) return FileError(file, 1, "须为 JSON 数组");
  return j;
}

std::string StringField(const nlohmann::json& o, const char* key, bool* ok, std::string* why) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return "";
  if (!it->is_string()) {
    *ok = false;
    *why = std::string(key) + " 须为字符串";
    return "";
  }
  return it->get<std::string>();
}

std::vector<std::string> ListField(const nlohmann::json& o, const char* key, bool* ok, std::string* why) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return {};
  if (it->is_string()) return SplitList(it->get<std::string>());
  if (!it->is_array()) {
    *ok = false;
    *why = std::string(key) + " 须为字符串数组";
    return {};
  }
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) {
      *ok = false;
      *why = std::string(key) + " 须为字符串数组";
      return {};
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

std::string_view ScopeLevelName(ScopeLevel s) { return s == ScopeLevel::kCenter ? "center" : "province"; }

Error FileError(std::string_view file, int line, std::string_view reason) {
  return Error::InvalidArgument("invalid_file",
                                std::string(file) + ":" + std::to_string(line) + ": " + std::string(reason));
}

Result<ArticleFile> ParseArticleFile(std::string_view file_name, std::string_view bytes) {
  ArticleFile a;
  std::string name_slug;
  if (!SplitFileName(file_name, &name_slug, &a.sequence))
    return FileError(file_name, 1, "文件名须为 <slug>.md 或 <slug>@N.md");
  if (!IsValidUtf8(bytes)) return FileError(file_name, 1, "不是有效的 UTF-8 文本");
  if (bytes.size() > 200000) return FileError(file_name, 1, "文件超过 200,000 字节");
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);  // a BOM from Windows editors

  // Lines with their numbers.
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= bytes.size();) {
    size_t nl = bytes.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(bytes.substr(start));
      break;
    }
    lines.push_back(bytes.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.empty() || Trim(lines[0]) != "---")
    return FileError(file_name, 1, "须以 --- 开始前置信息（front matter）");
  size_t end = 0;
  for (size_t i = 1; i < lines.size(); ++i)
    if (Trim(lines[i]) == "---") {
      end = i;
      break;
    }
  if (end == 0) return FileError(file_name, static_cast<int>(lines.size()), "前置信息缺少结束的 ---");

  bool seen_slug = false, seen_title = false, seen_category = false, seen_audience = false,
       seen_scope = false, seen_from = false;
  int slug_line = 1;
  std::vector<std::string> seen_keys;
  std::vector<int> key_lines;
  for (size_t i = 1; i < end; ++i) {
    int line_no = static_cast<int>(i) + 1;
    std::string_view line = Trim(lines[i]);
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return FileError(file_name, line_no, "应为 key: value");
    std::string key(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    for (const auto& k : seen_keys)
      if (k == key) return FileError(file_name, line_no, "重复的键 " + key);
    seen_keys.push_back(key);
    key_lines.push_back(line_no);
    auto bad = [&](const Error& e) { return FileError(file_name, line_no, e.message); };
    if (key == "slug") {
      if (!IsValidSlug(value))
        return FileError(file_name, line_no, "slug 须为小写字母、数字和 -（最多 80 个字符）");
      a.slug = std::string(value);
      seen_slug = true;
      slug_line = line_no;
    } else if (key == "title") {
      a.content.title = std::string(value);
      seen_title = true;
      if (value.empty()) return FileError(file_name, line_no, "title 不能为空");
    } else if (key == "category") {
      auto st = ValidateCategory(value);
      if (!st.ok()) return bad(st.error());
      a.content.category = std::string(value);
      seen_category = true;
    } else if (key == "tags") {
      a.content.tags = SplitList(value);
    } else if (key == "keywords") {
      a.content.keywords = SplitList(value);
    } else if (key == "audience") {
      auto au = ParseAudience(value);
      if (!au) return FileError(file_name, line_no, "audience 须为 individual、unit 或 all");
      a.content.audience = *au;
      seen_audience = true;
    } else if (key == "scope") {
      auto st = ParseScope(value, &a.scope);
      if (!st.ok()) return bad(st.error());
      seen_scope = true;
    } else if (key == "effective_from") {
      if (!ParseDate(value, &a.content.effective_from))
        return FileError(file_name, line_no, "effective_from 须为日期 YYYY-MM-DD");
      seen_from = true;
    } else if (key == "expires_at") {
      if (!value.empty()) {
        Date d;
        if (!ParseDate(value, &d))
          return FileError(file_name, line_no, "expires_at 须为日期 YYYY-MM-DD 或留空");
        a.content.expires_at = d;
      }
    } else {
      return FileError(file_name, line_no, "未知的键 " + key);
    }
  }
  int fm_end = static_cast<int>(end) + 1;
  if (!seen_slug) return FileError(file_name, fm_end, "缺少 slug");
  if (!seen_title) return FileError(file_name, fm_end, "缺少 title");
  if (!seen_category) return FileError(file_name, fm_end, "缺少 category");
  if (!seen_audience) return FileError(file_name, fm_end, "缺少 audience");
  if (!seen_scope) return FileError(file_name, fm_end, "缺少 scope");
  if (!seen_from) return FileError(file_name, fm_end, "缺少 effective_from");
  if (a.slug != name_slug) return FileError(file_name, slug_line, "slug " + a.slug + " 与文件名不一致");
  // The body: everything after the closing ---, without surrounding blank lines.
  std::string body;
  for (size_t i = end + 1; i < lines.size(); ++i) {
    body.append(lines[i]);
    if (i + 1 < lines.size()) body.push_back('\n');
  }
  while (!body.empty() && (body.front() == '\n' || body.front() == '\r')) body.erase(body.begin());
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) body.pop_back();
  a.content.body = std::move(body);
  if (auto st = ValidateContent(a.content); !st.ok()) {
    // "字段 expires_at …": point at that key's line (the body's problems at the line after the front matter).
    const std::string& msg = st.error().message;
    int line = msg.rfind("字段 body", 0) == 0 ? fm_end + 1 : fm_end;
    for (size_t k = 0; k < seen_keys.size(); ++k)
      if (msg.rfind("字段 " + seen_keys[k] + " ", 0) == 0) line = key_lines[k];
    return FileError(file_name, line, msg);
  }
  return a;
}

std::string ArticleFileName(const ArticleFile& a) {
  return a.slug + (a.sequence > 1 ? "@" + std::to_string(a.sequence) : "") + ".md";
}

std::string FormatArticleFile(const ArticleFile& a) {
  const auto& c = a.content;
  std::string out = "---\n";
  out += "slug: " + a.slug + "\n";
  out += "title: " + c.title + "\n";
  out += "category: " + c.category + "\n";
  out += "tags: " + JoinList(c.tags) + "\n";
  out += "keywords: " + JoinList(c.keywords) + "\n";
  out += "audience: " + std::string(AudienceName(c.audience)) + "\n";
  out += "scope: " + std::string(ScopeLevelName(a.scope)) + "\n";
  out += "effective_from: " + FormatDate(c.effective_from) + "\n";
  out += "expires_at: " + (c.expires_at ? FormatDate(*c.expires_at) : std::string()) + "\n";
  out += "---\n";
  out += c.body;
  out += "\n";
  return out;
}

nlohmann::json ArticleFileJson(const ArticleFile& a) {
  const auto& c = a.content;
  return {{"slug", a.slug},
          {"version", a.sequence},
          {"title", c.title},
          {"body", c.body},
          {"category", c.category},
          {"tags", c.tags},
          {"keywords", c.keywords},
          {"audience", AudienceName(c.audience)},
          {"scope", ScopeLevelName(a.scope)},
          {"effective_from", FormatDate(c.effective_from)},
          {"expires_at", c.expires_at ? nlohmann::json(FormatDate(*c.expires_at)) : nlohmann::json()}};
}

// Calls `each(object, fail)` for every element of the JSON array in `bytes`, where fail(why) records
// FILE:LINE of that element in `errors`; an unparsable file or a non-object element is reported there too.
template <typename Each>
void ForEachObject(std::string_view file_name, std::string_view bytes, std::vector<Error>& errors,
                   Each each) {
  auto parsed = ParseArray(file_name, bytes);
  if (!parsed.ok()) {
    errors.push_back(parsed.error());
    return;
  }
  auto offsets = ElementOffsets(bytes);
  for (size_t i = 0; i < parsed->size(); ++i) {
    const auto& o = (*parsed)[i];
    int line = LineAt(bytes, i < offsets.size() ? offsets[i] : 0);
    auto fail = [&](std::string_view why) { errors.push_back(FileError(file_name, line, why)); };
    if (!o.is_object()) {
      fail("每一项须为 JSON 对象");
      continue;
    }
    each(o, fail);
  }
}

ParsedArticles ParseArticlesJson(std::string_view file_name, std::string_view bytes) {
  ParsedArticles out;
  ForEachObject(file_name, bytes, out.errors, [&](const nlohmann::json& o, const auto& fail) {
    bool ok = true;
    std::string why;
    ArticleFile a;
    a.slug = StringField(o, "slug", &ok, &why);
    a.content.title = StringField(o, "title", &ok, &why);
    a.content.body = StringField(o, "body", &ok, &why);
    a.content.category = StringField(o, "category", &ok, &why);
    a.content.tags = ListField(o, "tags", &ok, &why);
    a.content.keywords = ListField(o, "keywords", &ok, &why);
    std::string audience = StringField(o, "audience", &ok, &why);
    std::string scope = StringField(o, "scope", &ok, &why);
    std::string from = StringField(o, "effective_from", &ok, &why);
    std::string expires = StringField(o, "expires_at", &ok, &why);
    if (auto v = o.find("version"); v != o.end() && !v->is_null()) {
      if (!v->is_number_integer() || v->get<int64_t>() < 1 || v->get<int64_t>() > 999) {
        ok = false;
        why = "version 须为 1–999 的整数";
      } else {
        a.sequence = static_cast<int>(v->get<int64_t>());
      }
    }
    if (!ok) {
      fail(why);
      return;
    }
    if (!IsValidSlug(a.slug)) {
      fail("slug 须为小写字母、数字和 -（最多 80 个字符）");
      return;
    }
    auto au = ParseAudience(audience);
    if (!au) {
      fail("audience 须为 individual、unit 或 all");
      return;
    }
    a.content.audience = *au;
    if (auto st = ParseScope(scope, &a.scope); !st.ok()) {
      fail(st.error().message);
      return;
    }
    if (!ParseDate(from, &a.content.effective_from)) {
      fail("effective_from 须为日期 YYYY-MM-DD");
      return;
    }
    if (!expires.empty()) {
      Date d;
      if (!ParseDate(expires, &d)) {
        fail("expires_at 须为日期 YYYY-MM-DD 或 null");
        return;
      }
      a.content.expires_at = d;
    }
    if (auto st = ValidateContent(a.content); !st.ok()) {
      fail(st.error().message);
      return;
    }
    out.articles.push_back(std::move(a));
  });
  return out;
}

nlohmann::json BranchJson(const Branch& b, ScopeLevel scope) {
  nlohmann::json j = {{"code", b.code},   {"name", b.name},   {"address", b.address},
                      {"phone", b.phone}, {"hours", b.hours}, {"services", b.services},
                      {"lat", nullptr},   {"lng", nullptr},   {"scope", ScopeLevelName(scope)}};
  if (b.lat) j["lat"] = *b.lat;
  if (b.lng) j["lng"] = *b.lng;
  return j;
}

ParsedBranches ParseBranchesJson(std::string_view file_name, std::string_view bytes) {
  ParsedBranches out;
  ForEachObject(file_name, bytes, out.errors, [&](const nlohmann::json& o, const auto& fail) {
    bool ok = true;
    std::string why;
    BranchFile f;
    f.branch.code = StringField(o, "code", &ok, &why);
    f.branch.name = StringField(o, "name", &ok, &why);
    f.branch.address = StringField(o, "address", &ok, &why);
    f.branch.phone = StringField(o, "phone", &ok, &why);
    f.branch.hours = StringField(o, "hours", &ok, &why);
    f.branch.services = ListField(o, "services", &ok, &why);
    std::string scope = StringField(o, "scope", &ok, &why);
    for (const char* key : {"lat", "lng"}) {
      auto it = o.find(key);
      if (it == o.end() || it->is_null()) continue;
      if (!it->is_number() || !std::isfinite(it->get<double>())) {
        ok = false;
        why = std::string(key) + " 须为数字";
        continue;
      }
      (std::string_view(key) == "lat" ? f.branch.lat : f.branch.lng) = it->get<double>();
    }
    if (!ok) {
      fail(why);
      return;
    }
    if (scope.empty()) scope = "center";
    if (auto st = ParseScope(scope, &f.scope); !st.ok()) {
      fail(st.error().message);
      return;
    }
    if (auto st = ValidateBranch(f.branch); !st.ok()) {
      fail(st.error().message);
      return;
    }
    out.branches.push_back(std::move(f));
  });
  return out;
}

}  // namespace hotline::kb
