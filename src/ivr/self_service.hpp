// What the IVR engine asks of the rest of the hotline during a call (issue 13 §Self-service, §Service
// hours): identity, fund read-backs, appointments, SMS subscriptions, the knowledge base, branches,
// manual-service hours and call-back requests. One interface so that the engine is a pure state machine
// driven by events, tested with a fake, and run for real by ChannelSelfService (channel_self_service.hpp)
// on app::ChannelServices.
//
// Every operation is asynchronous: `done` is called exactly once, on the CALL's executor (the one the
// engine runs on), never inline from inside the call that started it unless the implementation is
// synchronous by design (the fake in tests; the engine copes with both). Values come back as the words to
// speak: each item is a map of a prompt template's placeholders to speech text (speech_text.hpp), so the
// engine fills templates and never formats numbers itself.
//
// Errors: kUnavailable (fund_unavailable, fund_timeout): the core system is down or slow — the engine
// says the service is busy and offers an agent or a call-back, never silence. Others as each method says.
// Thread-safety: as each implementation says; the engine calls it from the call's executor.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace hotline::ivr {

using Values = std::map<std::string, std::string>;  // placeholder → words to speak
template <typename T>
using Done = std::function<void(Result<T>)>;

struct Verified {
  std::string token;  // the fund verified context (opaque; never logged)
  Values values;      // e.g. mobile_tail
};

struct ManualHours {
  bool open = false;
  Values values;  // next_opening: when manual service opens next, as spoken
};

struct AppointmentOffer {
  std::string kind;  // fund::AppointmentKindName
  std::string branch_code;
  std::string date;  // YYYY-MM-DD
  std::string slot;  // "09:00-10:00"
  Values values;     // branch, date, slot, kind
};

class SelfService {
 public:
  virtual ~SelfService() = default;
  // subject "person" | "unit". Errors as fund::IdentityVerifier::Verify (verification_failed,
  // invalid_password, invalid_login_id…, login_locked) or kUnavailable.
  virtual void Verify(const std::string& subject, const std::string& login_id, const std::string& password,
                      Done<Verified> done) = 0;
  // what: account | loans | progress | unit; one Values per item read back (empty: nothing to read).
  virtual void Query(const std::string& token, const std::string& what, Done<std::vector<Values>> done) = 0;
  // The first free slot for `kind` at the caller's nearest branch within the fund module's rules;
  // nullopt when none.
  virtual void OfferAppointment(const std::string& token, const std::string& kind,
                                Done<std::optional<AppointmentOffer>> done) = 0;
  // Books the offer; Values with reference, branch, date, slot.
  virtual void Book(const std::string& token, const AppointmentOffer& offer, Done<Values> done) = 0;
  // Subscribes (or cancels) `content` for the verified caller's registered mobile; Values content,
  // mobile_tail.
  virtual void Subscription(const std::string& token, const std::string& content, bool subscribe,
                            Done<Values> done) = 0;
  // The KB categories with articles in effect today under `root` ("" = all), at most nine.
  virtual void Categories(const std::string& root, Done<std::vector<std::string>> done) = 0;
  // The articles in effect today in `category`: Values title, answer (the short answer).
  virtual void Articles(const std::string& category, Done<std::vector<Values>> done) = 0;
  // The centre's branches: name, address, hours, phone.
  virtual void Branches(Done<std::vector<Values>> done) = 0;
  virtual void ManualService(Done<ManualHours> done) = 0;
  // A call-back request for the calling number with the IVR path; `voicemail` is a WAV to attach, or "".
  // Returns the call-back task id.
  virtual void RequestCallback(const std::string& ivr_path, const std::string& voicemail,
                               Done<int64_t> done) = 0;
  // The caller hung up: end the verified context early.
  virtual void EndContext(const std::string& token) = 0;
};

}  // namespace hotline::ivr
