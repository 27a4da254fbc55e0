// A fixed pool of sessions shared by the two Database implementations. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "store/database.hpp"

namespace hotline::store {

template <typename S>
class SessionPool {
 public:
  void Add(std::unique_ptr<S> s) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(s));
  }
  // Blocks until a session is free. The lease returns it on destruction.
  class Lease {
   public:
    Lease(SessionPool* pool, std::unique_ptr<S> s) : pool_(pool), s_(std::move(s)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (s_) pool_->Return(std::move(s_));
    }
    S& operator*() { return *s_; }
    S* operator->() { return s_.get(); }

   private:
    SessionPool* pool_;
    std::unique_ptr<S> s_;
  };
  Lease Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty(); });
    auto s = std::move(free_.back());
    free_.pop_back();
    return Lease(this, std::move(s));
  }

 private:
  void Return(std::unique_ptr<S> s) {
    {
      std::lock_guard lock(mu_);
      free_.push_back(std::move(s));
    }
    cv_.notify_one();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<S>> free_;  // GUARDED_BY(mu_)
};

// The transaction protocol shared by both engines: `begin`, fn, then COMMIT, or ROLLBACK on any error.
// `aborted` (optional) reports a statement failure the engine already rolled back although fn returned OK.
inline Status RunInTransaction(Session& s, std::string_view begin, const std::function<Status(Session&)>& fn,
                               const std::function<std::optional<Error>()>& aborted = nullptr) {
  if (auto r = s.Query(begin, {}); !r.ok()) return r.take_error();
  Status st = fn(s);
  if (st.ok()) {
    if (auto failed = aborted ? aborted() : std::nullopt) {
      st = std::move(*failed);
    } else {
      auto c = s.Query("COMMIT", {});
      if (c.ok()) return OkStatus();
      st = c.take_error();
    }
  }
  (void)s.Query("ROLLBACK", {});
  return st;
}

}  // namespace hotline::store
