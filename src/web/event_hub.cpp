#include "web/event_hub.hpp"

#include <vector>

namespace hotline::web {

uint64_t EventHub::Subscribe(Subscriber subscriber) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  subscribers_.emplace(id, std::move(subscriber));
  return id;
}

void EventHub::Unsubscribe(uint64_t id) {
  std::lock_guard lock(mu_);
  subscribers_.erase(id);
}

void EventHub::Publish(const Event& event) {
  auto frame = std::make_shared<const std::string>(event.json);
  std::vector<std::function<void(std::shared_ptr<const std::string>)>> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, s] : subscribers_) {
      if (event.org_path.rfind(s.scope_path, 0) != 0) continue;
      if (!event.permission.empty() && !s.permissions.count(event.permission)) continue;
      targets.push_back(s.deliver);
    }
  }
  for (auto& deliver : targets) deliver(frame);
}

size_t EventHub::size() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace hotline::web
