#include "org/actor.hpp"

namespace hotline::org {

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kWeb:
      return "web";
    case Channel::kCli:
      return "cli";
    case Channel::kIvr:
      return "ivr";
    case Channel::kSms:
      return "sms";
    case Channel::kScheduler:
      return "scheduler";
  }
  return "";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (Channel c : {Channel::kWeb, Channel::kCli, Channel::kIvr, Channel::kSms, Channel::kScheduler})
    if (ChannelName(c) == name) return c;
  return std::nullopt;
}

std::string_view SystemPrincipalName(SystemPrincipal s) {
  switch (s) {
    case SystemPrincipal::kIvr:
      return "ivr";
    case SystemPrincipal::kSms:
      return "sms";
    case SystemPrincipal::kScheduler:
      return "scheduler";
    case SystemPrincipal::kCli:
      return "cli";
  }
  return "";
}

Actor Actor::ForUser(Principal principal, Channel channel, std::string remote_addr) {
  Actor a;
  a.principal_ = std::move(principal);
  a.channel_ = channel;
  a.remote_addr_ = std::move(remote_addr);
  return a;
}

Actor Actor::ForSystem(SystemPrincipal who, Org scope, std::string remote_addr) {
  Actor a;
  a.system_ = who;
  a.principal_.org = std::move(scope);
  a.principal_.user.id = 0;
  a.principal_.user.username = std::string(SystemPrincipalName(who));
  a.principal_.user.org_id = a.principal_.org.id;
  a.principal_.user.org_code = a.principal_.org.code;
  a.channel_ = who == SystemPrincipal::kIvr   ? Channel::kIvr
               : who == SystemPrincipal::kSms ? Channel::kSms
               : who == SystemPrincipal::kCli ? Channel::kCli
                                              : Channel::kScheduler;
  a.remote_addr_ = std::move(remote_addr);
  return a;
}

Actor Actor::ForCli(Org scope, Role role) {
  Actor a = ForSystem(SystemPrincipal::kCli, std::move(scope));
  a.principal_.user.role = role;
  return a;
}

std::optional<int64_t> Actor::user_id() const {
  if (system_) return std::nullopt;
  return principal_.user.id;
}

std::optional<Role> Actor::role() const {
  if (!system_ || *system_ == SystemPrincipal::kCli) return principal_.user.role;
  return std::nullopt;
}

std::string_view Actor::name() const { return principal_.user.username; }

bool Actor::Has(Permission p) const {
  if (!system_ || *system_ == SystemPrincipal::kCli) return principal_.Has(p);
  return SystemHas(*system_, p);
}

void Actor::Stamp(AuditEntry& entry) const {
  entry.actor_id = user_id();
  entry.actor = std::string(name());
  entry.channel = std::string(ChannelName(channel_));
  entry.remote_addr = remote_addr_;
}

bool SystemHas(SystemPrincipal who, Permission p) {
  switch (who) {
    case SystemPrincipal::kIvr:
    case SystemPrincipal::kSms:
      return p == Permission::kOrgRead || p == Permission::kKbRead || p == Permission::kFundRead ||
             p == Permission::kWorkOrderWrite || p == Permission::kCallbackWrite;
    case SystemPrincipal::kScheduler:
      return p == Permission::kOrgRead || p == Permission::kWorkOrderRead ||
             p == Permission::kWorkOrderReadAll || p == Permission::kCallbackRead ||
             p == Permission::kKpiRead;
    case SystemPrincipal::kCli:
      return false;  // the CLI acts with its role (Actor::Has)
  }
  return false;
}

Result<Org> FindOrgInScope(const OrgDirectory& orgs, const Actor& actor, std::string_view code) {
  auto target = orgs.FindByCode(code);
  if (!target.ok() || !actor.CanSee(*target))
    return Error{ErrorKind::kNotFound, "not_found",
                 "没有找到机构 " + std::string(code) + "：请检查机构代码（只能使用本机构及下级机构）"};
  return target;
}

Status RequireInScope(const Actor& actor, const Org& org, Permission permission) {
  if (!actor.CanSee(org))
    return Error{ErrorKind::kNotFound, "not_found",
                 "没有找到机构 " + org.code + "：请检查机构代码（只能使用本机构及下级机构）"};
  return Require(actor, permission);
}

Status Require(const Actor& actor, Permission permission) {
  if (!actor.Has(permission))
    return Error{ErrorKind::kPermissionDenied, "forbidden", "您的角色无权进行此操作，如需权限请联系管理员"};
  return OkStatus();
}

}  // namespace hotline::org
