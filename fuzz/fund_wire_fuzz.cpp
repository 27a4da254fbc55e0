// Fuzz target: answers of a provident-fund core system (fund/wire.hpp) — the HTTP adapter reads them from the
// network. The first byte picks the HTTP status class; the rest is the body, given to ParseResponse and then
// to every typed reader (directly and as an {"items":[…]} list). No crash, no unbounded work.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fund/wire.hpp"

namespace w = hotline::fund::wire;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr int kStatuses[] = {200, 201, 400, 404, 409, 422, 429, 500, 503};
  int status = kStatuses[data[0] % (sizeof kStatuses / sizeof kStatuses[0])];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parsed = w::ParseResponse(status, body);
  if (!parsed.ok()) return 0;
  const nlohmann::json& j = *parsed;
  (void)w::SubjectFromWire(j);
  (void)w::PersonAccountFromWire(j);
  (void)w::EligibilityFromWire(j);
  (void)w::UnitAccountFromWire(j);
  (void)w::QueueFromWire(j);
  (void)w::AppointmentFromWire(j);
  (void)w::HistoryQueryFromWire(j);
  (void)w::ListFromWire<hotline::fund::Loan>(j, &w::LoanFromWire);
  (void)w::ListFromWire<hotline::fund::Deposit>(j, &w::DepositFromWire);
  (void)w::ListFromWire<hotline::fund::BaseAdjustment>(j, &w::BaseAdjustmentFromWire);
  (void)w::ListFromWire<hotline::fund::InterestSettlement>(j, &w::InterestFromWire);
  (void)w::ListFromWire<hotline::fund::Withdrawal>(j, &w::WithdrawalFromWire);
  (void)w::ListFromWire<hotline::fund::StatusChange>(j, &w::StatusChangeFromWire);
  (void)w::ListFromWire<hotline::fund::Progress>(j, &w::ProgressFromWire);
  (void)w::ListFromWire<hotline::fund::UnitChange>(j, &w::UnitChangeFromWire);
  (void)w::ListFromWire<hotline::fund::Branch>(j, &w::BranchFromWire);
  (void)w::ListFromWire<hotline::fund::SlotAvailability>(j, &w::SlotFromWire);
  (void)w::ListFromWire<hotline::fund::Appointment>(j, &w::AppointmentFromWire);
  if (j.contains("match") && j.contains("subject")) (void)w::SubjectFromWire(j["subject"]);
  return 0;
}
