// The process's event bus: every channel (the HTTP API, the work-order scheduler, later voice and SMS)
// publishes events here without knowing who listens; every live consumer (today the WebSocket
// /api/v1/events, later the supervisors' boards and the agents' call controls) subscribes here without
// knowing who publishes. Nothing in this module knows HTTP.
//
// An event has a **topic** ("audit", "workorder"; later "call", "agent", "queue", "sms"), the
// organisation path of the record it is about, and the permission needed to see it. A subscriber has a
// scope (its organisation path), the permissions of its grant, and the topics it subscribed to. An event
// reaches a subscriber when all three match (R-ORG-1 applies to live pushes as to every read):
//   - the event's topic is one of the subscriber's topics;
//   - the event's org path lies inside the subscriber's scope (prefix match on the path);
//   - the event's permission is empty or among the subscriber's permissions.
// Topics are declared up front with the permission a subscriber needs to subscribe at all; a subscriber
// can only ever hold declared topics its grant allows (Subscribe and AddTopics check), so the per-event
// permission is a second, finer filter (e.g. one department's work orders).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace hotline::events {

// One declared topic. A plain value.
struct TopicSpec {
  std::string name;         // [a-z0-9_.]+, e.g. "workorder"
  std::string permission;   // a subscriber needs it to subscribe, e.g. "audit.read"; empty: anyone
  std::string description;  // for docs and error messages
};

// One published event. A plain value.
struct Event {
  std::string topic;     // a declared topic
  std::string org_path;  // the record's organisation, e.g. "/MOHURD/GS/GS-LZ/"
  std::string
      permission;    // needed to receive it, e.g. "workorder.read_all"; empty: anyone subscribed in scope
  std::string json;  // the text frame to send, e.g. {"type":"audit","entry":{…}}
};

// Delivery callback: called on the publisher's thread, outside the bus's lock; must not block (queue
// and return). The frame is shared between all subscribers of one event.
using Deliver = std::function<void(std::shared_ptr<const std::string>)>;

// One subscriber. A plain value.
struct Subscriber {
  std::string scope_path;             // the subscriber's own organisation path ("/" sees everything)
  std::set<std::string> permissions;  // of its grant
  std::set<std::string> topics;       // subscribed topics; each declared and allowed by `permissions`
  Deliver deliver;
};

// The publishing side alone: what a channel needs to emit events (a fake in tests records them).
// Implementations are thread-safe.
class Publisher {
 public:
  virtual ~Publisher() = default;
  // Delivers `event` to every matching subscriber (see the file comment). Never fails: an event nobody
  // matches is dropped. REQUIRES: event.topic is declared.
  virtual void Publish(const Event& event) = 0;
};

// Thread-safe: every member may be called from any thread, including from inside a `deliver` callback
// (which runs outside the lock). After Unsubscribe(id) returns, no Publish that starts later delivers to
// `id`; a Publish already past its matching step may still call the old callback once, so callbacks
// must stay safe to call (the WebSocket's holds a weak pointer to its session).
class EventBus final : public Publisher {
 public:
  // The bus with these topics declared. REQUIRES: names valid and distinct.
  explicit EventBus(std::vector<TopicSpec> topics = {});

  // Declares one more topic (a channel that plugs in later). Errors: invalid_topic (bad name),
  // topic_exists (declared already).
  Status DeclareTopic(TopicSpec topic);
  // The declared topics, by name.
  std::vector<TopicSpec> Topics() const;
  // The declared topics a grant with `permissions` may subscribe to (the default subscription of a
  // client that names none, docs/API.md "Live events").
  std::set<std::string> AllowedTopics(const std::set<std::string>& permissions) const;

  // Registers a subscriber and returns its id (never 0). Errors: unknown_topic (a topic not declared),
  // forbidden_topic (a topic `permissions` do not allow); then nothing is registered.
  Result<uint64_t> Subscribe(Subscriber subscriber);
  // Adds topics to subscriber `id`, all or none, and returns the topics now subscribed. Errors:
  // unknown_topic, forbidden_topic (nothing changes), not_found (no such subscriber).
  Result<std::set<std::string>> AddTopics(uint64_t id, const std::vector<std::string>& topics);
  // Removes topics (those not subscribed are ignored) and returns the topics now subscribed. Errors:
  // unknown_topic for an undeclared name (nothing changes), not_found (no such subscriber).
  Result<std::set<std::string>> RemoveTopics(uint64_t id, const std::vector<std::string>& topics);
  // The topics subscriber `id` holds (empty when there is no such subscriber).
  std::set<std::string> TopicsOf(uint64_t id) const;
  // Forgets subscriber `id` (no-op when unknown).
  void Unsubscribe(uint64_t id);

  void Publish(const Event& event) override;
  size_t size() const;  // number of subscribers

 private:
  const TopicSpec* FindTopic(std::string_view name) const;  // REQUIRES: mu_ held
  // unknown_topic / forbidden_topic for the first offending name, else ok.
  Status CheckTopics(const std::vector<std::string>& topics, const std::set<std::string>& permissions,
                     bool need_permission) const;  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  std::vector<TopicSpec> topics_;                         // GUARDED_BY(mu_)
  uint64_t next_id_ = 1;                                  // GUARDED_BY(mu_)
  std::unordered_map<uint64_t, Subscriber> subscribers_;  // GUARDED_BY(mu_)
};

// True for a valid topic name: 1–32 characters of [a-z0-9_.], starting with a letter.
bool IsValidTopicName(std::string_view name);

}  // namespace hotline::events
