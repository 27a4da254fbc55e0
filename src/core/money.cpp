#include "core/money.hpp"

#include <array>

namespace hotline {

std::string FormatYuanPlain(Fen fen) {
  bool negative = fen < 0;
  // Magnitude as unsigned so INT64_MIN does not overflow.
  uint64_t m = negative ? uint64_t{0} - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  uint64_t yuan = m / 100, cents = m % 100;
  std::string digits = std::to_string(yuan);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  std::string out = negative ? "-" : "";
  out += grouped;
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

std::string FormatYuan(Fen fen) { return FormatYuanPlain(fen) + "元"; }

namespace {

constexpr std::array<const char*, 10> kDigits = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

// Reads 0 < group < 10000, e.g. 1010 → "一千零一十". `pad` asks for a leading 零 when the group has fewer
// than four digits but a higher group came before it (1'0010 → "一万" + "零一十").
std::string ReadGroup(int group, bool pad) {
  static constexpr const char* kUnits[] = {"千", "百", "十", ""};
  const int divisors[] = {1000, 100, 10, 1};
  std::string out;
  bool zero_pending = pad;
  bool started = false;
  for (int i = 0; i < 4; ++i) {
    int d = (group / divisors[i]) % 10;
    if (d == 0) {
      if (started) zero_pending = true;
      continue;
    }
    if (zero_pending) out += "零";
    zero_pending = false;
    started = true;
    out += kDigits[d];
    out += kUnits[i];
  }
  return out;
}

}  // namespace

std::string ChineseNumber(int64_t n) {
  if (n < 0) return "负" + ChineseNumber(n == INT64_MIN ? INT64_MAX : -n);
  if (n == 0) return "零";
  static constexpr const char* kGroupUnits[] = {"", "万", "亿", "万亿", "亿亿"};
  int groups[5] = {};
  int count = 0;
  for (int64_t v = n; v > 0 && count < 5; v /= 10000) groups[count++] = static_cast<int>(v % 10000);
  std::string out;
  bool zero_between = false;
  for (int g = count - 1; g >= 0; --g) {
    if (groups[g] == 0) {
      zero_between = !out.empty();
      continue;
    }
    bool pad = !out.empty() && (groups[g] < 1000 || zero_between);
    out += ReadGroup(groups[g], pad);
    out += kGroupUnits[g];
    zero_between = false;
  }
  // 10–19 at the start read "十…" rather than "一十…".
  static const std::string kYiShi = std::string(kDigits[1]) + "十";
  if (out.rfind(kYiShi, 0) == 0) out.erase(0, std::string(kDigits[1]).size());
  return out;
}

std::string ChineseAmount(Fen fen) {
  if (fen < 0) return "负" + ChineseAmount(fen == INT64_MIN ? INT64_MAX : -fen);
  int64_t yuan = fen / 100;
  int jiao = static_cast<int>(fen % 100 / 10), cents = static_cast<int>(fen % 10);
  std::string out;
  if (yuan > 0 || (jiao == 0 && cents == 0)) out = ChineseNumber(yuan) + "元";
  if (jiao > 0) {
    out += kDigits[jiao];
    out += "角";
  } else if (cents > 0 && yuan > 0) {
    out += "零";
  }
  if (cents > 0) {
    out += kDigits[cents];
    out += "分";
  }
  return out;
}

Result<Fen> ParseYuan(std::string_view text) {
  auto bad = [] { return Error::InvalidArgument("invalid_amount", "金额格式不正确，例如 12345.67"); };
  if (text.size() >= 3 && text.substr(text.size() - 3) == "元") text.remove_suffix(3);
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 30) return bad();
  int64_t yuan = 0;
  size_t i = 0, digits = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    if (text[i] == ',') continue;
    if (text[i] < '0' || text[i] > '9') return bad();
    yuan = yuan * 10 + (text[i] - '0');
    if (++digits > 13) return bad();
  }
  if (digits == 0) return bad();
  int64_t cents = 0;
  if (i < text.size()) {
    auto frac = text.substr(i + 1);
    if (frac.empty() || frac.size() > 2) return bad();
    for (char c : frac)
      if (c < '0' || c > '9') return bad();
    cents = (frac[0] - '0') * 10 + (frac.size() == 2 ? frac[1] - '0' : 0);
  }
  Fen fen = yuan * 100 + cents;
  return negative ? -fen : fen;
}

}  // namespace hotline
