// Small text helpers shared by every module: UTF-8 validation (untrusted bytes from the network
// must be valid UTF-8 before they reach the store or a log) and ASCII helpers.
#pragma once

#include <string>
#include <string_view>

namespace hotline {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Number of Unicode code points; REQUIRES: IsValidUtf8(s).
size_t Utf8Length(std::string_view s);
// True if `s` has any C0 control character (or DEL); tab, CR and LF count only when `allow_whitespace`
// is false (names and codes allow none; free text allows line breaks).
bool HasControlChars(std::string_view s, bool allow_whitespace = true);
std::string AsciiLower(std::string_view s);

}  // namespace hotline
