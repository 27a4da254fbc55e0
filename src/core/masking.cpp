#include "core/masking.hpp"

#include <vector>

#include "core/text.hpp"

namespace hotline {
namespace {

std::string KeepLast(std::string_view s, size_t keep) {
  if (s.size() <= keep) return std::string(s.size(), '*');
  return std::string(s.size() - keep, '*') + std::string(s.substr(s.size() - keep));
}

bool AllAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80 || c < 0x20) return false;
  return true;
}

}  // namespace

std::string MaskCitizenId(std::string_view id) {
  if (!AllAscii(id)) return "****";
  if (id.size() == 18) return std::string(id.substr(0, 6)) + "********" + std::string(id.substr(14));
  return KeepLast(id, 4);
}

std::string MaskMobile(std::string_view mobile) {
  if (!AllAscii(mobile)) return "****";
  if (mobile.size() == 11) return std::string(mobile.substr(0, 3)) + "****" + std::string(mobile.substr(7));
  return KeepLast(mobile, 4);
}

std::string MaskName(std::string_view name) {
  if (name.empty() || !IsValidUtf8(name)) return "*";
  std::vector<std::string_view> chars;
  for (size_t i = 0; i < name.size();) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    chars.push_back(name.substr(i, len));
    i += len;
  }
  if (chars.size() == 1) return "*";
  if (chars.size() == 2) return std::string(chars[0]) + "*";
  std::string out(chars.front());
  out.append(chars.size() - 2, '*');
  out += chars.back();
  return out;
}

std::string MaskAccountNumber(std::string_view number) {
  if (!AllAscii(number) || number.size() <= 4) return "****";
  return "****" + std::string(number.substr(number.size() - 4));
}

}  // namespace hotline
