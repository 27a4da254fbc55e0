// Tables of the embedded provident-fund system (kFundMigrations): a small core business system of its own
// for centres without one reachable over HTTP, and for the demo (the generator fills it). No foreign keys to
// other modules: centres are named by org code, as a real core system would.
//
//   fund_units            单位账户, with the unit's query-password hash
//   fund_persons          个人账户, with the query-password hash; lookups by account number, citizen id,
//                         联名卡 number and unit
//   fund_loans            贷款
//   fund_history          (v2) one row per dated event of a person: deposit (汇缴), base (基数调整), interest
//   (结息),
//                         withdrawal (提取), status (账户状态变化); read newest first per person and kind
//   fund_unit_history     单位账户变动
//   fund_progress         业务进度 of persons and units
//   fund_branches         业务网点: time slots and capacity per slot
//   fund_queue            网点叫号: the queue now, per branch
//   fund_slot_bookings    booked count per branch, date and slot: the capacity check is one atomic upsert
//   fund_appointments     业务受理预约
//   fund_login_failures   consecutive verification failures and locks per login id (keyed hash, R-IVR-2)
//   fund_contexts         verified contexts: hashed token → subject, channel, centre, expiry (R-IVR-2)
//   fund_generations      the generator options a centre's demo data came from (`hotline fund demo-caller`)
#include "fund/embedded_fund_port.hpp"

namespace hotline::fund {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "embedded core system: persons, units, loans, histories, progress, branches, appointments, contexts",
     R"sql(
CREATE TABLE fund_units (
  id BIGINT PRIMARY KEY,
  center_code TEXT NOT NULL,
  unit_account TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  credit_code TEXT NOT NULL,
  address TEXT NOT NULL,
  contact_name TEXT NOT NULL,
  contact_mobile TEXT NOT NULL,
  status TEXT NOT NULL,
  person_count BIGINT NOT NULL,
  monthly_deposit BIGINT NOT NULL,
  last_paid_month TEXT NOT NULL,
  balance BIGINT NOT NULL,
  opened_on TEXT NOT NULL,
  pw_salt TEXT NOT NULL,
  pw_hash TEXT NOT NULL
);
CREATE TABLE fund_persons (
  id BIGINT PRIMARY KEY,
  center_code TEXT NOT NULL,
  account_number TEXT NOT NULL UNIQUE,
  citizen_id TEXT NOT NULL,
  card_number TEXT NOT NULL,
  name TEXT NOT NULL,
  mobile TEXT NOT NULL,
  unit_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  balance BIGINT NOT NULL,
  monthly_deposit BIGINT NOT NULL,
  last_paid_month TEXT NOT NULL,
  deposit_base BIGINT NOT NULL,
  person_rate BIGINT NOT NULL,
  unit_rate BIGINT NOT NULL,
  opened_on TEXT NOT NULL,
  pw_salt TEXT NOT NULL,
  pw_hash TEXT NOT NULL
);
CREATE INDEX fund_persons_citizen ON fund_persons(citizen_id);
CREATE INDEX fund_persons_card ON fund_persons(card_number);
CREATE INDEX fund_persons_unit ON fund_persons(unit_id);
CREATE TABLE fund_loans (
  person_id BIGINT NOT NULL,
  loan_number TEXT NOT NULL,
  principal BIGINT NOT NULL,
  years BIGINT NOT NULL,
  periods BIGINT NOT NULL,
  remaining_periods BIGINT NOT NULL,
  monthly_payment BIGINT NOT NULL,
  last_payment_on TEXT,
  last_payment_amount BIGINT NOT NULL,
  balance BIGINT NOT NULL,
  overdue_periods BIGINT NOT NULL,
  overdue_amount BIGINT NOT NULL,
  status TEXT NOT NULL,
  started_on TEXT NOT NULL
);
CREATE INDEX fund_loans_person ON fund_loans(person_id);
CREATE TABLE fund_unit_history (
  unit_id BIGINT NOT NULL,
  on_date TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount BIGINT NOT NULL,
  person_count BIGINT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX fund_unit_history_unit ON fund_unit_history(unit_id, on_date);
CREATE TABLE fund_progress (
  subject_type TEXT NOT NULL CHECK (subject_type IN ('person', 'unit')),
  subject_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  reference TEXT NOT NULL,
  stage TEXT NOT NULL,
  detail TEXT NOT NULL,
  updated_on TEXT NOT NULL
);
CREATE INDEX fund_progress_subject ON fund_progress(subject_type, subject_id);
CREATE TABLE fund_branches (
  id BIGINT PRIMARY KEY,
  center_code TEXT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  slots TEXT NOT NULL,
  slot_capacity BIGINT NOT NULL,
  UNIQUE (center_code, code)
);
CREATE TABLE fund_queue (
  branch_id BIGINT PRIMARY KEY,
  serving_number TEXT NOT NULL,
  waiting BIGINT NOT NULL,
  minutes_per_person BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE fund_slot_bookings (
  branch_id BIGINT NOT NULL,
  on_date TEXT NOT NULL,
  slot TEXT NOT NULL,
  booked BIGINT NOT NULL,
  PRIMARY KEY (branch_id, on_date, slot)
);
CREATE TABLE fund_appointments (
  id {{ID}},
  reference TEXT NOT NULL UNIQUE,
  branch_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  on_date TEXT NOT NULL,
  slot TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('booked', 'cancelled')),
  created_at BIGINT NOT NULL,
  cancelled_at BIGINT
);
CREATE INDEX fund_appointments_subject ON fund_appointments(subject_type, subject_id);
CREATE UNIQUE INDEX fund_appointments_one_per_day ON fund_appointments(subject_type, subject_id, kind, on_date)
  WHERE state = 'booked';
CREATE TABLE fund_login_failures (
  login_key TEXT PRIMARY KEY,
  failures BIGINT NOT NULL,
  locked_until BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE fund_contexts (
  token_hash TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  center_code TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_account TEXT NOT NULL,
  login_kind TEXT NOT NULL,
  verified BIGINT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ended BIGINT NOT NULL
);
CREATE INDEX fund_contexts_expiry ON fund_contexts(expires_at);
CREATE TABLE fund_generations (
  center_code TEXT PRIMARY KEY,
  number_prefix TEXT NOT NULL,
  people BIGINT NOT NULL,
  units BIGINT NOT NULL,
  seed TEXT NOT NULL,
  as_of TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
)sql"},
    // The largest table (about a dozen rows per person): clustered by its lookup key, so a person's history
    // is one range read and there is no second copy of the key in an index (SQLite: WITHOUT ROWID).
    {2, "person histories clustered by person, kind and date",
     R"sql(
CREATE TABLE fund_history (
  person_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('deposit', 'base', 'interest', 'withdrawal', 'status')),
  on_date TEXT NOT NULL,
  seq BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  balance_after BIGINT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (person_id, kind, on_date, seq)
) WITHOUT ROWID;
)sql",
     R"sql(
CREATE TABLE fund_history (
  person_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('deposit', 'base', 'interest', 'withdrawal', 'status')),
  on_date TEXT NOT NULL,
  seq BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  balance_after BIGINT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (person_id, kind, on_date, seq)
);
)sql"},
};

}  // namespace

const store::ModuleMigrations kFundMigrations = {"fund", kMigrations};

}  // namespace hotline::fund
