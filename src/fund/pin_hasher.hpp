// Six-digit query passwords (查询密码) of depositors and units (R-IVR-2): stored only as a keyed BLAKE2b
// (libsodium crypto_generichash) of salt ‖ password, keyed with a sub-key derived from the deployment's
// secret key file (security.secret_key_file, loaded by org::LoadOrCreateSecretKey like the staff
// passwords' pepper). The key never enters the database.
//
// Why not argon2id per record, as for staff passwords (org/password_hasher.hpp)? A six-digit PIN has only
// 10^6 values: no per-record work factor protects it offline — what protects it is (1) the key outside the
// database (a stolen database alone gives nothing to brute-force against) and (2) the online lockout after
// five failures (IdentityVerifier). A fast keyed hash lets the generator store 1,000,000 accounts in under
// two minutes and keeps verification well under a millisecond. Thread-safe (immutable).
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hotline::fund {

class PinHasher {
 public:
  // Errors: invalid_secret_key when the key is shorter than 32 bytes.
  static Result<PinHasher> Create(std::string_view secret_key);

  // 64 hex characters. `salt` is the record's salt (any bytes; the generator uses 16 hex characters).
  std::string Hash(std::string_view salt, std::string_view pin) const;
  // Constant-time comparison; false on a malformed stored hash.
  bool Verify(std::string_view salt, std::string_view pin, std::string_view stored) const;
  // A keyed hash of any identifier (login ids in the lockout table, tokens): hex, 64 characters.
  std::string KeyedId(std::string_view purpose, std::string_view id) const;

 private:
  PinHasher() = default;
  unsigned char pin_key_[32] = {};
  unsigned char id_key_[32] = {};
};

// True for exactly six ASCII digits.
bool IsSixDigitPin(std::string_view pin);

}  // namespace hotline::fund
