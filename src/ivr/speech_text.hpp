// Numbers turned into the characters a Mandarin caller expects to hear, before synthesis (issue 13
// §Prompts; DESIGN.md: espeak-ng reads 12329 as 十二千三百二十九 and 1025 as 一千二十五). Every dynamic
// value an IVR prompt speaks goes through one of these functions; prompt templates use them through
// ExpandSpeech. Conventions, as Chinese bank IVRs read them (documented in docs/IVR.md "Speech text"):
//   - amounts: 一万二千三百四十五元六角七分; 零 once for each run of missing places (一千零五元,
//     一万零五十元), never a trailing 零 (一千元); 整 is not said; 零元 when zero; fen only when non-zero
//     and 零 between 元 and 分 when 角 is zero (五元零三分); a leading 10–19 is 十…, not 一十… (十二元),
//     but 一十 inside a number (一百一十元). 两 is used for a leading 2 before 千/万/亿 (两千元, 两万元),
//     as spoken Mandarin and bank IVRs do; 二 everywhere else (二十, 二百, 十二).
//   - counts (months, years, terms): the same integer rules (三百六十个月 is built by the caller).
//   - dates: the year digit by digit with 〇 (二〇二六年), month and day as numbers (三月五日, 十二月二十日).
//   - digit strings: one character per digit; in phone numbers 1 is 幺 (幺二三二九), elsewhere 一;
//     # is 井号 and * is 星号; other characters are dropped (a dash, a space).
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hotline::ivr {

// An integer as spoken: 0 → 零, 12 → 十二, 1025 → 一千零二十五, 20000 → 两万. Negative: 负….
std::string SpokenInteger(int64_t n);
// Integer fen as an amount: 1234567 → 一万二千三百四十五元六角七分; negative amounts start with 负.
std::string SpokenAmount(int64_t fen);
// A calendar date: (2026, 3, 5) → 二〇二六年三月五日. REQUIRES: month 1..12, day 1..31.
std::string SpokenDate(int year, int month, int day);
// A year and month: (2026, 11) → 二〇二六年十一月.
std::string SpokenYearMonth(int year, int month);
// An ISO date "2026-03-05" or month "2026-03" as spoken; anything else is returned digit by digit.
std::string SpokenIsoDate(std::string_view iso);
// Digits one by one (account numbers, the agent number): "12329" → 一二三二九, "#" → 井号, "*" → 星号,
// "X"/"x" → 叉 (the check letter of a citizen id).
std::string SpokenDigits(std::string_view digits);
// A phone number digit by digit with 幺 for 1: "12329" → 幺二三二九.
std::string SpokenPhone(std::string_view digits);

}  // namespace hotline::ivr

namespace hotline::ivr {

// Any prompt text made speakable before synthesis: "HH:MM" → 九点 / 九点三十分, a dash between two times
// → 至, runs of five or more digits (hotline and phone numbers: 12329, 0931-8812345) digit by digit with
// 幺, shorter runs as integers (30 分钟 → 三十分钟), # → 井号, * → 星号 (the keys). Everything else is
// kept. Applied to every prompt text just before synthesis; prompt files are written as people read them.
std::string SpeakableText(std::string_view text);

// When manual service opens next, as a caller hears it relative to `now` (both local): 今天上午九点,
// 明天下午两点三十分, 十二月九日上午九点.
std::string SpokenOpening(int now_year, int now_month, int now_day, int year, int month, int day, int hour,
                          int minute);

}  // namespace hotline::ivr
