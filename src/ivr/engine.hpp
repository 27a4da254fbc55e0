// The IVR engine (issue 13 §IVR flows, §Self-service, §Service hours): one object per call that walks a
// Flow, driven by the call's events (CallEvents) and by Poll() for its timeouts. It plays prompts through
// the CallPort, collects keys, and asks SelfService for everything else (identity, fund read-backs,
// bookings, SMS, KB, branches, hours, call-backs).
//
// Timeouts: the engine owns no timer and no thread. It keeps one deadline (digit timeouts, inter-digit and
// total collection times) in Clock::Steady() terms; whoever drives the call calls Poll() now and then —
// the voice module from its 20 ms media clock, tests after FakeClock::Advance, `ivr simulate` when the
// operator types `t`. next_deadline() says when Poll next matters.
//
// Keys in every menu: * repeats what was said since the last key (the read-back too), # returns to the
// previous menu, 0 reaches the agents (flow.agent, one key to a person).
//
// What leaves the call: path() (node ids visited, for the CDR), verified(), node-visit events on topic
// "ivr" (call id, centre, node id, node type — no personal data). Password digits are kept only until
// they are handed to the verifier, and are never in a prompt text, an event, the path or a log line.
//
// Thread-safety: not thread-safe; every method runs on the call's executor (SelfService and PromptAudio
// deliver their results there).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "events/event_bus.hpp"
#include "ivr/call_port.hpp"
#include "ivr/flow.hpp"
#include "ivr/self_service.hpp"

namespace hotline::ivr {

// The topic of node-visit events (declared by whoever wires the engine into a bus).
inline events::TopicSpec IvrTopic() {
  return {.name = "ivr",
          .permission = "",
          .description = "IVR node visits of calls in progress (no personal data)"};
}

// Audio for prompts: a static prompt's cached audio, a dynamic text synthesised per call.
class PromptAudio {
 public:
  virtual ~PromptAudio() = default;
  // The cached audio of a static prompt; null when there is none (then the segment is text only).
  virtual Audio Static(const Prompt& prompt) = 0;
  // Synthesises `text` off the call's thread; `done` on the call's executor (null audio on failure).
  virtual void Dynamic(const std::string& text, std::function<void(Audio)> done) = 0;
};

enum class Outcome { kInProgress, kSelfService, kTransferred, kCallback, kAbandoned };

struct EngineOptions {
  std::string call_id;         // for events and the call-back request; never a phone number
  std::string centre_code;     // e.g. "GS-LZ"
  std::string centre_path;     // e.g. "/MOHURD/GS/GS-LZ/", for events' scope
  std::string caller_number;   // the calling number (spoken back for call-backs)
  std::string recording_dir;   // where voice messages go ("" = voicemail unavailable)
  int max_steps_per_key = 64;  // a guard beyond the validator's loop check
};

class Engine final : public CallEvents {
 public:
  // REQUIRES: every reference outlives the engine; `flow` is a validated flow. `audio` and `events` may
  // be null (text-only prompts; no events).
  Engine(EngineOptions options, std::shared_ptr<const Flow> flow, CallPort& port, SelfService& service,
         const Clock& clock, PromptAudio* audio = nullptr, events::Publisher* events = nullptr);
  ~Engine() override;

  // Enters the flow's start node. Call once, after the call is answered.
  void Start();

  void OnDigit(char digit) override;
  void OnPlaybackDone(bool interrupted) override;
  void OnRecordingDone(const std::string& path, std::chrono::milliseconds duration) override;
  void OnEnded(EndReason reason) override;

  // Fires the deadline if Clock::Steady() has reached it.
  void Poll();
  std::optional<std::chrono::steady_clock::time_point> next_deadline() const { return deadline_; }

  const std::vector<std::string>& path() const { return path_; }
  std::string PathString() const;  // "welcome>main>personal…"
  bool verified() const { return !token_.empty(); }
  bool ended() const { return ended_; }
  Outcome outcome() const { return outcome_; }
  const std::string& current_node() const { return node_ ? node_->id : empty_; }

 private:
  enum class Wait { kNone, kMenu, kCollect, kConfirm, kKbChoice, kRecording, kBackend, kHangingUp, kDone };

  void Go(const std::string& id);
  void Enter(const Node& n);
  void Say(const std::string& prompt_id, const Values& extra = {});
  void SayPrompts(const Node& node);
  void Flush();
  void PlayNow(std::vector<Segment> segments);
  void AfterPlayback();
  void ArmDeadline(std::chrono::milliseconds after);
  void OnTimeout();
  void Reprompt(const std::string& why_prompt);
  void HandleMenuKey(char d);
  void HandleCollectKey(char d);
  void FinishCollect();
  void HandleConfirmKey(char d);
  void HandleKbKey(char d);
  void GoBack();
  void Busy(const Node& node);
  bool RequireLogin(const Node& node);
  void Continue(const std::string& id);  // after an async result: Go(id) then Flush
  std::chrono::milliseconds Timeout(const Node& n) const;
  int Retries(const Node& n) const;
  void HangupNow();
  void Publish(const Node& node);
  // Guards async callbacks against a finished call: they capture this token, checked on return.

  const EngineOptions options_;
  std::shared_ptr<const Flow> flow_;
  CallPort& port_;
  SelfService& service_;
  const Clock& clock_;
  PromptAudio* audio_;
  events::Publisher* events_;

  const Node* node_ = nullptr;
  Wait wait_ = Wait::kNone;
  int tries_ = 0;
  int steps_ = 0;
  std::string digits_;  // the keys of a collection in progress (may be a password: never logged)
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::optional<std::chrono::steady_clock::time_point> total_deadline_;
  std::vector<std::string> menu_history_;  // menus entered, for #
  std::string return_to_;                  // the node that sent an unverified caller to log in
  size_t login_mark_ = 0;                  // menu_history_'s size when it did
  Values vars_;        // spoken values for templates (phone, next_opening, …); never collected digits
  Values collected_;   // collected digits by variable (login_id, password); never spoken, never logged
  std::string token_;  // the verified context
  std::optional<AppointmentOffer> offer_;
  std::vector<std::string> kb_categories_;
  std::vector<std::string> path_;
  std::vector<Segment> pending_;      // queued, not yet played
  std::vector<Segment> since_input_;  // said since the last key: what * repeats
  bool playing_ = false;
  int synthesising_ = 0;
  bool ended_ = false;
  Outcome outcome_ = Outcome::kInProgress;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  const std::string empty_;
};

}  // namespace hotline::ivr
