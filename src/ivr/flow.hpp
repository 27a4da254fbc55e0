// IVR flows as data (R-IVR-1, issue 13 §IVR flows; docs/IVR.md "Flow files"). A flow is a TOML file in the
// config folder: `[flow]` (start node, the agents' node, defaults), `[prompt.ID]` (text + optional
// recording), `[node.ID]` (one step of the call: a menu, a digit collection, identity verification, a
// fund query read back, …). A centre adds levels below the second with an overlay file: new prompts and
// nodes, and new keys on second-level menus (`[extend.ID] choices = {…}`); it may not change the first
// two levels, which are the same nationwide.
//
// ParseFlow / LoadFlow validate everything and report each mistake as "FILE:LINE: message": unknown key,
// bad value, unknown node or prompt, unreachable node, a loop that never waits for the caller. A flow that
// loaded is complete: the engine never meets a dangling reference.
//
// FlowLibrary holds the flow in use for each centre and swaps it atomically on Reload: a call keeps the
// flow it started with (a shared_ptr), new calls get the new one.
// Thread-safety: Flow is an immutable value once loaded, shared read-only between calls; FlowLibrary is
// thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace hotline::ivr {

struct Prompt {
  std::string id;
  std::string text;       // may hold {placeholders} filled per call (then synthesised per call)
  std::string recording;  // a WAV name in the prompt folder; "" = the prompt id's WAV if present
  std::string file;       // where it was defined, for messages
  int line = 0;
  bool dynamic() const { return text.find('{') != std::string::npos; }
};

enum class NodeType {
  kPlay,          // prompts, then next
  kMenu,          // one key chooses; * repeats, # back, 0 agents
  kCollect,       // digits into a variable (length, terminator, timeouts, retries)
  kVerify,        // identity by keypad through fund::IdentityVerifier (R-IVR-2)
  kQuery,         // a fund read-back: account, loans, progress, unit (R-SVC-3)
  kBook,          // an appointment at a branch (fund rules), read back with its reference
  kSms,           // SMS subscription / cancellation of one content type (R-SMS-1/3)
  kKbCategories,  // 业务指南: the KB's categories as a menu, articles in effect read (R-AGT-3)
  kBranches,      // the branch directory read: address, hours, phone
  kHours,         // manual-service hours branch (R-IVR-3)
  kTime,          // time-of-day branch
  kCallback,      // a call-back request (workorder::CallbackService)
  kVoicemail,     // a voice message ≤ 60 s attached to a call-back request
  kTransfer,      // to the agents' queue; until part 2 falls back to `fallback`
  kHangup,        // prompts, then hang up
};
std::string_view NodeTypeName(NodeType t);
std::optional<NodeType> ParseNodeType(std::string_view name);

struct TimeRange {
  int from_minute = 0;        // minutes after local midnight, inclusive
  int until_minute = 0;       // exclusive
  std::vector<int> weekdays;  // 1 = Monday … 7 = Sunday; empty = every day
  std::string next;
};

// One node. Which fields a type uses is in docs/IVR.md; unused ones keep their defaults.
struct Node {
  std::string id;
  NodeType type = NodeType::kPlay;
  std::string file;
  int line = 0;
  int level = 0;  // 1, 2: the national levels (an overlay may not redefine them); 0: unspecified

  std::vector<std::string> prompts;  // played on entry, in order
  bool barge_in = true;
  std::string next;     // where to go after success
  std::string on_fail;  // retries exhausted / failed
  std::string on_busy;  // the core system down or slow
  std::string login;    // query/book/sms: where an unverified caller is sent first

  // menu
  std::map<std::string, std::string> choices;  // key ("1"…"9", "0") → node
  // menu, collect
  std::chrono::milliseconds timeout{0};      // menu: wait for a key; collect: first digit
  std::chrono::milliseconds inter_digit{0};  // collect
  std::chrono::milliseconds total{0};        // collect
  int retries = -1;                          // -1: the flow's default
  std::string retry_prompt;                  // no input
  std::string invalid_prompt;                // a wrong key / wrong length
  // collect
  std::string var;
  int min_length = 1, max_length = 1;
  std::string terminator;  // "#" or ""
  bool star_is_x = false;  // a '*' keyed is the X of a citizen id
  // verify
  std::string subject = "person";  // person | unit
  std::string login_var, password_var, kind_var;
  std::string locked;  // node after the lockout message
  std::string failed_prompt, locked_prompt, busy_prompt;
  // query, book, sms, kb, branches, callback, voicemail
  std::string what;            // query: account | loans | progress | unit; sms: content type; book: kind
  std::string action;          // sms: subscribe | cancel
  std::string item_prompt;     // a template per item read back
  std::string empty_prompt;    // nothing to read
  std::string done_prompt;     // after a booking / subscription / request
  std::string confirm_prompt;  // "press 1 to confirm"
  std::string choice_prompt;   // kb: one category offered, {category} {key}
  int max_seconds = 60;        // voicemail
  std::string category;        // kb: the root category ("" = all)
  // hours
  std::string open, closed;
  // time
  std::vector<TimeRange> ranges;
  std::string otherwise;
  // transfer
  std::string fallback;

  bool WaitsForInput() const;
  // Every node this one may go to (for reachability and the loop check).
  std::vector<std::string> Edges() const;
};

struct FlowDefaults {
  std::chrono::milliseconds timeout{6000};
  std::chrono::milliseconds inter_digit{4000};
  std::chrono::milliseconds total{30000};
  int retries = 2;
  std::string retry_prompt = "no_input";
  std::string invalid_prompt = "invalid_key";
  std::string busy_prompt = "busy";
};

struct Flow {
  std::string name;
  std::string start;
  std::string agent;  // the node "0" leads to from every menu
  std::string back_prompt;
  FlowDefaults defaults;
  std::map<std::string, Prompt> prompts;
  std::map<std::string, Node> nodes;
  std::vector<std::string> files;  // base, then overlay

  const Node* Find(std::string_view id) const;
  const Prompt* FindPrompt(std::string_view id) const;
};

// Every problem found, each "FILE:LINE: message"; empty when the flow is sound.
struct FlowErrors {
  std::vector<std::string> messages;
  bool ok() const { return messages.empty(); }
  std::string Joined() const;
};

// Parses `text` (named `file` in messages) and validates it. With an overlay, the overlay's text is merged
// first (its own file name in messages). Untrusted input: any bytes give a result, never a crash (a fuzz
// target). On errors the returned flow is empty.
Result<Flow> ParseFlow(std::string_view text, std::string_view file, FlowErrors* errors,
                       std::optional<std::pair<std::string_view, std::string_view>> overlay = {});
// Reads and parses a file (and an optional overlay file). Errors: the joined messages (invalid_flow).
Result<Flow> LoadFlow(const std::string& path, const std::string& overlay_path = "",
                      FlowErrors* errors = nullptr);

// The flows in use (thread-safe). The base flow plus, per centre, an optional overlay file.
class FlowLibrary {
 public:
  struct Options {
    std::string base;                             // path of the national flow
    std::map<std::string, std::string> overlays;  // centre code → overlay path
  };
  explicit FlowLibrary(Options options) : options_(std::move(options)) {}
  // Loads every flow; on any error nothing changes (the flows in use stay) and the error is returned.
  Status Reload();
  // The flow for a centre's new call; null before the first successful Reload.
  std::shared_ptr<const Flow> For(std::string_view centre) const;
  uint64_t generation() const;

 private:
  Options options_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Flow> base_;                                           // GUARDED_BY(mutex_)
  std::map<std::string, std::shared_ptr<const Flow>, std::less<>> by_centre_;  // GUARDED_BY(mutex_)
  uint64_t generation_ = 0;                                                    // GUARDED_BY(mutex_)
};

// Fills {name} placeholders from `values`; unknown names are left out (spoken as nothing).
std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace hotline::ivr
