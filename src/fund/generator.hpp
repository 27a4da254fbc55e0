// The deterministic demo data generator of the embedded core system (`hotline fund generate`): depositors
// with realistic Chinese names, Lanzhou-style employers, GB 11643 citizen ids with Gansu region codes and
// valid check characters, 联名卡 numbers (Luhn), mobiles, six-digit query passwords (stored only as keyed
// hashes, pin_hasher.hpp), and account, loan and business histories: monthly deposits (汇缴), a base
// adjustment each July (基数调整), interest settled each 30 June (结息), withdrawals (提取), status
// changes (封存、冻结、销户), loans with 等额本息 schedules and some overdue, business in progress, plus
// branches with time slots and queues.
//
// Determinism: person i of a run depends only on (seed, i, as_of, center, units), so the same options give
// the same data on every machine, and one person can be re-derived without the database (DescribePerson,
// used by `hotline fund demo-caller` to tell a tester a caller's login ids and demo password). Citizen ids
// are unique within a run (a bijective permutation of the index, not random draws).
//
// Speed (bench/fund_bench.cpp): multi-row prepared INSERTs in large transactions; 1,000,000 people go into
// SQLite in under two minutes on the reference machine (docs/PERFORMANCE.md "Provident-fund data").
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "fund/pin_hasher.hpp"
#include "store/database.hpp"

namespace hotline::fund {

struct GeneratorOptions {
  std::string center_code = "GS-LZ";  // the org code the accounts belong to
  // Four digits that start every account, unit and card number of this centre (its region code), so two
  // centres generated into one database never collide. Default: 6201 (兰州).
  std::string number_prefix = "6201";
  int64_t people = 1000;  // 1…50,000,000
  int64_t units = 50;     // 1…99,999
  uint64_t seed = 12329;
  Date as_of{};                  // "today" of the data: histories end the month before. REQUIRED.
  int64_t commit_every = 20000;  // people per transaction
};

struct GenerateReport {
  int64_t people = 0;
  int64_t units = 0;
  int64_t loans = 0;
  int64_t history_rows = 0;
  int64_t branches = 0;
};

// Called after each committed transaction with people done so far.
using GenerateProgress = std::function<void(int64_t people_done)>;

// Writes a centre's data. Errors: invalid_field for out-of-range options; fund_data_exists (409) when the
// centre already has accounts (generate into an empty centre); store errors as they come.
Result<GenerateReport> Generate(store::Database& db, const PinHasher& pins, const GeneratorOptions& options,
                                const GenerateProgress& progress = {});

// The six-digit demo query password of person `index` (0-based) or of unit `index` (unit = true).
std::string DemoPassword(uint64_t seed, int64_t index, bool unit = false);

// What a tester needs to call in as person `index` of a run: derived, not read from the database.
struct DemoCaller {
  std::string name;
  std::string account_number;
  std::string citizen_id;
  std::string card_number;  // empty when the person has no 联名卡
  std::string mobile;
  std::string password;
  std::string unit_account;
  std::string unit_password;
};
DemoCaller DescribePerson(const GeneratorOptions& options, int64_t index);
// The options a centre's data was generated with (recorded by Generate). Errors: not_found.
Result<GeneratorOptions> LoadGeneratorOptions(store::Database& db, std::string_view center_code);

}  // namespace hotline::fund
