// The article body format: a CommonMark subset (kb-format.md) — paragraphs, `#`…`######` headings, `-`/`*`
// and `1.` lists, `**bold**`, and pipe tables. Rendering is our own and escapes every character of the
// source, so a body can never inject markup into the console (no stored XSS); unsupported syntax shows as
// text. Pure functions, thread-safe, total on any bytes (fuzzed by fuzz/kb_article_fuzz.cpp).
#pragma once

#include <string>
#include <string_view>

namespace hotline::kb {

// Safe HTML for the console's reader. Invalid UTF-8 is replaced by U+FFFD.
std::string RenderMarkdownHtml(std::string_view markdown);
// The text without Markdown syntax (for the search index and snippets): one line per block.
std::string MarkdownToPlainText(std::string_view markdown);
// `&<>"'` escaped.
std::string HtmlEscape(std::string_view text);

}  // namespace hotline::kb
