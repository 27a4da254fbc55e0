// EventBus: scope (R-ORG-1), per-event permission, topics and their permissions, unsubscribing during a
// publish, many subscribers and concurrent publishers.
#include "events/event_bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace hotline::events {
namespace {

std::vector<TopicSpec> TestTopics() {
  return {{.name = "audit", .permission = "audit.read"},
          {.name = "workorder", .permission = "workorder.read"},
          {.name = "call", .permission = ""}};
}

// Collects what one subscriber receives. Not thread-safe (single-threaded tests).
struct Sink {
  std::vector<std::string> frames;
  Deliver deliver() {
    return [this](std::shared_ptr<const std::string> f) { frames.push_back(*f); };
  }
};

// R-ORG-1: live events reach only subscribers whose scope contains the event's organisation, and only
// those with the event's permission.
TEST(EventBusTest, DeliversWithinScopeAndPermission) {
  EventBus bus(TestTopics());
  Sink gs, sx, gs_agent, ministry;
  ASSERT_TRUE(bus.Subscribe({.scope_path = "/M/GS/",
                             .permissions = {"audit.read"},
                             .topics = {"audit", "call"},
                             .deliver = gs.deliver()})
                  .ok());
  ASSERT_TRUE(bus.Subscribe({.scope_path = "/M/SX/",
                             .permissions = {"audit.read"},
                             .topics = {"audit", "call"},
                             .deliver = sx.deliver()})
                  .ok());
  auto agent =
      bus.Subscribe({.scope_path = "/M/GS/GS-LZ/", .topics = {"call"}, .deliver = gs_agent.deliver()});
  ASSERT_TRUE(agent.ok());
  ASSERT_TRUE(bus.Subscribe({.scope_path = "/",
                             .permissions = {"audit.read"},
                             .topics = {"audit", "call"},
                             .deliver = ministry.deliver()})
                  .ok());
  bus.Publish({.topic = "audit", .org_path = "/M/GS/GS-LZ/", .permission = "audit.read", .json = "a"});
  bus.Publish({.topic = "call", .org_path = "/M/GS/GS-LZ/", .permission = "", .json = "b"});
  bus.Publish({.topic = "call", .org_path = "/M/GS/", .permission = "", .json = "c"});  // above the agent
  bus.Publish({.topic = "call", .org_path = "/M/GS/GS-LZ/", .permission = "call.listen", .json = "d"});
  EXPECT_EQ(gs.frames, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(sx.frames.empty());
  EXPECT_EQ(gs_agent.frames, (std::vector<std::string>{"b"}));
  EXPECT_EQ(ministry.frames, (std::vector<std::string>{"a", "b", "c"}));
  bus.Unsubscribe(*agent);
  EXPECT_EQ(bus.size(), 3u);
  bus.Publish({.topic = "call", .org_path = "/M/GS/GS-LZ/", .json = "e"});
  EXPECT_EQ(gs_agent.frames, (std::vector<std::string>{"b"}));
}

// A path that merely starts with the same letters is another organisation: scopes end with '/'.
TEST(EventBusTest, ScopeIsAPathPrefix) {
  EventBus bus(TestTopics());
  Sink lz;
  ASSERT_TRUE(
      bus.Subscribe({.scope_path = "/M/GS/GS-LZ/", .topics = {"call"}, .deliver = lz.deliver()}).ok());
  bus.Publish({.topic = "call", .org_path = "/M/GS/GS-LZX/", .json = "x"});
  bus.Publish({.topic = "call", .org_path = "/M/GS/", .json = "y"});
  bus.Publish({.topic = "call", .org_path = "/M/GS/GS-LZ/SUB/", .json = "z"});
  EXPECT_EQ(lz.frames, (std::vector<std::string>{"z"}));
}

TEST(EventBusTest, FiltersByTopic) {
  EventBus bus(TestTopics());
  Sink audit_only, both, none;
  std::set<std::string> perms = {"audit.read", "workorder.read"};
  ASSERT_TRUE(
      bus.Subscribe(
             {.scope_path = "/", .permissions = perms, .topics = {"audit"}, .deliver = audit_only.deliver()})
          .ok());
  ASSERT_TRUE(bus.Subscribe({.scope_path = "/",
                             .permissions = perms,
                             .topics = {"audit", "workorder"},
                             .deliver = both.deliver()})
                  .ok());
  ASSERT_TRUE(bus.Subscribe({.scope_path = "/", .permissions = perms, .deliver = none.deliver()}).ok());
  bus.Publish({.topic = "audit", .org_path = "/M/", .json = "a"});
  bus.Publish({.topic = "workorder", .org_path = "/M/", .json = "w"});
  EXPECT_EQ(audit_only.frames, (std::vector<std::string>{"a"}));
  EXPECT_EQ(both.frames, (std::vector<std::string>{"a", "w"}));
  EXPECT_TRUE(none.frames.empty());
}

// Topics need their permission; a refused change changes nothing (all or nothing).
TEST(EventBusTest, TopicPermissionsAndErrors) {
  EventBus bus(TestTopics());
  EXPECT_EQ(bus.AllowedTopics({"workorder.read"}), (std::set<std::string>{"call", "workorder"}));
  EXPECT_EQ(bus.AllowedTopics({}), (std::set<std::string>{"call"}));

  auto refused = bus.Subscribe({.scope_path = "/M/", .permissions = {}, .topics = {"audit"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "forbidden_topic");
  EXPECT_EQ(refused.error().kind, ErrorKind::kPermissionDenied);
  auto unknown = bus.Subscribe({.scope_path = "/M/", .topics = {"sms"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unknown_topic");
  EXPECT_EQ(bus.size(), 0u);

  auto id = bus.Subscribe({.scope_path = "/M/", .permissions = {"workorder.read"}, .topics = {"call"}});
  ASSERT_TRUE(id.ok());
  EXPECT_NE(*id, 0u);
  auto added = bus.AddTopics(*id, {"workorder", "audit"});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, "forbidden_topic");
  EXPECT_EQ(bus.TopicsOf(*id), (std::set<std::string>{"call"}));
  added = bus.AddTopics(*id, {"workorder", "nope"});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, "unknown_topic");
  EXPECT_EQ(bus.TopicsOf(*id), (std::set<std::string>{"call"}));
  added = bus.AddTopics(*id, {"workorder", "workorder"});
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, (std::set<std::string>{"call", "workorder"}));

  auto removed = bus.RemoveTopics(*id, {"call", "nope"});
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().code, "unknown_topic");
  EXPECT_EQ(bus.TopicsOf(*id), (std::set<std::string>{"call", "workorder"}));
  removed = bus.RemoveTopics(*id, {"call", "audit"});  // not holding audit: ignored
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, (std::set<std::string>{"workorder"}));

  EXPECT_EQ(bus.AddTopics(999, {"call"}).error().code, "not_found");
  EXPECT_EQ(bus.RemoveTopics(999, {"call"}).error().code, "not_found");
  EXPECT_TRUE(bus.TopicsOf(999).empty());
}

TEST(EventBusTest, DeclaresTopicsLater) {
  EventBus bus;
  EXPECT_TRUE(bus.Topics().empty());
  EXPECT_TRUE(bus.DeclareTopic({.name = "sms", .permission = "sms.read"}).ok());
  EXPECT_EQ(bus.DeclareTopic({.name = "sms"}).error().code, "topic_exists");
  EXPECT_EQ(bus.DeclareTopic({.name = "Bad Name"}).error().code, "invalid_topic");
  EXPECT_EQ(bus.DeclareTopic({.name = ""}).error().code, "invalid_topic");
  ASSERT_EQ(bus.Topics().size(), 1u);
  EXPECT_EQ(bus.Topics()[0].permission, "sms.read");
  EXPECT_TRUE(IsValidTopicName("call.agent_2"));
  EXPECT_FALSE(IsValidTopicName("2call"));
  EXPECT_FALSE(IsValidTopicName(std::string(33, 'a')));
}

// A callback may unsubscribe itself and others, and change topics, while a publish is delivering: no
// deadlock, and later publishes respect the change.
TEST(EventBusTest, UnsubscribeDuringPublish) {
  EventBus bus(TestTopics());
  std::vector<std::string> log;
  uint64_t first = 0, second = 0, third = 0;
  auto a = bus.Subscribe(
      {.scope_path = "/", .topics = {"call"}, .deliver = [&](std::shared_ptr<const std::string> f) {
         log.push_back("first " + *f);
         bus.Unsubscribe(first);
         bus.Unsubscribe(second);
       }});
  auto b = bus.Subscribe(
      {.scope_path = "/", .topics = {"call"}, .deliver = [&](std::shared_ptr<const std::string> f) {
         log.push_back("second " + *f);
       }});
  auto c = bus.Subscribe(
      {.scope_path = "/", .topics = {"call"}, .deliver = [&](std::shared_ptr<const std::string> f) {
         log.push_back("third " + *f);
         (void)bus.RemoveTopics(third, {"call"});
       }});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  first = *a, second = *b, third = *c;
  bus.Publish({.topic = "call", .org_path = "/M/", .json = "1"});
  // Within the first publish the order of callbacks is unspecified; each ran at most once.
  EXPECT_LE(log.size(), 3u);
  EXPECT_GE(log.size(), 2u);  // first and third always (nothing removes them before they run)
  EXPECT_EQ(bus.size(), 1u);
  log.clear();
  bus.Publish({.topic = "call", .org_path = "/M/", .json = "2"});
  EXPECT_TRUE(log.empty()) << log.front();
  EXPECT_TRUE(bus.TopicsOf(third).empty());
}

// Many subscribers in many scopes, publishers on several threads while others subscribe and leave:
// every event reaches exactly the subscribers in scope.
TEST(EventBusTest, ManySubscribersAndConcurrentPublishers) {
  EventBus bus(TestTopics());
  constexpr int kCentres = 50, kPerCentre = 20;
  std::vector<std::atomic<int>> received(kCentres * kPerCentre);
  for (int c = 0; c < kCentres; ++c)
    for (int i = 0; i < kPerCentre; ++i) {
      int n = c * kPerCentre + i;
      ASSERT_TRUE(
          bus.Subscribe({.scope_path = "/M/C" + std::to_string(c) + "/",
                         .topics = {"call"},
                         .deliver = [&received, n](std::shared_ptr<const std::string>) { ++received[n]; }})
              .ok());
    }
  std::atomic<bool> stop{false};
  std::thread churn([&] {  // subscribers coming and going meanwhile, in a scope nobody publishes to
    while (!stop) {
      auto id = bus.Subscribe({.scope_path = "/X/", .topics = {"call"}, .deliver = [](auto) {}});
      bus.Unsubscribe(*id);
    }
  });
  constexpr int kThreads = 4, kEventsPerThread = 200;
  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t)
    publishers.emplace_back([&bus, t] {
      for (int e = 0; e < kEventsPerThread; ++e) {
        int centre = (t * kEventsPerThread + e) % kCentres;
        bus.Publish({.topic = "call", .org_path = "/M/C" + std::to_string(centre) + "/", .json = "{}"});
      }
    });
  for (auto& p : publishers) p.join();
  stop = true;
  churn.join();
  // 800 events over 50 centres: 16 per centre, each to its 20 subscribers.
  for (int n = 0; n < kCentres * kPerCentre; ++n) EXPECT_EQ(received[n].load(), 16) << n;
  EXPECT_EQ(bus.size(), size_t{kCentres * kPerCentre});
}

}  // namespace
}  // namespace hotline::events
