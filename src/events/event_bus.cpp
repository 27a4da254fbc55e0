// EventBus: subscribers in a map under one mutex; Publish matches under the lock and delivers outside
// it, so a callback may call back into the bus (unsubscribe itself, change its topics) without deadlock.
#include "events/event_bus.hpp"

#include <algorithm>
#include <cassert>

namespace hotline::events {

bool IsValidTopicName(std::string_view name) {
  if (name.empty() || name.size() > 32 || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

EventBus::EventBus(std::vector<TopicSpec> topics) {
  for (auto& t : topics) {
    [[maybe_unused]] Status st = DeclareTopic(std::move(t));
    assert(st.ok() && "EventBus: topic names must be valid and distinct");
  }
}

Status EventBus::DeclareTopic(TopicSpec topic) {
  if (!IsValidTopicName(topic.name))
    return Error::InvalidArgument("invalid_topic",
                                  "事件主题名须为 1–32 个小写字母、数字、_ 或 .：" + topic.name);
  std::lock_guard lock(mu_);
  if (FindTopic(topic.name)) return Error::Conflict("topic_exists", "事件主题已声明：" + topic.name);
  auto at = std::lower_bound(topics_.begin(), topics_.end(), topic.name,
                             [](const TopicSpec& t, const std::string& n) { return t.name < n; });
  topics_.insert(at, std::move(topic));
  return OkStatus();
}

std::vector<TopicSpec> EventBus::Topics() const {
  std::lock_guard lock(mu_);
  return topics_;
}

std::set<std::string> EventBus::AllowedTopics(const std::set<std::string>& permissions) const {
  std::lock_guard lock(mu_);
  std::set<std::string> out;
  for (const auto& t : topics_)
    if (t.permission.empty() || permissions.count(t.permission)) out.insert(t.name);
  return out;
}

const TopicSpec* EventBus::FindTopic(std::string_view name) const {
  auto it = std::lower_bound(topics_.begin(), topics_.end(), name,
                             [](const TopicSpec& t, std::string_view n) { return t.name < n; });
  return it != topics_.end() && it->name == name ? &*it : nullptr;
}

Status EventBus::CheckTopics(const std::vector<std::string>& topics, const std::set<std::string>& permissions,
                             bool need_permission) const {
  for (const auto& name : topics) {
    const TopicSpec* t = FindTopic(name);
    if (!t) return Error::InvalidArgument("unknown_topic", "没有这个事件主题：" + name);
    if (need_permission && !t->permission.empty() && !permissions.count(t->permission))
      return Error{ErrorKind::kPermissionDenied, "forbidden_topic", "您的角色无权订阅事件主题 " + name};
  }
  return OkStatus();
}

Result<uint64_t> EventBus::Subscribe(Subscriber subscriber) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(CheckTopics({subscriber.topics.begin(), subscriber.topics.end()},
                                      subscriber.permissions, /*need_permission=*/true));
  uint64_t id = next_id_++;
  subscribers_.emplace(id, std::move(subscriber));
  return id;
}

Result<std::set<std::string>> EventBus::AddTopics(uint64_t id, const std::vector<std::string>& topics) {
  std::lock_guard lock(mu_);
  auto it = subscribers_.find(id);
  if (it == subscribers_.end()) return Error::NotFound("没有这个订阅者");
  HOTLINE_RETURN_IF_ERROR(CheckTopics(topics, it->second.permissions, /*need_permission=*/true));
  it->second.topics.insert(topics.begin(), topics.end());
  return it->second.topics;
}

Result<std::set<std::string>> EventBus::RemoveTopics(uint64_t id, const std::vector<std::string>& topics) {
  std::lock_guard lock(mu_);
  auto it = subscribers_.find(id);
  if (it == subscribers_.end()) return Error::NotFound("没有这个订阅者");
  HOTLINE_RETURN_IF_ERROR(CheckTopics(topics, it->second.permissions, /*need_permission=*/false));
  for (const auto& t : topics) it->second.topics.erase(t);
  return it->second.topics;
}

std::set<std::string> EventBus::TopicsOf(uint64_t id) const {
  std::lock_guard lock(mu_);
  auto it = subscribers_.find(id);
  return it == subscribers_.end() ? std::set<std::string>{} : it->second.topics;
}

void EventBus::Unsubscribe(uint64_t id) {
  std::lock_guard lock(mu_);
  subscribers_.erase(id);
}

void EventBus::Publish(const Event& event) {
  auto frame = std::make_shared<const std::string>(event.json);
  std::vector<Deliver> targets;
  {
    std::lock_guard lock(mu_);
    assert(FindTopic(event.topic) && "EventBus::Publish: undeclared topic");
    for (const auto& [id, s] : subscribers_) {
      if (!s.topics.count(event.topic)) continue;
      if (event.org_path.compare(0, s.scope_path.size(), s.scope_path) != 0) continue;
      if (!event.permission.empty() && !s.permissions.count(event.permission)) continue;
      targets.push_back(s.deliver);
    }
  }
  for (auto& deliver : targets)
    if (deliver) deliver(frame);
}

size_t EventBus::size() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace hotline::events
