#include "workorder/internal.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "core/text.hpp"

namespace hotline::workorder::internal {

void Where::Add(std::string_view clause, std::initializer_list<store::Value> values) {
  sql_ += " AND ";
  auto it = values.begin();
  for (char c : clause) {
    if (c == '?') {
      assert(it != values.end() && "more placeholders than values");
      params_->push_back(*it++);
      sql_ += "$" + std::to_string(params_->size());
    } else {
      sql_ += c;
    }
  }
  assert(it == values.end() && "more values than placeholders");
}

void Where::AddIn(std::string_view column, const std::vector<store::Value>& values) {
  if (values.empty()) {
    sql_ += " AND 1 = 0";
    return;
  }
  sql_ += " AND ";
  sql_ += column;
  sql_ += " IN (";
  for (size_t i = 0; i < values.size(); ++i) {
    params_->push_back(values[i]);
    if (i) sql_ += ", ";
    sql_ += "$" + std::to_string(params_->size());
  }
  sql_ += ")";
}

namespace {

Error Invalid(std::string_view field, std::string_view what) {
  return Error::InvalidArgument("invalid_field", "字段 " + std::string(field) + " " + std::string(what));
}

Status CheckChars(std::string_view field, std::string_view value, size_t min, size_t max, bool multiline) {
  if (!IsValidUtf8(value)) return Invalid(field, "不是有效的 UTF-8 文本");
  size_t n = Utf8Length(value);
  if (n < min)
    return Invalid(field, min == 1 ? "是必填项" : "过短（至少 " + std::to_string(min) + " 个字符）");
  if (n > max) return Invalid(field, "过长（最多 " + std::to_string(max) + " 个字符）");
  if (HasControlChars(value, /*allow_whitespace=*/multiline)) return Invalid(field, "含有控制字符");
  return OkStatus();
}

}  // namespace

Status CheckLine(std::string_view field, std::string_view value, size_t min, size_t max) {
  return CheckChars(field, value, min, max, false);
}

Status CheckText(std::string_view field, std::string_view value, size_t min, size_t max) {
  return CheckChars(field, value, min, max, true);
}

Status CheckAscii(std::string_view field, std::string_view value, size_t max) {
  if (value.size() > max) return Invalid(field, "过长（最多 " + std::to_string(max) + " 个字符）");
  for (char c : value)
    if (c < 0x21 || c > 0x7e) return Invalid(field, "只能含可见 ASCII 字符");
  return OkStatus();
}

Result<std::string> NormalizePhone(std::string_view field, std::string_view phone) {
  std::string out;
  for (size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (c == ' ' || c == '-') continue;
    if (c == '+' && out.empty()) {
      out += c;
      continue;
    }
    if (c < '0' || c > '9') return Invalid(field, "须为电话号码（数字，可带 + - 和空格）");
    out += c;
  }
  size_t digits = out.size() - (out.starts_with('+') ? 1 : 0);
  if (digits < 3 || digits > 20) return Invalid(field, "须为 3–20 位数字的电话号码");
  return out;
}

std::string EncodeCursor(int64_t a, int64_t b) { return std::to_string(a) + "." + std::to_string(b); }

Result<std::pair<int64_t, int64_t>> DecodeCursor(std::string_view cursor) {
  auto bad = Error::InvalidArgument("invalid_field", "参数 cursor 无效：请使用上一页返回的 next_cursor");
  size_t dot = cursor.find('.');
  std::string_view a_text = cursor.substr(0, dot);
  std::string_view b_text = dot == std::string_view::npos ? std::string_view{} : cursor.substr(dot + 1);
  int64_t a = 0, b = 0;
  auto [pa, ea] = std::from_chars(a_text.data(), a_text.data() + a_text.size(), a);
  if (ea != std::errc{} || pa != a_text.data() + a_text.size() || a_text.empty()) return bad;
  if (dot != std::string_view::npos) {
    auto [pb, eb] = std::from_chars(b_text.data(), b_text.data() + b_text.size(), b);
    if (eb != std::errc{} || pb != b_text.data() + b_text.size() || b_text.empty()) return bad;
  }
  return std::pair{a, b};
}

std::string ContainsPattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

namespace {

// The UTF-8 code points of valid UTF-8 text, each as a view.
std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n = std::min(n, s.size() - i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

std::string SubjectGrams(std::string_view subject) {
  auto cps = CodePoints(subject);
  if (cps.size() < 2) return std::string(subject);
  std::string out;
  for (size_t i = 0; i + 1 < cps.size(); ++i) {
    if (i) out += ' ';
    out.append(cps[i]).append(cps[i + 1]);
  }
  return out;
}

namespace {

// True for characters FTS5's unicode61 tokenizer surely keeps inside tokens: ASCII letters and digits and
// CJK ideographs. (Punctuation such as "（" or "，" separates tokens, and a phrase made only of separators
// matches nothing, so a bigram is looked up only when both its characters are of these kinds.)
bool SurelyTokenChar(std::string_view cp) {
  unsigned char c = static_cast<unsigned char>(cp[0]);
  if (c < 0x80) return std::isalnum(c) != 0;
  uint32_t v = 0;
  if (cp.size() == 3)
    v = ((c & 0x0F) << 12) | ((cp[1] & 0x3F) << 6) | (cp[2] & 0x3F);
  else if (cp.size() == 4)
    v = ((c & 0x07) << 18) | ((cp[1] & 0x3F) << 12) | ((cp[2] & 0x3F) << 6) | (cp[3] & 0x3F);
  return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0xF900 && v <= 0xFAFF) ||
         (v >= 0x20000 && v <= 0x2FFFF);
}

}  // namespace

std::string GramsMatch(std::string_view text) {
  auto cps = CodePoints(text);
  std::string out;
  for (size_t i = 0; i + 1 < cps.size(); ++i) {
    if (!SurelyTokenChar(cps[i]) || !SurelyTokenChar(cps[i + 1])) continue;
    // Token characters only: no quote to escape inside the FTS5 string.
    out += (out.empty() ? "\"" : " AND \"") + std::string(cps[i]) + std::string(cps[i + 1]) + "\"";
  }
  return out;
}

std::optional<int64_t> OptInt(const store::Value& v) {
  if (v.is_null()) return std::nullopt;
  return v.AsInt();
}

}  // namespace hotline::workorder::internal
