#include "kpi/cdr_recorder.hpp"

#include "kpi/cdr_centre.hpp"

namespace hotline::kpi {

Result<CdrRecorder::Recorded> CdrRecorderImpl::Record(const Cdr& cdr) {
  HOTLINE_RETURN_IF_ERROR(ValidateCdr(cdr));
  HOTLINE_ASSIGN_OR_RETURN(CdrCentre centre, ResolveCdrCentre(orgs_, cdr.center));
  ResolvedCdr row{.cdr = cdr, .org_id = centre.org_id, .line = 1};
  row.local_day = LocalDayCache(centre.zone).LocalDay(cdr.arrived_at);  // the local day it arrived on
  // Each call is its own "import" (cdrs.import_id: a fresh random id, import_line 1). A stored call_id
  // therefore always belongs to another import_id, so KpiStore::Insert reports it as already stored —
  // never as a duplicate within the import — whether it came from an earlier Record or from a CSV.
  int64_t import_id = 0;
  random_.Fill(&import_id, sizeof import_id);
  import_id &= INT64_MAX;
  HOTLINE_ASSIGN_OR_RETURN(auto r, store_.Insert(std::span(&row, 1), import_id));
  return Recorded{.org_id = row.org_id, .local_day = row.local_day, .already_stored = r.inserted == 0};
}

}  // namespace hotline::kpi
