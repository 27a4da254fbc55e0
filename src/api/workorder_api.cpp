// /api/v1/workorders and /api/v1/callbacks (docs/API.md "Work orders"): filing and moving work orders
// (R-AGT-4, R-WO-1…5), the due-soon/overdue board, the SLA report, departments and deadline settings,
// attachments, and call-back tasks (回访, R-SVC-1/2). The rules live in workorder/; handlers translate
// HTTP to calls on WorkOrderService and CallbackService and back, acting as the signed-in user's
// org::Actor (channel web). The services check every permission and the scope themselves (outside the
// scope: 404) and write the audit entries inside the transaction of each change; the handlers' own
// permission check only answers 403 before a body is parsed.
#include <charconv>

#include "api/api.hpp"
#include "core/text.hpp"
#include "web/json_body.hpp"
#include "workorder/state_machine.hpp"

namespace hotline::api {
namespace {

using web::ErrorResponse;
using workorder::WorkOrderService;

Error BadField(std::string_view field, std::string_view what) {
  return Error::InvalidArgument("invalid_field", "字段 " + std::string(field) + " " + std::string(what));
}

nlohmann::json Time(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(FormatUtc(*t)) : nlohmann::json();
}
template <typename T>
nlohmann::json Opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

// ---------------------------------------------------------------------------------------------------
// JSON of the module's values (docs/API.md "Objects").

std::string_view EscalationName(int level) {
  return level >= 2 ? "overdue" : level == 1 ? "due_soon" : "none";
}

nlohmann::json DepartmentRef(const std::optional<int64_t>& id, const std::string& name) {
  if (!id) return nullptr;
  return {{"id", *id}, {"name", name}};
}

nlohmann::json ToJson(const workorder::WorkOrder& o, const Clock& clock, bool phone_visible) {
  nlohmann::json actions = nlohmann::json::array();
  for (auto a : o.allowed_actions) actions.push_back(workorder::ActionName(a));
  nlohmann::json caller = {{"name", o.caller_name},
                           {"phone", o.caller_phone},
                           {"phone_masked", !phone_visible},
                           {"identity_verified", o.identity_ref.has_value()}};
  if (phone_visible && o.identity_ref) caller["identity_ref"] = *o.identity_ref;
  return {{"id", o.id},
          {"number", o.number},
          {"org", o.org_code},
          {"category", workorder::CategoryName(o.category)},
          {"category_label", workorder::CategoryLabel(o.category)},
          {"channel", workorder::ChannelName(o.channel)},
          {"priority", workorder::PriorityName(o.priority)},
          {"state", workorder::StateName(o.state)},
          {"state_label", workorder::StateLabel(o.state)},
          {"caller", caller},
          {"subject", o.subject},
          {"description", o.description},
          {"call_id", Opt(o.call_id)},
          {"recording_url", Opt(o.recording_url)},
          {"department", DepartmentRef(o.department_id, o.department_name)},
          {"created_by", o.created_by_name},
          {"created_at", FormatUtc(o.created_at)},
          {"deadline",
           {{"workdays", o.deadline.workdays},
            {"last_day", FormatDate(o.deadline.last_day)},
            {"due_at", FormatUtc(o.deadline.due_at)},
            {"due_soon_at", FormatUtc(o.deadline.due_soon_at)},
            {"provisional", o.deadline.provisional}}},
          {"sla_status", workorder::SlaStatusName(o.SlaAt(clock.Now()))},
          {"escalation", EscalationName(o.escalation_level)},
          {"done_at", Time(o.done_at)},
          {"closed_at", Time(o.closed_at)},
          {"merged_into", Opt(o.merged_into)},
          {"result", Opt(o.result)},
          {"feedback", Opt(o.feedback)},
          {"readback", workorder::ReadbackText(o.subject, o.deadline.workdays, o.deadline.last_day)},
          {"allowed_actions", actions},
          {"version", o.version},
          {"updated_at", FormatUtc(o.updated_at)}};
}

nlohmann::json ToJson(const workorder::TimelineEntry& e) {
  auto state = [](const std::optional<workorder::State>& s) {
    return s ? nlohmann::json(workorder::StateName(*s)) : nlohmann::json();
  };
  return {{"id", e.id},
          {"at", FormatUtc(e.at)},
          {"actor", e.actor},
          {"actor_name", e.actor_name},
          {"action", e.action},
          {"from_state", state(e.from_state)},
          {"to_state", state(e.to_state)},
          {"note", e.note},
          {"detail", e.detail}};
}

nlohmann::json ToJson(const workorder::Attachment& a) {
  return {
      {"id", a.id},
      {"file_name", a.file_name},
      {"content_type", a.content_type},
      {"size", a.size},
      {"sha256", a.sha256},
      {"uploaded_by", a.uploaded_by},
      {"uploaded_at", FormatUtc(a.uploaded_at)},
      {"url", "/api/v1/workorders/" + std::to_string(a.order_id) + "/attachments/" + std::to_string(a.id)}};
}

nlohmann::json ToJson(const workorder::Department& d) {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : d.members)
    members.push_back({{"id", m.user_id}, {"username", m.username}, {"display_name", m.display_name}});
  return {{"id", d.id}, {"org", d.org_code}, {"name", d.name}, {"members", members}};
}

nlohmann::json ToJson(const workorder::DeadlineSettings& s, const std::string& org) {
  return {{"org", org},
          {"complaint", s.complaint},
          {"suggestion", s.suggestion},
          {"inquiry", s.inquiry},
          {"due_soon_workdays", s.due_soon_workdays},
          {"default", s.is_default}};
}

nlohmann::json ToJson(const workorder::Callback& c, bool phone_visible) {
  nlohmann::json order;
  if (c.order_id) order = {{"id", *c.order_id}, {"number", c.order_number}};
  return {
      {"id", c.id},
      {"org", c.org_code},
      {"kind", workorder::CallbackKindName(c.kind)},
      {"status", workorder::CallbackStatusName(c.status)},
      {"order", order},
      {"call_id", Opt(c.call_id)},
      {"caller_name", c.caller_name},
      {"phone", c.phone},
      {"phone_masked", !phone_visible},
      {"topic", c.topic},
      {"attempts", c.attempts},
      {"outcome", c.outcome ? nlohmann::json(workorder::CallbackOutcomeName(*c.outcome)) : nlohmann::json()},
      {"satisfaction",
       c.satisfaction ? nlohmann::json(workorder::SatisfactionName(*c.satisfaction)) : nlohmann::json()},
      {"note", c.note},
      {"created_at", FormatUtc(c.created_at)},
      {"created_by", c.created_by},
      {"done_at", Time(c.done_at)},
      {"done_by", c.done_by.empty() ? nlohmann::json() : nlohmann::json(c.done_by)},
      {"version", c.version},
      {"updated_at", FormatUtc(c.updated_at)}};
}

nlohmann::json ToJson(const workorder::SlaRow& r) {
  return {{"org", r.org_code},
          {"department", DepartmentRef(r.department_id, r.department)},
          {"created", r.created},
          {"cancelled", r.cancelled},
          {"done", r.done},
          {"done_on_time", r.done_on_time},
          {"on_time_rate", Opt(r.OnTimeRate())},
          {"mean_handling_workdays", Opt(r.MeanHandlingWorkdays())},
          {"closed", r.closed},
          {"overdue_open", r.overdue_open}};
}

nlohmann::json ToJson(const workorder::SlaReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : report.rows) rows.push_back(ToJson(r));
  nlohmann::json total = ToJson(report.total);
  total.erase("department");
  nlohmann::json late = nlohmann::json::array();
  for (const auto& l : report.late)
    late.push_back({{"id", l.id},
                    {"number", l.number},
                    {"org", l.org_code},
                    {"department", l.department.empty() ? nlohmann::json() : nlohmann::json(l.department)},
                    {"category", workorder::CategoryName(l.category)},
                    {"state", workorder::StateName(l.state)},
                    {"status", workorder::SlaStatusName(l.status)},
                    {"created_at", FormatUtc(l.created_at)},
                    {"last_day", FormatDate(l.last_day)},
                    {"due_at", FormatUtc(l.due_at)},
                    {"done_at", Time(l.done_at)},
                    {"late_workdays", l.late_workdays}});
  return {{"org", report.org_code},
          {"from", FormatDate(report.from)},
          {"to", FormatDate(report.to)},
          {"as_of", FormatUtc(report.as_of)},
          {"provisional", report.provisional},
          {"rows", rows},
          {"total", total},
          {"late", late}};
}

// ---------------------------------------------------------------------------------------------------
// Request parsing

Result<std::optional<int64_t>> OptionalInt(const nlohmann::json& obj, std::string_view field) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::optional<int64_t>();
  if (!it->is_number_integer()) return BadField(field, "须为整数");
  return std::optional<int64_t>(it->get<int64_t>());
}

Result<int64_t> RequiredInt(const nlohmann::json& obj, std::string_view field) {
  HOTLINE_ASSIGN_OR_RETURN(auto v, OptionalInt(obj, field));
  if (!v) return BadField(field, "是必填项");
  return *v;
}

// An optional enumerated string field, e.g. "category".
template <typename E, typename Parse>
Result<std::optional<E>> OptionalEnum(const nlohmann::json& obj, std::string_view field, Parse parse,
                                      std::string_view allowed) {
  HOTLINE_ASSIGN_OR_RETURN(auto text, web::OptionalString(obj, field, 32));
  if (!text) return std::optional<E>();
  auto v = parse(*text);
  if (!v) return BadField(field, "须为 " + std::string(allowed) + " 之一");
  return std::optional<E>(*v);
}

constexpr std::string_view kCategories = "complaint、suggestion、inquiry";
constexpr std::string_view kChannels = "phone、sms、web、walk_in";
constexpr std::string_view kPriorities = "normal、urgent";

Error BadQuery(std::string_view param, std::string_view what) {
  return Error::InvalidArgument("invalid_field", "参数 " + std::string(param) + " " + std::string(what));
}

Result<bool> QueryFlag(const web::Request& req, std::string_view name) {
  auto v = req.QueryParam(name);
  if (!v || v->empty() || *v == "0" || *v == "false") return false;
  if (*v == "1" || *v == "true") return true;
  return BadQuery(name, "须为 true 或 false");
}

Result<std::optional<int64_t>> QueryInt(const web::Request& req, std::string_view name) {
  auto v = req.QueryParam(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || p != v->data() + v->size()) return BadQuery(name, "须为整数");
  return std::optional<int64_t>(out);
}

Result<std::optional<TimePoint>> QueryTime(const web::Request& req, std::string_view name) {
  auto v = req.QueryParam(name);
  if (!v || v->empty()) return std::optional<TimePoint>();
  TimePoint t;
  if (!ParseIso8601(*v, &t)) return BadQuery(name, "须为 RFC 3339 时间，例如 2026-03-02T00:00:00+08:00");
  return std::optional<TimePoint>(t);
}

std::optional<std::string> QueryText(const web::Request& req, std::string_view name) {
  auto v = req.QueryParam(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

// The order id of the path, or not_found.
Result<int64_t> OrderId(const web::Request& req) { return ParseId(req.PathParam("id")); }

// Authenticates the user as an actor of this request and checks one permission (403 without it).
Result<org::Actor> Allowed(ApiContext& api, const web::Request& req, org::Permission permission) {
  HOTLINE_ASSIGN_OR_RETURN(org::Principal p, api.Authenticate(req));
  org::Actor actor = org::Actor::ForUser(std::move(p), org::Channel::kWeb, req.remote_addr);
  if (!actor.Has(permission)) return Forbidden();
  return actor;
}

// ---------------------------------------------------------------------------------------------------
// Work orders

web::Response List(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderRead);
  if (!p.ok()) return ErrorResponse(p.error());
  workorder::ListFilter f;
  f.org_code = QueryText(req, "org");
  if (auto states = QueryText(req, "state")) {
    std::string_view rest = *states;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      auto s = workorder::ParseState(rest.substr(0, comma));
      if (!s)
        return ErrorResponse(BadQuery("state",
                                      "含有未知的状态：可用 draft、pending_confirmation、dispatched、"
                                      "in_progress、returned、feedback_done、closed、cancelled、merged"));
      f.states.push_back(*s);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  if (auto c = QueryText(req, "category")) {
    f.category = workorder::ParseCategory(*c);
    if (!f.category) return ErrorResponse(BadQuery("category", "须为 complaint、suggestion 或 inquiry"));
  }
  auto dept = QueryInt(req, "department");
  if (!dept.ok()) return ErrorResponse(dept.error());
  f.department_id = *dept;
  auto overdue = QueryFlag(req, "overdue");
  if (!overdue.ok()) return ErrorResponse(overdue.error());
  auto due_soon = QueryFlag(req, "due_soon");
  if (!due_soon.ok()) return ErrorResponse(due_soon.error());
  f.overdue = *overdue;
  f.due_soon = *due_soon;
  f.text = QueryText(req, "q");
  auto from = QueryTime(req, "created_from");
  if (!from.ok()) return ErrorResponse(from.error());
  auto to = QueryTime(req, "created_to");
  if (!to.ok()) return ErrorResponse(to.error());
  f.created_from = *from;
  f.created_to = *to;
  if (auto queue = QueryText(req, "queue")) {
    if (*queue != "mine") return ErrorResponse(BadQuery("queue", "只能为 mine"));
    f.my_queue = true;
  }
  std::string sort = QueryText(req, "sort").value_or(f.overdue || f.due_soon ? "due" : "created");
  if (sort == "due")
    f.sort = workorder::SortOrder::kDueFirst;
  else if (sort != "created")
    return ErrorResponse(BadQuery("sort", "须为 created 或 due"));
  f.cursor = QueryText(req, "cursor").value_or("");
  auto limit = QueryInt(req, "limit");
  if (!limit.ok()) return ErrorResponse(limit.error());
  if (*limit) {
    if (**limit < 1 || **limit > service.options().max_page_size)
      return ErrorResponse(BadQuery("limit", "须为 1–" + std::to_string(service.options().max_page_size)));
    f.limit = static_cast<int>(**limit);
  }
  auto page = service.List(*p, f);
  if (!page.ok()) return ErrorResponse(page.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& o : page->items) items.push_back(ToJson(o, api.s.clock, false));
  return web::Response::Json(200, {{"items", items}, {"next_cursor", Opt(page->next_cursor)}});
}

web::Response Create(ApiContext& api, WorkOrderService& service, WorkOrderEvents& events, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderWrite);
  if (!p.ok()) return ErrorResponse(p.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  workorder::NewWorkOrder n;
  auto category = OptionalEnum<workorder::Category>(*body, "category", workorder::ParseCategory, kCategories);
  if (!category.ok()) return ErrorResponse(category.error());
  if (!*category) return ErrorResponse(BadField("category", "是必填项（complaint、suggestion 或 inquiry）"));
  n.category = **category;
  auto channel = OptionalEnum<workorder::Channel>(*body, "channel", workorder::ParseChannel, kChannels);
  if (!channel.ok()) return ErrorResponse(channel.error());
  n.channel = channel->value_or(workorder::Channel::kPhone);
  auto priority = OptionalEnum<workorder::Priority>(*body, "priority", workorder::ParsePriority, kPriorities);
  if (!priority.ok()) return ErrorResponse(priority.error());
  n.priority = priority->value_or(workorder::Priority::kNormal);
  auto name = web::OptionalString(*body, "caller_name", 50);
  if (!name.ok()) return ErrorResponse(name.error());
  n.caller_name = name->value_or("");
  auto phone = web::RequiredString(*body, "caller_phone", 30);
  if (!phone.ok()) return ErrorResponse(phone.error());
  n.caller_phone = *phone;
  auto identity = web::OptionalString(*body, "identity_ref", 200);
  if (!identity.ok()) return ErrorResponse(identity.error());
  n.identity_ref = *identity;
  auto subject = web::RequiredString(*body, "subject", 100);
  if (!subject.ok()) return ErrorResponse(subject.error());
  n.subject = *subject;
  auto description = web::RequiredString(*body, "description", 4000);
  if (!description.ok()) return ErrorResponse(description.error());
  n.description = *description;
  auto call_id = web::OptionalString(*body, "call_id", 100);
  if (!call_id.ok()) return ErrorResponse(call_id.error());
  n.call_id = *call_id;
  auto recording = web::OptionalString(*body, "recording_url", 500);
  if (!recording.ok()) return ErrorResponse(recording.error());
  n.recording_url = *recording;
  auto submit = web::OptionalBool(*body, "submit");
  if (!submit.ok()) return ErrorResponse(submit.error());
  n.submit = submit->value_or(false);
  auto created = service.Create(*p, n);
  if (!created.ok()) return ErrorResponse(created.error());
  events.Changed(*created, "create");
  return web::Response::Json(201, ToJson(*created, api.s.clock, false));
}

web::Response Get(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderRead);
  if (!p.ok()) return ErrorResponse(p.error());
  auto id = OrderId(req);
  if (!id.ok()) return ErrorResponse(id.error());
  auto detail = service.GetDetail(*p, *id);  // audit-logged (workorder.read)
  if (!detail.ok()) return ErrorResponse(detail.error());
  nlohmann::json out = ToJson(detail->order, api.s.clock, detail->phone_visible);
  nlohmann::json timeline = nlohmann::json::array();
  for (const auto& e : detail->timeline) timeline.push_back(ToJson(e));
  nlohmann::json attachments = nlohmann::json::array();
  for (const auto& a : detail->attachments) attachments.push_back(ToJson(a));
  out["timeline"] = timeline;
  out["attachments"] = attachments;
  return web::Response::Json(200, out);
}

web::Response EditDraft(ApiContext& api, WorkOrderService& service, WorkOrderEvents& events,
                        web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderWrite);
  if (!p.ok()) return ErrorResponse(p.error());
  auto id = OrderId(req);
  if (!id.ok()) return ErrorResponse(id.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  workorder::DraftEdit e;
  auto version = RequiredInt(*body, "version");
  if (!version.ok()) return ErrorResponse(version.error());
  e.version = *version;
  auto category = OptionalEnum<workorder::Category>(*body, "category", workorder::ParseCategory, kCategories);
  if (!category.ok()) return ErrorResponse(category.error());
  e.category = *category;
  auto channel = OptionalEnum<workorder::Channel>(*body, "channel", workorder::ParseChannel, kChannels);
  if (!channel.ok()) return ErrorResponse(channel.error());
  e.channel = *channel;
  auto priority = OptionalEnum<workorder::Priority>(*body, "priority", workorder::ParsePriority, kPriorities);
  if (!priority.ok()) return ErrorResponse(priority.error());
  e.priority = *priority;
  for (auto [field, target, max] : {std::tuple{"caller_name", &e.caller_name, 50},
                                    {"caller_phone", &e.caller_phone, 30},
                                    {"subject", &e.subject, 100},
                                    {"description", &e.description, 4000}}) {
    auto v = web::OptionalString(*body, field, max);
    if (!v.ok()) return ErrorResponse(v.error());
    *target = *v;
  }
  auto edited = service.EditDraft(*p, *id, e);
  if (!edited.ok()) return ErrorResponse(edited.error());
  events.Changed(*edited, "edit");
  return web::Response::Json(200, ToJson(*edited, api.s.clock, false));
}

web::Response Transition(ApiContext& api, WorkOrderService& service, WorkOrderEvents& events,
                         web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderWrite);
  if (!p.ok()) return ErrorResponse(p.error());
  auto id = OrderId(req);
  if (!id.ok()) return ErrorResponse(id.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto action_text = web::RequiredString(*body, "action", 32);
  if (!action_text.ok()) return ErrorResponse(action_text.error());
  auto action = workorder::ParseAction(*action_text);
  if (!action)
    return ErrorResponse(BadField("action",
                                  "不是已知的操作：可用 submit、confirm、return_to_agent、reclassify、merge、"
                                  "cancel、accept、send_back、submit_result、record_feedback、close"));
  workorder::TransitionRequest t{.action = *action};
  auto version = RequiredInt(*body, "version");
  if (!version.ok()) return ErrorResponse(version.error());
  t.version = *version;
  auto note = web::OptionalString(*body, "note", 2000);
  if (!note.ok()) return ErrorResponse(note.error());
  t.note = note->value_or("");
  auto dept = OptionalInt(*body, "department_id");
  if (!dept.ok()) return ErrorResponse(dept.error());
  t.department_id = *dept;
  auto category = OptionalEnum<workorder::Category>(*body, "category", workorder::ParseCategory, kCategories);
  if (!category.ok()) return ErrorResponse(category.error());
  t.category = *category;
  auto into = OptionalInt(*body, "into");
  if (!into.ok()) return ErrorResponse(into.error());
  t.into = *into;
  auto moved = service.Transition(*p, *id, t);
  if (!moved.ok()) return ErrorResponse(moved.error());
  events.Changed(*moved, workorder::ActionName(*action));
  return web::Response::Json(200, ToJson(*moved, api.s.clock, false));
}

web::Response Comment(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderWrite);
  if (!p.ok()) return ErrorResponse(p.error());
  auto id = OrderId(req);
  if (!id.ok()) return ErrorResponse(id.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto note = web::RequiredString(*body, "note", 2000);
  if (!note.ok()) return ErrorResponse(note.error());
  auto entry = service.Comment(*p, *id, *note);
  if (!entry.ok()) return ErrorResponse(entry.error());
  return web::Response::Json(201, ToJson(*entry));
}

// Raw upload: the body is the file, Content-Type its type, ?name= its file name (URL-encoded UTF-8).
web::Response Attach(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderWrite);
  if (!p.ok()) return ErrorResponse(p.error());
  auto id = OrderId(req);
  if (!id.ok()) return ErrorResponse(id.error());
  auto name = req.QueryParam("name");
  if (!name || name->empty()) return ErrorResponse(BadQuery("name", "是必填项：附件的文件名（URL 编码）"));
  auto a = service.Attach(
      *p, *id,
      {.file_name = *name, .content_type = std::string(req.Header("content-type")), .bytes = req.body});
  if (!a.ok()) return ErrorResponse(a.error());
  return web::Response::Json(201, ToJson(*a));
}

// RFC 5987 filename*: percent-encoded UTF-8.
std::string ContentDisposition(std::string_view file_name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : file_name) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
        c == '_') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return "attachment; filename*=UTF-8''" + encoded;
}

web::Response Download(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderRead);
  if (!p.ok()) return ErrorResponse(p.error());
  auto id = OrderId(req);
  if (!id.ok()) return ErrorResponse(id.error());
  auto aid = ParseId(req.PathParam("aid"));
  if (!aid.ok()) return ErrorResponse(aid.error());
  auto content = service.ReadAttachment(*p, *id, *aid);  // audit-logged
  if (!content.ok()) return ErrorResponse(content.error());
  web::Response r;
  r.content_type = content->meta.content_type;
  r.body = std::move(content->bytes);
  // Always a download, never rendered by the browser in the console's origin (an uploaded HTML file
  // must not run as script there; the server adds X-Content-Type-Options: nosniff to every answer).
  r.headers.emplace_back("Content-Disposition", ContentDisposition(content->meta.file_name));
  r.headers.emplace_back("Content-Security-Policy", "sandbox");
  return r;
}

web::Response Summary(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderRead);
  if (!p.ok()) return ErrorResponse(p.error());
  auto board = service.Summary(*p, QueryText(req, "org"));
  if (!board.ok()) return ErrorResponse(board.error());
  auto row = [](const workorder::BoardRow& r) {
    return nlohmann::json{{"org", r.org_code},
                          {"department", DepartmentRef(r.department_id, r.department)},
                          {"open", r.open},
                          {"due_soon", r.due_soon},
                          {"overdue", r.overdue}};
  };
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : board->rows) rows.push_back(row(r));
  nlohmann::json total = row(board->total);
  total.erase("department");
  return web::Response::Json(200, {{"as_of", FormatUtc(board->as_of)}, {"rows", rows}, {"total", total}});
}

web::Response Readback(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderWrite);
  if (!p.ok()) return ErrorResponse(p.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto category = OptionalEnum<workorder::Category>(*body, "category", workorder::ParseCategory, kCategories);
  if (!category.ok()) return ErrorResponse(category.error());
  if (!*category) return ErrorResponse(BadField("category", "是必填项（complaint、suggestion 或 inquiry）"));
  auto subject = web::OptionalString(*body, "subject", 100);
  if (!subject.ok()) return ErrorResponse(subject.error());
  auto preview = service.PreviewReadback(*p, **category, subject->value_or(""));
  if (!preview.ok()) return ErrorResponse(preview.error());
  const auto& d = preview->deadline;
  return web::Response::Json(200, {{"text", preview->text},
                                   {"deadline",
                                    {{"workdays", d.workdays},
                                     {"last_day", FormatDate(d.last_day)},
                                     {"due_at", FormatUtc(d.due_at)},
                                     {"due_soon_at", FormatUtc(d.due_soon_at)},
                                     {"provisional", d.provisional}}}});
}

web::Response SlaReport(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderReport);
  if (!p.ok()) return ErrorResponse(p.error());
  workorder::SlaRequest r{.org_code = QueryText(req, "org")};
  // Default period: the current month of the caller's organisation, up to today.
  auto zone = TimeZone::Find(p->org().time_zone);
  const Date today = (zone.ok() ? *zone : TimeZone::Shanghai()).LocalDay(api.s.clock.Now());
  std::chrono::year_month_day ymd{today};
  r.from = std::chrono::sys_days{ymd.year() / ymd.month() / 1};
  r.to = today;
  for (auto [name, target] : {std::pair{"from", &r.from}, {"to", &r.to}}) {
    if (auto text = QueryText(req, name); text && !ParseDate(*text, target))
      return ErrorResponse(BadQuery(name, "须为 YYYY-MM-DD 格式的日期"));
  }
  std::string format = QueryText(req, "format").value_or("json");
  std::string part = QueryText(req, "part").value_or("departments");
  if (format != "json" && format != "csv" && format != "xlsx")
    return ErrorResponse(BadQuery("format", "须为 json、csv 或 xlsx"));
  if (part != "departments" && part != "late")
    return ErrorResponse(BadQuery("part", "须为 departments 或 late"));
  auto report = service.BuildSlaReport(*p, r);
  if (!report.ok()) return ErrorResponse(report.error());
  if (format == "json") return web::Response::Json(200, ToJson(*report));
  const std::string stem =
      "sla-" + report->org_code + "-" + FormatDate(report->from) + "-" + FormatDate(report->to);
  web::Response res;
  if (format == "csv") {
    res.content_type = "text/csv; charset=utf-8";
    // BOM: Excel opens UTF-8 Chinese correctly.
    res.body =
        "\xEF\xBB\xBF" + (part == "late" ? workorder::SlaLateCsv(*report) : workorder::SlaRowsCsv(*report));
    res.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"" + stem + (part == "late" ? "-late" : "") + ".csv\"");
    return res;
  }
  auto bytes = workorder::SlaXlsxBytes(*report);
  if (!bytes.ok()) return ErrorResponse(bytes.error());
  res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  res.body = std::move(*bytes);
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + stem + ".xlsx\"");
  return res;
}

// ---------------------------------------------------------------------------------------------------
// Departments and settings

web::Response ListDepartments(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderRead);
  if (!p.ok()) return ErrorResponse(p.error());
  auto list = service.ListDepartments(*p, QueryText(req, "org"));
  if (!list.ok()) return ErrorResponse(list.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& d : *list) items.push_back(ToJson(d));
  return web::Response::Json(200, {{"items", items}});
}

web::Response CreateDepartment(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderAdmin);
  if (!p.ok()) return ErrorResponse(p.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto name = web::RequiredString(*body, "name", 50);
  if (!name.ok()) return ErrorResponse(name.error());
  auto org = web::OptionalString(*body, "org", 32);
  if (!org.ok()) return ErrorResponse(org.error());
  auto d = service.CreateDepartment(*p, org->value_or(p->org().code), *name);
  if (!d.ok()) return ErrorResponse(d.error());
  return web::Response::Json(201, ToJson(*d));
}

web::Response SetMembers(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderAdmin);
  if (!p.ok()) return ErrorResponse(p.error());
  auto id = ParseId(req.PathParam("id"));
  if (!id.ok()) return ErrorResponse(id.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto it = body->find("user_ids");
  if (it == body->end() || !it->is_array()) return ErrorResponse(BadField("user_ids", "须为用户 id 的数组"));
  std::vector<int64_t> ids;
  for (const auto& v : *it) {
    if (!v.is_number_integer()) return ErrorResponse(BadField("user_ids", "须为用户 id 的数组"));
    ids.push_back(v.get<int64_t>());
  }
  auto d = service.SetDepartmentMembers(*p, *id, ids);
  if (!d.ok()) return ErrorResponse(d.error());
  return web::Response::Json(200, ToJson(*d));
}

web::Response GetSettings(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderRead);
  if (!p.ok()) return ErrorResponse(p.error());
  auto org = QueryText(req, "org");
  auto s = service.GetSettings(*p, org);
  if (!s.ok()) return ErrorResponse(s.error());
  return web::Response::Json(200, ToJson(*s, org.value_or(p->org().code)));
}

web::Response PutSettings(ApiContext& api, WorkOrderService& service, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kWorkOrderAdmin);
  if (!p.ok()) return ErrorResponse(p.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  workorder::DeadlineSettings s;
  for (auto [field, target] : {std::pair{"complaint", &s.complaint},
                               {"suggestion", &s.suggestion},
                               {"inquiry", &s.inquiry},
                               {"due_soon_workdays", &s.due_soon_workdays}}) {
    auto v = RequiredInt(*body, field);
    if (!v.ok()) return ErrorResponse(v.error());
    if (*v < -1000 || *v > 1000) return ErrorResponse(BadField(field, "超出范围"));
    *target = static_cast<int>(*v);
  }
  auto org = QueryText(req, "org");
  auto saved = service.SetSettings(*p, org, s);
  if (!saved.ok()) return ErrorResponse(saved.error());
  return web::Response::Json(200, ToJson(*saved, org.value_or(p->org().code)));
}

// ---------------------------------------------------------------------------------------------------
// Call-backs

web::Response ListCallbacks(ApiContext& api, WorkOrderService&, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kCallbackRead);
  if (!p.ok()) return ErrorResponse(p.error());
  workorder::CallbackFilter f{.org_code = QueryText(req, "org")};
  if (auto s = QueryText(req, "status")) {
    f.status = workorder::ParseCallbackStatus(*s);
    if (!f.status) return ErrorResponse(BadQuery("status", "须为 pending、done 或 unreachable"));
  }
  if (auto k = QueryText(req, "kind")) {
    f.kind = workorder::ParseCallbackKind(*k);
    if (!f.kind)
      return ErrorResponse(BadQuery("kind",
                                    "须为 complaint_followup、policy_change、rate_change、account_change、"
                                    "repayment_deadline 或 after_hours"));
  }
  auto order = QueryInt(req, "order");
  if (!order.ok()) return ErrorResponse(order.error());
  f.order_id = *order;
  f.cursor = QueryText(req, "cursor").value_or("");
  auto limit = QueryInt(req, "limit");
  if (!limit.ok()) return ErrorResponse(limit.error());
  if (*limit) {
    const int max = api.s.callbacks.options().max_page_size;
    if (**limit < 1 || **limit > max)
      return ErrorResponse(BadQuery("limit", "须为 1–" + std::to_string(max)));
    f.limit = static_cast<int>(**limit);
  }
  auto page = api.s.callbacks.List(*p, f);
  if (!page.ok()) return ErrorResponse(page.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : page->items) items.push_back(ToJson(c, false));
  return web::Response::Json(200, {{"items", items}, {"next_cursor", Opt(page->next_cursor)}});
}

web::Response GetCallback(ApiContext& api, WorkOrderService&, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kCallbackRead);
  if (!p.ok()) return ErrorResponse(p.error());
  auto id = ParseId(req.PathParam("id"));
  if (!id.ok()) return ErrorResponse(id.error());
  bool visible = false;
  auto c = api.s.callbacks.Get(*p, *id, &visible);  // audit-logged (callback.read)
  if (!c.ok()) return ErrorResponse(c.error());
  return web::Response::Json(200, ToJson(*c, visible));
}

web::Response RecordCallback(ApiContext& api, WorkOrderService&, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kCallbackWrite);
  if (!p.ok()) return ErrorResponse(p.error());
  auto id = ParseId(req.PathParam("id"));
  if (!id.ok()) return ErrorResponse(id.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  workorder::CallbackUpdate u;
  auto version = RequiredInt(*body, "version");
  if (!version.ok()) return ErrorResponse(version.error());
  u.version = *version;
  auto outcome = OptionalEnum<workorder::CallbackOutcome>(*body, "outcome", workorder::ParseCallbackOutcome,
                                                          "reached、not_reached");
  if (!outcome.ok()) return ErrorResponse(outcome.error());
  if (!*outcome) return ErrorResponse(BadField("outcome", "是必填项（reached 或 not_reached）"));
  u.outcome = **outcome;
  auto satisfaction = OptionalEnum<workorder::Satisfaction>(
      *body, "satisfaction", workorder::ParseSatisfaction, "satisfied、not_satisfied");
  if (!satisfaction.ok()) return ErrorResponse(satisfaction.error());
  u.satisfaction = *satisfaction;
  auto note = web::OptionalString(*body, "note", 2000);
  if (!note.ok()) return ErrorResponse(note.error());
  u.note = note->value_or("");
  auto c = api.s.callbacks.Record(*p, *id, u);
  if (!c.ok()) return ErrorResponse(c.error());
  return web::Response::Json(200, ToJson(*c, false));
}

// The body is the CSV file itself (text/csv); ?name= names it in FILE:LINE messages, ?org= the centre.
web::Response ImportCallbacks(ApiContext& api, WorkOrderService&, web::Request& req) {
  auto p = Allowed(api, req, org::Permission::kCallbackImport);
  if (!p.ok()) return ErrorResponse(p.error());
  if (!IsValidUtf8(req.body))
    return ErrorResponse(Error::InvalidArgument("invalid_file", "文件须为 UTF-8 编码的 CSV"));
  std::string name = QueryText(req, "name").value_or("callbacks.csv");
  if (!IsValidUtf8(name) || HasControlChars(name, false) || Utf8Length(name) > 100) name = "callbacks.csv";
  auto r = api.s.callbacks.Import(*p, QueryText(req, "org"), req.body, name);
  if (!r.ok()) return ErrorResponse(r.error());
  return web::Response::Json(201, {{"created", r->created}});
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Live events

namespace {

std::string DepartmentPermission(int64_t department_id) {
  return "workorder.department." + std::to_string(department_id);
}

// Publishes to everyone in the centre who sees all its orders, and to the members of the department.
void PublishToCentreAndDepartment(events::Publisher& hub, const std::string& org_path,
                                  std::optional<int64_t> department, const nlohmann::json& event) {
  const std::string json = event.dump();
  hub.Publish({.topic = std::string(kWorkOrderTopic),
               .org_path = org_path,
               .permission = std::string(org::PermissionName(org::Permission::kWorkOrderReadAll)),
               .json = json});
  if (department)
    hub.Publish({.topic = std::string(kWorkOrderTopic),
                 .org_path = org_path,
                 .permission = DepartmentPermission(*department),
                 .json = json});
}

}  // namespace

void WorkOrderEvents::Notify(const workorder::EscalationNotice& n) {
  nlohmann::json order = {{"id", n.order_id},
                          {"number", n.number},
                          {"org", n.org_code},
                          {"category", workorder::CategoryName(n.category)},
                          {"state", workorder::StateName(n.state)},
                          {"priority", workorder::PriorityName(n.priority)},
                          {"department", DepartmentRef(n.department_id, n.department)},
                          {"last_day", FormatDate(n.last_day)},
                          {"due_at", FormatUtc(n.due_at)}};
  PublishToCentreAndDepartment(hub_, n.org_path, n.department_id,
                               {{"type", "workorder.escalation"},
                                {"level", workorder::EscalationLevelName(n.level)},
                                {"order", order}});
}

void WorkOrderEvents::Changed(const workorder::WorkOrder& o, std::string_view action) {
  PublishToCentreAndDepartment(hub_, o.org_path, o.department_id,
                               {{"type", "workorder.changed"},
                                {"action", action},
                                {"order",
                                 {{"id", o.id},
                                  {"number", o.number},
                                  {"org", o.org_code},
                                  {"state", workorder::StateName(o.state)},
                                  {"department", DepartmentRef(o.department_id, o.department_name)},
                                  {"version", o.version}}}});
}

std::vector<std::string> WorkOrderEventPermissions(WorkOrderService& service, const org::Principal& p) {
  std::vector<std::string> out;
  if (p.Has(org::Permission::kWorkOrderReadAll)) return out;  // sees the centre's events already
  auto ids = service.DepartmentIdsOf(p.user.id);
  if (!ids.ok()) return out;
  for (int64_t id : *ids) out.push_back(DepartmentPermission(id));
  return out;
}

void AddWorkOrderRoutes(web::Router& router, ApiContext& api, WorkOrderService& service) {
  // Routes are matched in order: the fixed paths before /workorders/{id}.
  auto events = std::make_shared<WorkOrderEvents>(api.s.hub);
  auto add = [&](const char* method, const char* path, const char* name, auto fn, size_t body_limit = 0) {
    router.Add(
        method, path, name,
        [&api, &service, events, fn](web::Request& r) { return fn(api, service, *events, r); },
        web::RouteOptions{.body_limit_bytes = body_limit});
  };
  auto plain = [](auto fn) {
    return
        [fn](ApiContext& a, WorkOrderService& s, WorkOrderEvents&, web::Request& r) { return fn(a, s, r); };
  };
  add("GET", "/api/v1/workorders", "workorders.list", plain(List));
  add("POST", "/api/v1/workorders", "workorders.create", Create);
  add("GET", "/api/v1/workorders/summary", "workorders.summary", plain(Summary));
  add("POST", "/api/v1/workorders/readback", "workorders.readback", plain(Readback));
  add("GET", "/api/v1/workorders/sla-report", "workorders.sla_report", plain(SlaReport));
  add("GET", "/api/v1/workorders/departments", "workorders.departments.list", plain(ListDepartments));
  add("POST", "/api/v1/workorders/departments", "workorders.departments.create", plain(CreateDepartment));
  add("PUT", "/api/v1/workorders/departments/{id}/members", "workorders.departments.members",
      plain(SetMembers));
  add("GET", "/api/v1/workorders/settings", "workorders.settings.get", plain(GetSettings));
  add("PUT", "/api/v1/workorders/settings", "workorders.settings.put", plain(PutSettings));
  add("GET", "/api/v1/workorders/{id}", "workorders.get", plain(Get));
  add("PATCH", "/api/v1/workorders/{id}", "workorders.edit", EditDraft);
  add("POST", "/api/v1/workorders/{id}/transitions", "workorders.transition", Transition);
  add("POST", "/api/v1/workorders/{id}/comments", "workorders.comment", plain(Comment));
  // An upload is the raw file: this route reads bodies up to the attachment limit (5 MiB by default), every
  // other route keeps http.body_limit_bytes (1 MiB). A larger body is refused with 413 body_too_large.
  add("POST", "/api/v1/workorders/{id}/attachments", "workorders.attach", plain(Attach),
      service.options().max_attachment_bytes);
  add("GET", "/api/v1/workorders/{id}/attachments/{aid}", "workorders.attachment", plain(Download));
  add("GET", "/api/v1/callbacks", "callbacks.list", plain(ListCallbacks));
  add("POST", "/api/v1/callbacks/bulk", "callbacks.bulk", plain(ImportCallbacks));
  add("GET", "/api/v1/callbacks/{id}", "callbacks.get", plain(GetCallback));
  add("PATCH", "/api/v1/callbacks/{id}", "callbacks.record", plain(RecordCallback));
}

}  // namespace hotline::api
