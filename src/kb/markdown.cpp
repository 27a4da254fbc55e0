#include "kb/markdown.hpp"

#include <vector>

#include "core/text.hpp"

namespace hotline::kb {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Replaces invalid UTF-8 sequences byte by byte with U+FFFD.
std::string SanitizeUtf8(std::string_view in) {
  if (IsValidUtf8(in)) return std::string(in);
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len && i + len <= in.size() && IsValidUtf8(in.substr(i, len))) {
      out.append(in.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

int HeadingLevel(std::string_view line) {
  int n = 0;
  while (n < static_cast<int>(line.size()) && line[n] == '#') ++n;
  if (n == 0 || n > 6) return 0;
  if (n < static_cast<int>(line.size()) && line[n] != ' ') return 0;
  return n;
}

// "- item" / "* item" → item; "12. item" → item (ordered = true).
bool ListItem(std::string_view line, bool* ordered, std::string_view* item) {
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
    *ordered = false;
    *item = TrimSpaces(line.substr(2));
    return true;
  }
  size_t d = 0;
  while (d < line.size() && d < 9 && line[d] >= '0' && line[d] <= '9') ++d;
  if (d > 0 && d + 1 < line.size() && (line[d] == '.' || line[d] == ')') && line[d + 1] == ' ') {
    *ordered = true;
    *item = TrimSpaces(line.substr(d + 2));
    return true;
  }
  return false;
}

bool IsTableRow(std::string_view line) { return line.size() >= 2 && line.front() == '|'; }

bool IsTableSeparator(std::string_view line) {
  if (!IsTableRow(line)) return false;
  bool dash = false;
  for (char c : line) {
    if (c == '-')
      dash = true;
    else if (c != '|' && c != ':' && c != ' ' && c != '\t')
      return false;
  }
  return dash;
}

std::vector<std::string_view> Cells(std::string_view row) {
  row = TrimSpaces(row);
  if (!row.empty() && row.front() == '|') row.remove_prefix(1);
  if (!row.empty() && row.back() == '|') row.remove_suffix(1);
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t bar = row.find('|', start);
    out.push_back(
        TrimSpaces(row.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start)));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return out;
}

// Inline markup: **bold** (paired on one line); everything else is escaped text.
std::string Inline(std::string_view text) {
  std::string out;
  bool open = false;
  size_t pos = 0;
  // Only pair ** when a closing one exists, so a stray ** stays text.
  size_t count = 0;
  for (size_t p = text.find("**"); p != std::string_view::npos; p = text.find("**", p + 2)) ++count;
  size_t usable = count - count % 2, used = 0;
  while (pos < text.size()) {
    size_t star = text.find("**", pos);
    if (star == std::string_view::npos || used >= usable) {
      out += HtmlEscape(text.substr(pos));
      break;
    }
    out += HtmlEscape(text.substr(pos, star - pos));
    out += open ? "</strong>" : "<strong>";
    open = !open;
    ++used;
    pos = star + 2;
  }
  return out;
}

std::string PlainInline(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t star = text.find("**", pos);
    if (star == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, star - pos));
    pos = star + 2;
  }
  return out;
}

// Walks the blocks and calls the emitter; shared by the HTML and the text renderers.
template <typename Emit>
void Blocks(std::string_view markdown, Emit&& emit) {
  auto lines = Lines(markdown);
  size_t i = 0;
  while (i < lines.size()) {
    std::string_view line = TrimSpaces(lines[i]);
    if (line.empty()) {
      ++i;
      continue;
    }
    if (int level = HeadingLevel(line)) {
      std::string_view text = TrimSpaces(line.substr(level));
      while (!text.empty() && text.back() == '#') text.remove_suffix(1);
      emit.Heading(level, TrimSpaces(text));
      ++i;
      continue;
    }
    bool ordered = false;
    std::string_view item;
    if (ListItem(line, &ordered, &item)) {
      std::vector<std::string_view> items;
      bool kind = ordered;
      while (i < lines.size()) {
        std::string_view l = TrimSpaces(lines[i]);
        bool o = false;
        std::string_view it;
        if (!ListItem(l, &o, &it) || o != kind) break;
        items.push_back(it);
        ++i;
      }
      emit.List(kind, items);
      continue;
    }
    if (IsTableRow(line) && i + 1 < lines.size() && IsTableSeparator(TrimSpaces(lines[i + 1]))) {
      std::vector<std::vector<std::string_view>> rows{Cells(line)};
      i += 2;
      while (i < lines.size() && IsTableRow(TrimSpaces(lines[i]))) rows.push_back(Cells(lines[i++]));
      emit.Table(rows);
      continue;
    }
    // A paragraph: consecutive lines that start no other block.
    std::vector<std::string_view> para;
    while (i < lines.size()) {
      std::string_view l = TrimSpaces(lines[i]);
      bool o = false;
      std::string_view it;
      if (l.empty() || HeadingLevel(l) || ListItem(l, &o, &it) ||
          (IsTableRow(l) && i + 1 < lines.size() && IsTableSeparator(TrimSpaces(lines[i + 1]))))
        break;
      para.push_back(l);
      ++i;
    }
    emit.Paragraph(para);
  }
}

struct HtmlEmitter {
  std::string out;
  void Heading(int level, std::string_view text) {
    // Article titles are h1 in the reader: body headings start at h2.
    int h = level < 2 ? 2 : level;
    out += "<h" + std::to_string(h) + ">" + Inline(text) + "</h" + std::to_string(h) + ">\n";
  }
  void List(bool ordered, const std::vector<std::string_view>& items) {
    out += ordered ? "<ol>" : "<ul>";
    for (auto it : items) out += "<li>" + Inline(it) + "</li>";
    out += ordered ? "</ol>\n" : "</ul>\n";
  }
  void Table(const std::vector<std::vector<std::string_view>>& rows) {
    out += "<table><thead><tr>";
    for (auto c : rows[0]) out += "<th>" + Inline(c) + "</th>";
    out += "</tr></thead><tbody>";
    for (size_t r = 1; r < rows.size(); ++r) {
      out += "<tr>";
      for (auto c : rows[r]) out += "<td>" + Inline(c) + "</td>";
      out += "</tr>";
    }
    out += "</tbody></table>\n";
  }
  void Paragraph(const std::vector<std::string_view>& lines) {
    out += "<p>";
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) out += "<br>";
      out += Inline(lines[i]);
    }
    out += "</p>\n";
  }
};

struct TextEmitter {
  std::string out;
  void Heading(int, std::string_view text) { out += PlainInline(text) + "\n"; }
  void List(bool, const std::vector<std::string_view>& items) {
    for (auto it : items) out += PlainInline(it) + "\n";
  }
  void Table(const std::vector<std::vector<std::string_view>>& rows) {
    for (const auto& row : rows) {
      std::string line;
      for (auto c : row) {
        if (!line.empty()) line += " ";
        line += PlainInline(c);
      }
      out += line + "\n";
    }
  }
  void Paragraph(const std::vector<std::string_view>& lines) {
    for (auto l : lines) out += PlainInline(l);
    out += "\n";
  }
};

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string RenderMarkdownHtml(std::string_view markdown) {
  std::string clean = SanitizeUtf8(markdown);
  HtmlEmitter e;
  Blocks(clean, e);
  return e.out;
}

std::string MarkdownToPlainText(std::string_view markdown) {
  std::string clean = SanitizeUtf8(markdown);
  TextEmitter e;
  Blocks(clean, e);
  return e.out;
}

}  // namespace hotline::kb
