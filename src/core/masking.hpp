// Masking of personal data outside a verified context (R-IVR-2, the security standard): what an
// agent, a log line or an unverified caller may see. Every function is total (any input, even
// malformed, gives a masked string and never reveals more than the rule allows) and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hotline {

// 18-digit citizen id: first six and last four kept — "620102********1234". Any other length: all
// but the last four replaced by '*' (fewer than five characters: all '*').
std::string MaskCitizenId(std::string_view id);
// Mainland mobile (11 digits): "138****5678". Other numbers: the last four kept, the rest '*'.
std::string MaskMobile(std::string_view mobile);
// Chinese names: first and last character kept, one '*' per hidden character in between — "张*明",
// "欧**华"; two-character names keep the surname: "张*". One character: "*".
// Works on UTF-8 code points; invalid UTF-8 gives "*".
std::string MaskName(std::string_view name);
// Account, loan and card numbers: "****4321" (always four '*', then the last four characters).
std::string MaskAccountNumber(std::string_view number);

}  // namespace hotline
