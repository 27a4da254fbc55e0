#include "org/login_throttle.hpp"

#include <algorithm>

namespace hotline::org {

std::chrono::seconds LoginThrottle::Check(Counter& c, TimePoint now) {
  if (c.locked_until > now) return std::chrono::ceil<std::chrono::seconds>(c.locked_until - now);
  return std::chrono::seconds(0);
}

void LoginThrottle::Fail(Counter& c, int max, TimePoint now) {
  auto window_start = now - std::chrono::duration_cast<std::chrono::milliseconds>(options_.window);
  std::erase_if(c.failures, [&](TimePoint t) { return t < window_start; });
  c.failures.push_back(now);
  if (static_cast<int>(c.failures.size()) >= max) {
    c.locked_until = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.lockout);
    c.failures.clear();
  }
}

std::chrono::seconds LoginThrottle::RetryAfter(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_.Now();
  std::chrono::seconds wait{0};
  if (auto it = by_user_.find(username); it != by_user_.end()) wait = std::max(wait, Check(it->second, now));
  if (auto it = by_address_.find(address); it != by_address_.end())
    wait = std::max(wait, Check(it->second, now));
  return wait;
}

void LoginThrottle::RecordFailure(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_.Now();
  // Bound memory under a flood of made-up usernames: forget counters that hold nothing live.
  auto window_start = now - std::chrono::duration_cast<std::chrono::milliseconds>(options_.window);
  auto stale = [&](const auto& kv) {
    return kv.second.locked_until <= now &&
           (kv.second.failures.empty() || kv.second.failures.back() < window_start);
  };
  if (by_user_.size() > 100000) std::erase_if(by_user_, stale);
  if (by_address_.size() > 100000) std::erase_if(by_address_, stale);
  Fail(by_user_[username], options_.max_failures_per_user, now);
  Fail(by_address_[address], options_.max_failures_per_address, now);
}

void LoginThrottle::RecordSuccess(const std::string& username) {
  std::lock_guard lock(mu_);
  by_user_.erase(username);
}

}  // namespace hotline::org
