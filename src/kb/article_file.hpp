// The article file formats of import and export (docs/KNOWLEDGE-BASE.md "Files", the shared contract
// /work/briefs/kb-format.md): Markdown with a front matter between two `---` lines, one file per article
// version (`<slug>.md`, `<slug>@2.md` …), `branches.json`, and our own JSON export (`articles.json`).
// Parsers take untrusted bytes and never crash (fuzz/kb_article_fuzz.cpp); every error names the file and
// line: "FILE:LINE: reason". Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "kb/types.hpp"

namespace hotline::kb {

enum class ScopeLevel { kCenter, kProvince };

// One parsed article file (or one element of articles.json).
struct ArticleFile {
  std::string slug;
  int sequence = 1;  // the N of `<slug>@N.md` (1 without a suffix): import order of versions
  ScopeLevel scope = ScopeLevel::kCenter;
  ArticleContent content;
};

// A parse failure: the message is "FILE:LINE: reason" (errors of kind invalid_argument, code "invalid_file").
Error FileError(std::string_view file, int line, std::string_view reason);

// Parses `<slug>.md` / `<slug>@N.md`. `file_name` is the base name (checked against the slug).
Result<ArticleFile> ParseArticleFile(std::string_view file_name, std::string_view bytes);
// The same format back (the export); ParseArticleFile(FormatArticleFile(a)) == a.
std::string FormatArticleFile(const ArticleFile& a);
std::string ArticleFileName(const ArticleFile& a);  // "slug.md" or "slug@N.md"

// articles.json: an array of objects {slug, version, title, body, category, tags[], keywords[], audience,
// scope, effective_from, expires_at}. Good elements are returned; each bad one adds an error.
struct ParsedArticles {
  std::vector<ArticleFile> articles;
  std::vector<Error> errors;
};
ParsedArticles ParseArticlesJson(std::string_view file_name, std::string_view bytes);
nlohmann::json ArticleFileJson(const ArticleFile& a);

// branches.json (kb-format.md): an array of branch objects with "scope": "center" | "province".
struct BranchFile {
  Branch branch;
  ScopeLevel scope = ScopeLevel::kCenter;
};
struct ParsedBranches {
  std::vector<BranchFile> branches;
  std::vector<Error> errors;
};
ParsedBranches ParseBranchesJson(std::string_view file_name, std::string_view bytes);
nlohmann::json BranchJson(const Branch& b, ScopeLevel scope);

std::string_view ScopeLevelName(ScopeLevel s);  // "center" | "province"

}  // namespace hotline::kb
