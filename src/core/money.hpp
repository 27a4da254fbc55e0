// Money in integer fen (分) everywhere (STYLE.md habit 10): no floating point ever touches an amount.
// Rendering for people: `12,345.67元` on screens and in SMS, and a Chinese read-out
// (`一万二千三百四十五元六角七分`) for the IVR's text-to-speech (R-IVR-2 balance read-out). Pure and
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hotline {

using Fen = int64_t;

// 1234567 → "12,345.67元"; -5 → "-0.05元". Thousands grouped with ',' and always two decimals.
std::string FormatYuan(Fen fen);
// The same without the unit: "12,345.67".
std::string FormatYuanPlain(Fen fen);

// The Chinese read-out of an amount, as a TTS engine or a person says it:
//   1234567 → "一万二千三百四十五元六角七分", 1000 → "十元", 100005 → "一千元零五分",
//   1000000000 → "一千万元", 7 → "七分", 0 → "零元", -150 → "负一元五角".
// Zeros inside the integer part read as one "零" (10010 yuan → "一万零一十元"); a leading 1 of
// ten reads "十" ("十二元"), elsewhere "一十".
std::string ChineseAmount(Fen fen);
// The Chinese reading of a non-negative integer: 10010 → "一万零一十", 0 → "零". Used by ChineseAmount
// and for counts the IVR speaks ("剩余期数 二百一十六 期").
std::string ChineseNumber(int64_t n);

// Parses "12345.67", "12,345.67", "12345" or "12345.6" (an optional trailing "元") into fen.
// Errors: invalid_amount when malformed, more than two decimals, or beyond ±10^15 fen.
Result<Fen> ParseYuan(std::string_view text);

}  // namespace hotline
