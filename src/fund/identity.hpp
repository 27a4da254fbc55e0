// Identity verification of callers (R-IVR-2): the one IdentityVerifier that the IVR (DTMF), the SMS service
// and the agent desktop use. A caller proves who they are with a login id and the six-digit query password:
//   personal — fund account number (12 digits) OR 18-digit citizen id (GB 11643 check character validated
//              first) OR 联名卡 number (19 digits, Luhn);
//   unit     — unit account number (10 digits).
// Success gives a short-lived verified context (an opaque token bound to the channel and the centre, TTL
// `context_ttl`) that every read of account data through FundService requires.
//
// Who (R-ORG-1, issue 12 §2): every call names its fund::Access — the org::Actor and the purpose. The
// actor is a centre's agent, team leader or admin at the console (a user on org::Channel::kWeb), or the IVR
// or the SMS service acting as itself (org::SystemPrincipal kIvr / kSms, no user); its organisation is the
// centre whose accounts are asked for. It must hold fund.read and be bound to a centre (CheckAccess).
//
// Guarantees:
//  * five consecutive failures (`max_failures`) lock that login id for `lockout`, whether or not it exists;
//  * wrong password, unknown id and wrong centre give the same error (verification_failed) after the same
//    work (one lookup, one keyed hash), so responses never reveal whether an id exists;
//  * success, failure and lock are audit-logged (fund.verify.success / .failure / .locked) with the login id
//    masked and never the password;
//  * an agent who cannot verify a caller may record why (RecordUnverified): the context then yields masked
//    data only, and the reason is audit-logged;
//  * tokens are stored as keyed hashes (a database reader cannot replay them); lockout state and contexts
//    live in the database, so they hold across restarts and across nodes sharing one database.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "fund/fund_port.hpp"
#include "fund/pin_hasher.hpp"
#include "org/actor.hpp"
#include "org/audit_log.hpp"
#include "store/database.hpp"

namespace hotline::fund {

struct IdentityOptions {
  int max_failures = 5;                       // [fund] max_failed_verifications
  std::chrono::seconds lockout{30 * 60};      // [fund] lockout_seconds
  std::chrono::seconds context_ttl{10 * 60};  // [fund] context_ttl_seconds
};

// Who asks, and why: bound into contexts (the actor's channel and centre) and written to the audit log
// (the actor through org::Actor::Stamp; its remote_addr is the client address, or the call/SMS id — never a
// phone number in clear). The centre is the actor's organisation.
struct Access {
  org::Actor actor;
  std::string purpose = "来电查询";  // why the data is read (audit)

  const org::Org& center() const { return actor.org(); }
};

// fund.read and a centre: forbidden ("forbidden") when the actor lacks the permission (a supervisor, a
// department user, the scheduler), or is not bound to a centre (account data is a centre's, R-ORG-1).
Status CheckAccess(const Access& who);

// The channel a context is bound to, as stored in fund_contexts.channel: "ivr" (the IVR), "sms" (the SMS
// service), "agent" (a person: a user at the console or an operator at the command line). These are the
// values stored since the first release, so contexts in existing databases keep resolving.
std::string_view ContextChannel(const org::Actor& actor);

struct Credentials {
  SubjectType type = SubjectType::kPerson;
  std::string login_id;
  std::string password;
};

struct VerifiedContext {
  std::string token;  // opaque; only returned by Verify/RecordUnverified
  Subject subject;
  LoginKind login_kind = LoginKind::kAccountNumber;
  org::Channel channel = org::Channel::kWeb;  // the channel of the actor that verified
  bool verified = false;                      // false: an agent recorded `reason` instead; data leaves masked
  std::string reason;
  TimePoint expires_at;
};

// Which kind of login id this is, after validating its shape. Errors (kInvalidArgument; they depend on
// the text only, never on the database): invalid_citizen_id (with the reason, e.g. wrong check character),
// invalid_card_number (Luhn), invalid_login_id (any other shape).
Result<LoginKind> DetectLoginKind(SubjectType type, std::string_view login_id);

class IdentityVerifier {
 public:
  IdentityVerifier(store::Database& db, FundPort& port, const PinHasher& pins, org::AuditLog& audit,
                   const Clock& clock, Random& random, IdentityOptions options)
      : db_(db), port_(port), pins_(pins), audit_(audit), clock_(clock), random_(random), options_(options) {}

  // Errors: the shape errors of DetectLoginKind; invalid_password (not six digits; counts as a failure);
  // verification_failed (kPermissionDenied) for an unknown id or a wrong password; login_locked
  // (kResourceExhausted) while locked; fund_unavailable when the core system is down.
  Result<VerifiedContext> Verify(const Access& who, const Credentials& credentials);
  // Agent desktop only: a user actor (kPermissionDenied for the IVR, SMS and CLI): the caller could not be
  // verified, for `reason` (2–200 characters). Errors: invalid_field (reason), shape errors, not_found (no
  // such account: the agent is staff, and the lookup is audit-logged).
  Result<VerifiedContext> RecordUnverified(const Access& who, SubjectType type, std::string_view login_id,
                                           std::string_view reason);
  // The live context of a token for this channel and centre. Errors: verification_required
  // (kPermissionDenied) for an unknown, ended or foreign token; verification_expired after the TTL.
  Result<VerifiedContext> Resolve(const Access& who, std::string_view token);
  // Ends a context early (caller hung up, agent closed the panel). Unknown tokens are ignored.
  Status End(const Access& who, std::string_view token);
  // Deletes contexts expired more than a day ago (and failure counts idle for a day). Returns how many
  // contexts. Issuing runs it every 1,000 contexts.
  Result<int64_t> PurgeExpired();

  const IdentityOptions& options() const { return options_; }

 private:
  std::string LoginKey(const Access& who, LoginKind kind, std::string_view login_id) const;
  Result<VerifiedContext> Issue(const Access& who, const Subject& subject, LoginKind kind, bool verified,
                                std::string_view reason);
  void Audit(const Access& who, std::string action, std::string target_type, std::string target_id,
             nlohmann::json detail);

  store::Database& db_;
  FundPort& port_;
  const PinHasher& pins_;
  org::AuditLog& audit_;
  const Clock& clock_;
  Random& random_;
  const IdentityOptions options_;
  std::atomic<uint64_t> issued_{0};
};

// The login id as it may appear in logs and audit entries: masked per its kind.
std::string MaskLoginId(LoginKind kind, std::string_view login_id);

}  // namespace hotline::fund
