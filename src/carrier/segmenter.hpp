// How a message's text becomes billed SMS parts (R-SMS-6 counts parts, not messages): every message is
// sent as UCS-2 (data_coding 8 — Chinese text needs it, and carriers in China bill every message the
// same way), one part holds 70 UTF-16 code units, and a longer message is split into parts of 67 units
// each, the other 6 octets being the concatenation header (UDH IEI 0x00, or CMPP's TP_udhi with
// pk_total/pk_number). A surrogate pair (characters beyond the BMP, e.g. some emoji) is never split
// between two parts. The signature (【甘肃公积金】) is part of the text and counts toward the length.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hotline::carrier {

inline constexpr int kSinglePartUnits = 70;  // UTF-16 code units in an unsplit message
inline constexpr int kMultiPartUnits = 67;   // per part of a concatenated message (6 octets of UDH)
inline constexpr int kMaxParts = 255;        // the UDH's one-octet part count

// UTF-8 → UTF-16 (the code units UCS-2 carries on the wire). REQUIRES: IsValidUtf8(utf8).
std::u16string ToUtf16(std::string_view utf8);
// UTF-16 → UTF-8; an unpaired surrogate becomes U+FFFD.
std::string FromUtf16(std::u16string_view utf16);

// The text of each part, in order: one part when it fits in 70 units, else parts of at most 67 units
// that never split a surrogate pair. Empty text is one empty part.
std::vector<std::u16string> SplitIntoParts(std::u16string_view text);

// How many parts SplitIntoParts would give for this UTF-8 text (for previews and cost estimates).
// REQUIRES: IsValidUtf8(utf8).
int PartCount(std::string_view utf8);

// Big-endian UCS-2 bytes for the wire, and back (an odd trailing byte is ignored).
std::string ToUcs2Bytes(std::u16string_view text);
std::u16string FromUcs2Bytes(std::string_view bytes);

}  // namespace hotline::carrier
