// Live events for the console (WebSocket /api/v1/events): a publisher names the organisation path an
// event belongs to and the permission needed to see it; each subscriber receives the events inside its
// scope that it may see (R-ORG-1 applies to live pushes too). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

namespace hotline::web {

struct Event {
  std::string org_path;    // the record's organisation, e.g. "/MOHURD/GS/GS-LZ/"
  std::string permission;  // needed to receive it, e.g. "audit.read"; empty: anyone in scope
  std::string json;        // the text frame to send
};

struct Subscriber {
  std::string scope_path;            // the subscriber's own organisation path
  std::set<std::string> permissions;
  // Called from the publisher's thread; must not block (queue and return).
  std::function<void(std::shared_ptr<const std::string>)> deliver;
};

class EventHub {
 public:
  uint64_t Subscribe(Subscriber subscriber);
  void Unsubscribe(uint64_t id);
  void Publish(const Event& event);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;                                 // GUARDED_BY(mu_)
  std::unordered_map<uint64_t, Subscriber> subscribers_;  // GUARDED_BY(mu_)
};

}  // namespace hotline::web
