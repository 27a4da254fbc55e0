// Failed-login throttling, per username and per remote address. After `max_failures_*` failures within
// `window`, further attempts are refused for `lockout` (HTTP 429 with Retry-After), even with the right
// password. A success clears the username's count. In memory: a restart forgets (documented).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"

namespace hotline::org {

struct LoginThrottleOptions {
  int max_failures_per_user = 5;  // auth.max_failed_logins_per_user
  int max_failures_per_address =
      50;  // auth.max_failed_logins_per_address (a whole call centre may share one NAT address)
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds lockout{15 * 60};  // auth.lockout_seconds
};

// Thread-safe.
class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, LoginThrottleOptions options) : clock_(clock), options_(options) {}

  // Zero when an attempt may proceed; otherwise how long the caller must wait.
  std::chrono::seconds RetryAfter(const std::string& username, const std::string& address);
  void RecordFailure(const std::string& username, const std::string& address);
  void RecordSuccess(const std::string& username);

 private:
  struct Counter {
    std::vector<TimePoint> failures;  // within the window, oldest first
    TimePoint locked_until;
  };
  std::chrono::seconds Check(Counter& c, TimePoint now);
  void Fail(Counter& c, int max, TimePoint now);

  const Clock& clock_;
  const LoginThrottleOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Counter> by_user_;     // GUARDED_BY(mu_)
  std::unordered_map<std::string, Counter> by_address_;  // GUARDED_BY(mu_)
};

}  // namespace hotline::org
