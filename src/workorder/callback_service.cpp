// Call-back tasks (回访), callback_service.hpp: R-SVC-1 "agents call out to follow up complaint results and
// satisfaction" (AddComplaintFollowUp, when a complaint order closes), R-SVC-2 reminders about policy
// changes, loan rate changes, account fund changes and repayment deadlines (imported in bulk from a CSV
// list), and after-hours call-back requests filed by the IVR or the SMS service (issue 12 §4).
#include "workorder/callback_service.hpp"

#include <algorithm>
#include <map>

#include "core/csv.hpp"
#include "core/text.hpp"
#include "workorder/internal.hpp"

namespace hotline::workorder {
namespace {

using internal::Where;
using org::Permission;

// The organisation columns come from org's published view (issue 12 §5), not its tables.
constexpr const char* kSelectCallback =
    "SELECT c.id, c.org_id, o.code, o.path, c.kind, c.status, c.order_id, w.number, c.caller_name, c.phone, "
    "c.topic, "
    "c.attempts, c.outcome, c.satisfaction, c.note, c.created_at, c.created_by, c.done_at, c.done_by, "
    "c.updated_at, "
    "c.version, c.call_id FROM workorder_callbacks c JOIN org_units_view o ON o.id = c.org_id "
    "LEFT JOIN workorders w ON w.id = c.order_id";

Callback CallbackFromRow(const store::QueryResult& r, size_t i) {
  const auto& x = r.rows[i];
  Callback c;
  c.id = x[0].AsInt();
  c.org_id = x[1].AsInt();
  c.org_code = x[2].AsText();
  c.org_path = x[3].AsText();
  c.kind = ParseCallbackKind(x[4].AsText()).value_or(CallbackKind::kComplaintFollowUp);
  c.status = ParseCallbackStatus(x[5].AsText()).value_or(CallbackStatus::kPending);
  c.order_id = internal::OptInt(x[6]);
  c.order_number = x[7].AsText();
  c.caller_name = x[8].AsText();
  c.phone = x[9].AsText();
  c.topic = x[10].AsText();
  c.attempts = static_cast<int>(x[11].AsInt());
  if (!x[12].is_null()) c.outcome = ParseCallbackOutcome(x[12].AsText());
  if (!x[13].is_null()) c.satisfaction = ParseSatisfaction(x[13].AsText());
  c.note = x[14].AsText();
  c.created_at = FromEpochMillis(x[15].AsInt());
  c.created_by = x[16].AsText();
  if (!x[17].is_null()) c.done_at = FromEpochMillis(x[17].AsInt());
  c.done_by = x[18].AsText();
  c.updated_at = FromEpochMillis(x[19].AsInt());
  c.version = x[20].AsInt();
  if (!x[21].is_null()) c.call_id = x[21].AsText();
  return c;
}

Error NotFound() { return Error::NotFound("没有找到该回访任务"); }

Status RequireRead(const org::Actor& actor) {
  if (!actor.Has(Permission::kCallbackRead)) return internal::Forbidden("回访任务由热线坐席和班长处理");
  return OkStatus();
}

constexpr const char* kInsertCallback =
    "INSERT INTO workorder_callbacks (org_id, kind, status, order_id, caller_name, phone, topic, attempts, "
    "note, "
    "created_at, created_by, done_by, updated_at, version, call_id) VALUES ($1, $2, 'pending', $3, $4, $5, "
    "$6, 0, '', "
    "$7, $8, '', $7, 1, $9) RETURNING id";

}  // namespace

Status AddComplaintFollowUp(store::Session& s, const WorkOrder& o, const org::Actor& actor, TimePoint now) {
  auto r = s.Query(kInsertCallback, {o.org_id, CallbackKindName(CallbackKind::kComplaintFollowUp), o.id,
                                     o.caller_name, o.caller_phone, "投诉回访：" + o.subject,
                                     ToEpochMillis(now), std::string(actor.name()), store::Value()});
  if (!r.ok()) return r.take_error();
  return OkStatus();
}

ParsedCallbackFile ParseCallbackFile(std::string_view bytes, std::string_view file_name, size_t max_rows) {
  ParsedCallbackFile out;
  auto& items = out.reminders;
  auto& errors = out.errors;
  size_t error_count = 0;
  const std::string file(file_name);
  auto error = [&](size_t line, const std::string& reason) {
    if (++error_count <= 100) errors.push_back(file + ":" + std::to_string(line) + ": " + reason);
  };
  CsvReader reader(bytes);
  std::vector<std::string_view> fields;
  std::map<std::string, size_t> column;
  if (!reader.Next(&fields)) {
    error(std::max<size_t>(1, reader.line()),
          reader.error().empty() ? "文件为空：第一行须为表头 phone,name,kind,topic" : reader.error());
  } else {
    for (size_t i = 0; i < fields.size(); ++i) column[AsciiLower(fields[i])] = i;
    for (const char* required : {"phone", "kind", "topic"})
      if (!column.contains(required))
        error(reader.line(), std::string("表头缺少列 ") + required + "（表头须为 phone,name,kind,topic）");
  }
  auto field = [&](const char* name) -> std::string_view {
    auto it = column.find(name);
    return it == column.end() || it->second >= fields.size() ? std::string_view{} : fields[it->second];
  };
  const bool header_ok = error_count == 0;  // without the columns, every line would fail the same way
  while (header_ok && !reader.at_end() && error_count <= 100) {  // past 100 errors, stop reading
    if (!reader.Next(&fields)) {
      if (!reader.error().empty()) error(reader.line(), reader.error());
      continue;
    }
    if (items.size() + error_count >= max_rows) {
      error(reader.line(), "超过 " + std::to_string(max_rows) + " 行：请拆分文件");
      break;
    }
    ReminderLine it;
    auto kind = ParseCallbackKind(field("kind"));
    if (!kind || *kind == CallbackKind::kComplaintFollowUp || *kind == CallbackKind::kAfterHours) {
      error(reader.line(), "kind 须为 policy_change、rate_change、account_change 或 repayment_deadline");
      continue;
    }
    it.kind = *kind;
    auto phone = internal::NormalizePhone("phone", field("phone"));
    if (!phone.ok()) {
      error(reader.line(), phone.error().message);
      continue;
    }
    it.phone = *phone;
    it.name = std::string(field("name"));
    it.topic = std::string(field("topic"));
    if (auto st = internal::CheckLine("name", it.name, 0, 50); !st.ok()) {
      error(reader.line(), st.error().message);
      continue;
    }
    if (auto st = internal::CheckLine("topic", it.topic, 1, 200); !st.ok()) {
      error(reader.line(), st.error().message);
      continue;
    }
    items.push_back(std::move(it));
  }
  if (error_count > 100) errors.push_back("……另有 " + std::to_string(error_count - 100) + " 处错误未列出");
  if (errors.empty() && items.empty()) errors.push_back(file + ":2: 没有数据行");
  if (!errors.empty()) items.clear();  // all or nothing
  return out;
}

Result<Callback> CallbackService::Load(int64_t id) const {
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(std::string(kSelectCallback) + " WHERE c.id = $1", {id}));
  if (r.empty()) return NotFound();
  return CallbackFromRow(r, 0);
}

Result<CallbackPage> CallbackService::List(const org::Actor& actor, const CallbackFilter& f) const {
  if (f.limit < 1 || f.limit > options_.max_page_size)
    return Error::InvalidArgument(
        "invalid_field", "参数 limit 须为 1–" + std::to_string(options_.max_page_size) + " 之间的整数");
  HOTLINE_RETURN_IF_ERROR(RequireRead(actor));
  HOTLINE_ASSIGN_OR_RETURN(org::Org scope, internal::ResolveOrg(orgs_, actor, f.org_code));
  store::Params params;
  Where where(&params);
  if (scope.level == org::OrgLevel::kCenter)
    where.Add("c.org_id = ?", {scope.id});
  else
    where.Add("c.org_id IN (SELECT id FROM org_units_view WHERE path LIKE ?)", {scope.path + "%"});
  if (f.status) where.Add("c.status = ?", {CallbackStatusName(*f.status)});
  if (f.kind) where.Add("c.kind = ?", {CallbackKindName(*f.kind)});
  if (f.order_id) where.Add("c.order_id = ?", {*f.order_id});
  if (!f.cursor.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(auto c, internal::DecodeCursor(f.cursor));
    where.Add("c.id > ?", {c.first});
  }
  params.emplace_back(f.limit + 1);
  // Oldest first: a call-back list is worked through in the order the tasks arrived.
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query(std::string(kSelectCallback) + where.sql() +
                                                 " ORDER BY c.id LIMIT $" + std::to_string(params.size()),
                                             params));
  CallbackPage page;
  for (size_t i = 0; i < r.size() && static_cast<int>(i) < f.limit; ++i) {
    Callback c = CallbackFromRow(r, i);
    c.phone = MaskPhone(c.phone);
    page.items.push_back(std::move(c));
  }
  if (static_cast<int>(r.size()) > f.limit) page.next_cursor = std::to_string(page.items.back().id);
  return page;
}

Result<Callback> CallbackService::Get(const org::Actor& actor, int64_t id, bool* phone_visible) {
  HOTLINE_RETURN_IF_ERROR(RequireRead(actor));
  HOTLINE_ASSIGN_OR_RETURN(Callback c, Load(id));
  if (!actor.CanSeePath(c.org_path)) return NotFound();
  const bool visible = internal::MayShowPhone(actor, c.org_id);
  HOTLINE_RETURN_IF_ERROR(
      audit_.Append(internal::AuditEntryOf(actor, c.org_path, c.org_code, "callback.read", "callback",
                                           std::to_string(id), {{"phone_shown", visible}})));
  if (!visible) c.phone = MaskPhone(c.phone);
  if (phone_visible) *phone_visible = visible;
  return c;
}

Result<Callback> CallbackService::Record(const org::Actor& actor, int64_t id, const CallbackUpdate& u) {
  HOTLINE_RETURN_IF_ERROR(internal::CheckText("note", u.note, 0, 2000));
  if (u.outcome == CallbackOutcome::kNotReached && u.satisfaction)
    return Error::InvalidArgument("invalid_field", "字段 satisfaction 只在联系上来电人（reached）时填写");
  // The outcome of an outbound call: whoever makes calls from a seat (agents, team leaders).
  if (!actor.Has(Permission::kCallbackWrite) || !actor.Has(Permission::kAgentSeat))
    return internal::Forbidden("只有坐席和班长可以登记回访结果");
  HOTLINE_ASSIGN_OR_RETURN(Callback found, Load(id));
  if (!actor.CanSeePath(found.org_path)) return NotFound();
  if (actor.org().id != found.org_id)
    return internal::Forbidden("只有回访任务所属中心的坐席和班长可以登记结果");
  const TimePoint now = clock_.Now();
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto r, s.Query(std::string(kSelectCallback) + " WHERE c.id = $1", {id}));
    if (r.empty()) return NotFound();
    Callback c = CallbackFromRow(r, 0);
    if (c.version != u.version) return Error::Conflict("conflict", "回访任务已被他人更新：请刷新后再登记");
    if (c.status != CallbackStatus::kPending)
      return Error{ErrorKind::kFailedPrecondition, "illegal_transition",
                   "回访任务已是「" + std::string(CallbackStatusName(c.status)) + "」，不能再登记结果"};
    // R-SVC-1: a complaint follow-up that reached the caller records their satisfaction.
    if (u.outcome == CallbackOutcome::kReached && c.kind == CallbackKind::kComplaintFollowUp &&
        !u.satisfaction)
      return Error::InvalidArgument("invalid_field",
                                    "字段 satisfaction 是必填项：投诉回访须登记来电人是否满意");
    const int attempts = c.attempts + 1;
    CallbackStatus status = CallbackStatus::kPending;
    if (u.outcome == CallbackOutcome::kReached)
      status = CallbackStatus::kDone;
    else if (attempts >= options_.max_attempts)
      status = CallbackStatus::kUnreachable;
    const bool final = status != CallbackStatus::kPending;
    HOTLINE_ASSIGN_OR_RETURN(
        auto upd,
        s.Query("UPDATE workorder_callbacks SET status = $3, attempts = $4, outcome = $5, satisfaction = $6, "
                "note = $7, "
                "done_at = $8, done_by = $9, updated_at = $10, version = version + 1 WHERE id = $1 AND "
                "version = $2",
                {id, u.version, CallbackStatusName(status), attempts, CallbackOutcomeName(u.outcome),
                 u.satisfaction ? store::Value(SatisfactionName(*u.satisfaction)) : store::Value(), u.note,
                 final ? store::Value(ToEpochMillis(now)) : store::Value(),
                 final ? std::string(actor.name()) : std::string(), ToEpochMillis(now)}));
    if (upd.affected_rows != 1) return Error::Conflict("conflict", "回访任务已被他人更新：请刷新后再登记");
    nlohmann::json detail = {{"outcome", CallbackOutcomeName(u.outcome)},
                             {"status", CallbackStatusName(status)},
                             {"attempts", attempts}};
    if (u.satisfaction) detail["satisfaction"] = SatisfactionName(*u.satisfaction);
    if (c.order_id) detail["order_id"] = *c.order_id;
    return internal::AuditIn(audit_, s,
                             internal::AuditEntryOf(actor, c.org_path, c.org_code, "callback.record",
                                                    "callback", std::to_string(id), detail));
  }));
  HOTLINE_ASSIGN_OR_RETURN(Callback c, Load(id));
  c.phone = MaskPhone(c.phone);
  return c;
}

Result<CallbackImportReport> CallbackService::Import(const org::Actor& actor,
                                                     const std::optional<std::string>& org_code,
                                                     std::string_view csv, std::string_view file_name) {
  if (!actor.Has(Permission::kCallbackImport))
    return internal::Forbidden("只有班长和管理员可以批量导入回访提醒");
  HOTLINE_ASSIGN_OR_RETURN(org::Org centre, internal::ResolveCentre(orgs_, actor, org_code));

  const std::string file(file_name.empty() ? "callbacks.csv" : file_name);
  ParsedCallbackFile parsed = ParseCallbackFile(csv, file, options_.max_rows);
  if (!parsed.errors.empty()) {
    std::string message;
    for (const auto& e : parsed.errors) message += (message.empty() ? "" : "\n") + e;
    return Error::InvalidArgument("invalid_file", message);
  }
  const auto& items = parsed.reminders;

  const TimePoint now = clock_.Now();
  const std::string by(actor.name());
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    for (const auto& it : items)
      HOTLINE_RETURN_IF_ERROR(
          s.Query(kInsertCallback, {centre.id, CallbackKindName(it.kind), store::Value(), it.name, it.phone,
                                    it.topic, ToEpochMillis(now), by, store::Value()}));
    return internal::AuditIn(audit_, s,
                             internal::AuditEntryOf(actor, centre.path, centre.code, "callback.import", "org",
                                                    centre.code, {{"count", items.size()}, {"file", file}}));
  }));
  return CallbackImportReport{.created = static_cast<int>(items.size())};
}

Result<Callback> CallbackService::Request(const org::Actor& actor, const CallbackRequest& in) {
  // Bad input changes nothing: every field is checked before the first read.
  HOTLINE_ASSIGN_OR_RETURN(std::string phone, internal::NormalizePhone("phone", in.phone));
  HOTLINE_RETURN_IF_ERROR(internal::CheckLine("caller_name", in.caller_name, 0, 50));
  HOTLINE_RETURN_IF_ERROR(internal::CheckLine("topic", in.topic, 0, 200));
  if (in.call_id) HOTLINE_RETURN_IF_ERROR(internal::CheckAscii("call_id", *in.call_id, 100));
  HOTLINE_ASSIGN_OR_RETURN(org::Org centre, internal::ResolveCentre(orgs_, actor, in.org_code));
  if (!actor.Has(Permission::kCallbackWrite)) return internal::Forbidden("您的角色不能登记回电请求");
  if (actor.org().id != centre.id)
    return internal::Forbidden("只有本中心（及其语音导航、短信服务）可以登记回电请求");
  const std::string topic = in.topic.empty() ? "非工作时间来电，请回电" : in.topic;
  const TimePoint now = clock_.Now();
  int64_t id = 0;
  HOTLINE_RETURN_IF_ERROR(db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto pending,
                             s.Query("SELECT id FROM workorder_callbacks WHERE org_id = $1 AND "
                                     "status = 'pending' AND kind = $2 AND phone = $3 ORDER BY id LIMIT 1",
                                     {centre.id, CallbackKindName(CallbackKind::kAfterHours), phone}));
    const bool repeat = !pending.empty();
    if (repeat) {
      id = pending.rows[0][0].AsInt();
    } else {
      HOTLINE_ASSIGN_OR_RETURN(
          auto ins, s.Query(kInsertCallback,
                            {centre.id, CallbackKindName(CallbackKind::kAfterHours), store::Value(),
                             in.caller_name, phone, topic, ToEpochMillis(now), std::string(actor.name()),
                             in.call_id ? store::Value(*in.call_id) : store::Value()}));
      id = ins.rows[0][0].AsInt();
    }
    nlohmann::json detail = {{"kind", CallbackKindName(CallbackKind::kAfterHours)}, {"repeat", repeat}};
    if (in.call_id) detail["call_id"] = *in.call_id;
    return internal::AuditIn(audit_, s,
                             internal::AuditEntryOf(actor, centre.path, centre.code, "callback.request",
                                                    "callback", std::to_string(id), detail));
  }));
  HOTLINE_ASSIGN_OR_RETURN(Callback c, Load(id));
  c.phone = MaskPhone(c.phone);
  return c;
}

}  // namespace hotline::workorder
