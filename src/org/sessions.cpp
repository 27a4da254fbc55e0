#include "org/sessions.hpp"

#include <sodium.h>

namespace hotline::org {
namespace {
Error Unauthenticated() {
  return {ErrorKind::kUnauthenticated, "unauthenticated", "登录已过期或未登录，请重新登录"};
}
}  // namespace

std::string HashToken(std::string_view token) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

TimePoint SessionStore::ExpiryOf(const Cached& c) const {
  auto idle_end = c.last_seen + std::chrono::duration_cast<std::chrono::milliseconds>(options_.idle);
  auto max_end = c.created_at + std::chrono::duration_cast<std::chrono::milliseconds>(options_.max_age);
  return std::min(idle_end, max_end);
}

Result<std::pair<std::string, SessionInfo>> SessionStore::Create(int64_t user_id,
                                                                 std::string_view remote_addr) {
  std::string token = random_.Token(32);
  std::string hash = HashToken(token);
  TimePoint now = clock_.Now();
  Cached c{.created_at = now, .last_seen = now, .persisted_last_seen = now, .checked_at = clock_.Steady()};
  c.info.user_id = user_id;
  c.info.expires_at = ExpiryOf(c);
  HOTLINE_ASSIGN_OR_RETURN(
      auto r,
      db_.Query(
          "INSERT INTO sessions (token_hash, user_id, remote_addr, created_at, last_seen_at, expires_at) "
          "VALUES ($1,$2,$3,$4,$4,$5) RETURNING id",
          {hash, user_id, remote_addr, ToEpochMillis(now), ToEpochMillis(c.info.expires_at)}));
  c.info.session_id = r.rows[0][0].AsInt();
  {
    std::lock_guard lock(mu_);
    if (cache_.size() >= 10000)  // abandoned sessions: drop the expired ones
      std::erase_if(cache_, [&](const auto& kv) { return ExpiryOf(kv.second) <= now; });
    cache_[hash] = c;
  }
  return std::make_pair(token, c.info);
}

Result<SessionStore::Cached> SessionStore::Load(const std::string& hash) {
  HOTLINE_ASSIGN_OR_RETURN(auto r,
                           db_.Query("SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.revoked, "
                                     "u.disabled FROM sessions s JOIN users u ON u.id = s.user_id "
                                     "WHERE s.token_hash = $1",
                                     {hash}));
  if (r.empty() || r.rows[0][4].AsInt() != 0 || r.rows[0][5].AsInt() != 0) return Unauthenticated();
  Cached c;
  c.info.session_id = r.rows[0][0].AsInt();
  c.info.user_id = r.rows[0][1].AsInt();
  c.created_at = FromEpochMillis(r.rows[0][2].AsInt());
  c.last_seen = c.persisted_last_seen = FromEpochMillis(r.rows[0][3].AsInt());
  c.checked_at = clock_.Steady();
  return c;
}

Result<SessionInfo> SessionStore::Resolve(std::string_view token) {
  if (token.empty() || token.size() > 128) return Unauthenticated();
  std::string hash = HashToken(token);
  TimePoint now = clock_.Now();
  std::optional<Cached> cached;
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(hash); it != cache_.end()) {
      if (clock_.Steady() - it->second.checked_at < options_.revalidate_after) cached = it->second;
    }
  }
  if (!cached) {
    auto loaded = Load(hash);
    if (!loaded.ok()) {
      std::lock_guard lock(mu_);
      cache_.erase(hash);
      return loaded.take_error();
    }
    std::lock_guard lock(mu_);
    // Keep the newer in-memory last_seen if this process saw the session more recently.
    if (auto it = cache_.find(hash); it != cache_.end() && it->second.last_seen > loaded->last_seen)
      loaded->last_seen = it->second.last_seen;
    cached = *loaded;
  }
  if (now >= ExpiryOf(*cached)) {
    std::lock_guard lock(mu_);
    cache_.erase(hash);
    return Unauthenticated();
  }
  cached->last_seen = now;
  cached->info.expires_at = ExpiryOf(*cached);
  bool persist = now - cached->persisted_last_seen >= options_.touch_every;
  if (persist) cached->persisted_last_seen = now;
  {
    std::lock_guard lock(mu_);
    cache_[hash] = *cached;
  }
  if (persist) {
    // Best effort: a failed touch only shortens the session's idle life on another node.
    (void)db_.Query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1",
                    {cached->info.session_id, ToEpochMillis(now), ToEpochMillis(cached->info.expires_at)});
  }
  return cached->info;
}

Status SessionStore::Revoke(std::string_view token) {
  std::string hash = HashToken(token);
  {
    std::lock_guard lock(mu_);
    cache_.erase(hash);
  }
  HOTLINE_RETURN_IF_ERROR(db_.Query("UPDATE sessions SET revoked = 1 WHERE token_hash = $1", {hash}));
  return OkStatus();
}

Status SessionStore::RevokeUser(int64_t user_id) {
  {
    std::lock_guard lock(mu_);
    std::erase_if(cache_, [&](const auto& kv) { return kv.second.info.user_id == user_id; });
  }
  HOTLINE_RETURN_IF_ERROR(db_.Query("UPDATE sessions SET revoked = 1 WHERE user_id = $1", {user_id}));
  return OkStatus();
}

}  // namespace hotline::org
