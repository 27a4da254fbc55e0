// Orders: filing, editing drafts, transitions, comments, reads, lists and the board. Departments and
// settings are in departments.cpp, attachments in attachments.cpp, the SLA report in sla_report.cpp;
// call-backs are CallbackService (callback_service.cpp).
#include "workorder/workorder_service.hpp"

#include <algorithm>
#include <cstdio>

#include "workorder/internal.hpp"
#include "workorder/state_machine.hpp"

namespace hotline::workorder {

using internal::CheckAscii;
using internal::CheckLine;
using internal::CheckText;
using internal::OptInt;
using internal::Where;
using org::Permission;

namespace internal {

const char* const kOrderColumns =
    "SELECT w.id, w.org_id, o.code, o.path, w.number, w.category, w.channel, w.priority, w.state, "
    "w.caller_name, "
    "w.caller_phone, w.identity_ref, w.subject, w.description, w.call_id, w.recording_url, w.department_id, "
    "d.name, "
    "w.created_by, w.created_by_name, w.created_at, w.workdays, w.last_day, w.due_at, w.due_soon_at, "
    "w.due_provisional, w.done_at, w.closed_at, w.merged_into, w.result, w.feedback, w.escalation_level, "
    "w.updated_at, w.version, o.time_zone, w.complaint_counted";
// The organisation columns come from org's published view (issue 12 §5), not its tables.
const char* const kOrderJoins =
    " JOIN org_units_view o ON o.id = w.org_id LEFT JOIN workorder_departments d ON d.id = w.department_id";
const std::string kSelectOrder = std::string(kOrderColumns) + " FROM workorders w" + kOrderJoins;

OrderRow OrderFromRow(const store::QueryResult& r, size_t i) {
  const auto& row = r.rows[i];
  OrderRow out;
  WorkOrder& o = out.order;
  auto opt_text = [](const store::Value& v) -> std::optional<std::string> {
    if (v.is_null()) return std::nullopt;
    return v.AsText();
  };
  auto opt_time = [](const store::Value& v) -> std::optional<TimePoint> {
    if (v.is_null()) return std::nullopt;
    return FromEpochMillis(v.AsInt());
  };
  o.id = row[0].AsInt();
  o.org_id = row[1].AsInt();
  o.org_code = row[2].AsText();
  o.org_path = row[3].AsText();
  o.number = row[4].AsText();
  o.category = ParseCategory(row[5].AsText()).value_or(Category::kInquiry);
  o.channel = ParseChannel(row[6].AsText()).value_or(Channel::kPhone);
  o.priority = ParsePriority(row[7].AsText()).value_or(Priority::kNormal);
  o.state = ParseState(row[8].AsText()).value_or(State::kDraft);
  o.caller_name = row[9].AsText();
  o.caller_phone = row[10].AsText();
  o.identity_ref = opt_text(row[11]);
  o.subject = row[12].AsText();
  o.description = row[13].AsText();
  o.call_id = opt_text(row[14]);
  o.recording_url = opt_text(row[15]);
  o.department_id = OptInt(row[16]);
  o.department_name = row[17].AsText();
  o.created_by = OptInt(row[18]);
  o.created_by_name = row[19].AsText();
  o.created_at = FromEpochMillis(row[20].AsInt());
  o.deadline.workdays = static_cast<int>(row[21].AsInt());
  ParseDate(row[22].AsText(), &o.deadline.last_day);
  o.deadline.due_at = FromEpochMillis(row[23].AsInt());
  o.deadline.due_soon_at = FromEpochMillis(row[24].AsInt());
  o.deadline.provisional = row[25].AsInt() != 0;
  o.done_at = opt_time(row[26]);
  o.closed_at = opt_time(row[27]);
  o.merged_into = OptInt(row[28]);
  o.result = opt_text(row[29]);
  o.feedback = opt_text(row[30]);
  o.escalation_level = static_cast<int>(row[31].AsInt());
  o.updated_at = FromEpochMillis(row[32].AsInt());
  o.version = row[33].AsInt();
  out.time_zone = row[34].AsText();
  out.complaint_counted = row[35].AsInt() != 0;
  return out;
}

org::AuditEntry AuditEntryOf(const org::Actor& actor, const std::string& org_path,
                             const std::string& org_code, std::string action, std::string target_type,
                             std::string target_id, nlohmann::json detail) {
  org::AuditEntry e;
  actor.Stamp(e);
  e.org_path = org_path;
  e.org_code = org_code;
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  e.detail = std::move(detail);
  return e;
}

std::string DisplayName(const org::Actor& actor) {
  if (auto who = actor.system()) {
    switch (*who) {
      case org::SystemPrincipal::kCli:
        return "命令行";
      case org::SystemPrincipal::kIvr:
        return "语音导航";
      case org::SystemPrincipal::kSms:
        return "短信服务";
      case org::SystemPrincipal::kScheduler:
        return "定时任务";
    }
  }
  const org::User* u = actor.user();
  return u && !u->display_name.empty() ? u->display_name : std::string(actor.name());
}

bool MayShowPhone(const org::Actor& actor, int64_t record_org_id) {
  return actor.org().id == record_org_id && actor.Has(Permission::kCallerPhoneRead);
}

Result<org::Org> ResolveOrg(const org::OrgDirectory& orgs, const org::Actor& actor,
                            const std::optional<std::string>& org_code) {
  if (!org_code || org_code->empty()) return actor.org();
  return org::FindOrgInScope(orgs, actor, *org_code);
}

Result<org::Org> ResolveCentre(const org::OrgDirectory& orgs, const org::Actor& actor,
                               const std::optional<std::string>& org_code) {
  HOTLINE_ASSIGN_OR_RETURN(org::Org o, ResolveOrg(orgs, actor, org_code));
  if (o.level != org::OrgLevel::kCenter)
    return Error::InvalidArgument("invalid_field",
                                  "参数 org 须为住房公积金管理中心（center）：工单、部门和回访属于中心");
  return o;
}

Error Forbidden(std::string message) {
  return {ErrorKind::kPermissionDenied, "forbidden", std::move(message)};
}

}  // namespace internal

bool WorkOrderService::Context::IsMember(std::optional<int64_t> department_id) const {
  return department_id &&
         std::find(departments.begin(), departments.end(), *department_id) != departments.end();
}

bool WorkOrderService::Context::CanSee(const WorkOrder& order) const {
  if (!actor.CanSeePath(order.org_path)) return false;
  return read_all || IsMember(order.department_id);
}

std::string ReadbackText(std::string_view subject, int workdays, Date last_day) {
  std::chrono::year_month_day ymd{last_day};
  char date[64];
  std::snprintf(date, sizeof date, "%d年%u月%u日", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return "您反映的是" + std::string(subject.empty() ? "……" : subject) + "，我们将在" +
         std::to_string(workdays) + "个工作日内（" + date + "前）答复您，对吗？";
}

namespace {

Error NotFound() {
  return Error::NotFound("没有找到该工单：请检查工单编号，或确认它属于您能查看的机构和部门");
}

Error Conflict() { return Error::Conflict("conflict", "工单已被他人修改：请刷新后查看最新内容再操作"); }

// R-KPI-7: is this order one of the centre's complaint orders? A complaint counts from the moment it is
// filed (submitted) until it is cancelled, merged as a duplicate, or reclassified away. A draft that was
// filed once and returned to the agent keeps counting.
bool WantCounted(Category category, State state, bool counted_now) {
  if (category != Category::kComplaint) return false;
  if (state == State::kCancelled || state == State::kMerged) return false;
  if (state == State::kDraft) return counted_now;
  return true;
}

TimeZone ZoneOf(const std::string& name) {
  auto z = TimeZone::Find(name);
  return z.ok() ? *z : TimeZone::Shanghai();
}

store::Value OptValue(const std::optional<std::string>& v) { return v ? store::Value(*v) : store::Value(); }
store::Value OptValue(const std::optional<int64_t>& v) { return v ? store::Value(*v) : store::Value(); }
store::Value OptValue(const std::optional<TimePoint>& v) {
  return v ? store::Value(ToEpochMillis(*v)) : store::Value();
}

// Writes every mutable column of `row` and bumps the version, if the stored version is still `expected`.
Status SaveOrder(store::Session& s, const internal::OrderRow& row, int64_t expected, TimePoint now) {
  const WorkOrder& o = row.order;
  HOTLINE_ASSIGN_OR_RETURN(
      auto r,
      s.Query(
          "UPDATE workorders SET state = $3, is_open = $4, category = $5, channel = $6, priority = $7, "
          "caller_name = $8, caller_phone = $9, subject = $10, description = $11, department_id = $12, "
          "workdays = $13, last_day = $14, due_at = $15, due_soon_at = $16, due_provisional = $17, done_at = "
          "$18, "
          "closed_at = $19, merged_into = $20, result = $21, feedback = $22, complaint_counted = $23, "
          "escalation_level = $24, updated_at = $25, version = version + 1 WHERE id = $1 AND version = $2",
          {o.id,
           expected,
           StateName(o.state),
           IsOpen(o.state),
           CategoryName(o.category),
           ChannelName(o.channel),
           PriorityName(o.priority),
           o.caller_name,
           o.caller_phone,
           o.subject,
           o.description,
           OptValue(o.department_id),
           o.deadline.workdays,
           FormatDate(o.deadline.last_day),
           ToEpochMillis(o.deadline.due_at),
           ToEpochMillis(o.deadline.due_soon_at),
           o.deadline.provisional,
           OptValue(o.done_at),
           OptValue(o.closed_at),
           OptValue(o.merged_into),
           OptValue(o.result),
           OptValue(o.feedback),
           row.complaint_counted,
           o.escalation_level,
           ToEpochMillis(now)}));
  if (r.affected_rows != 1) return Conflict();
  return OkStatus();
}

Result<int64_t> AddTimeline(store::Session& s, int64_t order_id, TimePoint at, const org::Actor& a,
                            std::string_view action, std::optional<State> from, std::optional<State> to,
                            std::string_view note, const nlohmann::json& detail) {
  const auto uid = a.user_id();
  HOTLINE_ASSIGN_OR_RETURN(
      auto r,
      s.Query(
          "INSERT INTO workorder_timeline (order_id, at, actor_id, actor, actor_name, action, from_state, "
          "to_state, note, detail) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
          {order_id, ToEpochMillis(at), uid ? store::Value(*uid) : store::Value(), std::string(a.name()),
           internal::DisplayName(a), action, from ? store::Value(StateName(*from)) : store::Value(),
           to ? store::Value(StateName(*to)) : store::Value(), note, detail.dump()}));
  return r.rows[0][0].AsInt();
}

template <typename Q>
Result<std::optional<internal::OrderRow>> SelectOrder(Q& q, int64_t id) {
  HOTLINE_ASSIGN_OR_RETURN(auto r, q.Query(internal::kSelectOrder + " WHERE w.id = $1", {id}));
  if (r.empty()) return std::optional<internal::OrderRow>();
  return std::optional<internal::OrderRow>(internal::OrderFromRow(r, 0));
}

// Files orders: whoever may submit one (the table: agents and team leaders; the IVR and the SMS service).
bool MayFile(const org::Actor& a) {
  return a.Has(Permission::kWorkOrderWrite) && ActorMayDo(a, Action::kSubmit);
}
// Edits drafts: the people who file (the IVR and SMS file complete orders, submitted at once).
bool MayEditDrafts(const org::Actor& a) { return MayFile(a) && a.role().has_value(); }

Status RequireRead(const org::Actor& a) { return org::Require(a, Permission::kWorkOrderRead); }

}  // namespace

Result<WorkOrderService::Context> WorkOrderService::ContextOf(const org::Actor& actor) const {
  Context ctx{actor, actor.Has(Permission::kWorkOrderReadAll), {}};
  if (!ctx.read_all && actor.user_id()) {
    HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query("SELECT department_id FROM workorder_department_members "
                                               "WHERE user_id = $1",
                                               {*actor.user_id()}));
    for (const auto& row : r.rows) ctx.departments.push_back(row[0].AsInt());
  }
  return ctx;
}

Result<WorkOrderService::Row> WorkOrderService::LoadVisible(const Context& ctx, int64_t id) const {
  HOTLINE_RETURN_IF_ERROR(RequireRead(ctx.actor));
  HOTLINE_ASSIGN_OR_RETURN(auto row, SelectOrder(db_, id));
  if (!row || !ctx.CanSee(row->order)) return NotFound();
  return Row{std::move(*row)};
}

Result<WorkOrder> WorkOrderService::Reread(const Context& ctx, int64_t id) const {
  HOTLINE_ASSIGN_OR_RETURN(auto row, SelectOrder(db_, id));
  if (!row) return NotFound();
  row->order.caller_phone = MaskPhone(row->order.caller_phone);
  FillAllowedActions(ctx, &row->order);
  return std::move(row->order);
}

Result<org::Org> WorkOrderService::ResolveOrg(const org::Actor& actor,
                                              const std::optional<std::string>& org_code) const {
  return internal::ResolveOrg(orgs_, actor, org_code);
}

Result<org::Org> WorkOrderService::ResolveCentre(const org::Actor& actor,
                                                 const std::optional<std::string>& org_code) const {
  return internal::ResolveCentre(orgs_, actor, org_code);
}

Result<DeadlineSettings> WorkOrderService::LoadSettings(int64_t org_id) const {
  HOTLINE_ASSIGN_OR_RETURN(auto r,
                           db_.Query("SELECT complaint_workdays, suggestion_workdays, inquiry_workdays, "
                                     "due_soon_workdays FROM workorder_settings WHERE org_id = $1",
                                     {org_id}));
  if (r.empty()) return options_.default_deadlines;
  DeadlineSettings s;
  s.complaint = static_cast<int>(r.rows[0][0].AsInt());
  s.suggestion = static_cast<int>(r.rows[0][1].AsInt());
  s.inquiry = static_cast<int>(r.rows[0][2].AsInt());
  s.due_soon_workdays = static_cast<int>(r.rows[0][3].AsInt());
  s.is_default = false;
  return s;
}

Result<OrderDeadline> WorkOrderService::ComputeDeadline(const org::Org& centre, TimePoint created,
                                                        Category category) const {
  HOTLINE_ASSIGN_OR_RETURN(DeadlineSettings settings, LoadSettings(centre.id));
  HOTLINE_ASSIGN_OR_RETURN(calendar::WorkingCalendar cal, calendar_.Load(centre.id));
  TimeZone zone = ZoneOf(centre.time_zone);
  const int n = settings.WorkdaysFor(category);
  // R-WO-4: "end of the Nth working day after the creation date, centre time".
  calendar::Deadline d = cal.DeadlineOf(created, n, zone);
  OrderDeadline out{.workdays = n,
                    .last_day = d.last_day,
                    .due_at = d.due,
                    .due_soon_at = d.due,
                    .provisional = d.provisional()};
  if (settings.due_soon_workdays > 0) {
    // Due soon once only the last `due_soon_workdays` working days remain: from the end of working day
    // n − k (the end of the creation day when k ≥ n).
    calendar::Deadline soon = cal.DeadlineOf(created, std::max(0, n - settings.due_soon_workdays), zone);
    out.due_soon_at = soon.due;
  }
  return out;
}

void WorkOrderService::FillAllowedActions(const Context& ctx, WorkOrder* order) const {
  order->allowed_actions.clear();
  if (!ctx.AtCentre(order->org_id)) return;
  order->allowed_actions = ActionsFor(ctx.actor, order->state);
}

// ---------------------------------------------------------------------------------------------------
// Filing and editing

Result<WorkOrder> WorkOrderService::Create(const org::Actor& actor, const NewWorkOrder& in) {
  // Bad input changes nothing: every field is checked before the first write.
  HOTLINE_RETURN_IF_ERROR(CheckLine("caller_name", in.caller_name, 0, 50));
  HOTLINE_ASSIGN_OR_RETURN(std::string phone, internal::NormalizePhone("caller_phone", in.caller_phone));
  if (in.identity_ref) HOTLINE_RETURN_IF_ERROR(CheckAscii("identity_ref", *in.identity_ref, 200));
  HOTLINE_RETURN_IF_ERROR(CheckLine("subject", in.subject, 1, 100));
  HOTLINE_RETURN_IF_ERROR(CheckText("description", in.description, 1, 4000));
  if (in.call_id) HOTLINE_RETURN_IF_ERROR(CheckAscii("call_id", *in.call_id, 100));
  if (in.recording_url) HOTLINE_RETURN_IF_ERROR(CheckAscii("recording_url", *in.recording_url, 500));
  // R-WO-1: the agent files the order (a team leader may too; the IVR and SMS for their centre's callers).
  HOTLINE_ASSIGN_OR_RETURN(const org::Org centre, ResolveOrg(actor, in.org_code));
  if (!MayFile(actor) || centre.level != org::OrgLevel::kCenter || centre.id != actor.org().id)
    return internal::Forbidden("只有中心的坐席和班长（及本中心的语音导航、短信服务）可以登记工单");
  if (!MayEditDrafts(actor) && !in.submit)  // a draft would wait for an edit the IVR cannot make
    return Error::InvalidArgument("invalid_field",
                                  "字段 submit 须为 true：语音导航和短信服务登记的工单直接提交");

  const TimePoint now = clock_.Now();
  HOTLINE_ASSIGN_OR_RETURN(OrderDeadline deadline, ComputeDeadline(centre, now, in.category));
  const TimeZone zone = ZoneOf(centre.time_zone);
  const Date local_day = zone.LocalDay(now);
  const State state = in.submit ? State::kPendingConfirmation : State::kDraft;
  const bool counted = WantCounted(in.category, state, false);
  int64_t id = 0;
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    // The centre-day sequence: the upsert takes the row lock, so two agents never get the same number.
    HOTLINE_ASSIGN_OR_RETURN(
        auto seq,
        s.Query("INSERT INTO workorder_counters (org_id, day, last) VALUES ($1, $2, 1) "
                "ON CONFLICT (org_id, day) DO UPDATE SET last = workorder_counters.last + 1 RETURNING last",
                {centre.id, FormatDate(local_day)}));
    std::string number = FormatOrderNumber(NumberPrefix(centre.code), local_day, seq.rows[0][0].AsInt());
    HOTLINE_ASSIGN_OR_RETURN(
        auto ins,
        s.Query("INSERT INTO workorders (org_id, number, category, channel, priority, state, is_open, "
                "caller_name, "
                "caller_phone, identity_ref, subject, description, call_id, recording_url, created_by, "
                "created_by_name, created_at, workdays, last_day, due_at, due_soon_at, due_provisional, "
                "complaint_counted, escalation_level, updated_at, version) VALUES "
                "($1,$2,$3,$4,$5,$6,1,$7,$8,$9,$10,"
                "$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,0,$16,1) RETURNING id",
                {centre.id,
                 number,
                 CategoryName(in.category),
                 ChannelName(in.channel),
                 PriorityName(in.priority),
                 StateName(state),
                 in.caller_name,
                 phone,
                 OptValue(in.identity_ref),
                 in.subject,
                 in.description,
                 OptValue(in.call_id),
                 OptValue(in.recording_url),
                 actor.user_id() ? store::Value(*actor.user_id()) : store::Value(),
                 std::string(actor.name()),
                 ToEpochMillis(now),
                 deadline.workdays,
                 FormatDate(deadline.last_day),
                 ToEpochMillis(deadline.due_at),
                 ToEpochMillis(deadline.due_soon_at),
                 deadline.provisional,
                 counted}));
    id = ins.rows[0][0].AsInt();
    if (s.dialect() == store::Dialect::kSqlite)
      HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO workorder_subject_grams (rowid, grams) VALUES ($1, $2)",
                                      {id, internal::SubjectGrams(in.subject)}));
    nlohmann::json detail = {{"category", CategoryName(in.category)},
                             {"channel", ChannelName(in.channel)},
                             {"workdays", deadline.workdays},
                             {"last_day", FormatDate(deadline.last_day)}};
    HOTLINE_RETURN_IF_ERROR(
        AddTimeline(s, id, now, actor, "create", std::nullopt, State::kDraft, "", detail));
    if (in.submit)
      HOTLINE_RETURN_IF_ERROR(AddTimeline(s, id, now, actor, ActionName(Action::kSubmit), State::kDraft,
                                          State::kPendingConfirmation, "", nlohmann::json::object()));
    // R-KPI-7: the complaint counts on the centre-day it was created, in this same transaction.
    if (counted) HOTLINE_RETURN_IF_ERROR(complaints_.AddComplaintOrders(s, centre.id, local_day, +1));
    detail["number"] = number;
    detail["state"] = StateName(state);
    return internal::AuditIn(audit_, s,
                             internal::AuditEntryOf(actor, centre.path, centre.code, "workorder.create",
                                                    "workorder", std::to_string(id), detail));
  }));
  // The order as filed, also for an actor that reads no orders (the IVR reads its number to the caller).
  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  return Reread(ctx, id);
}

Result<WorkOrder> WorkOrderService::EditDraft(const org::Actor& actor, int64_t id, const DraftEdit& edit) {
  std::optional<std::string> phone;
  if (edit.caller_name) HOTLINE_RETURN_IF_ERROR(CheckLine("caller_name", *edit.caller_name, 0, 50));
  if (edit.caller_phone) {
    HOTLINE_ASSIGN_OR_RETURN(phone, internal::NormalizePhone("caller_phone", *edit.caller_phone));
  }
  if (edit.subject) HOTLINE_RETURN_IF_ERROR(CheckLine("subject", *edit.subject, 1, 100));
  if (edit.description) HOTLINE_RETURN_IF_ERROR(CheckText("description", *edit.description, 1, 4000));
  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  HOTLINE_ASSIGN_OR_RETURN(Row before, LoadVisible(ctx, id));
  if (!ctx.AtCentre(before.order.org_id) || !MayEditDrafts(actor))
    return internal::Forbidden("只有本中心的坐席和班长可以修改草稿");
  std::optional<OrderDeadline> deadline;
  if (edit.category && *edit.category != before.order.category) {
    HOTLINE_ASSIGN_OR_RETURN(org::Org centre, orgs_.FindById(before.order.org_id));
    HOTLINE_ASSIGN_OR_RETURN(deadline, ComputeDeadline(centre, before.order.created_at, *edit.category));
  }
  const TimePoint now = clock_.Now();
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto current, SelectOrder(s, id));
    if (!current) return NotFound();
    internal::OrderRow row = std::move(*current);
    if (row.order.version != edit.version) return Conflict();
    if (row.order.state != State::kDraft) return IllegalTransition(row.order.state, "edit", "修改草稿");
    nlohmann::json fields = nlohmann::json::array();
    WorkOrder& o = row.order;
    const std::string old_subject = o.subject;
    auto set = [&](auto& field, const auto& value, const char* name) {
      if (value && *value != field) field = *value, fields.push_back(name);
    };
    set(o.channel, edit.channel, "channel");
    set(o.priority, edit.priority, "priority");
    set(o.caller_name, edit.caller_name, "caller_name");
    set(o.caller_phone, phone, "caller_phone");
    set(o.subject, edit.subject, "subject");
    set(o.description, edit.description, "description");
    if (deadline) {
      o.category = *edit.category;
      o.deadline = *deadline;
      o.escalation_level = 0;
      fields.push_back("category");
    }
    const bool counted_before = row.complaint_counted;
    row.complaint_counted = WantCounted(o.category, o.state, counted_before);
    HOTLINE_RETURN_IF_ERROR(SaveOrder(s, row, edit.version, now));
    if (o.subject != old_subject && s.dialect() == store::Dialect::kSqlite) {
      // A contentless FTS5 row is removed by repeating what was indexed.
      HOTLINE_RETURN_IF_ERROR(
          s.Query("INSERT INTO workorder_subject_grams (workorder_subject_grams, rowid, grams) "
                  "VALUES ('delete', $1, $2)",
                  {id, internal::SubjectGrams(old_subject)}));
      HOTLINE_RETURN_IF_ERROR(s.Query("INSERT INTO workorder_subject_grams (rowid, grams) VALUES ($1, $2)",
                                      {id, internal::SubjectGrams(o.subject)}));
    }
    if (row.complaint_counted != counted_before)
      HOTLINE_RETURN_IF_ERROR(complaints_.AddComplaintOrders(
          s, o.org_id, ZoneOf(row.time_zone).LocalDay(o.created_at), row.complaint_counted ? +1 : -1));
    nlohmann::json detail = {{"fields", fields}};  // names only: the values may be personal data
    HOTLINE_RETURN_IF_ERROR(AddTimeline(s, id, now, actor, "edit", o.state, o.state, "", detail));
    detail["number"] = o.number;
    return internal::AuditIn(audit_, s,
                             internal::AuditEntryOf(actor, o.org_path, o.org_code, "workorder.edit",
                                                    "workorder", std::to_string(id), detail));
  }));
  return Get(actor, id);
}

// ---------------------------------------------------------------------------------------------------
// Transitions

Result<WorkOrder> WorkOrderService::Transition(const org::Actor& actor, int64_t id,
                                               const TransitionRequest& req) {
  const Action action = req.action;
  HOTLINE_RETURN_IF_ERROR(CheckText("note", req.note, NoteRequired(action) ? 1 : 0, 2000));
  if (action == Action::kConfirm && !req.department_id)
    return Error::InvalidArgument("invalid_field", "字段 department_id 是必填项：确认派单须指定承办部门");
  if (action == Action::kReclassify && !req.category)
    return Error::InvalidArgument("invalid_field", "字段 category 是必填项：重新分类须指定新的分类");
  if (action == Action::kMerge && (!req.into || *req.into == id))
    return Error::InvalidArgument("invalid_field", "字段 into 须为另一张工单的 id：本工单将合并到该工单");

  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  HOTLINE_ASSIGN_OR_RETURN(Row before, LoadVisible(ctx, id));
  if (!actor.Has(Permission::kWorkOrderWrite))
    return internal::Forbidden("您的角色只能查看工单，不能处理工单");
  // Forbidden when the actor may never take the action (CheckTransition says so first).
  if (!ActorMayDo(actor, action)) return CheckTransition(actor, before.order.state, action).error();
  if (!ctx.AtCentre(before.order.org_id)) return internal::Forbidden("只有工单所属中心的人员可以处理工单");

  // A new category means a new deadline, from the same creation instant (R-WO-4). The calendar is read
  // before the transaction (it lives in other tables and is not part of this change).
  std::optional<Category> new_category;
  if ((action == Action::kReclassify || action == Action::kConfirm) && req.category &&
      *req.category != before.order.category)
    new_category = req.category;
  if (action == Action::kReclassify && !new_category)
    return Error::InvalidArgument("invalid_field", "字段 category 与当前分类相同：无需重新分类");
  std::optional<OrderDeadline> deadline;
  if (new_category) {
    HOTLINE_ASSIGN_OR_RETURN(org::Org centre, orgs_.FindById(before.order.org_id));
    HOTLINE_ASSIGN_OR_RETURN(deadline, ComputeDeadline(centre, before.order.created_at, *new_category));
  }

  const TimePoint now = clock_.Now();
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto current, SelectOrder(s, id));
    if (!current || !ctx.CanSee(current->order)) return NotFound();
    internal::OrderRow row = std::move(*current);
    WorkOrder& o = row.order;
    if (o.version != req.version) return Conflict();
    const State from = o.state;
    HOTLINE_RETURN_IF_ERROR(CheckTransition(actor, from, action));
    o.state = TargetState(from, action);
    nlohmann::json detail = nlohmann::json::object();
    std::optional<internal::OrderRow> target;  // of a merge

    switch (action) {
      case Action::kConfirm: {
        HOTLINE_ASSIGN_OR_RETURN(
            auto d, s.Query("SELECT name FROM workorder_departments WHERE id = $1 AND org_id = $2",
                            {*req.department_id, o.org_id}));
        if (d.empty())
          return Error::InvalidArgument("invalid_field",
                                        "字段 department_id 不是本中心的部门：请从部门列表中选择");
        o.department_id = *req.department_id;
        detail["department_id"] = *req.department_id;
        detail["department"] = d.rows[0][0].AsText();
        break;
      }
      case Action::kMerge: {
        HOTLINE_ASSIGN_OR_RETURN(target, SelectOrder(s, *req.into));
        if (!target || target->order.org_id != o.org_id || !ctx.CanSee(target->order))
          return Error::InvalidArgument("invalid_field",
                                        "字段 into 不是本中心的工单：只能合并到同一中心的工单");
        if (target->order.state == State::kCancelled || target->order.state == State::kMerged)
          return Error::InvalidArgument(
              "invalid_field", "目标工单 " + target->order.number + " 已撤销或已合并：请合并到仍有效的工单");
        o.merged_into = target->order.id;
        detail["into"] = target->order.id;
        detail["into_number"] = target->order.number;
        break;
      }
      case Action::kSendBack:
        // Back to the leader for re-dispatch: no longer this department's order (the timeline keeps which).
        detail["department_id"] = o.department_id.value_or(0);
        detail["department"] = o.department_name;
        o.department_id.reset();
        break;
      case Action::kSubmitResult:
        o.result = req.note;
        break;
      case Action::kRecordFeedback:
        o.feedback = req.note;
        o.done_at = now;  // the SLA clock stops here (issue 4)
        break;
      case Action::kClose:
        o.closed_at = now;
        break;
      default:
        break;
    }
    if (new_category) {
      detail["from_category"] = CategoryName(o.category);
      detail["category"] = CategoryName(*new_category);
      detail["workdays"] = deadline->workdays;
      detail["last_day"] = FormatDate(deadline->last_day);
      o.category = *new_category;
      o.deadline = *deadline;
      o.escalation_level = 0;  // a new deadline is escalated afresh
    }
    const bool counted_before = row.complaint_counted;
    row.complaint_counted = WantCounted(o.category, o.state, counted_before);
    HOTLINE_RETURN_IF_ERROR(SaveOrder(s, row, req.version, now));
    HOTLINE_RETURN_IF_ERROR(
        AddTimeline(s, id, now, actor, ActionName(action), from, o.state, req.note, detail));
    if (target) {
      nlohmann::json back = {{"from", o.id}, {"from_number", o.number}};
      HOTLINE_RETURN_IF_ERROR(AddTimeline(s, target->order.id, now, actor, "merged_from", target->order.state,
                                          target->order.state, req.note, back));
    }
    // R-KPI-7: filed, reclassified to or from 投诉类, cancelled or merged: the count follows in this
    // transaction.
    if (row.complaint_counted != counted_before)
      HOTLINE_RETURN_IF_ERROR(complaints_.AddComplaintOrders(
          s, o.org_id, ZoneOf(row.time_zone).LocalDay(o.created_at), row.complaint_counted ? +1 : -1));
    // R-SVC-1: a closed complaint gets a call-back about the result and the caller's satisfaction.
    if (action == Action::kClose && o.category == Category::kComplaint)
      HOTLINE_RETURN_IF_ERROR(AddComplaintFollowUp(s, o, actor, now));
    detail["number"] = o.number;
    detail["from"] = StateName(from);
    detail["to"] = StateName(o.state);
    return internal::AuditIn(
        audit_, s,
        internal::AuditEntryOf(actor, o.org_path, o.org_code, "workorder." + std::string(ActionName(action)),
                               "workorder", std::to_string(id), detail));
  }));
  // The order as it is now, even when the actor no longer sees it (a department that sent it back).
  return Reread(ctx, id);
}

Result<TimelineEntry> WorkOrderService::Comment(const org::Actor& actor, int64_t id, std::string_view note) {
  HOTLINE_RETURN_IF_ERROR(CheckText("note", note, 1, 2000));
  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  HOTLINE_ASSIGN_OR_RETURN(Row row, LoadVisible(ctx, id));
  if (!ctx.AtCentre(row.order.org_id) || !actor.Has(Permission::kWorkOrderWrite) || !HandlesOrders(actor))
    return internal::Forbidden("只有本中心的坐席、班长和承办部门可以添加备注");
  const TimePoint now = clock_.Now();
  int64_t entry_id = 0;
  // Comments do not change the order, so they need no version: they never conflict with a transition.
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(entry_id, AddTimeline(s, id, now, actor, "comment", row.order.state,
                                                   row.order.state, note, nlohmann::json::object()));
    return internal::AuditIn(
        audit_, s,
        internal::AuditEntryOf(actor, row.order.org_path, row.order.org_code, "workorder.comment",
                               "workorder", std::to_string(id), {{"number", row.order.number}}));
  }));
  TimelineEntry e;
  e.id = entry_id;
  e.order_id = id;
  e.at = now;
  e.actor_id = actor.user_id();
  e.actor = std::string(actor.name());
  e.actor_name = internal::DisplayName(actor);
  e.action = "comment";
  e.from_state = e.to_state = row.order.state;
  e.note = std::string(note);
  return e;
}

// ---------------------------------------------------------------------------------------------------
// Reads

Result<WorkOrder> WorkOrderService::Get(const org::Actor& actor, int64_t id) const {
  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  HOTLINE_ASSIGN_OR_RETURN(Row row, LoadVisible(ctx, id));
  row.order.caller_phone = MaskPhone(row.order.caller_phone);
  FillAllowedActions(ctx, &row.order);
  return std::move(row.order);
}

Result<WorkOrderDetail> WorkOrderService::GetDetail(const org::Actor& actor, int64_t id) {
  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  HOTLINE_ASSIGN_OR_RETURN(Row row, LoadVisible(ctx, id));
  WorkOrderDetail out;
  out.phone_visible = internal::MayShowPhone(actor, row.order.org_id);
  // Personal data is read only with an audit entry; without one, no read (docs/ERRORS.md, R-IVR-2).
  HOTLINE_RETURN_IF_ERROR(audit_.Append(internal::AuditEntryOf(
      actor, row.order.org_path, row.order.org_code, "workorder.read", "workorder", std::to_string(id),
      {{"number", row.order.number}, {"phone_shown", out.phone_visible}})));
  if (!out.phone_visible) row.order.caller_phone = MaskPhone(row.order.caller_phone);
  FillAllowedActions(ctx, &row.order);
  out.order = std::move(row.order);

  HOTLINE_ASSIGN_OR_RETURN(
      auto t, db_.Query("SELECT id, at, actor_id, actor, actor_name, action, from_state, to_state, "
                        "note, detail FROM workorder_timeline WHERE order_id = $1 ORDER BY id",
                        {id}));
  for (const auto& r : t.rows) {
    TimelineEntry e;
    e.id = r[0].AsInt();
    e.order_id = id;
    e.at = FromEpochMillis(r[1].AsInt());
    e.actor_id = OptInt(r[2]);
    e.actor = r[3].AsText();
    e.actor_name = r[4].AsText();
    e.action = r[5].AsText();
    if (!r[6].is_null()) e.from_state = ParseState(r[6].AsText());
    if (!r[7].is_null()) e.to_state = ParseState(r[7].AsText());
    e.note = r[8].AsText();
    e.detail = nlohmann::json::parse(r[9].AsText(), nullptr, /*allow_exceptions=*/false);
    if (e.detail.is_discarded()) e.detail = nlohmann::json::object();
    out.timeline.push_back(std::move(e));
  }
  HOTLINE_ASSIGN_OR_RETURN(
      auto a, db_.Query("SELECT id, file_name, content_type, size, sha256, uploaded_by, uploaded_at "
                        "FROM workorder_attachments WHERE order_id = $1 ORDER BY id",
                        {id}));
  for (const auto& r : a.rows)
    out.attachments.push_back({.id = r[0].AsInt(),
                               .order_id = id,
                               .file_name = r[1].AsText(),
                               .content_type = r[2].AsText(),
                               .size = r[3].AsInt(),
                               .sha256 = r[4].AsText(),
                               .uploaded_by = r[5].AsText(),
                               .uploaded_at = FromEpochMillis(r[6].AsInt())});
  return out;
}

namespace {

// The scope condition of a list: the organisation subtree (a centre: its id; above: the ids of the orgs
// under its path), and for actors without workorder.read_all (department users) their departments (as values:
// the planner then uses the department index directly). `walk_ids`: the list is newest first without a
// created range, so above a centre the best plan walks the primary key backwards and filters by organisation;
// the unary '+' keeps planners without statistics (a SQLite file never ANALYZEd) from reading every order of
// every centre and sorting them instead.
void AddScope(Where& where, const org::Org& org, bool read_all, const std::vector<int64_t>& departments,
              bool walk_ids = false) {
  if (org.level == org::OrgLevel::kCenter) {
    where.Add("w.org_id = ?", {org.id});
  } else {
    // Codes hold no LIKE wildcards (ValidateOrgCode), so the path is a safe prefix pattern.
    where.Add(walk_ids ? "+w.org_id IN (SELECT id FROM org_units_view WHERE path LIKE ?)"
                       : "w.org_id IN (SELECT id FROM org_units_view WHERE path LIKE ?)",
              {org.path + "%"});
  }
  if (!read_all)
    where.AddIn("w.department_id", std::vector<store::Value>(departments.begin(), departments.end()));
}

// "LZ20260305-0007": letters or digits, 8 digits of the date, '-', at least 4 digits.
bool LooksLikeOrderNumber(std::string_view t) {
  size_t dash = t.rfind('-');
  if (dash == std::string_view::npos || dash < 9 || t.size() - dash - 1 < 4) return false;
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto alnum = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
  };
  return digits(t.substr(dash + 1)) && digits(t.substr(dash - 8, 8)) && alnum(t.substr(0, dash - 8));
}

}  // namespace

Result<Page> WorkOrderService::List(const org::Actor& actor, const ListFilter& f) const {
  if (f.limit < 1 || f.limit > options_.max_page_size)
    return Error::InvalidArgument(
        "invalid_field", "参数 limit 须为 1–" + std::to_string(options_.max_page_size) + " 之间的整数");
  if (f.text) HOTLINE_RETURN_IF_ERROR(CheckLine("text", *f.text, 1, 100));
  HOTLINE_RETURN_IF_ERROR(RequireRead(actor));
  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  HOTLINE_ASSIGN_OR_RETURN(org::Org scope, ResolveOrg(actor, f.org_code));
  const TimePoint now = clock_.Now();
  const int64_t now_ms = ToEpochMillis(now);
  store::Params params;
  Where where(&params);
  AddScope(where, scope, ctx.read_all, ctx.departments,
           f.sort == SortOrder::kNewest && !f.created_from && !f.created_to && !f.department_id);
  if (!f.states.empty()) {
    std::vector<store::Value> states;
    for (State s : f.states) states.emplace_back(StateName(s));
    where.AddIn("w.state", states);
  }
  if (f.category) where.Add("w.category = ?", {CategoryName(*f.category)});
  if (f.department_id) where.Add("w.department_id = ?", {*f.department_id});
  if (f.overdue && f.due_soon)
    where.Add("w.is_open = 1 AND w.due_soon_at <= ?", {now_ms});
  else if (f.overdue)
    where.Add("w.is_open = 1 AND w.due_at <= ?", {now_ms});
  else if (f.due_soon)
    where.Add("w.is_open = 1 AND w.due_soon_at <= ? AND w.due_at > ?", {now_ms, now_ms});
  // An order number is looked up by the (org_id, number) index; anything else is a substring of the subject:
  // on SQLite, newest first, candidates come from the bigram index in id order (schema.cpp, migration 2),
  // so a search stops after one page of matches and one that matches nothing reads nothing.
  std::string from = " FROM workorders w";
  std::string id_column = "w.id";
  if (f.text && LooksLikeOrderNumber(*f.text)) {
    where.Add("w.number = ?", {*f.text});
  } else if (f.text) {
    const std::string match = internal::GramsMatch(*f.text);
    if (!match.empty() && f.sort == SortOrder::kNewest && db_.dialect() == store::Dialect::kSqlite) {
      from = " FROM workorder_subject_grams g JOIN workorders w ON w.id = g.rowid";
      id_column = "g.rowid";
      where.Add("workorder_subject_grams MATCH ?", {match});
    }
    where.Add("w.subject LIKE ? ESCAPE '\\'", {internal::ContainsPattern(*f.text)});
  }
  if (f.created_from) where.Add("w.created_at >= ?", {ToEpochMillis(*f.created_from)});
  if (f.created_to) where.Add("w.created_at < ?", {ToEpochMillis(*f.created_to)});
  if (f.my_queue) {
    // The queue is the role's share of the flow (state_machine.hpp), not a permission: people have one,
    // system principals and the CLI's roles without a queue see an empty one.
    switch (actor.role().value_or(org::Role::kSupervisor)) {
      case org::Role::kAgent:
        where.Add("((w.state = 'draft' AND w.created_by = ?) OR w.state IN ('returned', 'feedback_done'))",
                  {actor.user_id().value_or(0)});
        break;
      case org::Role::kTeamLeader:
        where.Add("w.state = 'pending_confirmation'");
        break;
      case org::Role::kDepartment:
        where.Add("w.state IN ('dispatched', 'in_progress')");
        break;
      default:
        where.Add("1 = 0");
        break;  // supervisors and admins have no queue of their own
    }
  }
  // Newest first is id descending: ids are assigned in creation order, and the id is in every index.
  std::string order_by, outer_order_by;
  if (f.sort == SortOrder::kNewest) {
    if (!f.cursor.empty()) {
      HOTLINE_ASSIGN_OR_RETURN(auto c, internal::DecodeCursor(f.cursor));
      where.Add(id_column + " < ?", {c.first});
    }
    order_by = " ORDER BY " + id_column + " DESC";
    outer_order_by = " ORDER BY w.id DESC";
  } else {
    if (!f.cursor.empty()) {
      HOTLINE_ASSIGN_OR_RETURN(auto c, internal::DecodeCursor(f.cursor));
      where.Add("(w.due_at > ? OR (w.due_at = ? AND w.id > ?))", {c.first, c.first, c.second});
    }
    order_by = " ORDER BY w.due_at, w.id";
    outer_order_by = order_by;
  }
  params.emplace_back(f.limit + 1);
  // A deferred join: the page's ids are chosen by a narrow query that the indexes cover (when a filter
  // must sort, it sorts ids, not whole rows), then only those rows are read in full.
  std::string sql = std::string(internal::kOrderColumns) + " FROM workorders w" + internal::kOrderJoins +
                    " WHERE w.id IN (SELECT w.id" + from + where.sql() + order_by + " LIMIT $" +
                    std::to_string(params.size()) + ")" + outer_order_by;
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  Page page;
  for (size_t i = 0; i < r.size() && static_cast<int>(i) < f.limit; ++i) {
    WorkOrder o = internal::OrderFromRow(r, i).order;
    o.caller_phone = MaskPhone(o.caller_phone);
    FillAllowedActions(ctx, &o);
    page.items.push_back(std::move(o));
  }
  if (static_cast<int>(r.size()) > f.limit) {
    const WorkOrder& last = page.items.back();
    page.next_cursor = f.sort == SortOrder::kNewest
                           ? std::to_string(last.id)
                           : internal::EncodeCursor(ToEpochMillis(last.deadline.due_at), last.id);
  }
  return page;
}

Result<Board> WorkOrderService::Summary(const org::Actor& actor,
                                        const std::optional<std::string>& org_code) const {
  HOTLINE_RETURN_IF_ERROR(RequireRead(actor));
  HOTLINE_ASSIGN_OR_RETURN(Context ctx, ContextOf(actor));
  HOTLINE_ASSIGN_OR_RETURN(org::Org scope, ResolveOrg(actor, org_code));
  const TimePoint now = clock_.Now();
  const int64_t now_ms = ToEpochMillis(now);
  store::Params params{now_ms};
  Where where(&params);
  AddScope(where, scope, ctx.read_all, ctx.departments);
  where.Add("w.is_open = 1");
  HOTLINE_ASSIGN_OR_RETURN(auto r,
                           db_.Query("SELECT o.code, w.department_id, d.name, COUNT(*), "
                                     "SUM(CASE WHEN w.due_at <= $1 THEN 1 ELSE 0 END), "
                                     "SUM(CASE WHEN w.due_soon_at <= $1 AND w.due_at > $1 THEN 1 ELSE 0 END) "
                                     "FROM workorders w JOIN org_units_view o ON o.id = w.org_id "
                                     "LEFT JOIN workorder_departments d ON d.id = w.department_id" +
                                         where.sql() + " GROUP BY o.code, w.department_id, d.name",
                                     params));
  Board board;
  board.as_of = now;
  board.total.org_code = scope.code;
  board.total.department = "TOTAL";
  for (const auto& row : r.rows) {
    BoardRow b{.org_code = row[0].AsText(),
               .department_id = OptInt(row[1]),
               .department = row[2].AsText(),
               .open = row[3].AsInt(),
               .due_soon = row[5].AsInt(),
               .overdue = row[4].AsInt()};
    board.total.open += b.open;
    board.total.due_soon += b.due_soon;
    board.total.overdue += b.overdue;
    board.rows.push_back(std::move(b));
  }
  std::sort(board.rows.begin(), board.rows.end(), [](const BoardRow& a, const BoardRow& b) {
    return std::tie(a.org_code, a.department) < std::tie(b.org_code, b.department);
  });
  return board;
}

Result<ReadbackPreview> WorkOrderService::PreviewReadback(const org::Actor& actor, Category category,
                                                          std::string_view subject) const {
  HOTLINE_RETURN_IF_ERROR(CheckLine("subject", subject, 0, 100));
  const org::Org& centre = actor.org();
  if (centre.level != org::OrgLevel::kCenter)
    return Error::InvalidArgument("invalid_field",
                                  "复述确认只用于中心的坐席：您的机构不是住房公积金管理中心");
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, Permission::kWorkOrderWrite));
  HOTLINE_ASSIGN_OR_RETURN(OrderDeadline d, ComputeDeadline(centre, clock_.Now(), category));
  return ReadbackPreview{.text = ReadbackText(subject, d.workdays, d.last_day), .deadline = d};
}

}  // namespace hotline::workorder
