// The JSON contract between the hotline and a centre's core business system (docs/FUND-API.md "Core system
// contract"): how each FundPort value is written (ToWire, used by the contract server in tests and by
// anyone implementing the core side) and read back (From…Wire, used by HttpFundPort on untrusted bytes).
// Readers never trust the peer: every field is type-checked, strings are bounded and UTF-8, numbers in
// range; anything else is fund_bad_response. Pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.hpp"
#include "fund/fund_port.hpp"

namespace hotline::fund::wire {

nlohmann::json ToWire(const Subject& s);
nlohmann::json ToWire(const PersonAccount& a);
nlohmann::json ToWire(const Loan& l);
nlohmann::json ToWire(const Deposit& d);
nlohmann::json ToWire(const BaseAdjustment& b);
nlohmann::json ToWire(const InterestSettlement& i);
nlohmann::json ToWire(const Withdrawal& w);
nlohmann::json ToWire(const StatusChange& s);
nlohmann::json ToWire(const Eligibility& e);
nlohmann::json ToWire(const Progress& p);
nlohmann::json ToWire(const UnitAccount& u);
nlohmann::json ToWire(const UnitChange& c);
nlohmann::json ToWire(const Branch& b);
nlohmann::json ToWire(const QueueStatus& q);
nlohmann::json ToWire(const SlotAvailability& s);
nlohmann::json ToWire(const Appointment& a);
nlohmann::json ToWire(const HistoryQuery& q);
// {"error":{"code","message"}}
nlohmann::json ErrorToWire(const Error& e);

// Errors of every reader: fund_bad_response (kUnavailable: the core system misbehaves, callers get the
// "system busy" path) naming the field.
Result<Subject> SubjectFromWire(const nlohmann::json& j);
Result<PersonAccount> PersonAccountFromWire(const nlohmann::json& j);
Result<Loan> LoanFromWire(const nlohmann::json& j);
Result<Deposit> DepositFromWire(const nlohmann::json& j);
Result<BaseAdjustment> BaseAdjustmentFromWire(const nlohmann::json& j);
Result<InterestSettlement> InterestFromWire(const nlohmann::json& j);
Result<Withdrawal> WithdrawalFromWire(const nlohmann::json& j);
Result<StatusChange> StatusChangeFromWire(const nlohmann::json& j);
Result<Eligibility> EligibilityFromWire(const nlohmann::json& j);
Result<Progress> ProgressFromWire(const nlohmann::json& j);
Result<UnitAccount> UnitAccountFromWire(const nlohmann::json& j);
Result<UnitChange> UnitChangeFromWire(const nlohmann::json& j);
Result<Branch> BranchFromWire(const nlohmann::json& j);
Result<QueueStatus> QueueFromWire(const nlohmann::json& j);
Result<SlotAvailability> SlotFromWire(const nlohmann::json& j);
Result<Appointment> AppointmentFromWire(const nlohmann::json& j);
Result<HistoryQuery> HistoryQueryFromWire(const nlohmann::json& j);
// `{"items":[…]}` read with `item`.
template <typename T>
Result<std::vector<T>> ListFromWire(const nlohmann::json& j, Result<T> (*item)(const nlohmann::json&));

// A core system's HTTP response: status and body bytes → the JSON object of a 2xx answer, or the mapped
// error of a 4xx ({"error":{"code","message"}}: not_found, slot_full, slot_outside_hours,
// appointment_exists, appointment_not_active keep their codes; anything else becomes fund_rejected), or
// fund_unavailable for a 5xx, fund_bad_response for bytes that are not a bounded JSON object.
// The fuzz target fuzz/fund_wire_fuzz.cpp feeds this and every reader above.
Result<nlohmann::json> ParseResponse(int status, std::string_view body);

// Implementation of the template (after the declarations it needs).
Error BadResponse(std::string_view what);
template <typename T>
Result<std::vector<T>> ListFromWire(const nlohmann::json& j, Result<T> (*item)(const nlohmann::json&)) {
  if (!j.is_object() || !j.contains("items") || !j["items"].is_array() || j["items"].size() > 10000)
    return BadResponse("items");
  std::vector<T> out;
  for (const auto& e : j["items"]) {
    HOTLINE_ASSIGN_OR_RETURN(T v, item(e));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace hotline::fund::wire
