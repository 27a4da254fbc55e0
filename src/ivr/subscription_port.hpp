// The IVR's port to the SMS subscriptions (R-SMS-1/3, issue 13 §Self-service): the SMS module (src/sms/)
// owns the subscription store; the lead connects this port to it. The IVR subscribes or cancels one
// content type for the caller's registered mobile (the one the core system holds, never the calling
// number), with channel "ivr". InMemorySubscriptions is for tests and `ivr simulate` only.
// Thread-safety: implementations are thread-safe; calls may block (the engine calls them off the call's
// thread, on the blocking executor).
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/result.hpp"

namespace hotline::ivr {

struct SubscriptionKey {
  std::string centre;  // org code, e.g. "GS-LZ"
  std::string mobile;  // the registered mobile, digits
  std::string content_type;  // 账户信息 | 贷款信息 | 业务告知 | 单位账户信息 | 单位业务告知 (R-SMS-3)
  auto operator<=>(const SubscriptionKey&) const = default;
};

class SubscriptionPort {
 public:
  virtual ~SubscriptionPort() = default;
  // Idempotent: subscribing twice is one subscription. `channel` is "ivr".
  virtual Status Subscribe(const SubscriptionKey& key, std::string_view channel) = 0;
  // Idempotent: cancelling what is not subscribed succeeds.
  virtual Status Cancel(const SubscriptionKey& key, std::string_view channel) = 0;
  // The content types subscribed for this centre and mobile.
  virtual Result<std::vector<std::string>> List(std::string_view centre, std::string_view mobile) = 0;
};

// Tests and simulate only: forgets everything when destroyed. Thread-safe.
class InMemorySubscriptions final : public SubscriptionPort {
 public:
  Status Subscribe(const SubscriptionKey& key, std::string_view) override {
    std::lock_guard lock(mutex_);
    set_.insert(key);
    return {};
  }
  Status Cancel(const SubscriptionKey& key, std::string_view) override {
    std::lock_guard lock(mutex_);
    set_.erase(key);
    return {};
  }
  Result<std::vector<std::string>> List(std::string_view centre, std::string_view mobile) override {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& k : set_) {
      if (k.centre == centre && k.mobile == mobile) out.push_back(k.content_type);
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::set<SubscriptionKey> set_;  // GUARDED_BY(mutex_)
};

}  // namespace hotline::ivr
