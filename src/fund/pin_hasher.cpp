#include "fund/pin_hasher.hpp"

#include <sodium.h>

#include <algorithm>

namespace hotline::fund {
namespace {

void Derive(std::string_view secret, std::string_view label, unsigned char out[32]) {
  size_t key_len = std::min(secret.size(), size_t{crypto_generichash_KEYBYTES_MAX});
  crypto_generichash(out, 32, reinterpret_cast<const unsigned char*>(label.data()), label.size(),
                     reinterpret_cast<const unsigned char*>(secret.data()), key_len);
}

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

}  // namespace

Result<PinHasher> PinHasher::Create(std::string_view secret_key) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  if (secret_key.size() < 32)
    return Error::InvalidArgument("invalid_secret_key", "密钥文件太短：至少需要 32 字节随机数据");
  PinHasher h;
  // Separate sub-keys per purpose, so a hash of one kind never equals a hash of another.
  Derive(secret_key, "hotline12329 fund query password v1", h.pin_key_);
  Derive(secret_key, "hotline12329 fund identifiers v1", h.id_key_);
  return h;
}

std::string PinHasher::Hash(std::string_view salt, std::string_view pin) const {
  crypto_generichash_state st;
  crypto_generichash_init(&st, pin_key_, sizeof pin_key_, 32);
  unsigned char len = static_cast<unsigned char>(std::min<size_t>(salt.size(), 255));
  crypto_generichash_update(&st, &len, 1);  // length prefix: salt ‖ pin is unambiguous
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(salt.data()), len);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(pin.data()), pin.size());
  unsigned char out[32];
  crypto_generichash_final(&st, out, sizeof out);
  return Hex(out, sizeof out);
}

bool PinHasher::Verify(std::string_view salt, std::string_view pin, std::string_view stored) const {
  std::string computed = Hash(salt, pin);
  if (stored.size() != computed.size()) return false;
  return sodium_memcmp(computed.data(), stored.data(), computed.size()) == 0;
}

std::string PinHasher::KeyedId(std::string_view purpose, std::string_view id) const {
  crypto_generichash_state st;
  crypto_generichash_init(&st, id_key_, sizeof id_key_, 32);
  unsigned char len = static_cast<unsigned char>(std::min<size_t>(purpose.size(), 255));
  crypto_generichash_update(&st, &len, 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(purpose.data()), len);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(id.data()), id.size());
  unsigned char out[32];
  crypto_generichash_final(&st, out, sizeof out);
  return Hex(out, sizeof out);
}

bool IsSixDigitPin(std::string_view pin) {
  return pin.size() == 6 && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace hotline::fund
