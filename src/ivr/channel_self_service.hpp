// SelfService for a real call (issue 13 §Self-service, §Service hours): the fund module through
// fund::AsyncFundService with the configured deadline (identity too — FundService::verifier() runs inside
// the same asynchronous call), the knowledge base, the branch directory, the service-hours cache, the
// call-back service and the SMS subscription port, all as org::Actor::ForSystem(kIvr, centre, call id).
// Work that may block (the database, the core system) runs on the blocking executor; every result is
// delivered on the call's executor.
//
// One object per call. Thread-safety: called from the call's executor only; its results come back there.
// REQUIRES: every reference outlives the object and every operation still in flight (the voice module
// destroys calls before the services, app/channels.hpp "Lifetime").
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <string>

#include "calendar/service_hours_cache.hpp"
#include "core/clock.hpp"
#include "core/time_zone.hpp"
#include "fund/async_fund_service.hpp"
#include "fund/fund_service.hpp"
#include "ivr/self_service.hpp"
#include "ivr/subscription_port.hpp"
#include "kb/kb_service.hpp"
#include "org/actor.hpp"
#include "workorder/callback_service.hpp"

namespace hotline::ivr {

struct ChannelSelfServiceOptions {
  std::chrono::milliseconds fund_timeout{3000};  // [ivr] fund_timeout_ms: a caller never waits longer
  int booking_days_ahead = 14;                   // how far the IVR looks for a free appointment slot
  TimeZone zone = TimeZone::Shanghai();
};

struct ChannelSelfServiceDeps {
  fund::AsyncFundService& fund;
  kb::KbService& kb;
  calendar::ServiceHoursCache& service_hours;
  workorder::CallbackService& callbacks;
  SubscriptionPort& subscriptions;
  const Clock& clock;                     // "now" for service hours (simulate --at fakes it)
  boost::asio::any_io_executor call;      // where results are delivered
  boost::asio::any_io_executor blocking;  // where database work runs
};

class ChannelSelfService final : public SelfService {
 public:
  ChannelSelfService(ChannelSelfServiceDeps deps, org::Org centre, std::string call_id,
                     std::string caller_number, ChannelSelfServiceOptions options = {});

  void Verify(const std::string& subject, const std::string& login_id, const std::string& password,
              Done<Verified> done) override;
  void Query(const std::string& token, const std::string& what, Done<std::vector<Values>> done) override;
  void OfferAppointment(const std::string& token, const std::string& kind,
                        Done<std::optional<AppointmentOffer>> done) override;
  void Book(const std::string& token, const AppointmentOffer& offer, Done<Values> done) override;
  void Subscription(const std::string& token, const std::string& content, bool subscribe,
                    Done<Values> done) override;
  void Categories(const std::string& root, Done<std::vector<std::string>> done) override;
  void Articles(const std::string& category, Done<std::vector<Values>> done) override;
  void Branches(Done<std::vector<Values>> done) override;
  void ManualService(Done<ManualHours> done) override;
  void RequestCallback(const std::string& ivr_path, const std::string& voicemail,
                       Done<int64_t> done) override;
  void EndContext(const std::string& token) override;

  const org::Actor& actor() const { return actor_; }

 private:
  template <typename T, typename F>
  void Fund(F call, Done<T> done);
  template <typename T, typename F>
  void Blocking(F work, Done<T> done);

  ChannelSelfServiceDeps deps_;
  org::Org centre_;
  org::Actor actor_;
  std::string call_id_;
  std::string caller_;
  ChannelSelfServiceOptions options_;
};

// The words a caller hears for fund records (placeholders of the national flow's read-back prompts).
Values AccountValues(const fund::PersonAccount& a);
Values LoanValues(const fund::Loan& l);
Values ProgressValues(const fund::Progress& p);
Values UnitValues(const fund::UnitAccount& u);
Values BranchValues(const kb::Branch& b);
// "09:00-10:00" → 上午九点到十点.
std::string SpokenSlot(std::string_view slot);
// The short answer of an article: its first paragraph as plain text, at most ~200 characters.
std::string ShortAnswer(std::string_view markdown);

}  // namespace hotline::ivr
