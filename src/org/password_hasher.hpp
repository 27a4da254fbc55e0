// Password and PIN hashing: argon2id (libsodium crypto_pwhash_str, salted per record) over a keyed
// BLAKE2b of the secret with the deployment's secret key ("pepper"), which lives in a file outside
// the database. A stolen database alone therefore cannot be brute-forced offline.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hotline::org {

struct PasswordHasherOptions {
  // 32 bytes or more of secret key material (security.secret_key_file). REQUIRED.
  std::string secret_key;
  // argon2id cost; the defaults are libsodium's "interactive" limits (about 0.1 s, 64 MiB).
  unsigned long long ops_limit = 2;
  size_t mem_limit_bytes = 64u << 20;
};

// Thread-safe (immutable after construction).
class PasswordHasher {
 public:
  static Result<PasswordHasher> Create(const PasswordHasherOptions& options);

  // A self-describing "$argon2id$…" string. Errors: kInternal if memory for argon2 is refused.
  Result<std::string> Hash(std::string_view secret) const;
  // Constant-time with respect to the secret. False on any malformed stored hash.
  bool Verify(std::string_view secret, const std::string& stored) const;

 private:
  explicit PasswordHasher(PasswordHasherOptions o) : options_(std::move(o)) {}
  std::string Peppered(std::string_view secret) const;
  PasswordHasherOptions options_;
};

// Loads the key file, creating it with 32 random bytes (mode 0600) if it does not exist.
Result<std::string> LoadOrCreateSecretKey(const std::string& path);

// Password policy (docs/API.md): 8–128 characters, at least one letter and one digit.
Status ValidatePasswordPolicy(std::string_view password);

}  // namespace hotline::org
