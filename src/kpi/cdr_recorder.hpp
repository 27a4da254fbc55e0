// kpi::CdrRecorder: the public way to store ONE finished call durably — the live channels' CDR (voice
// writes it in the call's reporting state, whatever path led there: "no call without a CDR"). The call is
// resolved exactly as `hotline cdr import` resolves a row (cdr_centre.hpp: the centre by code, the local day
// of arrived_at in the centre's zone), then stored with its additive sums (kpi_daily, rolled up into
// kpi_monthly) and its drill-down run (cdr_runs) in one transaction (KpiStore::Insert), so the indicators
// (R-KPI-1…8) and the call log of its local day show it as soon as Record returns.
//
// Idempotent by call_id: recording a call_id that is stored already (a retry after a lost reply, or the
// same call imported from the call-centre system's CSV) changes nothing and reports `already_stored`; the
// first write wins, the later one's fields are not compared.
#pragma once

#include <memory>

#include "core/random.hpp"
#include "kpi/cdr.hpp"
#include "kpi/kpi_store.hpp"
#include "org/org_directory.hpp"

namespace hotline::kpi {

// The port the channels write CDRs through (voice and SMS fake it in their tests). Implementations are
// thread-safe: any channel thread may call Record at any time.
class CdrRecorder {
 public:
  virtual ~CdrRecorder() = default;

  struct Recorded {
    int64_t org_id = 0;           // the centre it is counted for
    Date local_day;               // the local day it is counted on (arrived_at in the centre's zone)
    bool already_stored = false;  // the call_id was stored before: nothing changed
  };
  // Stores `cdr` and returns once the transaction has committed (synchronous: a durable write, an fsync on
  // SQLite with synchronous=FULL — call it off the signalling thread, e.g. on the shared blocking
  // executor). Errors, nothing stored:
  //   invalid_field — the record breaks ValidateCdr (answered without answered_at, times out of order, …);
  //   unknown_centre, not_a_centre, invalid_field (zone) — ResolveCdrCentre;
  //   unavailable — the database failed (retry: the write is idempotent).
  virtual Result<Recorded> Record(const Cdr& cdr) = 0;
};

// The implementation over KpiStore. Thread-safe (no state besides its references; the store, directory
// and Random are thread-safe). The centre is looked up per call — one indexed read, small beside the
// durable commit — so a centre added or re-zoned while the server runs is seen by the next call.
class CdrRecorderImpl final : public CdrRecorder {
 public:
  // REQUIRES: the references outlive the recorder.
  CdrRecorderImpl(KpiStore& store, const org::OrgDirectory& orgs, Random& random)
      : store_(store), orgs_(orgs), random_(random) {}

  Result<Recorded> Record(const Cdr& cdr) override;

 private:
  KpiStore& store_;
  const org::OrgDirectory& orgs_;
  Random& random_;
};

}  // namespace hotline::kpi
