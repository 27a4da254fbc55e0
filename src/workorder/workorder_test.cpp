// Tests of the work-order module (R-AGT-4, R-WO-1…5, R-SVC-1/2, R-KPI-7) against its public contracts:
// the transition table per role and state, scoping, optimistic concurrency, working-day deadlines on the
// official 2026 calendar (Spring Festival, make-up days), reclassification, escalation on a fake clock,
// call-backs, complaint counting, the SLA report computed by hand, attachments, lists and faults.
// Runs on SQLite and (workorder_test_postgres) on PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include "calendar/calendar_store.hpp"
#include "core/clock.hpp"
#include "org/access.hpp"
#include "org/audit_log.hpp"
#include "org/users.hpp"
#include "runtime/periodic.hpp"
#include "runtime/scheduler.hpp"
#include "store/test_database.hpp"
#include "testing/faulty_database.hpp"
#include "testing/time.hpp"
#include "workorder/escalation.hpp"
#include "workorder/state_machine.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::workorder {
namespace {

using namespace std::chrono_literals;
using org::Role;

using test::At;
using test::FaultyDatabase;
constexpr auto& D = test::Day;  // the short name this file uses

// A ComplaintCounter that records each call in a table through the caller's session, so a rolled-back
// transaction leaves no trace (the contract: "runs inside the caller's transaction"). It can be told to fail.
class FakeComplaintCounter final : public kpi::ComplaintCounter {
 public:
  Status AddComplaintOrders(store::Session& session, int64_t org_id, Date day, int delta) override {
    if (fail_) return Error::Unavailable("injected counter failure");
    auto r = session.Query("INSERT INTO test_complaint_calls (org_id, day, delta) VALUES ($1, $2, $3)",
                           {org_id, FormatDate(day), delta});
    if (!r.ok()) return r.take_error();
    return OkStatus();
  }
  std::atomic<bool> fail_{false};
};

// Collects escalation notices; thread-safe (the scheduler thread notifies).
class RecordingSink final : public EscalationSink {
 public:
  void Notify(const EscalationNotice& n) override {
    std::lock_guard lock(mu_);
    notices_.push_back(n);
    cv_.notify_all();
  }
  std::vector<EscalationNotice> Take() {
    std::lock_guard lock(mu_);
    return std::exchange(notices_, {});
  }
  bool WaitForAny(std::chrono::seconds bound) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, bound, [this] { return !notices_.empty(); });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<EscalationNotice> notices_;
};

class WorkOrderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {org::kOrgMigrations, calendar::kCalendarMigrations,
                                         kWorkOrderMigrations};
    auto m = store::Migrate(*db_, modules);
    ASSERT_TRUE(m.ok()) << m.error().message;
    ASSERT_TRUE(db_->Query(store::ExpandDialect(
                               "CREATE TABLE test_complaint_calls (id {{ID}}, org_id BIGINT NOT NULL, "
                               "day TEXT NOT NULL, delta BIGINT NOT NULL)",
                               db_->dialect()))
                    .ok());
    ASSERT_TRUE(
        orgs_.Create({.code = "MOHURD", .name = "住房和城乡建设部", .level = org::OrgLevel::kMinistry}).ok());
    for (auto [code, parent] : {std::pair{"GS", "MOHURD"}, {"SX", "MOHURD"}})
      ASSERT_TRUE(
          orgs_.Create({.code = code, .name = code, .level = org::OrgLevel::kProvince, .parent_code = parent})
              .ok());
    for (auto [code, parent] : {std::pair{"GS-LZ", "GS"}, {"GS-TS", "GS"}, {"SX-XA", "SX"}})
      ASSERT_TRUE(
          orgs_.Create({.code = code, .name = code, .level = org::OrgLevel::kCenter, .parent_code = parent})
              .ok());
    const std::tuple<const char*, Role, const char*> users[] = {
        {"lz_agent", Role::kAgent, "GS-LZ"},       {"lz_agent2", Role::kAgent, "GS-LZ"},
        {"lz_leader", Role::kTeamLeader, "GS-LZ"}, {"lz_dept", Role::kDepartment, "GS-LZ"},
        {"lz_dept2", Role::kDepartment, "GS-LZ"},  {"lz_admin", Role::kAdmin, "GS-LZ"},
        {"lz_sup", Role::kSupervisor, "GS-LZ"},    {"gs_sup", Role::kSupervisor, "GS"},
        {"gs_admin", Role::kAdmin, "GS"},          {"ts_agent", Role::kAgent, "GS-TS"},
        {"ts_leader", Role::kTeamLeader, "GS-TS"}, {"xa_agent", Role::kAgent, "SX-XA"},
    };
    for (auto [name, role, org] : users) {
      auto u = users_.Create(
          {.username = name, .password = "Passw0rd!", .role = role, .org_code = org, .display_name = name});
      ASSERT_TRUE(u.ok()) << u.error().message;
    }
    auto loans = service_.CreateDepartment(A("lz_admin"), "GS-LZ", "贷款科");
    ASSERT_TRUE(loans.ok()) << loans.error().message;
    auto deposits = service_.CreateDepartment(A("lz_admin"), "GS-LZ", "归集科");
    ASSERT_TRUE(deposits.ok());
    loans_ = loans->id;
    deposits_ = deposits->id;
    ASSERT_TRUE(service_.SetDepartmentMembers(A("lz_admin"), loans_, {Uid("lz_dept")}).ok());
    ASSERT_TRUE(service_.SetDepartmentMembers(A("lz_admin"), deposits_, {Uid("lz_dept2")}).ok());
  }

  void SetNow(TimePoint t) { clock_.Advance(t - clock_.Now()); }

  int64_t Uid(const std::string& username) { return users_.FindByUsername(username)->id; }

  org::Actor A(const std::string& username) {
    auto u = users_.FindByUsername(username);
    EXPECT_TRUE(u.ok()) << username;
    auto o = orgs_.FindById(u->org_id);
    return org::Actor::ForUser({.user = *u, .org = *o}, org::Channel::kWeb, "127.0.0.1");
  }

  // A system principal serving the centre `code` (the IVR, the SMS service, the scheduler).
  org::Actor System(org::SystemPrincipal who, const std::string& code) {
    auto o = orgs_.FindByCode(code);
    EXPECT_TRUE(o.ok()) << code;
    return org::Actor::ForSystem(who, *o, "call-0001");
  }

  NewWorkOrder Order(Category category = Category::kInquiry, bool submit = false) {
    return {.category = category,
            .channel = Channel::kPhone,
            .caller_name = "张先生",
            .caller_phone = "138-1234-5678",
            .subject = "公积金提取进度",
            .description = "来电询问提取进度。",
            .submit = submit};
  }

  WorkOrder Create(Category category = Category::kInquiry, bool submit = false,
                   const std::string& who = "lz_agent") {
    auto o = service_.Create(A(who), Order(category, submit));
    EXPECT_TRUE(o.ok()) << o.error().message;
    return *o;
  }

  // Takes `action` as `who` with the order's current version and a request that satisfies the action.
  Result<WorkOrder> Act(const std::string& who, int64_t id, Action action, TransitionRequest req = {}) {
    auto current = service_.Get(A("lz_leader"), id);
    if (!current.ok()) return current.take_error();
    req.action = action;
    req.version = current->version;
    if (req.note.empty() && NoteRequired(action)) req.note = "理由：测试";
    if (action == Action::kConfirm && !req.department_id) req.department_id = loans_;
    if (action == Action::kReclassify && !req.category)
      req.category = current->category == Category::kComplaint ? Category::kInquiry : Category::kComplaint;
    return service_.Transition(A(who), id, req);
  }

  void MustAct(const std::string& who, int64_t id, Action action, TransitionRequest req = {}) {
    auto r = Act(who, id, action, std::move(req));
    ASSERT_TRUE(r.ok()) << ActionName(action) << ": " << r.error().message;
  }

  // A fresh order in `state` (inquiry unless told), built through the flow.
  WorkOrder InState(State state, Category category = Category::kInquiry) {
    WorkOrder o = Create(category);
    auto step = [&](const char* who, Action a) { MustAct(who, o.id, a); };
    if (state == State::kDraft) return Reload(o.id);
    step("lz_agent", Action::kSubmit);
    if (state == State::kCancelled) step("lz_leader", Action::kCancel);
    if (state == State::kMerged) {
      WorkOrder target = Create(category, /*submit=*/true);
      MustAct("lz_leader", o.id, Action::kMerge, {.into = target.id});
    }
    if (state == State::kPendingConfirmation || state == State::kCancelled || state == State::kMerged)
      return Reload(o.id);
    step("lz_leader", Action::kConfirm);
    if (state == State::kDispatched) return Reload(o.id);
    step("lz_dept", Action::kAccept);
    if (state == State::kInProgress) return Reload(o.id);
    step("lz_dept", Action::kSubmitResult);
    if (state == State::kReturned) return Reload(o.id);
    step("lz_agent", Action::kRecordFeedback);
    if (state == State::kFeedbackDone) return Reload(o.id);
    step("lz_agent", Action::kClose);
    return Reload(o.id);
  }

  WorkOrder Reload(int64_t id) {
    auto o = service_.Get(A("lz_leader"), id);
    EXPECT_TRUE(o.ok());
    return *o;
  }

  int64_t Count(const std::string& sql, const store::Params& params = {}) {
    auto r = db_->Query(sql, params);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r->rows[0][0].AsInt();
  }

  int64_t ComplaintSum() { return Count("SELECT COALESCE(SUM(delta), 0) FROM test_complaint_calls"); }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{At("2026-03-02T09:00:00+08:00")};  // a Monday
  org::PasswordHasher hasher_ = *org::PasswordHasher::Create(
      {.secret_key = std::string(32, 'k'), .ops_limit = 1, .mem_limit_bytes = 8192});
  org::OrgDirectory orgs_{*db_, clock_};
  org::UserDirectory users_{*db_, orgs_, hasher_, clock_};
  org::AuditLog audit_{*db_, clock_};
  calendar::CalendarStore calendar_{*db_, clock_};
  FakeComplaintCounter complaints_;
  WorkOrderService service_{*db_, clock_, orgs_, calendar_, audit_, complaints_};
  CallbackService callbacks_{*db_, clock_, orgs_, audit_};
  int64_t loans_ = 0;
  int64_t deposits_ = 0;
};

// ---------------------------------------------------------------------------------------------------
// Filing

// R-WO-1: the agent files and classifies; numbers are per centre and local day.
TEST_F(WorkOrderTest, NumbersArePerCentreAndLocalDay) {
  EXPECT_EQ(Create().number, "LZ20260302-0001");
  EXPECT_EQ(Create().number, "LZ20260302-0002");
  EXPECT_EQ(Create(Category::kInquiry, false, "ts_agent").number, "TS20260302-0001");
  clock_.Advance(15h);  // 2026-03-03 00:00 CST: a new local day (UTC is still 2 March)
  EXPECT_EQ(Create().number, "LZ20260303-0001");
  EXPECT_EQ(NumberPrefix("GS-LZ"), "LZ");
  EXPECT_EQ(NumberPrefix("LZ"), "LZ");
  EXPECT_EQ(FormatOrderNumber("LZ", D("2026-03-05"), 7), "LZ20260305-0007");
}

TEST_F(WorkOrderTest, CreateValidatesAndChangesNothingOnBadInput) {
  auto bad = [&](NewWorkOrder n, const char* field) {
    auto r = service_.Create(A("lz_agent"), n);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.error().code, "invalid_field") << field;
    EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
  };
  auto n = Order();
  n.caller_phone = "13x";
  bad(n, "caller_phone");
  n = Order();
  n.subject = "";
  bad(n, "subject");
  n = Order();
  n.subject = "一行\n两行";
  bad(n, "subject");
  n = Order();
  n.description = std::string(4001, 'a');
  bad(n, "description");
  n = Order();
  n.identity_ref = "有中文";
  bad(n, "identity_ref");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workorders"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workorder_counters"), 0);
  // Only agents and leaders file orders.
  for (const char* who : {"lz_dept", "lz_admin", "lz_sup", "gs_sup"})
    EXPECT_EQ(service_.Create(A(who), Order()).error().code, "forbidden") << who;
  auto ok = service_.Create(A("lz_agent"), Order());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->state, State::kDraft);
  EXPECT_EQ(ok->caller_phone, "138****5678");  // normalised "13812345678", masked outside the detail view
  EXPECT_EQ(ok->version, 1);
}

// ---------------------------------------------------------------------------------------------------
// The state machine

// R-WO-1…3: hotline → leader → department → hotline → customer, each step by the right role.
TEST_F(WorkOrderTest, FullFlowByTheRightRoles) {
  WorkOrder o = Create(Category::kComplaint);
  MustAct("lz_agent", o.id, Action::kSubmit);
  MustAct("lz_leader", o.id, Action::kConfirm, {.department_id = loans_});
  EXPECT_EQ(Reload(o.id).department_name, "贷款科");
  MustAct("lz_dept", o.id, Action::kAccept);
  MustAct("lz_dept", o.id, Action::kSubmitResult, {.note = "已核实，提取已于3月3日到账"});
  clock_.Advance(1h);
  MustAct("lz_agent2", o.id, Action::kRecordFeedback, {.note = "已电话告知来电人"});
  MustAct("lz_agent", o.id, Action::kClose);
  WorkOrder done = Reload(o.id);
  EXPECT_EQ(done.state, State::kClosed);
  EXPECT_EQ(done.version, 7);
  EXPECT_EQ(done.result, "已核实，提取已于3月3日到账");
  EXPECT_EQ(done.feedback, "已电话告知来电人");
  ASSERT_TRUE(done.done_at.has_value());
  EXPECT_EQ(*done.done_at, At("2026-03-02T10:00:00+08:00"));
  EXPECT_EQ(done.SlaAt(At("2026-04-01T00:00:00Z")), SlaStatus::kDoneOnTime);
  EXPECT_TRUE(done.allowed_actions.empty());

  auto detail = service_.GetDetail(A("lz_agent"), o.id);
  ASSERT_TRUE(detail.ok());
  std::vector<std::string> actions;
  for (const auto& e : detail->timeline) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "submit", "confirm", "accept", "submit_result",
                                               "record_feedback", "close"}));
  EXPECT_EQ(detail->timeline[2].from_state, State::kPendingConfirmation);
  EXPECT_EQ(detail->timeline[2].to_state, State::kDispatched);
  EXPECT_EQ(detail->timeline[2].actor, "lz_leader");
  EXPECT_EQ(detail->timeline[2].detail["department"], "贷款科");
  EXPECT_EQ(detail->timeline[5].note, "已电话告知来电人");
  // Every transition is in the audit log too.
  for (const char* action : {"workorder.create", "workorder.submit", "workorder.confirm", "workorder.accept",
                             "workorder.submit_result", "workorder.record_feedback", "workorder.close"})
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND target_id = $2",
                    {action, std::to_string(o.id)}),
              1)
        << action;
}

// Every action × state × role: success exactly where the table of issue 4 says, otherwise forbidden
// (the role never does it), illegal_transition (not from this state) or not_found (a department user
// who cannot see an order that was never dispatched to them). The expected table is written out here
// independently of state_machine.cpp.
TEST_F(WorkOrderTest, EveryActionStateAndRole) {
  using R = Role;
  const std::map<Action, std::pair<std::set<State>, std::set<Role>>> expected = {
      {Action::kSubmit, {{State::kDraft}, {R::kAgent, R::kTeamLeader}}},
      {Action::kConfirm, {{State::kPendingConfirmation}, {R::kTeamLeader}}},
      {Action::kReturnToAgent, {{State::kPendingConfirmation}, {R::kTeamLeader}}},
      {Action::kReclassify,
       {{State::kPendingConfirmation, State::kDispatched, State::kInProgress, State::kReturned},
        {R::kTeamLeader}}},
      {Action::kMerge,
       {{State::kPendingConfirmation, State::kDispatched, State::kInProgress, State::kReturned},
        {R::kTeamLeader}}},
      {Action::kCancel,
       {{State::kDraft, State::kPendingConfirmation, State::kDispatched, State::kInProgress, State::kReturned,
         State::kFeedbackDone},
        {R::kTeamLeader, R::kAdmin}}},
      {Action::kAccept, {{State::kDispatched}, {R::kDepartment}}},
      {Action::kSendBack, {{State::kDispatched, State::kInProgress}, {R::kDepartment}}},
      {Action::kSubmitResult, {{State::kInProgress}, {R::kDepartment}}},
      {Action::kRecordFeedback, {{State::kReturned}, {R::kAgent, R::kTeamLeader}}},
      {Action::kClose, {{State::kFeedbackDone}, {R::kAgent, R::kTeamLeader}}},
  };
  const std::pair<Role, const char*> people[] = {{R::kAgent, "lz_agent"},
                                                 {R::kTeamLeader, "lz_leader"},
                                                 {R::kDepartment, "lz_dept"},
                                                 {R::kAdmin, "lz_admin"},
                                                 {R::kSupervisor, "lz_sup"}};
  const State states[] = {
      State::kDraft,    State::kPendingConfirmation, State::kDispatched, State::kInProgress,
      State::kReturned, State::kFeedbackDone,        State::kClosed,     State::kCancelled,
      State::kMerged};
  WorkOrder merge_target = Create(Category::kInquiry, /*submit=*/true);
  int successes = 0, refusals = 0;
  for (State state : states) {
    WorkOrder shared = InState(state);  // refusals leave it as it is
    for (const auto& [action, rule] : expected) {
      for (const auto& [role, who] : people) {
        const bool ok = rule.first.contains(state) && rule.second.contains(role);
        WorkOrder target = ok ? InState(state) : shared;
        TransitionRequest req;
        if (action == Action::kMerge) req.into = merge_target.id;
        auto r = Act(who, target.id, action, req);
        std::string what =
            std::string(ActionName(action)) + " from " + std::string(StateName(state)) + " by " + who;
        if (ok) {
          ASSERT_TRUE(r.ok()) << what << ": " << r.error().message;
          EXPECT_EQ(r->state, action == Action::kReclassify ? state : TargetState(state, action)) << what;
          ++successes;
          continue;
        }
        ++refusals;
        ASSERT_FALSE(r.ok()) << what;
        const bool hidden = role == R::kDepartment && !target.department_id;
        const char* code = hidden                        ? "not_found"
                           : !rule.second.contains(role) ? "forbidden"
                                                         : "illegal_transition";
        EXPECT_EQ(r.error().code, code) << what << ": " << r.error().message;
        if (std::string(code) == "illegal_transition") {
          // The message names the state and the action.
          EXPECT_NE(r.error().message.find(std::string(StateName(state))), std::string::npos)
              << r.error().message;
          EXPECT_NE(r.error().message.find(std::string(ActionName(action))), std::string::npos)
              << r.error().message;
          EXPECT_EQ(r.error().kind, ErrorKind::kFailedPrecondition);
        }
        EXPECT_EQ(Reload(target.id).version, target.version) << what << ": a refusal changes nothing";
      }
    }
  }
  EXPECT_EQ(successes, 32);
  EXPECT_EQ(refusals, 9 * 11 * 5 - 32);
}

TEST_F(WorkOrderTest, LeaderReturnsToAgentWhoEditsAndResubmits) {
  WorkOrder o = Create(Category::kInquiry, /*submit=*/true);
  auto no_reason =
      service_.Transition(A("lz_leader"), o.id, {.action = Action::kReturnToAgent, .version = o.version});
  EXPECT_EQ(no_reason.error().code, "invalid_field");
  EXPECT_NE(no_reason.error().message.find("note"), std::string::npos);
  MustAct("lz_leader", o.id, Action::kReturnToAgent, {.note = "请补充来电人的贷款合同号"});
  WorkOrder back = Reload(o.id);
  EXPECT_EQ(back.state, State::kDraft);
  // The agent edits the draft (only drafts are edited) and submits again.
  auto edited = service_.EditDraft(
      A("lz_agent"), o.id, {.version = back.version, .description = std::string("补充：合同号见附件。")});
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_EQ(service_.EditDraft(A("lz_agent"), o.id, {.version = back.version, .subject = std::string("x")})
                .error()
                .code,
            "conflict");
  EXPECT_EQ(service_.EditDraft(A("lz_dept"), o.id, {.version = edited->version}).error().code, "not_found");
  MustAct("lz_agent", o.id, Action::kSubmit);
  EXPECT_EQ(service_.EditDraft(A("lz_agent"), o.id, {.version = Reload(o.id).version}).error().code,
            "illegal_transition");
  auto detail = service_.GetDetail(A("lz_agent"), o.id);
  EXPECT_EQ(detail->order.description, "补充：合同号见附件。");
  EXPECT_EQ(detail->timeline[2].action, "return_to_agent");
  EXPECT_EQ(detail->timeline[2].note, "请补充来电人的贷款合同号");
  EXPECT_EQ(detail->timeline[3].action, "edit");
  EXPECT_EQ(detail->timeline[3].detail["fields"], nlohmann::json::array({"description"}));
}

TEST_F(WorkOrderTest, DepartmentSendsBackForRedispatch) {
  WorkOrder o = InState(State::kDispatched);
  EXPECT_EQ(Act("lz_dept2", o.id, Action::kAccept).error().code, "not_found") << "another department";
  MustAct("lz_dept", o.id, Action::kSendBack, {.note = "不属于贷款科，应由归集科办理"});
  WorkOrder back = Reload(o.id);
  EXPECT_EQ(back.state, State::kPendingConfirmation);
  EXPECT_FALSE(back.department_id.has_value());
  EXPECT_EQ(service_.Get(A("lz_dept"), o.id).error().code, "not_found") << "no longer theirs";
  MustAct("lz_leader", o.id, Action::kConfirm, {.department_id = deposits_});
  MustAct("lz_dept2", o.id, Action::kAccept);
  EXPECT_EQ(Reload(o.id).department_name, "归集科");
  // A department of another centre is refused.
  WorkOrder p = Create(Category::kInquiry, true);
  auto ts_dept = service_.CreateDepartment(A("gs_admin"), "GS-TS", "天水贷款科");
  ASSERT_TRUE(ts_dept.ok());
  EXPECT_EQ(Act("lz_leader", p.id, Action::kConfirm, {.department_id = ts_dept->id}).error().code,
            "invalid_field");
  auto none = service_.Transition(A("lz_leader"), p.id, {.action = Action::kConfirm, .version = p.version});
  EXPECT_EQ(none.error().code, "invalid_field");
}

TEST_F(WorkOrderTest, LeaderMergesDuplicates) {
  WorkOrder keep = Create(Category::kComplaint, true);
  WorkOrder dup = Create(Category::kComplaint, true);
  EXPECT_EQ(Act("lz_leader", dup.id, Action::kMerge, {.into = dup.id}).error().code, "invalid_field");
  WorkOrder other_centre = Create(Category::kInquiry, true, "ts_agent");
  EXPECT_EQ(Act("lz_leader", dup.id, Action::kMerge, {.into = other_centre.id}).error().code,
            "invalid_field");
  MustAct("lz_leader", dup.id, Action::kMerge, {.note = "同一来电人重复反映", .into = keep.id});
  WorkOrder merged = Reload(dup.id);
  EXPECT_EQ(merged.state, State::kMerged);
  EXPECT_EQ(merged.merged_into, keep.id);
  EXPECT_EQ(merged.SlaAt(clock_.Now()), SlaStatus::kCancelled);
  auto detail = service_.GetDetail(A("lz_leader"), keep.id);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->timeline.back().action, "merged_from");
  EXPECT_EQ(detail->timeline.back().detail["from_number"], dup.number);
  // A merged order cannot be the target of another merge.
  WorkOrder third = Create(Category::kComplaint, true);
  EXPECT_EQ(Act("lz_leader", third.id, Action::kMerge, {.into = dup.id}).error().code, "invalid_field");
}

// Optimistic concurrency: two leaders act on the same version; the second is refused and changes nothing.
TEST_F(WorkOrderTest, StaleVersionIsAConflict) {
  WorkOrder o = Create(Category::kInquiry, true);
  TransitionRequest first{.action = Action::kConfirm, .version = o.version, .department_id = loans_};
  TransitionRequest second{.action = Action::kCancel, .version = o.version, .note = "重复"};
  ASSERT_TRUE(service_.Transition(A("lz_leader"), o.id, first).ok());
  auto late = service_.Transition(A("lz_leader"), o.id, second);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "conflict");
  EXPECT_EQ(late.error().kind, ErrorKind::kConflict);
  WorkOrder now = Reload(o.id);
  EXPECT_EQ(now.state, State::kDispatched);
  EXPECT_EQ(now.version, o.version + 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workorder_timeline WHERE order_id = $1", {o.id}), 3);
}

// A failure at any statement of a transition leaves the order, its timeline and the audit log as they were.
TEST_F(WorkOrderTest, FaultAtAnyStatementChangesNothing) {
  WorkOrder o = Create(Category::kComplaint, true);
  const int64_t timeline = Count("SELECT COUNT(*) FROM workorder_timeline");
  const int64_t audit = Count("SELECT COUNT(*) FROM audit_log");
  const int64_t complaints = ComplaintSum();
  int n = 1;
  for (;; ++n) {
    FaultyDatabase faulty(*db_, n);
    WorkOrderService service(faulty, clock_, orgs_, calendar_, audit_, complaints_);
    auto r = service.Transition(A("lz_leader"), o.id,
                                {.action = Action::kCancel, .version = o.version, .note = "撤销"});
    if (r.ok()) break;
    EXPECT_EQ(r.error().code, "unavailable") << n;
    EXPECT_EQ(Reload(o.id).state, State::kPendingConfirmation) << n;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM workorder_timeline"), timeline) << n;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), audit) << n;
    EXPECT_EQ(ComplaintSum(), complaints) << n;
    ASSERT_LT(n, 20);
  }
  EXPECT_GE(n, 5) << "select, update, timeline, counter, audit";
  EXPECT_EQ(Reload(o.id).state, State::kCancelled);
  EXPECT_EQ(ComplaintSum(), complaints - 1);
}

// ---------------------------------------------------------------------------------------------------
// Scope

// R-ORG-1: other centres answer not_found; provinces read but do not act; departments see only their orders.
TEST_F(WorkOrderTest, ScopeOfCentresProvincesAndDepartments) {
  WorkOrder o = InState(State::kDispatched);  // to 贷款科
  WorkOrder draft = Create();
  for (const char* who : {"ts_agent", "ts_leader", "xa_agent"}) {
    EXPECT_EQ(service_.Get(A(who), o.id).error().code, "not_found") << who;
    EXPECT_EQ(service_.GetDetail(A(who), o.id).error().code, "not_found") << who;
    EXPECT_EQ(Act(who, o.id, Action::kCancel).error().code, "not_found") << who;
    EXPECT_EQ(service_.Comment(A(who), o.id, "x").error().code, "not_found") << who;
    EXPECT_TRUE(service_.List(A(who), {})->items.empty()) << who;
  }
  // The province sees its centres' orders, read-only.
  EXPECT_TRUE(service_.Get(A("gs_sup"), o.id).ok());
  EXPECT_EQ(service_.List(A("gs_sup"), {})->items.size(), 2u);
  EXPECT_EQ(Act("gs_admin", o.id, Action::kCancel).error().code, "forbidden") << "not the order's centre";
  EXPECT_TRUE(service_.Get(A("gs_sup"), o.id)->allowed_actions.empty());
  // Departments: only orders currently dispatched to them.
  EXPECT_TRUE(service_.Get(A("lz_dept"), o.id).ok());
  EXPECT_EQ(service_.Get(A("lz_dept"), draft.id).error().code, "not_found");
  EXPECT_EQ(service_.Get(A("lz_dept2"), o.id).error().code, "not_found");
  EXPECT_EQ(service_.List(A("lz_dept"), {})->items.size(), 1u);
  EXPECT_TRUE(service_.List(A("lz_dept2"), {})->items.empty());
  // ?org= outside the scope is not_found too (the same answer as a code that does not exist).
  EXPECT_EQ(service_.List(A("lz_agent"), {.org_code = "GS-TS"}).error().code, "not_found");
  EXPECT_EQ(service_.List(A("xa_agent"), {.org_code = "GS-LZ"}).error().code, "not_found");
}

// Personal data: the phone in full only in the detail view for the centre's own roles, and every detail
// read is audit-logged.
TEST_F(WorkOrderTest, PhoneIsMaskedExceptInAuditedDetailForTheCentre) {
  WorkOrder o = InState(State::kDispatched);
  EXPECT_EQ(o.caller_phone, "138****5678");
  EXPECT_EQ(service_.List(A("lz_agent"), {})->items[0].caller_phone, "138****5678");
  for (const char* who : {"lz_agent", "lz_leader", "lz_dept"}) {
    auto d = service_.GetDetail(A(who), o.id);
    ASSERT_TRUE(d.ok()) << who;
    EXPECT_TRUE(d->phone_visible);
    EXPECT_EQ(d->order.caller_phone, "13812345678") << who;
  }
  for (const char* who : {"lz_admin", "lz_sup", "gs_sup"}) {
    auto d = service_.GetDetail(A(who), o.id);
    ASSERT_TRUE(d.ok()) << who;
    EXPECT_FALSE(d->phone_visible);
    EXPECT_EQ(d->order.caller_phone, "138****5678") << who;
  }
  auto entries = audit_.Query({.within_path = "/", .action = "workorder.read"});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 6u);
  EXPECT_EQ((*entries)[0].actor, "gs_sup");
  EXPECT_EQ((*entries)[0].detail["phone_shown"], false);
  EXPECT_EQ((*entries)[5].detail["phone_shown"], true);
  EXPECT_EQ((*entries)[5].org_code, "GS-LZ");
  EXPECT_EQ(MaskPhone("09318888888"), "093****8888");
  EXPECT_EQ(MaskPhone("09318888"), "09****88");
  EXPECT_EQ(MaskPhone("12345"), "****");
}

// ---------------------------------------------------------------------------------------------------
// Deadlines (R-WO-4) on the official 2026 calendar

TEST_F(WorkOrderTest, DeadlinesAcrossSpringFestival2026) {
  // Thursday 12 Feb 2026, before 春节 (2/15–2/23, make-up working days Sat 2/14 and Sat 2/28).
  SetNow(At("2026-02-12T10:00:00+08:00"));
  WorkOrder complaint = Create(Category::kComplaint);
  WorkOrder suggestion = Create(Category::kSuggestion);
  WorkOrder inquiry = Create(Category::kInquiry);
  // Working days after 2/12: 2/13 Fri, 2/14 Sat (调休), 2/24 Tue, 2/25 Wed, 2/26 Thu.
  EXPECT_EQ(complaint.deadline.workdays, 5);
  EXPECT_EQ(FormatDate(complaint.deadline.last_day), "2026-02-26");
  EXPECT_EQ(complaint.deadline.due_at, At("2026-02-27T00:00:00+08:00"));
  EXPECT_EQ(FormatDate(suggestion.deadline.last_day), "2026-02-14");
  EXPECT_EQ(FormatDate(inquiry.deadline.last_day), "2026-02-24");
  EXPECT_FALSE(complaint.deadline.provisional);
  // Due soon during the last working day: from the end of 2/25 for the complaint, of 2/13 for the suggestion.
  EXPECT_EQ(complaint.deadline.due_soon_at, At("2026-02-26T00:00:00+08:00"));
  EXPECT_EQ(suggestion.deadline.due_soon_at, At("2026-02-14T00:00:00+08:00"));
  EXPECT_EQ(complaint.SlaAt(At("2026-02-20T12:00:00+08:00")), SlaStatus::kOnTime);
  EXPECT_EQ(complaint.SlaAt(At("2026-02-26T08:00:00+08:00")), SlaStatus::kDueSoon);
  EXPECT_EQ(complaint.SlaAt(At("2026-02-27T00:00:00+08:00")), SlaStatus::kOverdue);

  // Filed on the make-up Saturday itself: that day is not counted; the 5th working day is Sat 2/28 (调休).
  SetNow(At("2026-02-14T15:00:00+08:00"));
  EXPECT_EQ(FormatDate(Create(Category::kComplaint).deadline.last_day), "2026-02-28");
  // During the holiday: 2/24 is the first working day.
  SetNow(At("2026-02-18T09:00:00+08:00"));
  EXPECT_EQ(FormatDate(Create(Category::kSuggestion).deadline.last_day), "2026-02-25");
  // Thursday 2/26, inquiry: 2/27 Fri, 2/28 Sat (调休), 3/2 Mon.
  SetNow(At("2026-02-26T16:59:00+08:00"));
  EXPECT_EQ(FormatDate(Create(Category::kInquiry).deadline.last_day), "2026-03-02");
  // Late on the local day, early in UTC: the local date counts (23:30 CST on 2/12 is 15:30 UTC).
  SetNow(At("2026-02-12T23:30:00+08:00"));
  EXPECT_EQ(FormatDate(Create(Category::kInquiry).deadline.last_day), "2026-02-24");
  // Across the year end into 2027, whose schedule is not loaded: flagged provisional.
  SetNow(At("2026-12-28T09:00:00+08:00"));
  WorkOrder year_end = Create(Category::kComplaint);
  EXPECT_TRUE(year_end.deadline.provisional);
  EXPECT_EQ(FormatDate(year_end.deadline.last_day), "2027-01-04");
}

TEST_F(WorkOrderTest, CentreOverridesDeadlines) {
  auto defaults = service_.GetSettings(A("lz_agent"), std::nullopt);
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->is_default);
  EXPECT_EQ(defaults->complaint, 5);
  DeadlineSettings stricter{.complaint = 3, .suggestion = 1, .inquiry = 2, .due_soon_workdays = 2};
  EXPECT_EQ(service_.SetSettings(A("lz_leader"), std::nullopt, stricter).error().code, "forbidden");
  EXPECT_EQ(service_.SetSettings(A("lz_admin"), std::nullopt, {.complaint = 6}).error().code, "invalid_field")
      << "R-WO-4: at most 5 working days for a complaint";
  EXPECT_EQ(service_.SetSettings(A("lz_admin"), "SX-XA", stricter).error().code, "not_found");
  ASSERT_TRUE(service_.SetSettings(A("lz_admin"), std::nullopt, stricter).ok());
  ASSERT_TRUE(service_.SetSettings(A("gs_admin"), "GS-TS", {.complaint = 4}).ok())
      << "an admin above the centre";
  EXPECT_FALSE(service_.GetSettings(A("lz_agent"), std::nullopt)->is_default);
  WorkOrder c = Create(Category::kComplaint);  // Mon 3/2: 3/3, 3/4, 3/5
  EXPECT_EQ(c.deadline.workdays, 3);
  EXPECT_EQ(FormatDate(c.deadline.last_day), "2026-03-05");
  EXPECT_EQ(c.deadline.due_soon_at, At("2026-03-04T00:00:00+08:00"));  // the last 2 working days
  EXPECT_EQ(Create(Category::kComplaint, false, "ts_agent").deadline.workdays, 4);
  EXPECT_EQ(Create(Category::kComplaint, false, "ts_agent").deadline.workdays, 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'workorder.settings.set'"), 2);
}

// Reclassification recomputes the deadline from the same creation instant.
TEST_F(WorkOrderTest, ReclassificationRecomputesTheDeadline) {
  SetNow(At("2026-02-12T10:00:00+08:00"));
  WorkOrder o = Create(Category::kInquiry, true);
  EXPECT_EQ(FormatDate(o.deadline.last_day), "2026-02-24");
  clock_.Advance(48h);  // later reclassification: the count still starts from 2/12
  MustAct("lz_leader", o.id, Action::kReclassify, {.category = Category::kComplaint});
  WorkOrder c = Reload(o.id);
  EXPECT_EQ(c.category, Category::kComplaint);
  EXPECT_EQ(c.state, State::kPendingConfirmation);
  EXPECT_EQ(FormatDate(c.deadline.last_day), "2026-02-26");
  EXPECT_EQ(Act("lz_leader", o.id, Action::kReclassify, {.category = Category::kComplaint}).error().code,
            "invalid_field");
  // Confirming may reclassify in the same step.
  MustAct("lz_leader", o.id, Action::kConfirm, {.department_id = loans_, .category = Category::kSuggestion});
  WorkOrder s = Reload(o.id);
  EXPECT_EQ(s.category, Category::kSuggestion);
  EXPECT_EQ(FormatDate(s.deadline.last_day), "2026-02-14");
  auto detail = service_.GetDetail(A("lz_leader"), o.id);
  EXPECT_EQ(detail->timeline[2].detail["from_category"], "inquiry");
  EXPECT_EQ(detail->timeline[2].detail["last_day"], "2026-02-26");
}

// R-AGT-2: the read-back the agent reads before saving.
TEST_F(WorkOrderTest, ReadbackText) {
  SetNow(At("2026-02-12T10:00:00+08:00"));
  auto p = service_.PreviewReadback(A("lz_agent"), Category::kComplaint, "公积金提取进度");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->text, "您反映的是公积金提取进度，我们将在5个工作日内（2026年2月26日前）答复您，对吗？");
  EXPECT_EQ(FormatDate(p->deadline.last_day), "2026-02-26");
  EXPECT_EQ(ReadbackText("", 3, D("2026-03-05")),
            "您反映的是……，我们将在3个工作日内（2026年3月5日前）答复您，对吗？");
  EXPECT_EQ(service_.PreviewReadback(A("gs_sup"), Category::kComplaint, "x").error().code, "invalid_field");
}

// ---------------------------------------------------------------------------------------------------
// Escalation on a fake clock

TEST_F(WorkOrderTest, EscalationNotifiesEachLevelOnce) {
  RecordingSink sink;
  EscalationScheduler scheduler(*db_, sink, {.batch_size = 2});
  // Mon 3/2 09:00 complaint: last day Mon 3/9, due soon from Sat 3/7 00:00, overdue from Tue 3/10 00:00.
  WorkOrder o = Create(Category::kComplaint, true);
  WorkOrder closed = InState(State::kClosed, Category::kSuggestion);
  EXPECT_EQ(*scheduler.RunOnce(clock_.Now()), 0);
  ASSERT_EQ(*scheduler.RunOnce(At("2026-03-07T01:00:00+08:00")), 1);
  auto n = sink.Take();
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].level, EscalationLevel::kDueSoon);
  EXPECT_EQ(n[0].order_id, o.id);
  EXPECT_EQ(n[0].org_path, "/MOHURD/GS/GS-LZ/");
  EXPECT_EQ(FormatDate(n[0].last_day), "2026-03-09");
  EXPECT_EQ(*scheduler.RunOnce(At("2026-03-08T01:00:00+08:00")), 0) << "no repeats";
  ASSERT_EQ(*scheduler.RunOnce(At("2026-03-10T00:00:00+08:00")), 1);
  n = sink.Take();
  EXPECT_EQ(n[0].level, EscalationLevel::kOverdue);
  EXPECT_EQ(*scheduler.RunOnce(At("2026-03-20T00:00:00+08:00")), 0) << "no repeats";
  EXPECT_EQ(Reload(o.id).escalation_level, 2);
  EXPECT_EQ(Reload(o.id).version, o.version)
      << "escalation marks do not bump the version (users never conflict)";
  (void)closed;

  // Already overdue when first seen: overdue only. Many at once: batches of 2.
  for (int i = 0; i < 5; ++i) Create(Category::kSuggestion);
  ASSERT_EQ(*scheduler.RunOnce(At("2026-04-01T00:00:00+08:00")), 5);
  n = sink.Take();
  for (const auto& x : n) EXPECT_EQ(x.level, EscalationLevel::kOverdue);
  EXPECT_EQ(*scheduler.RunOnce(At("2026-04-01T00:00:00+08:00")), 0);
}

// The SMS hook (issue 4, SMS module pending): every notice reaches the live sink, and the SMS sink too once
// one is plugged in; without one nothing is sent.
TEST_F(WorkOrderTest, EscalationSinksFeedTheLiveChannelAndTheSmsHook) {
  RecordingSink live;
  RecordingSink sms;
  EscalationSinks live_only(live);
  EXPECT_FALSE(live_only.sends_sms());
  EscalationSinks both(live, &sms);
  EXPECT_TRUE(both.sends_sms());
  WorkOrder o = Create(Category::kComplaint, true);
  EscalationScheduler scheduler(*db_, both);
  ASSERT_EQ(*scheduler.RunOnce(At("2026-03-10T00:00:00+08:00")), 1);
  auto a = live.Take();
  auto b = sms.Take();
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].order_id, o.id);
  EXPECT_EQ(b[0].order_id, o.id);
  EXPECT_EQ(b[0].level, EscalationLevel::kOverdue);
}

TEST_F(WorkOrderTest, EscalationSkipsDoneOrdersAndRestartsAfterReclassification) {
  RecordingSink sink;
  EscalationScheduler scheduler(*db_, sink);
  WorkOrder done = InState(State::kFeedbackDone, Category::kSuggestion);  // the clock stopped
  WorkOrder o = Create(Category::kSuggestion, true);  // Mon 3/2: last day Wed 3/4, due soon from 3/4 00:00
  ASSERT_EQ(*scheduler.RunOnce(At("2026-03-04T09:00:00+08:00")), 1);
  EXPECT_EQ(sink.Take()[0].order_id, o.id);
  // As a complaint it has until 3/9: the level resets and the new deadline escalates afresh.
  MustAct("lz_leader", o.id, Action::kReclassify, {.category = Category::kComplaint});
  EXPECT_EQ(Reload(o.id).escalation_level, 0);
  EXPECT_EQ(*scheduler.RunOnce(At("2026-03-04T10:00:00+08:00")), 0);
  ASSERT_EQ(*scheduler.RunOnce(At("2026-03-07T10:00:00+08:00")), 1);
  EXPECT_EQ(sink.Take()[0].level, EscalationLevel::kDueSoon);
  EXPECT_EQ(*scheduler.RunOnce(At("2026-05-01T00:00:00+08:00")), 1);
  EXPECT_EQ(Reload(done.id).escalation_level, 0);
}

// `hotline serve` runs the passes as a periodic job on the shared timer (runtime::Scheduler); here the
// timer is a FakeClock and the test runs the job's executor itself, so no real time passes.
TEST_F(WorkOrderTest, EscalationRunsAsAPeriodicJobOnTheSharedScheduler) {
  RecordingSink sink;
  Create(Category::kSuggestion, true);
  FakeClock later(At("2026-06-01T00:00:00Z"));
  boost::asio::io_context timer, blocking;
  runtime::Scheduler shared(later, timer.get_executor(), blocking.get_executor());
  EscalationScheduler escalation(*db_, sink, {.interval = 60s});
  runtime::PeriodicComponent job(shared, "workorder-escalation", escalation.options().interval,
                                 [&] { escalation.RunScheduled(later.Now()); });
  ASSERT_TRUE(job.Start().ok());
  EXPECT_EQ(shared.RunDue(), 1);
  blocking.poll();
  EXPECT_EQ(sink.Take().size(), 1u);
  later.Advance(60s);
  EXPECT_EQ(shared.RunDue(), 1);  // the next pass finds nothing new
  blocking.restart();
  blocking.poll();
  EXPECT_TRUE(sink.Take().empty());
  job.Stop(std::chrono::steady_clock::now());
  job.Stop(std::chrono::steady_clock::now());  // idempotent
  later.Advance(60s);
  EXPECT_EQ(shared.RunDue(), 0);
}

// ---------------------------------------------------------------------------------------------------
// Call-backs (R-SVC-1/2)

TEST_F(WorkOrderTest, ClosingAComplaintCreatesACallback) {
  InState(State::kClosed, Category::kInquiry);  // not a complaint: no call-back
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workorder_callbacks"), 0);
  WorkOrder o = InState(State::kClosed, Category::kComplaint);
  auto page = callbacks_.List(A("lz_agent"), {.status = CallbackStatus::kPending});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  Callback c = page->items[0];
  EXPECT_EQ(c.kind, CallbackKind::kComplaintFollowUp);
  EXPECT_EQ(c.order_id, o.id);
  EXPECT_EQ(c.order_number, o.number);
  EXPECT_EQ(c.phone, "138****5678");
  EXPECT_EQ(c.topic, "投诉回访：公积金提取进度");
  EXPECT_EQ(callbacks_.List(A("lz_dept"), {}).error().code, "forbidden");
  EXPECT_TRUE(callbacks_.List(A("ts_agent"), {})->items.empty());
  EXPECT_EQ(callbacks_.Get(A("ts_agent"), c.id).error().code, "not_found");
  bool visible = false;
  auto full = callbacks_.Get(A("lz_agent"), c.id, &visible);
  ASSERT_TRUE(full.ok());
  EXPECT_TRUE(visible);
  EXPECT_EQ(full->phone, "13812345678");
  EXPECT_EQ(callbacks_.Get(A("gs_sup"), c.id)->phone, "138****5678");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'callback.read'"), 2);

  // Reached, but a complaint follow-up must say whether the caller is satisfied.
  CallbackUpdate reached{.version = c.version, .outcome = CallbackOutcome::kReached, .note = "已联系"};
  EXPECT_EQ(callbacks_.Record(A("lz_agent"), c.id, reached).error().code, "invalid_field");
  EXPECT_EQ(callbacks_.Record(A("gs_sup"), c.id, reached).error().code, "forbidden");
  EXPECT_EQ(callbacks_.Record(A("ts_agent"), c.id, reached).error().code, "not_found");
  reached.satisfaction = Satisfaction::kSatisfied;
  auto done = callbacks_.Record(A("lz_agent"), c.id, reached);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->status, CallbackStatus::kDone);
  EXPECT_EQ(done->satisfaction, Satisfaction::kSatisfied);
  EXPECT_EQ(done->attempts, 1);
  EXPECT_EQ(done->done_by, "lz_agent");
  EXPECT_EQ(callbacks_.Record(A("lz_agent"), c.id, reached).error().code, "conflict");
  reached.version = done->version;
  EXPECT_EQ(callbacks_.Record(A("lz_agent"), c.id, reached).error().code, "illegal_transition");
}

TEST_F(WorkOrderTest, UnreachedCallbacksGiveUpAfterThreeAttempts) {
  WorkOrder o = InState(State::kClosed, Category::kComplaint);
  auto c = callbacks_.List(A("lz_agent"), {.order_id = o.id})->items.at(0);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    CallbackUpdate u{.version = c.version, .outcome = CallbackOutcome::kNotReached, .note = "无人接听"};
    auto r = callbacks_.Record(A("lz_agent"), c.id, u);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->attempts, attempt);
    EXPECT_EQ(r->status, attempt < 3 ? CallbackStatus::kPending : CallbackStatus::kUnreachable);
    c = *r;
  }
  EXPECT_EQ(callbacks_
                .Record(A("lz_agent"), c.id,
                        {.version = c.version,
                         .outcome = CallbackOutcome::kNotReached,
                         .satisfaction = Satisfaction::kSatisfied})
                .error()
                .code,
            "invalid_field");
}

TEST_F(WorkOrderTest, ReminderCallbacksFromACsvList) {
  const std::string good =
      "\xEF\xBB\xBFphone,name,kind,topic\r\n"
      "13800000001,王五,rate_change,贷款利率下调提醒\r\n"
      "0931-1234567,,policy_change,\"提取政策调整, 3月1日起\"\r\n"
      "13800000003,赵六,repayment_deadline,3月20日还款到期\r\n";
  EXPECT_EQ(callbacks_.Import(A("lz_agent"), std::nullopt, good, "x.csv").error().code, "forbidden");
  auto r = callbacks_.Import(A("lz_leader"), std::nullopt, good, "reminders.csv");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->created, 3);
  auto page = callbacks_.List(A("lz_agent"), {.kind = CallbackKind::kPolicyChange});
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].topic, "提取政策调整, 3月1日起");
  // Reminders need no satisfaction when reached.
  auto rec = callbacks_.Record(A("lz_agent"), page->items[0].id,
                               {.version = page->items[0].version, .outcome = CallbackOutcome::kReached});
  EXPECT_TRUE(rec.ok()) << rec.error().message;
  // An admin above the centre names it.
  EXPECT_TRUE(callbacks_.Import(A("gs_admin"), "GS-TS", good, "ts.csv").ok());
  EXPECT_EQ(callbacks_.Import(A("gs_admin"), "GS", good, "gs.csv").error().code, "invalid_field");

  const std::string bad =
      "phone,name,kind,topic\n"
      "13800000001,王五,rate_change,ok\n"
      "12ab,李四,rate_change,提醒\n"
      "13800000002,李四,complaint_followup,提醒\n"
      "13800000003,李四,policy_change,\n";
  auto e = callbacks_.Import(A("lz_leader"), std::nullopt, bad, "bad.csv");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "invalid_file");
  EXPECT_NE(e.error().message.find("bad.csv:3: "), std::string::npos) << e.error().message;
  EXPECT_NE(e.error().message.find("bad.csv:4: "), std::string::npos) << e.error().message;
  EXPECT_NE(e.error().message.find("bad.csv:5: "), std::string::npos) << e.error().message;
  EXPECT_EQ(e.error().message.find("bad.csv:2"), std::string::npos);
  EXPECT_EQ(callbacks_.Import(A("lz_leader"), std::nullopt, "name,topic\n王五,x\n", "h.csv").error().message,
            "h.csv:1: 表头缺少列 phone（表头须为 phone,name,kind,topic）\nh.csv:1: 表头缺少列 kind（表头须为 "
            "phone,name,kind,topic）");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workorder_callbacks"), 6) << "a bad file adds nothing";
}

// ---------------------------------------------------------------------------------------------------
// Complaint counting (R-KPI-7) through kpi::ComplaintCounter

TEST_F(WorkOrderTest, ComplaintsAreCountedWhenFiledReclassifiedCancelledOrMerged) {
  auto calls = [&] {
    std::vector<int64_t> out;
    auto r = db_->Query("SELECT delta FROM test_complaint_calls ORDER BY id");
    for (const auto& row : r->rows) out.push_back(row[0].AsInt());
    return out;
  };
  WorkOrder draft = Create(Category::kComplaint);
  EXPECT_EQ(ComplaintSum(), 0) << "a draft is not filed yet";
  MustAct("lz_agent", draft.id, Action::kSubmit);
  EXPECT_EQ(ComplaintSum(), 1);
  MustAct("lz_leader", draft.id, Action::kReturnToAgent);
  EXPECT_EQ(ComplaintSum(), 1) << "returned to the agent, still filed";
  MustAct("lz_agent", draft.id, Action::kSubmit);
  EXPECT_EQ(ComplaintSum(), 1) << "never twice";
  MustAct("lz_leader", draft.id, Action::kReclassify, {.category = Category::kInquiry});
  EXPECT_EQ(ComplaintSum(), 0);
  MustAct("lz_leader", draft.id, Action::kReclassify, {.category = Category::kComplaint});
  EXPECT_EQ(ComplaintSum(), 1);
  MustAct("lz_leader", draft.id, Action::kCancel, {.note = "误登记"});
  EXPECT_EQ(ComplaintSum(), 0);

  WorkOrder a = Create(Category::kComplaint, true);
  WorkOrder b = Create(Category::kComplaint, true);
  EXPECT_EQ(ComplaintSum(), 2);
  MustAct("lz_leader", b.id, Action::kMerge, {.into = a.id});
  EXPECT_EQ(ComplaintSum(), 1) << "a duplicate is one complaint";
  InState(State::kClosed, Category::kComplaint);
  EXPECT_EQ(ComplaintSum(), 2) << "closing does not uncount";
  InState(State::kClosed, Category::kInquiry);
  EXPECT_EQ(ComplaintSum(), 2);
  EXPECT_EQ(calls(), (std::vector<int64_t>{1, -1, 1, -1, 1, 1, -1, 1}));
  // Counted on the centre and the local creation day.
  auto day = db_->Query("SELECT DISTINCT org_id, day FROM test_complaint_calls");
  ASSERT_EQ(day->size(), 1u);
  EXPECT_EQ(day->rows[0][0].AsInt(), orgs_.FindByCode("GS-LZ")->id);
  EXPECT_EQ(day->rows[0][1].AsText(), "2026-03-02");
}

TEST_F(WorkOrderTest, CounterFailureRollsTheWholeChangeBack) {
  WorkOrder o = Create(Category::kComplaint);
  complaints_.fail_ = true;
  EXPECT_EQ(Act("lz_agent", o.id, Action::kSubmit).error().code, "unavailable");
  EXPECT_EQ(service_.Create(A("lz_agent"), Order(Category::kComplaint, true)).error().code, "unavailable");
  complaints_.fail_ = false;
  EXPECT_EQ(Reload(o.id).state, State::kDraft);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workorders"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workorder_timeline"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action IN ('workorder.create', 'workorder.submit')"),
            1);
}

// ---------------------------------------------------------------------------------------------------
// Lists, the board, comments, attachments

TEST_F(WorkOrderTest, ListFiltersPagesAndQueues) {
  WorkOrder a = Create(Category::kComplaint, true);  // pending
  clock_.Advance(1min);
  WorkOrder b = InState(State::kDispatched);  // inquiry, 贷款科
  clock_.Advance(1min);
  WorkOrder c = Create(Category::kSuggestion);  // a draft of lz_agent
  clock_.Advance(1min);
  WorkOrder d = Create(Category::kInquiry, false, "lz_agent2");  // a draft of lz_agent2
  clock_.Advance(1min);
  WorkOrder e = InState(State::kReturned);
  clock_.Advance(1min);
  ASSERT_TRUE(
      service_
          .EditDraft(A("lz_agent"), c.id, {.version = c.version, .subject = std::string("缴存基数调整建议")})
          .ok());

  auto ids = [&](const Result<Page>& p) {
    EXPECT_TRUE(p.ok()) << p.error().message;
    std::vector<int64_t> out;
    for (const auto& o : p->items) out.push_back(o.id);
    return out;
  };
  auto agent = A("lz_agent");
  EXPECT_EQ(ids(service_.List(agent, {})), (std::vector<int64_t>{e.id, d.id, c.id, b.id, a.id}));
  // Paging with a cursor, newest first.
  auto p1 = service_.List(agent, {.limit = 2});
  EXPECT_EQ(ids(p1), (std::vector<int64_t>{e.id, d.id}));
  ASSERT_TRUE(p1->next_cursor);
  auto p2 = service_.List(agent, {.cursor = *p1->next_cursor, .limit = 2});
  EXPECT_EQ(ids(p2), (std::vector<int64_t>{c.id, b.id}));
  auto p3 = service_.List(agent, {.cursor = *p2->next_cursor, .limit = 2});
  EXPECT_EQ(ids(p3), (std::vector<int64_t>{a.id}));
  EXPECT_FALSE(p3->next_cursor);
  EXPECT_EQ(service_.List(agent, {.cursor = "x"}).error().code, "invalid_field");
  EXPECT_EQ(service_.List(agent, {.limit = 0}).error().code, "invalid_field");
  EXPECT_EQ(service_.List(agent, {.limit = 201}).error().code, "invalid_field");
  // Filters.
  EXPECT_EQ(ids(service_.List(agent, {.states = {State::kDraft, State::kPendingConfirmation}})),
            (std::vector<int64_t>{d.id, c.id, a.id}));
  EXPECT_EQ(ids(service_.List(agent, {.category = Category::kComplaint})), (std::vector<int64_t>{a.id}));
  EXPECT_EQ(ids(service_.List(agent, {.department_id = loans_})), (std::vector<int64_t>{e.id, b.id}));
  EXPECT_EQ(ids(service_.List(agent, {.text = std::string("基数")})), (std::vector<int64_t>{c.id}));
  EXPECT_EQ(ids(service_.List(agent, {.text = a.number})), (std::vector<int64_t>{a.id}));
  EXPECT_EQ(ids(service_.List(agent, {.text = std::string("100%")})), (std::vector<int64_t>{}));
  EXPECT_EQ(ids(service_.List(agent, {.created_from = b.created_at, .created_to = d.created_at})),
            (std::vector<int64_t>{c.id, b.id}));
  // Queues per role.
  EXPECT_EQ(ids(service_.List(agent, {.my_queue = true})), (std::vector<int64_t>{e.id, c.id}));
  EXPECT_EQ(ids(service_.List(A("lz_agent2"), {.my_queue = true})), (std::vector<int64_t>{e.id, d.id}));
  EXPECT_EQ(ids(service_.List(A("lz_leader"), {.my_queue = true})), (std::vector<int64_t>{a.id}));
  EXPECT_EQ(ids(service_.List(A("lz_dept"), {.my_queue = true})), (std::vector<int64_t>{b.id}));
  EXPECT_EQ(ids(service_.List(A("lz_sup"), {.my_queue = true})), (std::vector<int64_t>{}));
  // The board's filters: the suggestion draft c (last day Wed 3/4) is due soon on 3/4, overdue from 3/5.
  SetNow(At("2026-03-04T12:00:00+08:00"));
  EXPECT_EQ(ids(service_.List(agent, {.due_soon = true})), (std::vector<int64_t>{c.id}));
  EXPECT_EQ(ids(service_.List(agent, {.overdue = true})), (std::vector<int64_t>{}));
  SetNow(At("2026-03-06T12:00:00+08:00"));  // inquiries (3/5) and the suggestion are overdue now
  EXPECT_EQ(ids(service_.List(agent, {.overdue = true, .sort = SortOrder::kDueFirst})),
            (std::vector<int64_t>{c.id, b.id, d.id, e.id}));
  auto due1 = service_.List(agent, {.overdue = true, .sort = SortOrder::kDueFirst, .limit = 3});
  EXPECT_EQ(ids(service_.List(agent,
                              {.overdue = true, .sort = SortOrder::kDueFirst, .cursor = *due1->next_cursor})),
            (std::vector<int64_t>{e.id}));
  EXPECT_EQ(ids(service_.List(agent, {.due_soon = true})), (std::vector<int64_t>{}));
  // The complaint (last day 3/9) is due soon from Sat 3/7.
  SetNow(At("2026-03-07T12:00:00+08:00"));
  EXPECT_EQ(ids(service_.List(agent, {.due_soon = true})), (std::vector<int64_t>{a.id}));
  EXPECT_EQ(ids(service_.List(agent, {.overdue = true, .due_soon = true})).size(), 5u);
  // Allowed actions for the console's buttons.
  auto first = service_.List(A("lz_leader"), {.states = {State::kPendingConfirmation}});
  EXPECT_EQ(first->items[0].allowed_actions,
            (std::vector<Action>{Action::kConfirm, Action::kReturnToAgent, Action::kReclassify,
                                 Action::kMerge, Action::kCancel}));
}

// The text filter finds exactly the orders whose subject contains the text, whatever the characters
// (on SQLite through the bigram index, confirmed by LIKE; on PostgreSQL by LIKE alone).
TEST_F(WorkOrderTest, TextSearchFindsExactlyTheSubstrings) {
  const std::vector<std::string> subjects = {"公积金提取进度",  "提取（急）", "网厅登录 ABC-12 问题",
                                             "\"引号\"与100%",  "取",         "贷款利率_咨询",
                                             "提取进度提取进度"};
  std::vector<WorkOrder> made;
  for (const auto& subject : subjects) {
    auto n = Order();
    n.subject = subject;
    auto o = service_.Create(A("lz_agent"), n);
    ASSERT_TRUE(o.ok()) << o.error().message;
    made.push_back(*o);
  }
  // A draft's subject edited: the old text is no longer found, the new one is.
  ASSERT_TRUE(
      service_.EditDraft(A("lz_agent"), made[5].id, {.version = 1, .subject = std::string("商转公贷款")})
          .ok());
  std::vector<std::string> now = subjects;
  now[5] = "商转公贷款";
  for (std::string q : {"提取", "取进",   "提取进度", "（急）",   "急）", "）", "取（急", "ABC-12",
                        "C-1",  "登录 A", "\"引号\"", "\"与",     "100%", "0%", "取",     "利率",
                        "_",    "商转公", "不存在",   "进度提取", "贷款", "AB"}) {
    std::vector<int64_t> expected;
    for (size_t i = subjects.size(); i-- > 0;)
      if (now[i].find(q) != std::string::npos) expected.push_back(made[i].id);
    std::vector<int64_t> got;
    auto page = service_.List(A("lz_agent"), {.text = q});
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const auto& o : page->items) got.push_back(o.id);
    EXPECT_EQ(got, expected) << q;
  }
  // Pages of a search follow the cursor.
  auto first = service_.List(A("lz_agent"), {.text = std::string("提取"), .limit = 2});
  ASSERT_TRUE(first->next_cursor);
  auto second =
      service_.List(A("lz_agent"), {.text = std::string("提取"), .cursor = *first->next_cursor, .limit = 2});
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].id, made[0].id);
}

TEST_F(WorkOrderTest, BoardCountsOpenOrdersPerDepartment) {
  InState(State::kDispatched);                        // inquiry → 贷款科, due 3/6
  InState(State::kInProgress, Category::kComplaint);  // → 贷款科, due 3/10
  WorkOrder x = Create(Category::kSuggestion, true);  // pending, due 3/5
  MustAct("lz_leader", x.id, Action::kConfirm, {.department_id = deposits_});
  Create(Category::kInquiry);               // draft, no department
  InState(State::kClosed);                  // not open
  SetNow(At("2026-03-05T10:00:00+08:00"));  // x overdue; the inquiries due soon
  auto board = service_.Summary(A("lz_leader"), std::nullopt);
  ASSERT_TRUE(board.ok()) << board.error().message;
  EXPECT_EQ(board->total.open, 4);
  EXPECT_EQ(board->total.overdue, 1);
  EXPECT_EQ(board->total.due_soon, 2);
  ASSERT_EQ(board->rows.size(), 3u);
  EXPECT_EQ(board->rows[0].department, "");
  EXPECT_EQ(board->rows[1].department, "归集科");
  EXPECT_EQ(board->rows[1].overdue, 1);
  EXPECT_EQ(board->rows[2].department, "贷款科");
  EXPECT_EQ(board->rows[2].open, 2);
  EXPECT_EQ(board->rows[2].due_soon, 1);
  EXPECT_EQ(service_.Summary(A("lz_dept"), std::nullopt)->total.open, 2) << "a department's own";
  EXPECT_EQ(service_.Summary(A("gs_sup"), std::nullopt)->total.open, 4);
  EXPECT_EQ(service_.Summary(A("ts_agent"), std::nullopt)->total.open, 0);
}

TEST_F(WorkOrderTest, CommentsAndAttachments) {
  WorkOrder o = InState(State::kDispatched);
  ASSERT_TRUE(service_.Comment(A("lz_dept"), o.id, "正在联系来电人单位核实").ok());
  EXPECT_EQ(service_.Comment(A("lz_agent"), o.id, "").error().code, "invalid_field");
  EXPECT_EQ(service_.Comment(A("gs_sup"), o.id, "x").error().code, "forbidden");
  std::string bytes("%PDF-1.4\0binary\xff", 16);
  auto a = service_.Attach(A("lz_agent"), o.id,
                           {.file_name = "通知.pdf", .content_type = "Application/PDF; x=1", .bytes = bytes});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->size, 16);
  EXPECT_EQ(a->content_type, "application/pdf");
  EXPECT_EQ(a->sha256.size(), 64u);
  auto back = service_.ReadAttachment(A("lz_dept"), o.id, a->id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->bytes, bytes);
  EXPECT_EQ(back->meta.file_name, "通知.pdf");
  EXPECT_EQ(service_.ReadAttachment(A("ts_agent"), o.id, a->id).error().code, "not_found");
  EXPECT_EQ(service_.ReadAttachment(A("lz_dept"), o.id, a->id + 1).error().code, "not_found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'workorder.attachment.read'"), 1);
  auto detail = service_.GetDetail(A("lz_agent"), o.id);
  ASSERT_EQ(detail->attachments.size(), 1u);
  EXPECT_EQ(detail->timeline[detail->timeline.size() - 2].action, "comment");
  EXPECT_EQ(detail->timeline.back().action, "attach");

  EXPECT_EQ(service_.Attach(A("lz_agent"), o.id, {.file_name = "../x", .bytes = "x"}).error().code,
            "invalid_field");
  EXPECT_EQ(service_.Attach(A("lz_agent"), o.id, {.file_name = "x", .content_type = "bad", .bytes = "x"})
                .error()
                .code,
            "invalid_field");
  EXPECT_EQ(service_.Attach(A("lz_agent"), o.id, {.file_name = "x", .bytes = ""}).error().code,
            "invalid_field");
  auto big =
      service_.Attach(A("lz_agent"), o.id, {.file_name = "x", .bytes = std::string((5 << 20) + 1, 'x')});
  EXPECT_EQ(big.error().code, "attachment_too_large");
  EXPECT_EQ(big.error().kind, ErrorKind::kPayloadTooLarge);
  EXPECT_EQ(service_.Attach(A("gs_sup"), o.id, {.file_name = "x", .bytes = "x"}).error().code, "forbidden");
  WorkOrder closed = InState(State::kClosed);
  EXPECT_EQ(service_.Attach(A("lz_agent"), closed.id, {.file_name = "x", .bytes = "x"}).error().code,
            "illegal_transition");
}

TEST_F(WorkOrderTest, DepartmentsAreManagedByAdmins) {
  EXPECT_EQ(service_.CreateDepartment(A("lz_leader"), "GS-LZ", "x").error().code, "forbidden");
  EXPECT_EQ(service_.CreateDepartment(A("lz_admin"), "GS-LZ", "贷款科").error().code, "conflict");
  EXPECT_EQ(service_.CreateDepartment(A("lz_admin"), "GS-TS", "x").error().code, "not_found");
  EXPECT_EQ(service_.CreateDepartment(A("lz_admin"), "GS-LZ", "").error().code, "invalid_field");
  EXPECT_EQ(service_.SetDepartmentMembers(A("lz_admin"), loans_, {Uid("lz_agent")}).error().code,
            "invalid_field")
      << "members must be department users";
  EXPECT_EQ(service_.SetDepartmentMembers(A("gs_admin"), loans_, {Uid("lz_dept"), Uid("lz_dept2")}).ok(),
            true);
  auto list = service_.ListDepartments(A("lz_agent"), std::nullopt);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].name, "贷款科");
  EXPECT_EQ((*list)[1].members.size(), 2u);
  EXPECT_EQ(service_.ListDepartments(A("ts_agent"), "GS-LZ").error().code, "not_found");
  EXPECT_EQ(service_.ListDepartments(A("gs_sup"), std::nullopt).error().code, "invalid_field");
}

// ---------------------------------------------------------------------------------------------------
// The SLA report, computed by hand

TEST_F(WorkOrderTest, SlaReportNumbersByHand) {
  // Mon 3/2 09:00: #1 complaint → 贷款科, due 3/10; done Wed 3/4 10:00 (on time, 2 working days: 3/3, 3/4).
  WorkOrder o1 = InState(State::kReturned, Category::kComplaint);
  // #2 inquiry → 贷款科, due 3/6 (last day Thu 3/5).
  WorkOrder o2 = InState(State::kReturned, Category::kInquiry);
  SetNow(At("2026-03-03T09:00:00+08:00"));
  // #3 suggestion → 归集科 (last day Thu 3/5), left in progress.
  WorkOrder o3 = Create(Category::kSuggestion, true);
  MustAct("lz_leader", o3.id, Action::kConfirm, {.department_id = deposits_});
  MustAct("lz_dept2", o3.id, Action::kAccept);
  // #4 inquiry, cancelled before dispatch.
  WorkOrder o4 = Create(Category::kInquiry, true);
  MustAct("lz_leader", o4.id, Action::kCancel, {.note = "来电人撤回"});
  SetNow(At("2026-03-04T10:00:00+08:00"));
  MustAct("lz_agent", o1.id, Action::kRecordFeedback);
  SetNow(At("2026-03-04T11:00:00+08:00"));
  MustAct("lz_agent", o1.id, Action::kClose);
  // #2 done Mon 3/9 10:00: late; handling 3/3, 3/4, 3/5, 3/6, 3/9 = 5; late by 3/6, 3/9 = 2.
  SetNow(At("2026-03-09T10:00:00+08:00"));
  MustAct("lz_agent", o2.id, Action::kRecordFeedback);
  // An order of another centre and one of February do not count.
  Create(Category::kComplaint, true, "ts_agent");
  SetNow(At("2026-03-12T12:00:00+08:00"));

  auto r = service_.BuildSlaReport(A("lz_leader"), {.from = D("2026-03-01"), .to = D("2026-03-31")});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->as_of, At("2026-03-12T12:00:00+08:00"));
  ASSERT_EQ(r->rows.size(), 3u);
  const SlaRow& none = r->rows[0];
  const SlaRow& deposits = r->rows[1];
  const SlaRow& loans = r->rows[2];
  EXPECT_EQ(none.department, "");
  EXPECT_EQ(none.created, 1);
  EXPECT_EQ(none.cancelled, 1);
  EXPECT_EQ(deposits.department, "归集科");
  EXPECT_EQ(deposits.created, 1);
  EXPECT_EQ(deposits.done, 0);
  EXPECT_EQ(deposits.overdue_open, 1);
  EXPECT_FALSE(deposits.OnTimeRate());
  EXPECT_EQ(loans.department, "贷款科");
  EXPECT_EQ(loans.created, 2);
  EXPECT_EQ(loans.done, 2);
  EXPECT_EQ(loans.done_on_time, 1);
  EXPECT_EQ(loans.closed, 1);
  EXPECT_EQ(loans.OnTimeRate(), 50.0);
  EXPECT_EQ(loans.MeanHandlingWorkdays(), 3.5);  // (2 + 5) / 2
  EXPECT_EQ(r->total.created, 4);
  EXPECT_EQ(r->total.done, 2);
  EXPECT_EQ(r->total.overdue_open, 1);
  EXPECT_EQ(r->total.OnTimeRate(), 50.0);
  ASSERT_EQ(r->late.size(), 2u);
  EXPECT_EQ(r->late[0].id, o2.id);  // both due 3/6 00:00: by due instant, then id
  EXPECT_EQ(r->late[0].status, SlaStatus::kDoneLate);
  EXPECT_EQ(r->late[0].late_workdays, 2);
  EXPECT_EQ(r->late[1].id, o3.id);
  EXPECT_EQ(r->late[1].status, SlaStatus::kOverdue);
  EXPECT_EQ(r->late[1].late_workdays, 5);  // 3/6, 3/9, 3/10, 3/11, 3/12
  EXPECT_FALSE(r->provisional);

  const std::string csv = SlaRowsCsv(*r);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "org,department,created,cancelled,done,done_on_time,on_time_rate,mean_handling_workdays,closed,"
            "overdue_open");
  EXPECT_NE(csv.find("GS-LZ,贷款科,2,0,2,1,50.00,3.50,1,0\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("GS-LZ,TOTAL,4,1,2,1,50.00,3.50,1,1\r\n"), std::string::npos) << csv;
  EXPECT_NE(SlaLateCsv(*r).find(o2.number + ",GS-LZ,贷款科,inquiry,feedback_done,done_late,"),
            std::string::npos);
  auto xlsx = SlaXlsxBytes(*r);
  ASSERT_TRUE(xlsx.ok()) << xlsx.error().message;
  EXPECT_EQ(xlsx->substr(0, 2), "PK");

  // A past period: as of its end, #3 was already late (3/6 00:00 ≤ 3/6 24:00) and #2 not done yet.
  auto week = service_.BuildSlaReport(A("lz_leader"), {.from = D("2026-03-02"), .to = D("2026-03-06")});
  ASSERT_TRUE(week.ok());
  EXPECT_EQ(week->as_of, At("2026-03-07T00:00:00+08:00"));
  EXPECT_EQ(week->total.done, 1);
  EXPECT_EQ(week->total.overdue_open, 2);
  // Province level: its centres; permissions.
  EXPECT_EQ(
      service_.BuildSlaReport(A("gs_sup"), {.from = D("2026-03-01"), .to = D("2026-03-31")})->total.created,
      5);
  EXPECT_EQ(
      service_.BuildSlaReport(A("lz_agent"), {.from = D("2026-03-01"), .to = D("2026-03-31")}).error().code,
      "forbidden");
  EXPECT_EQ(
      service_.BuildSlaReport(A("lz_leader"), {.from = D("2026-03-31"), .to = D("2026-03-01")}).error().code,
      "invalid_field");
}

// ---------------------------------------------------------------------------------------------------
// Actors (issue 12 §2): system principals, and one scope rule through every entry point

// The IVR files a work order for a caller as itself: no user is forged, the audit log and the timeline
// say "ivr", and it may do nothing else with orders.
TEST_F(WorkOrderTest, IvrFilesAWorkOrderAsItself) {
  const org::Actor ivr = System(org::SystemPrincipal::kIvr, "GS-LZ");
  NewWorkOrder n = Order(Category::kComplaint, /*submit=*/false);
  EXPECT_EQ(service_.Create(ivr, n).error().code, "invalid_field") << "the IVR leaves no drafts";
  n.submit = true;
  auto filed = service_.Create(ivr, n);
  ASSERT_TRUE(filed.ok()) << filed.error().message;
  EXPECT_EQ(filed->state, State::kPendingConfirmation);
  EXPECT_EQ(filed->number, "LZ20260302-0001");
  EXPECT_EQ(filed->caller_phone, "138****5678");
  EXPECT_FALSE(filed->created_by.has_value());
  EXPECT_EQ(filed->created_by_name, "ivr");
  EXPECT_TRUE(filed->allowed_actions.empty());
  EXPECT_EQ(ComplaintSum(), 1) << "an IVR complaint counts like any other (R-KPI-7)";

  auto entries = audit_.Query({.within_path = "/", .action = "workorder.create"});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].actor, "ivr");
  EXPECT_EQ((*entries)[0].channel, "ivr");
  EXPECT_FALSE((*entries)[0].actor_id.has_value());
  EXPECT_EQ((*entries)[0].remote_addr, "call-0001");
  EXPECT_EQ((*entries)[0].org_code, "GS-LZ");
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE actor_id IS NOT NULL AND action = 'workorder.create'"), 0);

  auto detail = service_.GetDetail(A("lz_leader"), filed->id);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->timeline.size(), 2u);  // create, submit
  for (const auto& e : detail->timeline) {
    EXPECT_EQ(e.actor, "ivr");
    EXPECT_EQ(e.actor_name, "语音导航");
    EXPECT_FALSE(e.actor_id.has_value());
  }
  // Nothing else: it reads no orders and moves, edits, comments on and attaches to none.
  EXPECT_EQ(service_.Get(ivr, filed->id).error().code, "forbidden");
  EXPECT_EQ(service_.List(ivr, {}).error().code, "forbidden");
  EXPECT_EQ(service_.Summary(ivr, std::nullopt).error().code, "forbidden");
  EXPECT_EQ(
      service_.Transition(ivr, filed->id, {.action = Action::kCancel, .version = filed->version, .note = "x"})
          .error()
          .code,
      "forbidden");
  EXPECT_EQ(service_.EditDraft(ivr, filed->id, {.version = filed->version}).error().code, "forbidden");
  EXPECT_EQ(service_.Comment(ivr, filed->id, "x").error().code, "forbidden");
  EXPECT_EQ(service_.Attach(ivr, filed->id, {.file_name = "a.txt", .bytes = "x"}).error().code, "forbidden");
  EXPECT_EQ(service_.CreateDepartment(ivr, "GS-LZ", "x").error().code, "forbidden");
  EXPECT_EQ(service_.BuildSlaReport(ivr, {.from = D("2026-03-01"), .to = D("2026-03-31")}).error().code,
            "forbidden");
  // It may tell the caller the deadline before filing (R-AGT-2).
  EXPECT_TRUE(service_.PreviewReadback(ivr, Category::kComplaint, "提取").ok());
  // The centre's leader takes it from there, as with an agent's order.
  MustAct("lz_leader", filed->id, Action::kConfirm);

  // The SMS service files the same way; the caller's channel is the order's own attribute.
  n.channel = Channel::kSms;
  auto by_sms = service_.Create(System(org::SystemPrincipal::kSms, "GS-LZ"), n);
  ASSERT_TRUE(by_sms.ok()) << by_sms.error().message;
  EXPECT_EQ(by_sms->channel, Channel::kSms);
  EXPECT_EQ(by_sms->created_by_name, "sms");
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE actor = 'sms' AND channel = 'sms' AND actor_id IS NULL"),
      1);
}

// The IVR files an after-hours call-back request (no work order) that agents then call back.
TEST_F(WorkOrderTest, IvrFilesAnAfterHoursCallbackRequest) {
  SetNow(At("2026-03-02T21:30:00+08:00"));  // after the service hours
  const org::Actor ivr = System(org::SystemPrincipal::kIvr, "GS-LZ");
  EXPECT_EQ(callbacks_.Request(ivr, {.phone = "12"}).error().code, "invalid_field");
  EXPECT_EQ(callbacks_.Request(ivr, {.phone = "13912345678", .call_id = std::string("bad id")}).error().code,
            "invalid_field");
  auto r = callbacks_.Request(ivr, {.phone = "139-1234-5678", .call_id = std::string("sip-7f3a")});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->kind, CallbackKind::kAfterHours);
  EXPECT_EQ(r->status, CallbackStatus::kPending);
  EXPECT_FALSE(r->order_id.has_value());
  EXPECT_EQ(r->phone, "139****5678");
  EXPECT_EQ(r->topic, "非工作时间来电，请回电");
  EXPECT_EQ(r->created_by, "ivr");
  EXPECT_EQ(r->call_id, "sip-7f3a");
  EXPECT_EQ(r->org_code, "GS-LZ");
  // The same caller rings again that night: one task, not two.
  auto again = callbacks_.Request(ivr, {.phone = "13912345678"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, r->id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workorder_callbacks WHERE kind = 'after_hours'"), 1);

  auto entries = audit_.Query({.within_path = "/", .action = "callback.request"});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  for (const auto& e : *entries) {
    EXPECT_EQ(e.actor, "ivr");
    EXPECT_EQ(e.channel, "ivr");
    EXPECT_FALSE(e.actor_id.has_value());
    EXPECT_EQ(e.target_id, std::to_string(r->id));
  }
  EXPECT_EQ((*entries)[0].detail["repeat"], true);  // newest first
  EXPECT_EQ((*entries)[1].detail["repeat"], false);
  EXPECT_EQ((*entries)[0].detail.dump().find("1391234"), std::string::npos) << "no phone in the audit log";

  // It records no outcomes, imports nothing and reads no tasks.
  CallbackUpdate reached{.version = r->version, .outcome = CallbackOutcome::kReached};
  EXPECT_EQ(callbacks_.Record(ivr, r->id, reached).error().code, "forbidden");
  EXPECT_EQ(callbacks_.Import(ivr, std::nullopt, "phone,kind,topic\n13912345678,rate_change,x\n", "x.csv")
                .error()
                .code,
            "forbidden");
  EXPECT_EQ(callbacks_.List(ivr, {}).error().code, "forbidden");
  EXPECT_EQ(callbacks_.Get(ivr, r->id).error().code, "forbidden");

  // The next morning an agent works the list: an after-hours request needs no satisfaction.
  SetNow(At("2026-03-03T09:05:00+08:00"));
  auto page = callbacks_.List(A("lz_agent"), {.kind = CallbackKind::kAfterHours});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  bool visible = false;
  EXPECT_EQ(callbacks_.Get(A("lz_agent"), r->id, &visible)->phone, "13912345678");
  EXPECT_TRUE(visible);
  auto missed = callbacks_.Record(A("lz_agent"), r->id,
                                  {.version = r->version, .outcome = CallbackOutcome::kNotReached});
  ASSERT_TRUE(missed.ok());
  EXPECT_EQ(missed->attempts, 1);
  auto done = callbacks_.Record(
      A("lz_agent"), r->id,
      {.version = missed->version, .outcome = CallbackOutcome::kReached, .note = "已回电，咨询提取材料"});
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->status, CallbackStatus::kDone);
  EXPECT_EQ(done->done_by, "lz_agent");
  // Done: a new call that night is a new request.
  EXPECT_NE(callbacks_.Request(ivr, {.phone = "13912345678"})->id, r->id);
  // The console may file one too (an agent taking a message), for its own centre only.
  EXPECT_TRUE(callbacks_.Request(A("lz_agent"), {.phone = "13800001111", .caller_name = "李女士"}).ok());
  EXPECT_EQ(callbacks_.Request(A("lz_sup"), {.phone = "13800001111"}).error().code, "forbidden");
  EXPECT_EQ(callbacks_.Request(A("gs_admin"), {.org_code = "GS-LZ", .phone = "13800001111"}).error().code,
            "forbidden");
  EXPECT_EQ(callbacks_.Request(A("lz_dept"), {.phone = "13800001111"}).error().code, "forbidden");
}

// A system actor serves one centre: another centre's orders and tasks do not exist for it, and it cannot
// file there.
TEST_F(WorkOrderTest, SystemActorsStayInTheirCentre) {
  WorkOrder lz = Create(Category::kInquiry, /*submit=*/true);
  auto lz_task = callbacks_.Request(System(org::SystemPrincipal::kIvr, "GS-LZ"), {.phone = "13912345678"});
  ASSERT_TRUE(lz_task.ok());
  for (auto who : {org::SystemPrincipal::kIvr, org::SystemPrincipal::kSms}) {
    const org::Actor ts = System(who, "GS-TS");
    NewWorkOrder n = Order(Category::kInquiry, /*submit=*/true);
    for (const char* other : {"GS-LZ", "SX-XA", "GS", "NOPE"}) {
      n.org_code = other;
      EXPECT_EQ(service_.Create(ts, n).error().code, "not_found") << other;
      EXPECT_EQ(callbacks_.Request(ts, {.org_code = other, .phone = "13912345678"}).error().code, "not_found")
          << other;
    }
    n.org_code = "GS-TS";
    auto own = service_.Create(ts, n);
    ASSERT_TRUE(own.ok()) << own.error().message;
    EXPECT_EQ(own->org_code, "GS-TS");
    EXPECT_EQ(callbacks_.Request(ts, {.org_code = "GS-TS", .phone = "13912345678"})->org_code, "GS-TS");
  }
  const org::Actor scheduler = System(org::SystemPrincipal::kScheduler, "GS-TS");
  EXPECT_EQ(service_.Get(scheduler, lz.id).error().code, "not_found");
  EXPECT_EQ(service_.GetDetail(scheduler, lz.id).error().code, "not_found");
  EXPECT_EQ(service_.List(scheduler, {.org_code = "GS-LZ"}).error().code, "not_found");
  auto ts_orders = service_.List(scheduler, {});
  ASSERT_TRUE(ts_orders.ok());
  EXPECT_FALSE(ts_orders->items.empty());
  for (const auto& o : ts_orders->items) EXPECT_EQ(o.org_code, "GS-TS");
  EXPECT_EQ(service_.Summary(scheduler, "GS-LZ").error().code, "not_found");
  EXPECT_EQ(callbacks_.Get(scheduler, lz_task->id).error().code, "not_found");
  EXPECT_EQ(callbacks_.List(scheduler, {.org_code = "GS-LZ"}).error().code, "not_found");
  auto ts_tasks = callbacks_.List(scheduler, {});
  ASSERT_TRUE(ts_tasks.ok());
  EXPECT_FALSE(ts_tasks->items.empty());
  for (const auto& c : ts_tasks->items) EXPECT_EQ(c.org_code, "GS-TS");
}

// The scheduler principal reads every order and task in its scope (masked), files and moves nothing,
// and its reads are audit-logged as "scheduler".
TEST_F(WorkOrderTest, SchedulerPrincipalReadsAndActsOnNothing) {
  WorkOrder lz = InState(State::kDispatched);
  WorkOrder ts = Create(Category::kInquiry, /*submit=*/true, "ts_agent");
  const org::Actor lz_scheduler = System(org::SystemPrincipal::kScheduler, "GS-LZ");
  const org::Actor gs_scheduler = System(org::SystemPrincipal::kScheduler, "GS");
  auto page = service_.List(lz_scheduler, {});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, lz.id);
  EXPECT_TRUE(page->items[0].allowed_actions.empty());
  EXPECT_EQ(service_.List(gs_scheduler, {})->items.size(), 2u) << "a province's scheduler sees its centres";
  EXPECT_EQ(service_.List(lz_scheduler, {.my_queue = true})->items.size(), 0u) << "no queue of its own";
  EXPECT_EQ(service_.Get(gs_scheduler, ts.id)->caller_phone, "138****5678");
  auto detail = service_.GetDetail(lz_scheduler, lz.id);
  ASSERT_TRUE(detail.ok());
  EXPECT_FALSE(detail->phone_visible);
  EXPECT_EQ(detail->order.caller_phone, "138****5678");
  auto entries = audit_.Query({.within_path = "/", .action = "workorder.read"});
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].actor, "scheduler");
  EXPECT_EQ((*entries)[0].channel, "scheduler");
  EXPECT_FALSE((*entries)[0].actor_id.has_value());
  EXPECT_EQ(service_.Summary(gs_scheduler, std::nullopt)->total.open, 2);

  EXPECT_EQ(service_.Create(lz_scheduler, Order(Category::kInquiry, true)).error().code, "forbidden");
  EXPECT_EQ(
      service_
          .Transition(lz_scheduler, lz.id, {.action = Action::kCancel, .version = lz.version, .note = "x"})
          .error()
          .code,
      "forbidden");
  EXPECT_EQ(service_.Comment(lz_scheduler, lz.id, "x").error().code, "forbidden");
  EXPECT_EQ(service_.SetSettings(lz_scheduler, std::nullopt, {}).error().code, "forbidden");
  EXPECT_EQ(service_.PreviewReadback(lz_scheduler, Category::kInquiry, "x").error().code, "forbidden");

  WorkOrder closed = InState(State::kClosed, Category::kComplaint);
  auto tasks = callbacks_.List(lz_scheduler, {.order_id = closed.id});
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->items.size(), 1u);
  const Callback& c = tasks->items[0];
  EXPECT_EQ(callbacks_.Get(lz_scheduler, c.id)->phone, "138****5678");
  EXPECT_EQ(
      callbacks_.Record(lz_scheduler, c.id, {.version = c.version, .outcome = CallbackOutcome::kNotReached})
          .error()
          .code,
      "forbidden");
  EXPECT_EQ(callbacks_.Request(lz_scheduler, {.phone = "13912345678"}).error().code, "forbidden");
}

// R-ORG-1: an agent (and leader) of centre A cannot reach centre B's orders, attachments, departments,
// settings, reports or call-backs through any entry point: records and organisation codes alike are
// not_found, and nothing is written.
TEST_F(WorkOrderTest, AnotherCentreIsInvisibleThroughEveryEntryPoint) {
  WorkOrder o = InState(State::kDispatched, Category::kComplaint);
  auto a = service_.Attach(A("lz_agent"), o.id, {.file_name = "a.txt", .bytes = "x"});
  ASSERT_TRUE(a.ok());
  WorkOrder draft = Create();
  WorkOrder closed = InState(State::kClosed, Category::kComplaint);
  const Callback task = callbacks_.List(A("lz_agent"), {.order_id = closed.id})->items.at(0);
  const int64_t audit_before = Count("SELECT COUNT(*) FROM audit_log");
  for (const char* who : {"ts_agent", "ts_leader"}) {
    const org::Actor b = A(who);
    EXPECT_EQ(service_.Get(b, o.id).error().code, "not_found") << who;
    EXPECT_EQ(service_.GetDetail(b, o.id).error().code, "not_found") << who;
    EXPECT_EQ(service_.EditDraft(b, draft.id, {.version = draft.version, .subject = "x"}).error().code,
              "not_found");
    for (Action action :
         {Action::kSubmit, Action::kConfirm, Action::kCancel, Action::kReclassify, Action::kClose})
      EXPECT_EQ(service_
                    .Transition(b, o.id,
                                {.action = action,
                                 .version = o.version,
                                 .note = "x",
                                 .department_id = loans_,
                                 .category = Category::kInquiry})
                    .error()
                    .code,
                "not_found")
          << who << " " << ActionName(action);
    EXPECT_EQ(service_.Comment(b, o.id, "x").error().code, "not_found") << who;
    EXPECT_EQ(service_.Attach(b, o.id, {.file_name = "b.txt", .bytes = "y"}).error().code, "not_found")
        << who;
    EXPECT_EQ(service_.ReadAttachment(b, o.id, a->id).error().code, "not_found") << who;
    auto listed = service_.List(b, {});
    ASSERT_TRUE(listed.ok());
    for (const auto& x : listed->items) EXPECT_EQ(x.org_code, "GS-TS") << who;
    EXPECT_TRUE(service_.List(b, {.text = o.number})->items.empty()) << who;
    EXPECT_EQ(service_.List(b, {.org_code = "GS-LZ"}).error().code, "not_found") << who;
    EXPECT_EQ(service_.Summary(b, "GS-LZ").error().code, "not_found") << who;
    EXPECT_EQ(service_.Summary(b, std::nullopt)->total.open, 0) << who;
    EXPECT_EQ(service_.ListDepartments(b, "GS-LZ").error().code, "not_found") << who;
    EXPECT_EQ(service_.GetSettings(b, "GS-LZ").error().code, "not_found") << who;
    EXPECT_EQ(callbacks_.Get(b, task.id).error().code, "not_found") << who;
    EXPECT_EQ(
        callbacks_.Record(b, task.id, {.version = task.version, .outcome = CallbackOutcome::kNotReached})
            .error()
            .code,
        "not_found")
        << who;
    EXPECT_TRUE(callbacks_.List(b, {})->items.empty()) << who;
    EXPECT_EQ(callbacks_.List(b, {.org_code = "GS-LZ"}).error().code, "not_found") << who;
    EXPECT_EQ(callbacks_.Request(b, {.org_code = "GS-LZ", .phone = "13912345678"}).error().code, "not_found");
  }
  const org::Actor ts_leader = A("ts_leader");
  EXPECT_EQ(
      service_
          .BuildSlaReport(ts_leader, {.org_code = "GS-LZ", .from = D("2026-03-01"), .to = D("2026-03-31")})
          .error()
          .code,
      "not_found");
  EXPECT_EQ(callbacks_.Import(ts_leader, "GS-LZ", "phone,kind,topic\n13912345678,rate_change,x\n", "x.csv")
                .error()
                .code,
            "not_found");
  EXPECT_EQ(service_.CreateDepartment(A("ts_leader"), "GS-LZ", "x").error().code, "forbidden")
      << "no admin right comes first";
  EXPECT_EQ(service_.SetDepartmentMembers(A("xa_agent"), loans_, {}).error().code, "forbidden");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), audit_before) << "a refused call writes nothing";
  EXPECT_EQ(Reload(o.id).version, o.version);
}

// Workorder migration 3 rebuilds the call-back table on SQLite (a CHECK cannot be altered): existing
// tasks survive with their ids, and after_hours is accepted afterwards.
TEST(WorkOrderMigrationTest, CallbackTasksSurviveMigration3) {
  auto db = store::OpenTestDatabase();
  const store::ModuleMigrations before[] = {
      org::kOrgMigrations,
      calendar::kCalendarMigrations,
      {kWorkOrderMigrations.module, kWorkOrderMigrations.migrations.first(2)}};
  ASSERT_TRUE(store::Migrate(*db, before).ok());
  FakeClock clock{At("2026-03-02T09:00:00+08:00")};
  org::OrgDirectory orgs(*db, clock);
  ASSERT_TRUE(orgs.Create({.code = "MOHURD", .name = "部", .level = org::OrgLevel::kMinistry}).ok());
  ASSERT_TRUE(
      orgs.Create({.code = "GS", .name = "省", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
          .ok());
  auto lz =
      orgs.Create({.code = "GS-LZ", .name = "兰州", .level = org::OrgLevel::kCenter, .parent_code = "GS"});
  ASSERT_TRUE(lz.ok());
  auto old_row = db->Query(
      "INSERT INTO workorder_callbacks (org_id, kind, status, caller_name, phone, topic, attempts, "
      "note, created_at, created_by, done_by, updated_at, version) VALUES ($1, 'rate_change', "
      "'pending', '王五', '13912345678', '利率调整', 1, '', 1, 'lz_leader', '', 1, 2) RETURNING id",
      {lz->id});
  ASSERT_TRUE(old_row.ok()) << old_row.error().message;
  EXPECT_FALSE(
      db->Query("INSERT INTO workorder_callbacks (org_id, kind, status, caller_name, phone, topic, note, "
                "created_at, created_by, done_by, updated_at) VALUES ($1, 'after_hours', 'pending', '', "
                "'1', 'x', '', 1, 'ivr', '', 1)",
                {lz->id})
          .ok())
      << "before migration 3 the kind is refused";
  const store::ModuleMigrations all[] = {org::kOrgMigrations, calendar::kCalendarMigrations,
                                         kWorkOrderMigrations};
  auto m = store::Migrate(*db, all);
  ASSERT_TRUE(m.ok()) << m.error().message;
  org::AuditLog audit(*db, clock);
  CallbackService callbacks(*db, clock, orgs, audit);
  auto kept = db->Query("SELECT id, kind, attempts, version, call_id FROM workorder_callbacks");
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->rows.size(), 1u);
  EXPECT_EQ(kept->rows[0][0].AsInt(), old_row->rows[0][0].AsInt());
  EXPECT_EQ(kept->rows[0][1].AsText(), "rate_change");
  EXPECT_EQ(kept->rows[0][2].AsInt(), 1);
  EXPECT_EQ(kept->rows[0][3].AsInt(), 2);
  EXPECT_TRUE(kept->rows[0][4].is_null());
  auto r =
      callbacks.Request(org::Actor::ForSystem(org::SystemPrincipal::kIvr, *lz), {.phone = "13800001111"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT(r->id, old_row->rows[0][0].AsInt()) << "ids continue after the rebuild";
  EXPECT_EQ(callbacks.List(org::Actor::ForCli(*lz, Role::kAgent), {})->items.size(), 2u);
}

}  // namespace
}  // namespace hotline::workorder
