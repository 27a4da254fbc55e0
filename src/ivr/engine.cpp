// The IVR engine (engine.hpp): one call's walk through a flow.
#include "ivr/engine.hpp"

#include <date/date.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/time_zone.hpp"
#include "ivr/speech_text.hpp"

namespace hotline::ivr {

Engine::Engine(EngineOptions options, std::shared_ptr<const Flow> flow, CallPort& port, SelfService& service,
               const Clock& clock, PromptAudio* audio, events::Publisher* events)
    : options_(std::move(options)),
      flow_(std::move(flow)),
      port_(port),
      service_(service),
      clock_(clock),
      audio_(audio),
      events_(events) {}

Engine::~Engine() { *alive_ = false; }

void Engine::Start() {
  vars_["phone"] = SpokenPhone(options_.caller_number);
  Go(flow_->start);
  Flush();
}

std::string Engine::PathString() const {
  std::string out;
  for (const auto& id : path_) {
    if (!out.empty()) out += '>';
    out += id;
  }
  return out;
}

std::chrono::milliseconds Engine::Timeout(const Node& n) const {
  return n.timeout.count() > 0 ? n.timeout : flow_->defaults.timeout;
}
int Engine::Retries(const Node& n) const { return n.retries >= 0 ? n.retries : flow_->defaults.retries; }

// ---- moving through the flow --------------------------------------------------------------------

void Engine::Go(const std::string& id) {
  if (ended_ || wait_ == Wait::kDone) return;
  const Node* n = flow_->Find(id);
  if (!n || ++steps_ > options_.max_steps_per_key) {
    // Impossible for a validated flow; end the call politely rather than spin.
    spdlog::error("ivr {}: flow '{}' has no way on at node '{}'", options_.call_id, flow_->name, id);
    HangupNow();
    return;
  }
  node_ = n;
  tries_ = 0;
  deadline_.reset();
  total_deadline_.reset();
  path_.push_back(id);
  Publish(*n);
  Enter(*n);
}

void Engine::Continue(const std::string& id) {
  Go(id);
  Flush();
}

bool Engine::RequireLogin(const Node& node) {
  if (!token_.empty()) return false;
  return_to_ = node.id;
  login_mark_ = menu_history_.size();
  Go(node.login);
  return true;
}

void Engine::Busy(const Node& node) {
  // The core system is down or slow: never silence — the busy prompt offers an agent or a call-back.
  if (!node.busy_prompt.empty()) Say(node.busy_prompt);
  Continue(node.on_busy.empty() ? flow_->agent : node.on_busy);
}

void Engine::Enter(const Node& n) {
  auto alive = alive_;
  switch (n.type) {
    case NodeType::kPlay:
      SayPrompts(n);
      Go(n.next);
      return;
    case NodeType::kMenu: {
      // The menu stack for #: coming back to a menu already on it drops what lies above.
      auto it = std::find(menu_history_.begin(), menu_history_.end(), n.id);
      if (it != menu_history_.end())
        menu_history_.erase(it + 1, menu_history_.end());
      else
        menu_history_.push_back(n.id);
      SayPrompts(n);
      wait_ = Wait::kMenu;
      return;
    }
    case NodeType::kCollect:
      digits_.clear();
      SayPrompts(n);
      wait_ = Wait::kCollect;
      return;
    case NodeType::kVerify: {
      std::string login = collected_[n.login_var];
      std::string password = std::move(collected_[n.password_var]);
      collected_.erase(n.password_var);  // the password leaves the engine here, and only here
      wait_ = Wait::kBackend;
      Flush();
      service_.Verify(n.subject, login, password, [this, alive, &n](Result<Verified> r) {
        if (!*alive || ended_) return;
        if (r.ok()) {
          token_ = r->token;
          for (auto& [k, v] : r->values) vars_[k] = v;
          std::string to = return_to_.empty() ? n.next : return_to_;
          // The login menus are not where # leads afterwards: back to where the caller came from.
          if (!return_to_.empty() && login_mark_ <= menu_history_.size()) menu_history_.resize(login_mark_);
          return_to_.clear();
          Continue(to);
        } else if (r.error().code == "login_locked") {
          Say(n.locked_prompt);
          return_to_.clear();
          Continue(n.locked);
        } else if (r.error().kind == ErrorKind::kUnavailable) {
          Busy(n);
        } else {
          Say(n.failed_prompt);
          Continue(n.on_fail);
        }
      });
      std::fill(password.begin(), password.end(), '\0');
      return;
    }
    case NodeType::kQuery: {
      if (RequireLogin(n)) return;
      SayPrompts(n);
      wait_ = Wait::kBackend;
      Flush();
      service_.Query(token_, n.what, [this, alive, &n](Result<std::vector<Values>> r) {
        if (!*alive || ended_) return;
        if (!r.ok()) {
          if (r.error().code == "verification_required" || r.error().code == "verification_expired") {
            token_.clear();
            return_to_ = n.id;
            Continue(n.login);
          } else {
            Busy(n);
          }
          return;
        }
        if (r->empty() && !n.empty_prompt.empty()) Say(n.empty_prompt);
        for (const auto& item : *r) Say(n.item_prompt, item);
        Continue(n.next);
      });
      return;
    }
    case NodeType::kBook: {
      if (RequireLogin(n)) return;
      SayPrompts(n);
      wait_ = Wait::kBackend;
      Flush();
      service_.OfferAppointment(token_, n.what, [this, alive, &n](Result<std::optional<AppointmentOffer>> r) {
        if (!*alive || ended_) return;
        if (!r.ok()) return Busy(n);
        if (!*r) {
          if (!n.empty_prompt.empty()) Say(n.empty_prompt);
          return Continue(n.next);
        }
        offer_ = **r;
        Say(n.item_prompt, offer_->values);
        Say(n.confirm_prompt);
        wait_ = Wait::kConfirm;
        Flush();
      });
      return;
    }
    case NodeType::kSms: {
      if (RequireLogin(n)) return;
      SayPrompts(n);
      wait_ = Wait::kBackend;
      Flush();
      service_.Subscription(token_, n.what, n.action == "subscribe", [this, alive, &n](Result<Values> r) {
        if (!*alive || ended_) return;
        if (!r.ok()) return Busy(n);
        Say(n.done_prompt, *r);
        Continue(n.next);
      });
      return;
    }
    case NodeType::kKbCategories: {
      SayPrompts(n);
      wait_ = Wait::kBackend;
      Flush();
      service_.Categories(n.category, [this, alive, &n](Result<std::vector<std::string>> r) {
        if (!*alive || ended_) return;
        if (!r.ok()) return Busy(n);
        if (r->empty()) {
          if (!n.empty_prompt.empty()) Say(n.empty_prompt);
          return Continue(n.next);
        }
        kb_categories_ = std::move(*r);
        if (kb_categories_.size() > 9) kb_categories_.resize(9);
        for (size_t i = 0; i < kb_categories_.size(); ++i) {
          Say(n.choice_prompt,
              {{"category", kb_categories_[i]}, {"key", SpokenDigits(std::to_string(i + 1))}});
        }
        wait_ = Wait::kKbChoice;
        Flush();
      });
      return;
    }
    case NodeType::kBranches:
      SayPrompts(n);
      wait_ = Wait::kBackend;
      Flush();
      service_.Branches([this, alive, &n](Result<std::vector<Values>> r) {
        if (!*alive || ended_) return;
        if (!r.ok()) return Busy(n);
        if (r->empty() && !n.empty_prompt.empty()) Say(n.empty_prompt);
        for (const auto& item : *r) Say(n.item_prompt, item);
        Continue(n.next);
      });
      return;
    case NodeType::kHours:
      wait_ = Wait::kBackend;
      service_.ManualService([this, alive, &n](Result<ManualHours> r) {
        if (!*alive || ended_) return;
        // Unknown hours (the calendar unreadable): treat as closed, so the caller can still leave a
        // call-back request rather than wait for agents who may not be there.
        bool open = r.ok() && r->open;
        if (r.ok()) {
          for (auto& [k, v] : r->values) vars_[k] = v;
        } else {
          vars_["next_opening"] = "工作日工作时间";
        }
        Continue(open ? n.open : n.closed);
      });
      return;
    case NodeType::kTime: {
      const TimeZone zone = TimeZone::Shanghai();
      const TimePoint now = clock_.Now();
      const int minute = static_cast<int>(
          std::chrono::duration_cast<std::chrono::minutes>(zone.LocalTimeOfDay(now)).count());
      const int weekday = static_cast<int>(date::weekday(zone.LocalDay(now)).iso_encoding());
      for (const auto& range : n.ranges) {
        bool day_ok = range.weekdays.empty() || std::find(range.weekdays.begin(), range.weekdays.end(),
                                                          weekday) != range.weekdays.end();
        if (day_ok && minute >= range.from_minute && minute < range.until_minute) return Go(range.next);
      }
      return Go(n.otherwise);
    }
    case NodeType::kCallback:
      SayPrompts(n);
      Say(n.confirm_prompt);
      wait_ = Wait::kConfirm;
      return;
    case NodeType::kVoicemail:
      if (options_.recording_dir.empty()) {
        // No place to keep recordings: offer the call-back request instead (R-IVR-3 still holds).
        return Busy(n);
      }
      SayPrompts(n);
      wait_ = Wait::kRecording;  // recording starts when the prompt has played (AfterPlayback)
      return;
    case NodeType::kTransfer:
      Flush();
      if (port_.TransferToAgents()) {
        outcome_ = Outcome::kTransferred;
        wait_ = Wait::kDone;
        return;
      }
      return Go(n.fallback);
    case NodeType::kHangup:
      SayPrompts(n);
      wait_ = Wait::kHangingUp;
      return;
  }
}

// ---- speech --------------------------------------------------------------------------------------

void Engine::Say(const std::string& prompt_id, const Values& extra) {
  const Prompt* p = flow_->FindPrompt(prompt_id);
  if (!p) return;  // impossible for a validated flow
  Segment s{.text = p->text, .prompt_id = p->id};
  if (p->dynamic()) {
    // Only spoken values fill templates: vars_ holds no collected digits (those are in collected_).
    Values values = vars_;
    for (const auto& [k, v] : extra) values[k] = v;
    s.text = FillTemplate(p->text, values);
  } else if (audio_) {
    s.audio = audio_->Static(*p);
  }
  pending_.push_back(std::move(s));
}

void Engine::SayPrompts(const Node& node) {
  for (const auto& id : node.prompts) Say(id);
}

void Engine::Flush() {
  if (ended_ || playing_ || synthesising_ > 0) return;  // OnPlaybackDone / synthesis comes back here
  if (pending_.empty()) return AfterPlayback();
  auto batch = std::make_shared<std::vector<Segment>>(std::move(pending_));
  pending_.clear();
  if (audio_) {
    for (size_t i = 0; i < batch->size(); ++i) {
      if ((*batch)[i].audio || (*batch)[i].prompt_id.empty() || !flow_->FindPrompt((*batch)[i].prompt_id) ||
          !flow_->FindPrompt((*batch)[i].prompt_id)->dynamic()) {
        continue;
      }
      ++synthesising_;
    }
  }
  if (synthesising_ == 0) return PlayNow(std::move(*batch));
  auto alive = alive_;
  for (size_t i = 0; i < batch->size(); ++i) {
    Segment& s = (*batch)[i];
    const Prompt* p = s.prompt_id.empty() ? nullptr : flow_->FindPrompt(s.prompt_id);
    if (s.audio || !p || !p->dynamic()) continue;
    audio_->Dynamic(s.text, [this, alive, batch, i](Audio a) {
      if (!*alive || ended_) return;
      (*batch)[i].audio = std::move(a);
      if (--synthesising_ == 0) PlayNow(std::move(*batch));
    });
  }
}

void Engine::PlayNow(std::vector<Segment> segments) {
  since_input_.insert(since_input_.end(), segments.begin(), segments.end());
  playing_ = true;
  port_.Play(std::move(segments), node_ ? node_->barge_in : true);
}

void Engine::OnPlaybackDone(bool interrupted) {
  if (ended_) return;
  playing_ = false;
  if (interrupted) return;  // a key stopped it: OnDigit follows
  Flush();
}

void Engine::AfterPlayback() {
  if (!node_) return;
  switch (wait_) {
    case Wait::kMenu:
    case Wait::kConfirm:
    case Wait::kKbChoice:
      ArmDeadline(Timeout(*node_));
      return;
    case Wait::kCollect: {
      ArmDeadline(Timeout(*node_));
      auto total = node_->total.count() > 0 ? node_->total : flow_->defaults.total;
      total_deadline_ = clock_.Steady() + total;
      return;
    }
    case Wait::kRecording:
      port_.StartRecording(options_.recording_dir + "/" + options_.call_id + ".wav",
                           std::chrono::seconds(node_->max_seconds));
      return;
    case Wait::kHangingUp:
      return HangupNow();
    default:
      return;
  }
}

void Engine::ArmDeadline(std::chrono::milliseconds after) { deadline_ = clock_.Steady() + after; }

// ---- keys and timeouts ---------------------------------------------------------------------------

void Engine::OnDigit(char d) {
  if (ended_ || !node_) return;
  if (wait_ == Wait::kRecording) {
    if (d == '#') port_.StopRecording();
    return;
  }
  if (wait_ != Wait::kMenu && wait_ != Wait::kCollect && wait_ != Wait::kConfirm &&
      wait_ != Wait::kKbChoice) {
    return;  // nothing asked yet (a read-back on its way): the key is dropped
  }
  if (playing_) {
    port_.StopPlayback();  // a prompt without barge-in: the caller answered anyway
    playing_ = false;
  }
  pending_.clear();
  steps_ = 0;
  deadline_.reset();
  switch (wait_) {
    case Wait::kMenu:
      return HandleMenuKey(d);
    case Wait::kCollect:
      return HandleCollectKey(d);
    case Wait::kConfirm:
      return HandleConfirmKey(d);
    case Wait::kKbChoice:
      return HandleKbKey(d);
    default:
      return;
  }
}

void Engine::Poll() {
  if (ended_) return;
  const auto now = clock_.Steady();
  if ((deadline_ && now >= *deadline_) || (total_deadline_ && now >= *total_deadline_)) OnTimeout();
}

void Engine::OnTimeout() {
  deadline_.reset();
  steps_ = 0;
  if (wait_ == Wait::kCollect) {
    total_deadline_.reset();
    if (!digits_.empty() && static_cast<int>(digits_.size()) >= node_->min_length) return FinishCollect();
    return Reprompt(
        digits_.empty()
            ? (node_->retry_prompt.empty() ? flow_->defaults.retry_prompt : node_->retry_prompt)
            : (node_->invalid_prompt.empty() ? flow_->defaults.invalid_prompt : node_->invalid_prompt));
  }
  if (wait_ == Wait::kMenu || wait_ == Wait::kConfirm || wait_ == Wait::kKbChoice) {
    return Reprompt(node_->retry_prompt.empty() ? flow_->defaults.retry_prompt : node_->retry_prompt);
  }
}

void Engine::Reprompt(const std::string& why_prompt) {
  const Node& n = *node_;
  if (++tries_ > Retries(n)) {
    std::string to = n.on_fail.empty() ? (n.type == NodeType::kMenu ? flow_->agent : n.next) : n.on_fail;
    since_input_.clear();
    return Continue(to);
  }
  digits_.clear();
  since_input_.clear();
  // Say why, then ask again what this node asks (not what led here: * is for that).
  Say(why_prompt);
  switch (wait_) {
    case Wait::kMenu:
    case Wait::kCollect:
      SayPrompts(n);
      break;
    case Wait::kConfirm:
      if (n.type == NodeType::kBook && offer_) Say(n.item_prompt, offer_->values);
      Say(n.confirm_prompt);
      break;
    case Wait::kKbChoice:
      for (size_t i = 0; i < kb_categories_.size(); ++i) {
        Say(n.choice_prompt, {{"category", kb_categories_[i]}, {"key", SpokenDigits(std::to_string(i + 1))}});
      }
      break;
    default:
      break;
  }
  Flush();
}

void Engine::GoBack() {
  since_input_.clear();
  // The menu stack's top is the current menu when in one; its predecessor is where # leads.
  if (node_->type == NodeType::kMenu && !menu_history_.empty() && menu_history_.back() == node_->id) {
    menu_history_.pop_back();
  }
  if (menu_history_.empty()) {
    if (!flow_->back_prompt.empty()) Say(flow_->back_prompt);
    return Continue(flow_->start);
  }
  std::string to = menu_history_.back();
  if (!flow_->back_prompt.empty()) Say(flow_->back_prompt);
  Continue(to);
}

void Engine::HandleMenuKey(char d) {
  if (d == '*') {
    pending_ = since_input_;
    since_input_.clear();
    return Flush();
  }
  if (d == '#') return GoBack();
  since_input_.clear();
  if (d == '0') return Continue(flow_->agent);
  auto it = node_->choices.find(std::string(1, d));
  if (it == node_->choices.end()) {
    return Reprompt(node_->invalid_prompt.empty() ? flow_->defaults.invalid_prompt : node_->invalid_prompt);
  }
  Continue(it->second);
}

void Engine::HandleCollectKey(char d) {
  const Node& n = *node_;
  if (d == '#' && n.terminator == "#") return FinishCollect();
  if (d == '*' && !n.star_is_x) {
    digits_.clear();  // * starts the entry again
    pending_ = since_input_;
    since_input_.clear();
    return Flush();
  }
  if (d == '#') return;  // no terminator here: ignore
  if (d != '*' && (d < '0' || d > '9')) return;
  digits_ += d == '*' ? 'X' : d;
  if (static_cast<int>(digits_.size()) >= n.max_length && n.terminator.empty()) return FinishCollect();
  if (static_cast<int>(digits_.size()) > n.max_length) return FinishCollect();  // too long: invalid
  auto inter = n.inter_digit.count() > 0 ? n.inter_digit : flow_->defaults.inter_digit;
  ArmDeadline(inter);
}

void Engine::FinishCollect() {
  const Node& n = *node_;
  const int len = static_cast<int>(digits_.size());
  if (len < n.min_length || len > n.max_length) {
    digits_.clear();
    return Reprompt(n.invalid_prompt.empty() ? flow_->defaults.invalid_prompt : n.invalid_prompt);
  }
  collected_[n.var] = std::move(digits_);
  digits_.clear();
  total_deadline_.reset();
  since_input_.clear();
  Continue(n.next);
}

void Engine::HandleConfirmKey(char d) {
  const Node& n = *node_;
  if (d == '*') {
    pending_ = since_input_;
    since_input_.clear();
    return Flush();
  }
  if (d == '#') return GoBack();
  if (d == '0') {
    since_input_.clear();
    return Continue(flow_->agent);
  }
  if (d != '1') return Reprompt(n.invalid_prompt.empty() ? flow_->defaults.invalid_prompt : n.invalid_prompt);
  since_input_.clear();
  wait_ = Wait::kBackend;
  auto alive = alive_;
  if (n.type == NodeType::kBook && offer_) {
    service_.Book(token_, *offer_, [this, alive, &n](Result<Values> r) {
      if (!*alive || ended_) return;
      if (!r.ok()) {
        // The slot went in the meantime, or a rule of the fund module refused: say so and go on.
        if (r.error().kind == ErrorKind::kUnavailable) return Busy(n);
        if (!n.empty_prompt.empty()) Say(n.empty_prompt);
        return Continue(n.on_fail.empty() ? n.next : n.on_fail);
      }
      offer_.reset();
      Say(n.done_prompt, *r);
      Continue(n.next);
    });
    return;
  }
  // A call-back request with the number and the IVR path (R-IVR-3).
  service_.RequestCallback(PathString(), "", [this, alive, &n](Result<int64_t> r) {
    if (!*alive || ended_) return;
    if (!r.ok()) return Busy(n);
    outcome_ = Outcome::kCallback;
    Say(n.done_prompt);
    Continue(n.next);
  });
}

void Engine::HandleKbKey(char d) {
  const Node& n = *node_;
  if (d == '*') {
    pending_ = since_input_;
    since_input_.clear();
    return Flush();
  }
  if (d == '#') return GoBack();
  since_input_.clear();
  if (d == '0') return Continue(flow_->agent);
  size_t index = static_cast<size_t>(d - '1');
  if (d < '1' || d > '9' || index >= kb_categories_.size()) {
    return Reprompt(n.invalid_prompt.empty() ? flow_->defaults.invalid_prompt : n.invalid_prompt);
  }
  wait_ = Wait::kBackend;
  auto alive = alive_;
  service_.Articles(kb_categories_[index], [this, alive, &n](Result<std::vector<Values>> r) {
    if (!*alive || ended_) return;
    if (!r.ok()) return Busy(n);
    if (r->empty() && !n.empty_prompt.empty()) Say(n.empty_prompt);
    for (const auto& item : *r) Say(n.item_prompt, item);
    Continue(n.next);
  });
}

void Engine::OnRecordingDone(const std::string& path, std::chrono::milliseconds duration) {
  if (ended_ || wait_ != Wait::kRecording) return;
  const Node& n = *node_;
  wait_ = Wait::kBackend;
  auto alive = alive_;
  service_.RequestCallback(PathString(), duration.count() > 0 ? path : "",
                           [this, alive, &n](Result<int64_t> r) {
                             if (!*alive || ended_) return;
                             if (!r.ok()) return Busy(n);
                             outcome_ = Outcome::kCallback;
                             Say(n.done_prompt);
                             Continue(n.next);
                           });
}

void Engine::HangupNow() {
  if (wait_ == Wait::kDone) return;
  wait_ = Wait::kDone;
  deadline_.reset();
  total_deadline_.reset();
  if (outcome_ == Outcome::kInProgress) outcome_ = Outcome::kSelfService;
  port_.Hangup();
}

void Engine::OnEnded(EndReason reason) {
  if (ended_) return;
  ended_ = true;
  *alive_ = false;
  deadline_.reset();
  total_deadline_.reset();
  collected_.clear();
  digits_.clear();
  if (!token_.empty()) service_.EndContext(token_);
  if (outcome_ == Outcome::kInProgress) {
    outcome_ = reason == EndReason::kTransferred ? Outcome::kTransferred : Outcome::kSelfService;
  }
}

void Engine::Publish(const Node& node) {
  if (!events_) return;
  nlohmann::json j = {{"type", "ivr.node"},
                      {"call_id", options_.call_id},
                      {"centre", options_.centre_code},
                      {"node", node.id},
                      {"node_type", NodeTypeName(node.type)}};
  events_->Publish({.topic = "ivr", .org_path = options_.centre_path, .permission = "", .json = j.dump()});
}

}  // namespace hotline::ivr
