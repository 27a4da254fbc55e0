// Random port: tokens, salts and ids come from here so tests can be deterministic.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace hotline {

// Thread-safe.
class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(void* buf, size_t n) = 0;
  // n random bytes as unpadded base64url (RFC 4648 §5).
  std::string Token(size_t n_bytes);
};

// Cryptographically secure (libsodium randombytes). Thread-safe.
class SecureRandom final : public Random {
 public:
  void Fill(void* buf, size_t n) override;
};

// Deterministic, for tests only. Thread-safe.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  void Fill(void* buf, size_t n) override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // GUARDED_BY(mu_)
};

std::string Base64UrlEncode(const void* data, size_t n);

}  // namespace hotline
