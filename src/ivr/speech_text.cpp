// Implementation of speech_text.hpp; the conventions are in its header comment.
#include "ivr/speech_text.hpp"

#include <array>
#include <cstdlib>

namespace hotline::ivr {
namespace {

constexpr std::array<const char*, 10> kDigit = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

// A group of four digits (0..9999) with its small units; `leading` says whether this is the number's
// most significant group (then 10–19 read 十…, and a 2 before 千 reads 两).
std::string Group(int n, bool leading, bool before_big_unit) {
  static constexpr std::array<const char*, 4> kUnit = {"千", "百", "十", ""};
  const int d[4] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
  std::string out;
  bool started = false, pending_zero = false;
  for (int i = 0; i < 4; ++i) {
    if (d[i] == 0) {
      if (started) pending_zero = true;
      continue;
    }
    if (pending_zero) out += "零";
    pending_zero = false;
    if (i == 2 && d[i] == 1 && !started && leading) {
      out += "十";  // 十二, not 一十二, at the head of a number
    } else if (d[i] == 2 && !started && leading && (i == 0 || (i == 3 && before_big_unit && n == 2))) {
      out += "两";  // 两千, 两万 (a lone leading 2 before 万/亿)
      out += kUnit[i];
    } else {
      out += kDigit[d[i]];
      out += kUnit[i];
    }
    started = true;
  }
  return out;
}

}  // namespace

std::string SpokenInteger(int64_t n) {
  if (n == 0) return "零";
  // INT64_MIN has no positive twin; it is not a value the IVR ever speaks.
  if (n < 0) return "负" + SpokenInteger(n == INT64_MIN ? INT64_MAX : -n);
  // Groups of four digits under 个, 万, 亿, 万亿; nothing the IVR reads is that large, so anything from
  // 10^16 up is read digit by digit rather than with 兆 (which callers read differently).
  if (n >= 10000000000000000LL) return SpokenDigits(std::to_string(n));
  static constexpr std::array<const char*, 4> kBig = {"", "万", "亿", "万亿"};
  int groups[4] = {0, 0, 0, 0};
  int count = 0;
  for (int64_t v = n; v > 0; v /= 10000) groups[count++] = static_cast<int>(v % 10000);
  std::string out;
  bool started = false, skipped = false;
  for (int i = count - 1; i >= 0; --i) {
    const int g = groups[i];
    if (g == 0) {
      skipped = started;
      continue;
    }
    // 零 for the missing places between two groups: 一万零五十, 一亿零一万.
    if (started && (skipped || g < 1000)) out += "零";
    skipped = false;
    out += Group(g, !started, i > 0);
    out += kBig[i];
    started = true;
  }
  return out;
}

std::string SpokenAmount(int64_t fen) {
  if (fen < 0) return "负" + SpokenAmount(fen == INT64_MIN ? INT64_MAX : -fen);
  const int64_t yuan = fen / 100;
  const int jiao = static_cast<int>(fen / 10 % 10);
  const int f = static_cast<int>(fen % 10);
  std::string out;
  if (yuan > 0 || (jiao == 0 && f == 0)) out += SpokenInteger(yuan) + "元";
  if (jiao > 0) {
    out += kDigit[jiao];
    out += "角";
  }
  if (f > 0) {
    if (jiao == 0 && yuan > 0) out += "零";
    out += kDigit[f];
    out += "分";
  }
  return out;
}

namespace {
std::string YearDigits(int year) {
  std::string out;
  for (char c : std::to_string(year)) out += c == '0' ? "〇" : kDigit[c - '0'];
  return out;
}
// Months and days never take 两: 二月, 十二日, 二十二日.
std::string SmallNumber(int n) {
  std::string s = SpokenInteger(n);
  if (s.rfind("两", 0) == 0) s = "二" + s.substr(std::string("两").size());
  return s;
}
}  // namespace

std::string SpokenDate(int year, int month, int day) {
  return YearDigits(year) + "年" + SmallNumber(month) + "月" + SmallNumber(day) + "日";
}

std::string SpokenYearMonth(int year, int month) {
  return YearDigits(year) + "年" + SmallNumber(month) + "月";
}

std::string SpokenIsoDate(std::string_view iso) {
  auto num = [&](size_t pos, size_t len, int& out) {
    if (iso.size() < pos + len) return false;
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return false;
      v = v * 10 + (iso[i] - '0');
    }
    out = v;
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (iso.size() >= 7 && num(0, 4, y) && iso[4] == '-' && num(5, 2, m) && m >= 1 && m <= 12) {
    if (iso.size() == 7) return SpokenYearMonth(y, m);
    if (iso.size() >= 10 && iso[7] == '-' && num(8, 2, d) && d >= 1 && d <= 31) return SpokenDate(y, m, d);
  }
  return SpokenDigits(iso);
}

namespace {
std::string DigitByDigit(std::string_view digits, const char* one) {
  std::string out;
  for (char c : digits) {
    if (c >= '0' && c <= '9') {
      out += c == '1' ? one : kDigit[c - '0'];
    } else if (c == '#') {
      out += "井号";
    } else if (c == '*') {
      out += "星号";
    } else if (c == 'X' || c == 'x') {
      out += "叉";
    }
  }
  return out;
}
}  // namespace

std::string SpokenDigits(std::string_view digits) { return DigitByDigit(digits, "一"); }
std::string SpokenPhone(std::string_view digits) { return DigitByDigit(digits, "幺"); }

}  // namespace hotline::ivr

namespace hotline::ivr {
namespace {

std::string SmallMonthDay(int month, int day) {
  std::string d = SpokenDate(2000, month, day);
  return d.substr(std::string("二〇〇〇年").size());
}

std::string SpokenClock(int h, int m) {
  std::string out = (h == 2 ? std::string("两") : SpokenInteger(h)) + "点";
  if (m == 30) return out + "半";
  if (m > 0) out += (m < 10 ? "零" : "") + SpokenInteger(m) + "分";
  return out;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// "H:MM" or "HH:MM" at `i` (not followed by another digit); sets the length consumed.
bool ClockAt(std::string_view t, size_t i, int& h, int& m, size_t& len) {
  size_t j = i;
  while (j < t.size() && IsDigit(t[j]) && j - i < 2) ++j;
  if (j == i || j + 2 >= t.size()) return false;  // needs t[j..j+2]
  if (t[j] != ':' || !IsDigit(t[j + 1]) || !IsDigit(t[j + 2])) return false;
  if (j + 3 < t.size() && IsDigit(t[j + 3])) return false;
  h = std::atoi(std::string(t.substr(i, j - i)).c_str());
  m = (t[j + 1] - '0') * 10 + (t[j + 2] - '0');
  if (h > 24 || m > 59) return false;
  len = j + 3 - i;
  return true;
}

}  // namespace

std::string SpeakableText(std::string_view t) {
  std::string out;
  bool after_clock = false;
  for (size_t i = 0; i < t.size();) {
    int h = 0, m = 0;
    size_t len = 0;
    if (IsDigit(t[i]) && (i == 0 || !IsDigit(t[i - 1])) && ClockAt(t, i, h, m, len)) {
      out += SpokenClock(h, m);
      i += len;
      after_clock = true;
      continue;
    }
    if ((t[i] == '-' || t[i] == '~') && after_clock && i + 1 < t.size() && IsDigit(t[i + 1])) {
      out += "至";
      ++i;
      continue;
    }
    after_clock = false;
    if (IsDigit(t[i])) {
      size_t j = i;
      // A phone number keeps its dashes as part of the run: 0931-8812345.
      while (j < t.size() &&
             (IsDigit(t[j]) || (t[j] == '-' && j + 1 < t.size() && IsDigit(t[j + 1]) && j > i)))
        ++j;
      std::string_view run = t.substr(i, j - i);
      size_t digits = 0;
      for (char c : run) digits += IsDigit(c);
      if (digits >= 5 || run.find('-') != std::string_view::npos || (run.size() > 1 && run[0] == '0')) {
        out += SpokenPhone(run);
      } else {
        out += SpokenInteger(std::atoll(std::string(run).c_str()));
      }
      i = j;
      continue;
    }
    if (t[i] == '#') {
      out += "井号";
      ++i;
      continue;
    }
    if (t[i] == '*') {
      out += "星号";
      ++i;
      continue;
    }
    out += t[i++];
  }
  return out;
}

std::string SpokenOpening(int now_year, int now_month, int now_day, int year, int month, int day, int hour,
                          int minute) {
  std::string when;
  if (year == now_year && month == now_month && day == now_day) {
    when = "今天";
  } else {
    // "Tomorrow" without calendar arithmetic: the caller's local day plus one, month ends included.
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int dim = kDays[now_month - 1] +
              (now_month == 2 && ((now_year % 4 == 0 && now_year % 100 != 0) || now_year % 400 == 0));
    int ty = now_year, tm = now_month, td = now_day + 1;
    if (td > dim) td = 1, tm += 1;
    if (tm > 12) tm = 1, ty += 1;
    if (year == ty && month == tm && day == td) {
      when = "明天";
    } else if (year == now_year) {
      when = SmallMonthDay(month, day);
    } else {
      when = SpokenDate(year, month, day);
    }
  }
  const char* part = hour < 12 ? "上午" : (hour < 13 ? "中午" : "下午");
  int h12 = hour > 12 ? hour - 12 : hour;
  return when + part + SpokenClock(h12, minute);
}

}  // namespace hotline::ivr
