#include "core/random.hpp"

#include <sodium.h>

#include <vector>

namespace hotline {

std::string Base64UrlEncode(const void* data, size_t n) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto* p = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve((n * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 2 < n; i += 3) {
    uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == n) {
    uint32_t v = p[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == n) {
    uint32_t v = (p[i] << 16) | (p[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::string Random::Token(size_t n_bytes) {
  std::vector<unsigned char> buf(n_bytes);
  Fill(buf.data(), buf.size());
  return Base64UrlEncode(buf.data(), buf.size());
}

void SecureRandom::Fill(void* buf, size_t n) { randombytes_buf(buf, n); }

void SeededRandom::Fill(void* buf, size_t n) {
  std::lock_guard lock(mu_);
  auto* p = static_cast<unsigned char*>(buf);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<unsigned char>(engine_());
}

}  // namespace hotline
