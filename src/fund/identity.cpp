#include "fund/identity.hpp"

#include <algorithm>

#include "core/identity_number.hpp"
#include "core/masking.hpp"
#include "core/text.hpp"

namespace hotline::fund {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error Failed() {
  return {ErrorKind::kPermissionDenied, "verification_failed", "账号或密码不正确，请核对后重新输入"};
}

}  // namespace

Result<LoginKind> DetectLoginKind(SubjectType type, std::string_view id) {
  if (type == SubjectType::kUnit) {
    if (id.size() == 10 && AllDigits(id)) return LoginKind::kUnitAccount;
    return Error::InvalidArgument("invalid_login_id", "单位账号应为 10 位数字");
  }
  if (id.size() == 18) {
    auto parsed = ParseCitizenId(id);
    if (!parsed.ok()) return parsed.take_error();
    return LoginKind::kCitizenId;
  }
  if (id.size() == 19 && AllDigits(id)) {
    if (!LuhnValid(id))
      return Error::InvalidArgument("invalid_card_number", "联名卡号校验不正确，请核对后重新输入");
    return LoginKind::kCardNumber;
  }
  if (id.size() == 12 && AllDigits(id)) return LoginKind::kAccountNumber;
  return Error::InvalidArgument("invalid_login_id",
                                "请输入 12 位个人公积金账号、18 位身份证号码或 19 位联名卡号");
}

Status CheckAccess(const Access& who) {
  HOTLINE_RETURN_IF_ERROR(org::Require(who.actor, org::Permission::kFundRead));
  if (who.center().level != org::OrgLevel::kCenter)
    return Error{ErrorKind::kPermissionDenied, "forbidden",
                 "公积金账户数据属于各中心：只有中心的人员和服务可以查询"};
  return OkStatus();
}

std::string_view ContextChannel(const org::Actor& actor) {
  switch (actor.channel()) {
    case org::Channel::kIvr:
      return "ivr";
    case org::Channel::kSms:
      return "sms";
    default:
      return "agent";
  }
}

std::string MaskLoginId(LoginKind kind, std::string_view id) {
  return kind == LoginKind::kCitizenId ? MaskCitizenId(id) : MaskAccountNumber(id);
}

std::string IdentityVerifier::LoginKey(const Access& who, LoginKind kind, std::string_view id) const {
  std::string key = who.center().code + "|" + std::string(LoginKindName(kind)) + "|" + std::string(id);
  return pins_.KeyedId("login", key);
}

void IdentityVerifier::Audit(const Access& who, std::string action, std::string target_type,
                             std::string target_id, nlohmann::json detail) {
  org::AuditEntry e;
  who.actor.Stamp(e);
  e.org_path = who.center().path;
  e.org_code = who.center().code;
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  detail["purpose"] = who.purpose;
  e.detail = std::move(detail);
  (void)audit_.Append(std::move(e));  // an audit failure must not hide the answer; the store logs it
}

Result<VerifiedContext> IdentityVerifier::Verify(const Access& who, const Credentials& c) {
  HOTLINE_RETURN_IF_ERROR(CheckAccess(who));
  HOTLINE_ASSIGN_OR_RETURN(LoginKind kind, DetectLoginKind(c.type, c.login_id));
  std::string login_id = c.login_id;
  if (kind == LoginKind::kCitizenId && login_id[17] == 'x') login_id[17] = 'X';
  const std::string key = LoginKey(who, kind, login_id);
  const std::string masked = MaskLoginId(kind, login_id);
  const int64_t now = ToEpochMillis(clock_.Now());

  HOTLINE_ASSIGN_OR_RETURN(
      auto lock,
      db_.Query("SELECT failures, locked_until FROM fund_login_failures WHERE login_key = $1", {key}));
  if (!lock.empty() && lock.At(0, "locked_until").AsInt() > now) {
    int64_t wait_s = (lock.At(0, "locked_until").AsInt() - now + 999) / 1000;
    Audit(who, "fund.verify.refused_locked", "fund_login", masked, {{"login_kind", LoginKindName(kind)}});
    return Error{
        ErrorKind::kResourceExhausted, "login_locked",
        "密码连续输错次数过多，该账号已暂时锁定，请 " + std::to_string((wait_s + 59) / 60) + " 分钟后再试"};
  }

  std::optional<Subject> subject;
  if (IsSixDigitPin(c.password)) {
    HOTLINE_ASSIGN_OR_RETURN(subject, port_.CheckPassword(who.center().code, kind, login_id, c.password));
  }  // a password of another shape is the caller's own mistake: it says nothing about the account
  if (subject) {
    HOTLINE_RETURN_IF_ERROR(db_.Query("DELETE FROM fund_login_failures WHERE login_key = $1", {key}));
    HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, Issue(who, *subject, kind, true, ""));
    Audit(who, "fund.verify.success", subject->type == SubjectType::kPerson ? "fund_person" : "fund_unit",
          subject->account, {{"login_kind", LoginKindName(kind)}});
    return ctx;
  }
  // One failure more; at the limit, lock and start counting afresh.
  HOTLINE_ASSIGN_OR_RETURN(auto counted, db_.Query("INSERT INTO fund_login_failures (login_key, failures, "
                                                   "locked_until, updated_at) VALUES ($1, 1, 0, $2) "
                                                   "ON CONFLICT (login_key) DO UPDATE SET failures = "
                                                   "fund_login_failures.failures + 1, updated_at = $2 "
                                                   "RETURNING failures",
                                                   {key, now}));
  int64_t failures = counted.rows[0][0].AsInt();
  Audit(who, "fund.verify.failure", "fund_login", masked,
        {{"login_kind", LoginKindName(kind)}, {"consecutive_failures", failures}});
  if (failures >= options_.max_failures) {
    int64_t until = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.lockout).count();
    HOTLINE_RETURN_IF_ERROR(
        db_.Query("UPDATE fund_login_failures SET failures = 0, locked_until = $2, updated_at = $3 WHERE "
                  "login_key = $1",
                  {key, until, now}));
    Audit(who, "fund.verify.locked", "fund_login", masked,
          {{"login_kind", LoginKindName(kind)}, {"locked_seconds", options_.lockout.count()}});
    return Error{ErrorKind::kResourceExhausted, "login_locked",
                 "密码连续输错 " + std::to_string(options_.max_failures) + " 次，该账号已暂时锁定，请 " +
                     std::to_string((options_.lockout.count() + 59) / 60) + " 分钟后再试"};
  }
  if (!IsSixDigitPin(c.password)) return Error::InvalidArgument("invalid_password", "查询密码应为 6 位数字");
  return Failed();
}

Result<VerifiedContext> IdentityVerifier::RecordUnverified(const Access& who, SubjectType type,
                                                           std::string_view login_id,
                                                           std::string_view reason) {
  HOTLINE_RETURN_IF_ERROR(CheckAccess(who));
  if (who.actor.is_system())
    return Error{ErrorKind::kPermissionDenied, "forbidden", "只有人工坐席可以记录无法核验的原因"};
  if (!IsValidUtf8(reason) || HasControlChars(reason) || Utf8Length(reason) < 2 || Utf8Length(reason) > 200)
    return Error::InvalidArgument("invalid_field", "请填写无法核验身份的原因（2–200 个字）");
  HOTLINE_ASSIGN_OR_RETURN(LoginKind kind, DetectLoginKind(type, login_id));
  std::string id(login_id);
  if (kind == LoginKind::kCitizenId && id[17] == 'x') id[17] = 'X';
  HOTLINE_ASSIGN_OR_RETURN(auto subject, port_.FindSubject(who.center().code, kind, id));
  if (!subject) {
    Audit(who, "fund.unverified.not_found", "fund_login", MaskLoginId(kind, id),
          {{"reason", std::string(reason)}});
    return Error::NotFound("没有找到该账户，请核对账号");
  }
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, Issue(who, *subject, kind, false, reason));
  Audit(who, "fund.verify.skipped", subject->type == SubjectType::kPerson ? "fund_person" : "fund_unit",
        subject->account, {{"login_kind", LoginKindName(kind)}, {"reason", std::string(reason)}});
  return ctx;
}

Result<VerifiedContext> IdentityVerifier::Issue(const Access& who, const Subject& subject, LoginKind kind,
                                                bool verified, std::string_view reason) {
  VerifiedContext ctx;
  ctx.token = "fv_" + random_.Token(24);
  ctx.subject = subject;
  ctx.login_kind = kind;
  ctx.channel = who.actor.channel();
  ctx.verified = verified;
  ctx.reason = std::string(reason);
  ctx.expires_at = clock_.Now() + std::chrono::duration_cast<std::chrono::milliseconds>(options_.context_ttl);
  // Housekeeping without a scheduler: every 1,000th context sweeps out those expired a day ago.
  if (issued_.fetch_add(1) % 1000 == 999) (void)PurgeExpired();
  HOTLINE_RETURN_IF_ERROR(
      db_.Query("INSERT INTO fund_contexts (token_hash, channel, center_code, subject_type, subject_account, "
                "login_kind, verified, "
                "reason, actor, created_at, expires_at, ended) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                "$10, $11, 0)",
                {pins_.KeyedId("context", ctx.token), std::string(ContextChannel(who.actor)),
                 subject.center_code, std::string(SubjectTypeName(subject.type)), subject.account,
                 std::string(LoginKindName(kind)), verified, ctx.reason, std::string(who.actor.name()),
                 ToEpochMillis(clock_.Now()), ToEpochMillis(ctx.expires_at)}));
  return ctx;
}

Result<VerifiedContext> IdentityVerifier::Resolve(const Access& who, std::string_view token) {
  auto required = [] {
    return Error{ErrorKind::kPermissionDenied, "verification_required",
                 "请先核验来电人身份（账号和查询密码）"};
  };
  HOTLINE_RETURN_IF_ERROR(CheckAccess(who));
  if (token.size() < 8 || token.size() > 100) return required();
  HOTLINE_ASSIGN_OR_RETURN(
      auto r,
      db_.Query("SELECT channel, center_code, subject_type, subject_account, login_kind, verified, reason, "
                "expires_at, ended FROM fund_contexts WHERE token_hash = $1",
                {pins_.KeyedId("context", token)}));
  if (r.empty() || r.At(0, "ended").AsInt() != 0 ||
      r.At(0, "channel").AsText() != ContextChannel(who.actor) ||
      r.At(0, "center_code").AsText() != who.center().code)
    return required();
  if (r.At(0, "expires_at").AsInt() <= ToEpochMillis(clock_.Now()))
    return Error{ErrorKind::kPermissionDenied, "verification_expired", "身份核验已过期，请重新核验"};
  VerifiedContext ctx;
  ctx.subject = {
      .type = r.At(0, "subject_type").AsText() == "unit" ? SubjectType::kUnit : SubjectType::kPerson,
      .account = r.At(0, "subject_account").AsText(),
      .center_code = r.At(0, "center_code").AsText()};
  ctx.login_kind = ParseLoginKind(r.At(0, "login_kind").AsText()).value_or(LoginKind::kAccountNumber);
  ctx.channel = who.actor.channel();
  ctx.verified = r.At(0, "verified").AsInt() != 0;
  ctx.reason = r.At(0, "reason").AsText();
  ctx.expires_at = FromEpochMillis(r.At(0, "expires_at").AsInt());
  return ctx;
}

Status IdentityVerifier::End(const Access& who, std::string_view token) {
  HOTLINE_RETURN_IF_ERROR(CheckAccess(who));
  if (token.size() > 100) return OkStatus();
  HOTLINE_RETURN_IF_ERROR(
      db_.Query("UPDATE fund_contexts SET ended = 1 WHERE token_hash = $1 AND center_code = $2",
                {pins_.KeyedId("context", token), who.center().code}));
  return OkStatus();
}

Result<int64_t> IdentityVerifier::PurgeExpired() {
  int64_t cutoff = ToEpochMillis(clock_.Now()) - 86400 * 1000;
  HOTLINE_ASSIGN_OR_RETURN(auto r, db_.Query("DELETE FROM fund_contexts WHERE expires_at < $1", {cutoff}));
  // Failure counts and locks idle for a day are over (a lock is at most 7 days: [fund] lockout_seconds).
  HOTLINE_RETURN_IF_ERROR(
      db_.Query("DELETE FROM fund_login_failures WHERE updated_at < $1 AND locked_until < $1", {cutoff}));
  return r.affected_rows;
}

}  // namespace hotline::fund
