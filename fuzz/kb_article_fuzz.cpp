// Fuzz target: the knowledge base's article files (front matter + Markdown, kb/article_file.hpp), the
// Markdown renderer (kb/markdown.hpp), and the JSON article/branch arrays of `hotline kb import`.
// Invariants: no crash; every error is "FILE:LINE: …"; accepted articles are valid content; the rendered
// HTML is valid UTF-8 and never contains a tag the renderer does not write itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "kb/article_file.hpp"
#include "kb/markdown.hpp"

namespace {

// Every '<' of the output starts one of the renderer's own tags.
bool OnlyOwnTags(const std::string& html) {
  static const char* kTags[] = {
      "<p>",   "</p>",     "<br>",      "<h2>",    "</h2>",    "<h3>",    "</h3>",    "<h4>",    "</h4>",
      "<h5>",  "</h5>",    "<h6>",      "</h6>",   "<ul>",     "</ul>",   "<ol>",     "</ol>",   "<li>",
      "</li>", "<strong>", "</strong>", "<table>", "</table>", "<thead>", "</thead>", "<tbody>", "</tbody>",
      "<tr>",  "</tr>",    "<th>",      "</th>",   "<td>",     "</td>"};
  for (size_t pos = html.find('<'); pos != std::string::npos; pos = html.find('<', pos + 1)) {
    bool ok = false;
    for (const char* t : kTags)
      if (html.compare(pos, std::char_traits<char>::length(t), t) == 0) ok = true;
    if (!ok) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto a = hotline::kb::ParseArticleFile("fuzz.md", bytes);
  if (a.ok()) {
    if (!hotline::kb::ValidateContent(a->content).ok()) __builtin_trap();
    auto again =
        hotline::kb::ParseArticleFile(hotline::kb::ArticleFileName(*a), hotline::kb::FormatArticleFile(*a));
    if (!again.ok() || !(again->content == a->content)) __builtin_trap();
  } else if (a.error().message.rfind("fuzz.md:", 0) != 0) {
    __builtin_trap();
  }
  std::string html = hotline::kb::RenderMarkdownHtml(bytes);
  if (!hotline::IsValidUtf8(html) || !OnlyOwnTags(html)) __builtin_trap();
  (void)hotline::kb::MarkdownToPlainText(bytes);
  auto articles = hotline::kb::ParseArticlesJson("fuzz.json", bytes);
  for (const auto& e : articles.errors)
    if (e.message.rfind("fuzz.json:", 0) != 0) __builtin_trap();
  auto branches = hotline::kb::ParseBranchesJson("branches.json", bytes);
  for (const auto& b : branches.branches)
    if (!hotline::kb::ValidateBranch(b.branch).ok()) __builtin_trap();
  return 0;
}
