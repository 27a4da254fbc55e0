// What a live channel (voice: src/voice/, SMS: src/sms/) is given by App::Serve (issue 12 §4): every
// entry point it may use, and nothing of the HTTP server. A channel is a runtime::Component; Serve builds
// it from these and its own [voice]/[sms] Options and adds it to the one ordered list of components, after
// the HTTP server (the live events it publishes are served there) and before the periodic jobs.
//
// The channel acts as itself — org::Actor::ForSystem(kIvr or kSms, centre) — never as a user:
//   - account data: fund::AsyncFundService (FundService on the blocking executor, completed on the
//     channel's own strand, with a deadline), after the caller passed `verifier` (R-IVR-2);
//   - policy answers and branches: kb (read in effect, the actor's centre);
//   - "is manual service open, when does it open next" (R-IVR-3): service_hours, microseconds;
//   - one finished call (voice) or message (SMS, later): cdrs, durable when Record returns (R-KPI);
//   - work orders (IVR voice-mail complaints, SMS replies) and after-hours call-back requests: workorders,
//     callbacks;
//   - live events for the console (call state, queue boards): events, on topics it declared;
//   - its counters and histograms: metrics (served on /metrics by the HTTP server);
//   - timers and periodic jobs: scheduler; blocking work (files, the database from a signalling thread):
//     blocking — never a thread of its own for either.
// Lifetime: every reference outlives the channel (Serve destroys the channels first, then this struct's
// AsyncFundService, then the runtime's pool). Thread-safety: every member is thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "calendar/service_hours_cache.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "events/event_bus.hpp"
#include "events/metrics.hpp"
#include "fund/async_fund_service.hpp"
#include "fund/identity.hpp"
#include "kb/kb_service.hpp"
#include "kpi/cdr_recorder.hpp"
#include "org/audit_log.hpp"
#include "org/org_directory.hpp"
#include "runtime/scheduler.hpp"
#include "store/database.hpp"
#include "workorder/callback_service.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::app {

struct ChannelServices {
  const Clock& clock;
  Random& random;
  store::Database& db;  // the channel's own tables (its migrations), nothing of another module's
  const org::OrgDirectory& orgs;
  org::AuditLog& audit;
  events::Publisher& events;
  events::Metrics& metrics;
  runtime::Scheduler& scheduler;
  boost::asio::any_io_executor blocking;
  calendar::ServiceHoursCache& service_hours;
  kpi::CdrRecorder& cdrs;
  fund::IdentityVerifier& verifier;
  fund::AsyncFundService& fund;
  kb::KbService& kb;
  workorder::WorkOrderService& workorders;
  workorder::CallbackService& callbacks;
};

}  // namespace hotline::app
