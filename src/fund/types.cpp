#include "fund/types.hpp"

namespace hotline::fund {
namespace {

template <typename E, size_t N>
std::optional<E> FindByName(std::string_view name, const E (&values)[N], std::string_view (*fn)(E)) {
  for (E v : values)
    if (fn(v) == name) return v;
  return std::nullopt;
}

constexpr AccountStatus kStatuses[] = {
    AccountStatus::kNormal,         AccountStatus::kSealed,          AccountStatus::kMergedClosed,
    AccountStatus::kTransferredOut, AccountStatus::kWithdrawnClosed, AccountStatus::kFrozen,
    AccountStatus::kOther};

}  // namespace

std::string_view AccountStatusCode(AccountStatus s) {
  switch (s) {
    case AccountStatus::kNormal:
      return "01";
    case AccountStatus::kSealed:
      return "02";
    case AccountStatus::kMergedClosed:
      return "03";
    case AccountStatus::kTransferredOut:
      return "04";
    case AccountStatus::kWithdrawnClosed:
      return "05";
    case AccountStatus::kFrozen:
      return "06";
    case AccountStatus::kOther:
      return "99";
  }
  return "99";
}

std::string_view AccountStatusLabel(AccountStatus s) {
  switch (s) {
    case AccountStatus::kNormal:
      return "正常";
    case AccountStatus::kSealed:
      return "封存";
    case AccountStatus::kMergedClosed:
      return "合并销户";
    case AccountStatus::kTransferredOut:
      return "外部转出销户";
    case AccountStatus::kWithdrawnClosed:
      return "提取销户";
    case AccountStatus::kFrozen:
      return "冻结";
    case AccountStatus::kOther:
      return "其他";
  }
  return "其他";
}

AccountStatus ParseAccountStatus(std::string_view code) {
  for (AccountStatus s : kStatuses)
    if (AccountStatusCode(s) == code) return s;
  return AccountStatus::kOther;
}

std::string_view LoginKindName(LoginKind k) {
  switch (k) {
    case LoginKind::kAccountNumber:
      return "account_number";
    case LoginKind::kCitizenId:
      return "citizen_id";
    case LoginKind::kCardNumber:
      return "card_number";
    case LoginKind::kUnitAccount:
      return "unit_account";
  }
  return "account_number";
}
std::optional<LoginKind> ParseLoginKind(std::string_view name) {
  constexpr LoginKind kAll[] = {LoginKind::kAccountNumber, LoginKind::kCitizenId, LoginKind::kCardNumber,
                                LoginKind::kUnitAccount};
  return FindByName(name, kAll, &LoginKindName);
}

std::string_view SubjectTypeName(SubjectType t) { return t == SubjectType::kPerson ? "person" : "unit"; }

std::string_view BusinessKindName(BusinessKind k) {
  switch (k) {
    case BusinessKind::kLoanApplication:
      return "loan_application";
    case BusinessKind::kWithdrawal:
      return "withdrawal";
    case BusinessKind::kComplaint:
      return "complaint";
    case BusinessKind::kUnitBaseChange:
      return "unit_base_change";
    case BusinessKind::kUnitAnnualBase:
      return "unit_annual_base";
    case BusinessKind::kUnitOther:
      return "unit_other";
  }
  return "unit_other";
}
std::string_view BusinessKindLabel(BusinessKind k) {
  switch (k) {
    case BusinessKind::kLoanApplication:
      return "贷款申请";
    case BusinessKind::kWithdrawal:
      return "提取";
    case BusinessKind::kComplaint:
      return "维权投诉";
    case BusinessKind::kUnitBaseChange:
      return "日常基数变更";
    case BusinessKind::kUnitAnnualBase:
      return "年度基数调整";
    case BusinessKind::kUnitOther:
      return "单位其他业务";
  }
  return "";
}
std::optional<BusinessKind> ParseBusinessKind(std::string_view name) {
  constexpr BusinessKind kAll[] = {BusinessKind::kLoanApplication, BusinessKind::kWithdrawal,
                                   BusinessKind::kComplaint,       BusinessKind::kUnitBaseChange,
                                   BusinessKind::kUnitAnnualBase,  BusinessKind::kUnitOther};
  return FindByName(name, kAll, &BusinessKindName);
}

std::string_view AppointmentKindName(AppointmentKind k) {
  switch (k) {
    case AppointmentKind::kLoanApplication:
      return "loan_application";
    case AppointmentKind::kLoanRepayment:
      return "loan_repayment";
    case AppointmentKind::kWithdrawal:
      return "withdrawal";
    case AppointmentKind::kUnitBusiness:
      return "unit_business";
  }
  return "withdrawal";
}
std::string_view AppointmentKindLabel(AppointmentKind k) {
  switch (k) {
    case AppointmentKind::kLoanApplication:
      return "贷款申请";
    case AppointmentKind::kLoanRepayment:
      return "贷款还款";
    case AppointmentKind::kWithdrawal:
      return "提取";
    case AppointmentKind::kUnitBusiness:
      return "单位业务";
  }
  return "";
}
std::optional<AppointmentKind> ParseAppointmentKind(std::string_view name) {
  constexpr AppointmentKind kAll[] = {AppointmentKind::kLoanApplication, AppointmentKind::kLoanRepayment,
                                      AppointmentKind::kWithdrawal, AppointmentKind::kUnitBusiness};
  return FindByName(name, kAll, &AppointmentKindName);
}

}  // namespace hotline::fund
