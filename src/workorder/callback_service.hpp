// Call-back tasks (回访, R-SVC-1/2): the hotline calling a caller back. Their own service (issue 12 §4),
// used by the console (the agents' outbound calls: list, record each attempt), by leaders (bulk reminder
// lists) and by the IVR and the SMS service (a caller who reached the hotline out of hours asks to be
// called back).
//
// Where tasks come from:
//   complaint_followup  a complaint order closed (R-SVC-1): AddComplaintFollowUp, inside the closing
//                       transaction of WorkOrderService
//   policy_change, rate_change, account_change, repayment_deadline
//                       a reminder list imported by a team leader or admin (R-SVC-2): Import
//   after_hours         a caller outside the manual service hours left their number with the IVR (or by
//                       SMS): Request. No work order: the caller has not told what it is about yet; the
//                       agent who calls back files an order if one is needed.
//
// Who (R-ORG-1, issue 12 §2), every rule an org::Permission of the org::Actor: callback.read lists and
// reads (everyone but department users; the scheduler); callback.write files requests (agents, team
// leaders, admins of the centre; the IVR and SMS of their centre) and, with agent.seat, records the
// outcome of a call (agents and team leaders — the IVR and SMS record nothing); callback.import imports
// reminder lists (team leaders, admins). Scope: an actor sees the tasks of its organisation subtree; a task
// outside it is not_found and an organisation code outside it not_found too. Only a centre's own actors
// file requests and record outcomes for it; a province's leaders and admins may import for its centres.
//
// Personal data: the phone is in full only in Get, for actors with caller_phone.read of the task's
// centre, and every Get is audit-logged (`callback.read`); lists mask it. Every change commits with its
// audit entry (callback.record, callback.import, callback.request), written as the actor (Stamp).
//
// A task is pending until an attempt reaches the caller (done) or `max_attempts` attempts did not
// (unreachable). Optimistic concurrency on `version`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "org/actor.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "store/database.hpp"
#include "workorder/types.hpp"

namespace hotline::workorder {

struct CallbackOptions {
  // A call-back not reached this many times becomes `unreachable`.
  int max_attempts = 3;
  // Rows per page: the API's `limit` is clamped to this.
  int max_page_size = 200;
  // Lines per bulk call-back file.
  size_t max_rows = 50000;
};

struct CallbackFilter {
  std::optional<std::string> org_code;  // a centre or province in scope; default: the actor's whole scope
  std::optional<CallbackStatus> status;
  std::optional<CallbackKind> kind;
  std::optional<int64_t> order_id;
  std::string cursor;
  int limit = 50;
};

struct CallbackPage {
  std::vector<Callback> items;  // phones masked
  std::optional<std::string> next_cursor;
};

struct CallbackUpdate {
  int64_t version = 0;
  CallbackOutcome outcome = CallbackOutcome::kReached;
  // Required when a complaint follow-up reached the caller (R-SVC-1: result and satisfaction).
  std::optional<Satisfaction> satisfaction;
  std::string note;  // ≤ 2000 characters
};

struct CallbackImportReport {
  int created = 0;
};

// A caller's request to be called back (kind after_hours), e.g. from the IVR outside service hours.
struct CallbackRequest {
  // The centre: the actor's own (the default). Outside the scope not_found; another centre forbidden.
  std::optional<std::string> org_code;
  std::string phone;        // the number to call: 3–20 digits, optional '+'; spaces and '-' are removed
  std::string caller_name;  // 0–50 characters, may be empty
  // What to talk about, 0–200 characters; empty: "非工作时间来电，请回电".
  std::string topic;
  std::optional<std::string> call_id;  // the call it came from, ≤ 100 printable ASCII
};

// One line of a reminder list (R-SVC-2).
struct ReminderLine {
  CallbackKind kind = CallbackKind::kPolicyChange;
  std::string name;   // may be empty
  std::string phone;  // normalised
  std::string topic;  // 1–200 characters
};
// A reminder list, parsed: the lines, or one "FILE:LINE: reason" per bad line (at most 100, then one line
// saying how many more). All or nothing: with any error, `reminders` is empty.
struct ParsedCallbackFile {
  std::vector<ReminderLine> reminders;
  std::vector<std::string> errors;
};
// Parses the CSV of Import: UTF-8, a header naming the columns phone, kind, topic (and optionally name)
// in any order, then one reminder per line; a BOM, CRLF and RFC 4180 quotes are accepted; at most
// `max_rows` lines. Kinds: the four reminder kinds only. Pure and thread-safe; the input is untrusted
// bytes (a fuzz target entry point).
ParsedCallbackFile ParseCallbackFile(std::string_view bytes, std::string_view file_name,
                                     size_t max_rows = 50000);

// Thread-safe: all state lives in the database.
class CallbackService {
 public:
  CallbackService(store::Database& db, const Clock& clock, const org::OrgDirectory& orgs,
                  org::AuditLog& audit, CallbackOptions options = {})
      : db_(db), clock_(clock), orgs_(orgs), audit_(audit), options_(options) {}

  const CallbackOptions& options() const { return options_; }

  // Oldest first (a list is worked through in the order the tasks arrived). Errors: invalid_field (limit,
  // cursor), forbidden (no callback.read), not_found (an org code outside the scope).
  Result<CallbackPage> List(const org::Actor& actor, const CallbackFilter& filter) const;
  // With the phone in full for actors with caller_phone.read of the task's centre; audit-logged as
  // `callback.read`. Errors: forbidden, not_found.
  Result<Callback> Get(const org::Actor& actor, int64_t id, bool* phone_visible = nullptr);
  // Records one attempt of an outbound call. Reached → done; not reached → pending again, or unreachable
  // after max_attempts. Errors: invalid_field, forbidden (permission, or not the task's centre),
  // not_found, conflict (stale version), illegal_transition (already done or unreachable).
  Result<Callback> Record(const org::Actor& actor, int64_t id, const CallbackUpdate& update);
  // Reminder call-backs (R-SVC-2) from CSV (ParseCallbackFile) for a centre in scope (default: the actor's).
  // All or nothing: errors come back as invalid_file with one "FILE:LINE: reason" per line of the message.
  Result<CallbackImportReport> Import(const org::Actor& actor, const std::optional<std::string>& org_code,
                                      std::string_view csv, std::string_view file_name);
  // Files an after-hours call-back request (kind after_hours) at the actor's centre. While a pending
  // after-hours request for the same number exists at the centre, that one is returned instead of a second
  // (a caller who rings three times in the night is called back once); the audit entry says `repeat`.
  // Returns the task with the phone masked. Errors: invalid_field, not_found (org code outside the scope),
  // forbidden.
  Result<Callback> Request(const org::Actor& actor, const CallbackRequest& request);

 private:
  Result<Callback> Load(int64_t id) const;  // with the phone in full; not_found

  store::Database& db_;
  const Clock& clock_;
  const org::OrgDirectory& orgs_;
  org::AuditLog& audit_;
  const CallbackOptions options_;
};

// Inside the caller's transaction `session`: the follow-up call-back of a complaint order that `actor`
// just closed (R-SVC-1; WorkOrderService::Transition). REQUIRES: `closed` is the order as saved.
Status AddComplaintFollowUp(store::Session& session, const WorkOrder& closed, const org::Actor& actor,
                            TimePoint now);

}  // namespace hotline::workorder
