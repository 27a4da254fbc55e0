// A fixed pool of sessions shared by the two Database implementations. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
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

}  // namespace hotline::store
