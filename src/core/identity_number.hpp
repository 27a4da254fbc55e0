// The 18-digit citizen identity number of GB 11643-1999 (公民身份号码): 6-digit administrative region
// code (GB/T 2260), 8-digit birth date YYYYMMDD, 3-digit sequence (odd for men, even for women) and an
// ISO 7064 MOD 11-2 check character (0–9 or X). R-IVR-2: a caller's login id may be this number, and
// its check digit is validated before any lookup. Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time_zone.hpp"

namespace hotline {

struct CitizenId {
  std::string number;  // normalised: 18 characters, a final 'x' upper-cased
  std::string region;  // the first six digits, e.g. "620102" (兰州市城关区)
  Date birth_date;
  bool male = false;  // the 17th digit is odd
};

// The check character for the first 17 digits (weights 2^(17-i) mod 11; remainders map to
// "10X98765432"). REQUIRES: `first17` is 17 ASCII digits.
char CitizenIdCheckChar(std::string_view first17);

// Validates and decodes a citizen id. Errors (all invalid_citizen_id, message in Chinese):
// not 18 characters / non-digits; an unknown province (the first two digits are not a province-level
// code of GB/T 2260); an impossible birth date, one before 1900-01-01 or (when `today` is given) after
// it; a wrong check character. A lower-case 'x' is accepted.
Result<CitizenId> ParseCitizenId(std::string_view text, std::optional<Date> today = std::nullopt);
inline bool IsValidCitizenId(std::string_view text) { return ParseCitizenId(text).ok(); }

// True when the first two digits are a province-level code of GB/T 2260 (11 北京 … 65 新疆, 71 台湾,
// 81 香港, 82 澳门).
bool IsKnownProvinceCode(std::string_view two_digits);

// The Luhn (mod 10) check used by bank card numbers such as the 联名卡 (co-branded fund card).
bool LuhnValid(std::string_view digits);
// The Luhn check digit to append to `digits`. REQUIRES: ASCII digits only.
char LuhnCheckDigit(std::string_view digits);

}  // namespace hotline
