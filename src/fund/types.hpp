// The values of the provident-fund port (fund_port.hpp): what the centre's core business system says
// about a depositor (缴存人), a depositing unit (缴存单位), loans, histories, business progress and
// appointments. Money is integer fen (core/money.hpp); dates are civil dates in the centre's zone.
// Plain values: not thread-safe, cheap to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "core/time_zone.hpp"

namespace hotline::fund {

// 账户状态, the core systems' usual enumeration; the two-digit code is what they exchange.
enum class AccountStatus {
  kNormal,           // 01 正常
  kSealed,           // 02 封存
  kMergedClosed,     // 03 合并销户
  kTransferredOut,   // 04 外部转出销户
  kWithdrawnClosed,  // 05 提取销户
  kFrozen,           // 06 冻结
  kOther,            // 99 其他
};
std::string_view AccountStatusCode(AccountStatus s);   // "01" … "06", "99"
std::string_view AccountStatusLabel(AccountStatus s);  // "正常" …
// Unknown codes map to kOther (a core system may add codes; 99 is the catch-all).
AccountStatus ParseAccountStatus(std::string_view code);

// Which identifier a caller logged in with (R-IVR-2).
enum class LoginKind {
  kAccountNumber,  // 个人公积金账号 (12 digits)
  kCitizenId,      // 18-digit 公民身份号码 (GB 11643)
  kCardNumber,     // 联名卡 number (19 digits, Luhn)
  kUnitAccount,    // 单位账号 (10 digits)
};
std::string_view LoginKindName(
    LoginKind k);  // "account_number" | "citizen_id" | "card_number" | "unit_account"
std::optional<LoginKind> ParseLoginKind(std::string_view name);

enum class SubjectType { kPerson, kUnit };
std::string_view SubjectTypeName(SubjectType t);  // "person" | "unit"

// Who a verified context is about: a depositor or a unit, by its account number in the core system.
struct Subject {
  SubjectType type = SubjectType::kPerson;
  std::string account;      // personal fund account number or unit account number
  std::string center_code;  // the centre (org code) that keeps the account, e.g. "GS-LZ"
};

// 个人账户. Personal data: name, citizen_id, mobile, card_number, balances.
struct PersonAccount {
  std::string account_number;
  std::string name;
  std::string citizen_id;
  std::string mobile;
  std::string card_number;  // 联名卡; empty when none
  std::string unit_account;
  std::string unit_name;
  AccountStatus status = AccountStatus::kNormal;
  Fen balance = 0;               // 账户余额
  Fen monthly_deposit = 0;       // 月缴存额 (person + unit share)
  std::string last_paid_month;   // 末次汇缴年月, "2026-10"
  Fen deposit_base = 0;          // 缴存基数
  int person_rate_permille = 0;  // 个人缴存比例, ‰ (120 = 12%)
  int unit_rate_permille = 0;    // 单位缴存比例
  Date opened_on{};              // 开户日期
};

// 贷款. The loan number is shown masked to its last four digits (末4位贷款账号) even when verified.
struct Loan {
  std::string loan_number;
  Fen principal = 0;                    // 贷款总额
  int years = 0;                        // 贷款年限
  int periods = 0;                      // 期数 (months)
  int remaining_periods = 0;            // 剩余期数
  Fen monthly_payment = 0;              // 月还款额
  std::optional<Date> last_payment_on;  // 末次还款日期
  Fen last_payment_amount = 0;          // 末次还款金额
  Fen balance = 0;                      // 贷款余额
  int overdue_periods = 0;              // 逾期期数 (0: none)
  Fen overdue_amount = 0;               // 逾期金额
  std::string status;                   // "repaying" | "paid_off"
  Date started_on{};
};

// 基数调整
struct BaseAdjustment {
  Date on{};
  Fen new_base = 0;
  Fen monthly_deposit = 0;
};
// 结息 (each 30 June)
struct InterestSettlement {
  Date on{};
  Fen amount = 0;
  Fen balance_after = 0;
};
// 提取
struct Withdrawal {
  Date on{};
  Fen amount = 0;
  Fen balance_after = 0;
  std::string reason;  // e.g. "购房提取", "租房提取", "离退休提取"
};
// 账户状态变化
struct StatusChange {
  Date on{};
  AccountStatus from = AccountStatus::kNormal;
  AccountStatus to = AccountStatus::kNormal;
  std::string reason;
};
// 汇缴 (one monthly deposit)
struct Deposit {
  Date on{};
  std::string month;  // the month paid for, "2026-10"
  Fen amount = 0;
  Fen balance_after = 0;
};

// A business in progress (业务进度): loan application, withdrawal, complaint (维权投诉), or for units the
// base changes (日常基数变更, 年度基数调整) and other business.
enum class BusinessKind {
  kLoanApplication,  // 贷款申请
  kWithdrawal,       // 提取
  kComplaint,        // 维权投诉
  kUnitBaseChange,   // 日常基数变更
  kUnitAnnualBase,   // 年度基数调整
  kUnitOther,        // 单位其他业务 (开户、转移…)
};
std::string_view BusinessKindName(BusinessKind k);   // "loan_application", …
std::string_view BusinessKindLabel(BusinessKind k);  // "贷款申请", …
std::optional<BusinessKind> ParseBusinessKind(std::string_view name);

struct Progress {
  BusinessKind kind = BusinessKind::kLoanApplication;
  std::string reference;  // the core system's business number
  std::string stage;      // e.g. "受理", "审核", "审批", "放款", "办结", "退回"
  std::string detail;     // what the caller is told, e.g. "资料齐全，等待审批"
  Date updated_on{};
};

// 资格 (贷款资格 / 提取资格): computed by the core system from the account.
struct Eligibility {
  bool eligible = false;
  std::string kind;                  // "loan" | "withdrawal"
  std::vector<std::string> reasons;  // why not, or the conditions met, for people
  Fen max_amount = 0;                // loan: 可贷额度; withdrawal: 可提取金额
};

// 单位账户
struct UnitAccount {
  std::string unit_account;
  std::string name;
  std::string credit_code;  // 统一社会信用代码 (18 characters)
  std::string address;
  std::string contact_name;    // personal data
  std::string contact_mobile;  // personal data
  AccountStatus status = AccountStatus::kNormal;
  int person_count = 0;         // 缴存人数
  Fen monthly_deposit = 0;      // 月汇缴额
  std::string last_paid_month;  // 末次汇缴年月
  Fen balance = 0;              // 单位账户余额 (sum of its depositors' balances)
  Date opened_on{};
};

// 单位账户变动: 汇缴, 提取, 转入/转出, 封存/启封.
struct UnitChange {
  Date on{};
  std::string
      kind;  // "deposit" | "withdrawal" | "transfer_in" | "transfer_out" | "suspension" | "resumption"
  Fen amount = 0;
  int person_count = 0;  // people concerned
  std::string note;
};

// 业务网点 of the core system, where appointments are made and queues are called.
struct Branch {
  std::string code;  // e.g. "LZ-CG"
  std::string name;  // "城关服务大厅"
  std::string center_code;
  std::string address;
  int slot_capacity = 0;  // appointments per time slot
};

// 网点叫号排队: the queue at a branch now.
struct QueueStatus {
  std::string branch_code;
  std::string branch_name;
  std::string serving_number;  // 当前叫号, e.g. "A035"
  int waiting = 0;             // 等候人数
  int estimated_wait_minutes = 0;
  TimePoint as_of;
};

// 业务受理预约 (R-SVC-2/3).
enum class AppointmentKind {
  kLoanApplication,  // 贷款申请
  kLoanRepayment,    // 贷款还款 (提前还款等)
  kWithdrawal,       // 提取
  kUnitBusiness,     // 单位网点预约
};
std::string_view AppointmentKindName(
    AppointmentKind k);  // "loan_application" | "loan_repayment" | "withdrawal" | "unit_business"
std::string_view AppointmentKindLabel(AppointmentKind k);
std::optional<AppointmentKind> ParseAppointmentKind(std::string_view name);

// The time slots of a branch day: "09:00-10:00" … Slots are fixed by the branch's hours.
struct SlotAvailability {
  std::string slot;  // "09:00-10:00"
  int capacity = 0;
  int booked = 0;
};

struct NewAppointment {
  AppointmentKind kind = AppointmentKind::kWithdrawal;
  std::string branch_code;
  Date date{};
  std::string slot;  // one of the branch's slots, "09:00-10:00"
};

struct Appointment {
  std::string reference;  // e.g. "YY20261123-000042"
  AppointmentKind kind = AppointmentKind::kWithdrawal;
  std::string branch_code;
  std::string branch_name;
  Date date{};
  std::string slot;
  std::string state;  // "booked" | "cancelled"
  TimePoint created_at;
  std::optional<TimePoint> cancelled_at;
};

}  // namespace hotline::fund
