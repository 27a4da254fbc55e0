// Work orders (工单, R-AGT-4, R-WO-1…5): filing, the confirm → dispatch → handle → return → feedback →
// close flow, working-day deadlines, departments, attachments, call-back tasks (回访, R-SVC-1/2) and the
// SLA report. docs/WORKORDERS.md describes the rules for people; the transition table is in
// state_machine.hpp.
//
// Who sees what (R-ORG-1): an order belongs to the centre where it was filed. A user sees the orders of
// their organisation subtree, except `department` users, who see only the orders currently dispatched
// to a department they are a member of. Outside that, every call answers not_found, as if the order did
// not exist. Only users of the order's own centre act on it (province and ministry users read).
//
// Personal data: the caller's phone is returned in full only by GetDetail, and only to the centre's
// agents, team leaders and department users; every GetDetail is written to the audit log
// (`workorder.read`). Lists, live events and everyone else get MaskPhone.
//
// Every change runs in one transaction: the order row (optimistic concurrency on `version`: a stale
// version is refused with `conflict`), its timeline entry, the complaint count (kpi::ComplaintCounter,
// R-KPI-7), a call-back task when a complaint closes, and the audit entry commit together or not at all.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar_store.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "kpi/complaint_counter.hpp"
#include "org/access.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "workorder/sla_report.hpp"
#include "workorder/types.hpp"

namespace hotline::workorder {

extern const store::ModuleMigrations kWorkOrderMigrations;

struct WorkOrderOptions {
  // The deadlines of a centre that stored none (R-WO-4; a centre overrides them with SetSettings).
  DeadlineSettings default_deadlines = {};
  // Largest attachment accepted ([workorder] max_attachment_bytes). Over HTTP it is also the upload
  // route's own body limit (api/workorder_api.cpp), independent of http.body_limit_bytes.
  size_t max_attachment_bytes = 5 << 20;
  int max_attachments_per_order = 20;
  // A call-back not reached this many times becomes `unreachable`.
  int max_callback_attempts = 3;
  // Rows per page: the API's `limit` is clamped to this.
  int max_page_size = 200;
  // Lines per bulk call-back file.
  size_t max_callback_rows = 50000;
};

// Who is acting, from where. The CLI uses a principal of its own (see CliActor).
struct Actor {
  org::Principal principal;
  std::string remote_addr;      // for the audit log
  std::string channel = "web";  // web | cli
};
// An operator at the command line: user id 0, username "cli", the given role, scoped to `scope`.
Actor CliActor(const org::Org& scope, org::Role role);

struct NewWorkOrder {
  Category category = Category::kInquiry;
  Channel channel = Channel::kPhone;
  Priority priority = Priority::kNormal;
  std::string caller_name;   // 0–50 characters (a caller may decline to give a name)
  std::string caller_phone;  // 3–20 digits, optional leading '+'; spaces and '-' are removed
  std::optional<std::string> identity_ref;  // opaque, ≤ 200 printable ASCII
  std::string subject;                      // 1–100 characters, one line
  std::string description;                  // 1–4000 characters
  std::optional<std::string> call_id;        // ≤ 100 printable ASCII
  std::optional<std::string> recording_url;  // ≤ 500 printable ASCII
  // File it at once: the order is created and submitted (draft → pending_confirmation) in one step,
  // after the caller confirmed the read-back (R-AGT-2). Otherwise it stays a draft.
  bool submit = false;
};

// Changes to a draft (only drafts are edited; later, a leader reclassifies). Absent fields stay.
struct DraftEdit {
  int64_t version = 0;
  std::optional<Category> category;
  std::optional<Channel> channel;
  std::optional<Priority> priority;
  std::optional<std::string> caller_name;
  std::optional<std::string> caller_phone;
  std::optional<std::string> subject;
  std::optional<std::string> description;
};

struct TransitionRequest {
  Action action = Action::kSubmit;
  int64_t version = 0;  // the version the user saw; a different current version is a conflict
  std::string note;     // required for return_to_agent, cancel, send_back, submit_result, record_feedback
  std::optional<int64_t> department_id;  // confirm: required, a department of the order's centre
  std::optional<Category> category;      // reclassify: required; confirm: optional (reclassify on confirming)
  std::optional<int64_t> into;           // merge: required, the order this one duplicates (same centre)
};

enum class SortOrder {
  kNewest,    // newest first: id descending (ids are assigned in creation order; the default)
  kDueFirst,  // due instant ascending: the due-soon/overdue board
};

struct ListFilter {
  std::optional<std::string> org_code;  // a centre or province in scope; default: the caller's whole scope
  std::vector<State> states;            // any of these
  std::optional<Category> category;
  std::optional<int64_t> department_id;
  bool overdue = false;   // open and past due
  bool due_soon = false;  // open, due soon and not yet overdue (both flags: either)
  // An order number ("LZ20260305-0007") finds that order; any other text, orders whose subject contains it.
  std::optional<std::string> text;
  std::optional<TimePoint> created_from;  // inclusive
  std::optional<TimePoint> created_to;    // exclusive
  // The caller's own queue: agent — their drafts, and orders returned or awaiting closing;
  // team_leader — orders pending confirmation; department — dispatched and in progress.
  bool my_queue = false;
  SortOrder sort = SortOrder::kNewest;
  std::string cursor;  // next_cursor of the previous page; empty for the first
  int limit = 50;      // 1…max_page_size
};

struct Page {
  std::vector<WorkOrder> items;  // phones masked
  std::optional<std::string> next_cursor;
};

struct WorkOrderDetail {
  WorkOrder order;
  std::vector<TimelineEntry> timeline;  // oldest first
  std::vector<Attachment> attachments;
  bool phone_visible = false;  // false: order.caller_phone is masked
};

struct NewAttachment {
  std::string file_name;     // 1–100 characters, no path separators
  std::string content_type;  // e.g. "image/jpeg"; default application/octet-stream
  std::string bytes;         // 1…max_attachment_bytes
};

struct AttachmentContent {
  Attachment meta;
  std::string bytes;
};

// The confirmation an agent reads to the caller before saving (R-AGT-2).
struct ReadbackPreview {
  std::string text;  // "您反映的是……，我们将在5个工作日内（2026年3月12日前）答复您，对吗？"
  OrderDeadline deadline;
};

// The due-soon/overdue board: open orders per department (R-WO-4 "overdue counts per department").
struct BoardRow {
  std::string org_code;
  std::optional<int64_t> department_id;  // none: not dispatched yet
  std::string department;
  int64_t open = 0;
  int64_t due_soon = 0;
  int64_t overdue = 0;
};
struct Board {
  TimePoint as_of;
  std::vector<BoardRow> rows;  // by centre, then department name
  BoardRow total;
};

struct CallbackFilter {
  std::optional<std::string> org_code;
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
// Parses the CSV of ImportCallbacks: UTF-8, a header naming the columns phone, kind, topic (and optionally
// name) in any order, then one reminder per line; a BOM, CRLF and RFC 4180 quotes are accepted; at most
// `max_rows` lines. Pure and thread-safe; the input is untrusted bytes (a fuzz target entry point).
ParsedCallbackFile ParseCallbackFile(std::string_view bytes, std::string_view file_name, size_t max_rows = 50000);

struct SlaRequest {
  std::optional<std::string> org_code;  // a centre or province in scope; default: the caller's organisation
  Date from;                            // first local day, inclusive
  Date to;                              // last local day, inclusive
};

// Thread-safe: all state lives in the database.
class WorkOrderService {
 public:
  WorkOrderService(store::Database& db, const Clock& clock, const org::OrgDirectory& orgs,
                   const calendar::CalendarStore& calendar, org::AuditLog& audit, kpi::ComplaintCounter& complaints,
                   WorkOrderOptions options = {})
      : db_(db),
        clock_(clock),
        orgs_(orgs),
        calendar_(calendar),
        audit_(audit),
        complaints_(complaints),
        options_(options) {}

  const WorkOrderOptions& options() const { return options_; }

  // Files an order at the actor's centre (agents and team leaders). Its number is the next of the centre's
  // local day; its deadline is computed from now on the centre's working calendar (R-WO-4).
  // Errors: invalid_field (message names the field), forbidden.
  Result<WorkOrder> Create(const Actor& actor, const NewWorkOrder& order);
  // Errors: not_found, forbidden, illegal_transition (not a draft), conflict (stale version), invalid_field.
  Result<WorkOrder> EditDraft(const Actor& actor, int64_t id, const DraftEdit& edit);
  // Moves an order (state_machine.hpp). Errors, in this order: invalid_field (a missing note, department,
  // category or merge target), not_found, forbidden (role, or not the order's centre), conflict (stale
  // version), illegal_transition (not possible from the current state).
  Result<WorkOrder> Transition(const Actor& actor, int64_t id, const TransitionRequest& request);
  // Errors: not_found, forbidden, invalid_field (empty or over 2000 characters).
  Result<TimelineEntry> Comment(const Actor& actor, int64_t id, std::string_view note);

  // Without personal data in clear; no audit entry.
  Result<WorkOrder> Get(const Actor& actor, int64_t id) const;
  // The order with its timeline and attachments; audit-logged as `workorder.read`.
  Result<WorkOrderDetail> GetDetail(const Actor& actor, int64_t id);
  Result<Page> List(const Actor& actor, const ListFilter& filter) const;
  Result<Board> Summary(const Actor& actor, const std::optional<std::string>& org_code) const;

  // Errors: not_found, forbidden, illegal_transition (a final order), invalid_field (name, size),
  // payload_too_large (over max_attachment_bytes), conflict (max_attachments_per_order reached).
  Result<Attachment> Attach(const Actor& actor, int64_t id, const NewAttachment& attachment);
  // Audit-logged as `workorder.attachment.read`.
  Result<AttachmentContent> ReadAttachment(const Actor& actor, int64_t id, int64_t attachment_id);

  // The read-back text of a new order of `category` at the actor's centre if filed now (R-AGT-2).
  Result<ReadbackPreview> PreviewReadback(const Actor& actor, Category category, std::string_view subject) const;

  // Departments of a centre. Everyone who may read orders may list them; admins manage them.
  Result<std::vector<Department>> ListDepartments(const Actor& actor, const std::optional<std::string>& org_code) const;
  Result<Department> CreateDepartment(const Actor& actor, const std::string& org_code, const std::string& name);
  // Replaces the members: `department`-role users of the department's centre. Errors: invalid_field.
  Result<Department> SetDepartmentMembers(const Actor& actor, int64_t department_id,
                                          const std::vector<int64_t>& user_ids);

  // The departments a user is a member of (for the live event grant of department users).
  Result<std::vector<int64_t>> DepartmentIdsOf(int64_t user_id) const;

  // A centre's deadlines (its own, or the defaults). Admins of the centre or above change them; the new
  // values apply to orders created (or reclassified) afterwards.
  Result<DeadlineSettings> GetSettings(const Actor& actor, const std::optional<std::string>& org_code) const;
  Result<DeadlineSettings> SetSettings(const Actor& actor, const std::optional<std::string>& org_code,
                                       const DeadlineSettings& settings);

  // Call-back tasks (回访). Agents, team leaders, supervisors and admins list them; agents and team leaders
  // of the centre record outcomes; team leaders and admins import reminder lists.
  Result<CallbackPage> ListCallbacks(const Actor& actor, const CallbackFilter& filter) const;
  // With the phone in full for the centre's agents and leaders; audit-logged as `callback.read`.
  Result<Callback> GetCallback(const Actor& actor, int64_t id, bool* phone_visible = nullptr);
  // Records one attempt. Reached → done; not reached → pending again, or unreachable after
  // max_callback_attempts. Errors: not_found, forbidden, conflict (stale version),
  // illegal_transition (already done), invalid_field.
  Result<Callback> RecordCallback(const Actor& actor, int64_t id, const CallbackUpdate& update);
  // Reminder call-backs (R-SVC-2) from CSV: header `phone,name,kind,topic` (any order; name optional),
  // kind one of policy_change, rate_change, account_change, repayment_deadline. All or nothing: errors
  // come back as invalid_file with one "FILE:LINE: reason" per line of the message.
  Result<CallbackImportReport> ImportCallbacks(const Actor& actor, const std::optional<std::string>& org_code,
                                               std::string_view csv, std::string_view file_name);

  // The SLA report (sla_report.hpp). Team leaders, supervisors and admins.
  Result<SlaReport> BuildSlaReport(const Actor& actor, const SlaRequest& request) const;

 private:
  struct Context;  // the actor with their department memberships
  struct Row;      // an order with the columns the service needs internally

  Result<Context> ContextOf(const Actor& actor) const;
  Result<Row> LoadVisible(const Context& ctx, int64_t id) const;
  Result<org::Org> ResolveOrg(const Actor& actor, const std::optional<std::string>& org_code) const;
  Result<org::Org> ResolveCentre(const Actor& actor, const std::optional<std::string>& org_code) const;
  Result<DeadlineSettings> LoadSettings(int64_t org_id) const;
  Result<OrderDeadline> ComputeDeadline(const org::Org& centre, TimePoint created, Category category) const;
  void FillAllowedActions(const Context& ctx, WorkOrder* order) const;

  store::Database& db_;
  const Clock& clock_;
  const org::OrgDirectory& orgs_;
  const calendar::CalendarStore& calendar_;
  org::AuditLog& audit_;
  kpi::ComplaintCounter& complaints_;
  const WorkOrderOptions options_;
};

// The confirmation text of an order (R-AGT-2), e.g.
// "您反映的是公积金提取进度，我们将在3个工作日内（2026年3月5日前）答复您，对吗？".
std::string ReadbackText(std::string_view subject, int workdays, Date last_day);

}  // namespace hotline::workorder
