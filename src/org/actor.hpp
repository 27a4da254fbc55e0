// One actor and one authorization model for every channel (R-ORG-1, issue 12 §2).
//
// An Actor is whoever performs an operation: a signed-in user (their Principal: user + organisation) acting
// through the console or the CLI, or a *system principal* — the IVR, the SMS service, the scheduler, the
// command line — bound to an organisation (for the IVR and SMS: the centre the call or message belongs
// to). System principals are not users: they have no user id and no password, they hold a fixed set of
// permissions (below), and they write the audit log under their own name ("ivr", "sms", …), so no module
// ever forges a user to act without one.
//
// Every role decision is an org::Permission (Actor::Has); the scope rule is one: an actor sees its own
// organisation's subtree, and outside it a record is treated as if it did not exist (not_found, never
// forbidden, so existence is not revealed). Services enforce both, through FindOrgInScope / RequireInScope.
// Values; safe to copy and to share read-only between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "org/access.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "org/users.hpp"

namespace hotline::org {

// Through which channel an actor acts: the console over HTTP, the command line, a phone call in the IVR,
// an SMS, or a background job. (How a *caller* first reached the hotline — phone, SMS, web, walk-in — is
// a property of a work order, workorder::Channel, not this.)
enum class Channel { kWeb, kCli, kIvr, kSms, kScheduler };
std::string_view ChannelName(Channel c);  // "web" | "cli" | "ivr" | "sms" | "scheduler"
std::optional<Channel> ParseChannel(std::string_view name);

// The non-human actors. kCli is an operator at the server's terminal: whoever can run `hotline` there
// already holds the database and the secret key, so the CLI acts with the role it is given.
enum class SystemPrincipal { kIvr, kSms, kScheduler, kCli };
std::string_view SystemPrincipalName(SystemPrincipal s);  // "ivr" | "sms" | "scheduler" | "cli"

class Actor {
 public:
  // A signed-in user acting through `channel` (normally kWeb) from `remote_addr`.
  static Actor ForUser(Principal principal, Channel channel = Channel::kWeb, std::string remote_addr = {});
  // The IVR, SMS service or scheduler acting for the organisation `scope` (a centre for ivr/sms).
  // `remote_addr` identifies the source for the audit log: a call id or message id, never a phone number.
  // REQUIRES: who != kCli (use ForCli).
  static Actor ForSystem(SystemPrincipal who, Org scope, std::string remote_addr = {});
  // An operator at the command line with `role`'s permissions, scoped to `scope`.
  static Actor ForCli(Org scope, Role role);

  bool is_system() const { return system_.has_value(); }
  std::optional<SystemPrincipal> system() const { return system_; }
  // The signed-in user; nullptr for a system principal.
  const User* user() const { return system_ ? nullptr : &principal_.user; }
  std::optional<int64_t> user_id() const;
  // The role whose rules apply: the user's role, the CLI's given role; none for ivr/sms/scheduler.
  std::optional<Role> role() const;
  // The name written to the audit log: the username, or the system principal's name.
  std::string_view name() const;
  // The root of the actor's scope: the user's organisation, or the organisation a system actor serves.
  const Org& org() const { return principal_.org; }
  Channel channel() const { return channel_; }
  const std::string& remote_addr() const { return remote_addr_; }
  // The user's principal. REQUIRES: !is_system() (CLI actors have a principal with user id 0 whose role
  // is the given one, for code that still asks a Principal).
  const Principal& principal() const { return principal_; }

  bool Has(Permission p) const;
  bool CanSee(const Org& other) const { return principal_.org.Contains(other); }
  bool CanSeePath(std::string_view path) const { return path.rfind(principal_.org.path, 0) == 0; }

  // Fills the "who" of an audit entry: actor_id, actor, channel, remote_addr.
  void Stamp(AuditEntry& entry) const;

 private:
  Actor() = default;
  Principal principal_;
  std::optional<SystemPrincipal> system_;
  Channel channel_ = Channel::kWeb;
  std::string remote_addr_;
};

// What each system principal may do. The IVR and the SMS service serve callers of their centre: read the
// knowledge base and the branch directory, read account data in a verified context (fund), file work
// orders and call-back requests. The scheduler moves work orders' escalation and reads everything in
// scope. They hold nothing else (no org/user/audit administration).
bool SystemHas(SystemPrincipal who, Permission p);

// The one way to turn an organisation code from a request, a CSV or a CLI argument into an Org: the
// organisation if it is inside the actor's scope, else not_found (code "not_found", the API's 404 — the same
// answer as a code that does not exist — R-ORG-1).
Result<Org> FindOrgInScope(const OrgDirectory& orgs, const Actor& actor, std::string_view code);
// not_found unless `org` is inside the actor's scope; forbidden unless the actor holds `permission`.
Status RequireInScope(const Actor& actor, const Org& org, Permission permission);
// forbidden ("forbidden") unless the actor holds `permission`.
Status Require(const Actor& actor, Permission permission);

}  // namespace hotline::org
