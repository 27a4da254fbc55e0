// Work orders (工单, R-AGT-4, R-WO-1…5): filing, the confirm → dispatch → handle → return → feedback →
// close flow, working-day deadlines, departments, attachments and the SLA report. Call-back tasks (回访,
// R-SVC-1/2) are their own service, callback_service.hpp. docs/WORKORDERS.md describes the rules for
// people; the transition table is in state_machine.hpp.
//
// Who acts (R-ORG-1, issue 12 §2): every call takes an org::Actor — a signed-in user, the CLI with a role,
// or a system principal (the IVR and the SMS service file orders for callers of their centre; the
// scheduler reads). Every role decision is an org::Permission of the actor (workorder.read, .read_all,
// .write, .report, .admin, caller_phone.read); which transitions a role may take is the table of
// state_machine.hpp, which also states the system principals' rules. Audit entries and timeline lines
// name the actor as it is (org::Actor::Stamp): an order the IVR filed says "ivr", channel "ivr", no user.
//
// Who sees what (R-ORG-1): an order belongs to the centre where it was filed. An actor sees the orders of
// its organisation subtree, except actors without workorder.read_all (`department` users), who see only
// the orders currently dispatched to a department they are a member of. Outside that, every call answers
// not_found, as if the order did not exist; an organisation code outside the scope is `not_found` as well
// (org::FindOrgInScope). The scope is enforced here, once; the API only authenticates. Only actors of the
// order's own centre act on it (province and ministry users read).
//
// Personal data: the caller's phone is returned in full only by GetDetail, and only to actors with
// caller_phone.read of the order's centre (agents, team leaders, department users); every GetDetail is
// written to the audit log (`workorder.read`). Lists, live events and everyone else get MaskPhone.
//
// Every change runs in one transaction: the order row (optimistic concurrency on `version`: a stale
// version is refused with `conflict`), its timeline entry, the complaint count (kpi::ComplaintCounter,
// R-KPI-7), a call-back task when a complaint closes (AddComplaintFollowUp), and the audit entry commit
// together or not at all.
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
#include "org/actor.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "workorder/callback_service.hpp"
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
  // Rows per page: the API's `limit` is clamped to this.
  int max_page_size = 200;
};

struct NewWorkOrder {
  // The centre to file at: the actor's own (the default). A code outside the actor's scope is
  // not_found; another centre inside it is forbidden (only a centre's own staff file its orders).
  std::optional<std::string> org_code;
  Category category = Category::kInquiry;
  Channel channel = Channel::kPhone;  // how the caller reached the hotline (not the actor's org::Channel)
  Priority priority = Priority::kNormal;
  std::string caller_name;                  // 0–50 characters (a caller may decline to give a name)
  std::string caller_phone;                 // 3–20 digits, optional leading '+'; spaces and '-' are removed
  std::optional<std::string> identity_ref;  // opaque, ≤ 200 printable ASCII
  std::string subject;                      // 1–100 characters, one line
  std::string description;                  // 1–4000 characters
  std::optional<std::string> call_id;       // ≤ 100 printable ASCII
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

struct SlaRequest {
  std::optional<std::string> org_code;  // a centre or province in scope; default: the caller's organisation
  Date from;                            // first local day, inclusive
  Date to;                              // last local day, inclusive
};

// Thread-safe: all state lives in the database.
class WorkOrderService {
 public:
  WorkOrderService(store::Database& db, const Clock& clock, const org::OrgDirectory& orgs,
                   const calendar::CalendarStore& calendar, org::AuditLog& audit,
                   kpi::ComplaintCounter& complaints, WorkOrderOptions options = {})
      : db_(db),
        clock_(clock),
        orgs_(orgs),
        calendar_(calendar),
        audit_(audit),
        complaints_(complaints),
        options_(options) {}

  const WorkOrderOptions& options() const { return options_; }

  // Files an order at the actor's centre: agents and team leaders (a draft, or submitted), the IVR and the
  // SMS service (submitted at once: `submit` must be true). Its number is the next of the centre's local
  // day; its deadline is computed from now on the centre's working calendar (R-WO-4). Returns the order
  // with the phone masked. Errors: invalid_field (message names the field), not_found (org code outside the
  // scope), forbidden.
  Result<WorkOrder> Create(const org::Actor& actor, const NewWorkOrder& order);
  // Errors: not_found, forbidden, illegal_transition (not a draft), conflict (stale version), invalid_field.
  Result<WorkOrder> EditDraft(const org::Actor& actor, int64_t id, const DraftEdit& edit);
  // Moves an order (state_machine.hpp). Errors, in this order: invalid_field (a missing note, department,
  // category or merge target), not_found, forbidden (role, or not the order's centre), conflict (stale
  // version), illegal_transition (not possible from the current state).
  Result<WorkOrder> Transition(const org::Actor& actor, int64_t id, const TransitionRequest& request);
  // Errors: not_found, forbidden, invalid_field (empty or over 2000 characters).
  Result<TimelineEntry> Comment(const org::Actor& actor, int64_t id, std::string_view note);

  // Without personal data in clear; no audit entry.
  Result<WorkOrder> Get(const org::Actor& actor, int64_t id) const;
  // The order with its timeline and attachments; audit-logged as `workorder.read`.
  Result<WorkOrderDetail> GetDetail(const org::Actor& actor, int64_t id);
  Result<Page> List(const org::Actor& actor, const ListFilter& filter) const;
  Result<Board> Summary(const org::Actor& actor, const std::optional<std::string>& org_code) const;

  // Errors: not_found, forbidden, illegal_transition (a final order), invalid_field (name, size),
  // payload_too_large (over max_attachment_bytes), conflict (max_attachments_per_order reached).
  Result<Attachment> Attach(const org::Actor& actor, int64_t id, const NewAttachment& attachment);
  // Audit-logged as `workorder.attachment.read`.
  Result<AttachmentContent> ReadAttachment(const org::Actor& actor, int64_t id, int64_t attachment_id);

  // The read-back text of a new order of `category` at the actor's centre if filed now (R-AGT-2).
  Result<ReadbackPreview> PreviewReadback(const org::Actor& actor, Category category,
                                          std::string_view subject) const;

  // Departments of a centre. Everyone who may read orders may list them; admins manage them.
  Result<std::vector<Department>> ListDepartments(const org::Actor& actor,
                                                  const std::optional<std::string>& org_code) const;
  Result<Department> CreateDepartment(const org::Actor& actor, const std::string& org_code,
                                      const std::string& name);
  // Replaces the members: `department`-role users of the department's centre. Errors: invalid_field.
  Result<Department> SetDepartmentMembers(const org::Actor& actor, int64_t department_id,
                                          const std::vector<int64_t>& user_ids);

  // The departments a user is a member of (for the live event grant of department users).
  Result<std::vector<int64_t>> DepartmentIdsOf(int64_t user_id) const;

  // A centre's deadlines (its own, or the defaults). Admins of the centre or above change them; the new
  // values apply to orders created (or reclassified) afterwards.
  Result<DeadlineSettings> GetSettings(const org::Actor& actor,
                                       const std::optional<std::string>& org_code) const;
  Result<DeadlineSettings> SetSettings(const org::Actor& actor, const std::optional<std::string>& org_code,
                                       const DeadlineSettings& settings);

  // The SLA report (sla_report.hpp). Team leaders, supervisors and admins.
  Result<SlaReport> BuildSlaReport(const org::Actor& actor, const SlaRequest& request) const;

 private:
  struct Context;  // the actor with its department memberships
  struct Row;      // an order with the columns the service needs internally

  Result<Context> ContextOf(const org::Actor& actor) const;
  Result<WorkOrder> Reread(const Context& ctx, int64_t id) const;  // as it is now, phone masked
  Result<Row> LoadVisible(const Context& ctx, int64_t id) const;
  Result<org::Org> ResolveOrg(const org::Actor& actor, const std::optional<std::string>& org_code) const;
  Result<org::Org> ResolveCentre(const org::Actor& actor, const std::optional<std::string>& org_code) const;
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
