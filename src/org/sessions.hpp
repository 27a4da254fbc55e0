// Login sessions: an opaque random token handed to the client (cookie or Bearer), stored only as its
// BLAKE2b hash. A session ends on logout, after `idle` without use, after `max_age` in all, or when
// its user is disabled or changes password.
//
// Resolving a token is on the path of every API request, so sessions are cached in memory and the
// database is consulted only on a cache miss and every `revalidate_after` (so a logout or a disable
// done by another process is seen within that time; done by this process, at once).
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

namespace hotline::org {

struct SessionOptions {
  std::chrono::seconds idle{30 * 60};          // auth.session_idle_seconds
  std::chrono::seconds max_age{12 * 60 * 60};  // auth.session_max_seconds (a long shift)
  std::chrono::seconds revalidate_after{30};   // how stale the in-memory copy may get
  std::chrono::seconds touch_every{60};        // last_seen_at is written at most this often
};

struct SessionInfo {
  int64_t session_id = 0;
  int64_t user_id = 0;
  TimePoint expires_at;  // the earlier of idle and max-age expiry, as of now
};

// Thread-safe.
class SessionStore {
 public:
  SessionStore(store::Database& db, const Clock& clock, Random& random, SessionOptions options)
      : db_(db), clock_(clock), random_(random), options_(options) {}

  // Creates a session; returns the token (shown to the client once, never stored).
  Result<std::pair<std::string, SessionInfo>> Create(int64_t user_id, std::string_view remote_addr);
  // The live session of a token; kUnauthenticated ("unauthenticated") when unknown, expired or revoked.
  Result<SessionInfo> Resolve(std::string_view token);
  Status Revoke(std::string_view token);
  // Ends every session of a user (disabled, password changed).
  Status RevokeUser(int64_t user_id);

 private:
  struct Cached {
    SessionInfo info;
    TimePoint created_at;
    TimePoint last_seen;
    TimePoint persisted_last_seen;
    std::chrono::steady_clock::time_point checked_at;
  };
  TimePoint ExpiryOf(const Cached& c) const;
  Result<Cached> Load(const std::string& token_hash);

  store::Database& db_;
  const Clock& clock_;
  Random& random_;
  const SessionOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // GUARDED_BY(mu_), key: token hash
};

std::string HashToken(std::string_view token);

}  // namespace hotline::org
