// Storage of CDRs and of the additive sums per (centre, local day) that every report reads, rolled up per
// month by the database itself. The sums are maintained incrementally in the same transaction as the CDRs
// they count, so they are always exactly the sums of the stored CDRs (a kill -9 cannot leave them apart) —
// plus, in `complaints`, the complaint work orders (complaint_counter.hpp). Thread-safe.
#pragma once

#include <map>
#include <span>
#include <vector>

#include "core/time_zone.hpp"
#include "kpi/cdr.hpp"
#include "kpi/indicators.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace hotline::kpi {

extern const store::ModuleMigrations kKpiMigrations;

// A CDR resolved to its centre: the org id and the local day of arrived_at in the centre's zone.
struct ResolvedCdr {
  Cdr cdr;
  int64_t org_id = 0;
  Date local_day;
  // Where the record came from inside its import: the CSV line for `hotline cdr import`, any number
  // unique within the import for other callers. Stored with the CDR (import_id, import_line).
  int64_t line = 0;
};

struct KpiStoreOptions {
  // CDRs per INSERT statement, a power of two; 0 (the default) picks the engine's best: 64 on SQLite,
  // 256 on PostgreSQL (kpi_store.cpp says why). Tests set it to exercise multi-row statements.
  size_t rows_per_insert = 0;
};

class KpiStore {
 public:
  explicit KpiStore(store::Database& db, KpiStoreOptions options = {}) : db_(db), options_(options) {}

  struct Duplicate {
    size_t index;        // into the batch
    int64_t first_line;  // the `line` of the record of this import that holds the call_id
  };
  struct InsertResult {
    int64_t inserted = 0;
    int64_t already_stored = 0;         // call_id stored by an earlier import: skipped
    std::vector<Duplicate> duplicates;  // call_id already stored by this same import: skipped, in batch order
  };
  // Inserts the CDRs whose call_id is new and adds them to the daily sums, in one transaction.
  // CDRs already stored by an earlier import (same call_id) are skipped, so importing a file twice changes
  // nothing; a call_id repeated within one import (`import_id`) is reported as a duplicate.
  // REQUIRES: the rows of one import_id, over all its batches, have distinct `line`s.
  // Each call holds the database's write lock for its whole batch (on SQLite: all writers wait).
  // With `bulk` (from StartBulkLoad), the transaction is one of that bulk load: durable only after its
  // Sync() (store::BulkLoad); without, durable when Insert returns.
  Result<InsertResult> Insert(std::span<const ResolvedCdr> batch, int64_t import_id,
                              store::BulkLoad* bulk = nullptr);
  // For an import's batches (store::BulkLoad).
  Result<std::unique_ptr<store::BulkLoad>> StartBulkLoad() { return db_.StartBulkLoad(); }

  // Σ of the daily sums of `org_ids` over [from, to] (local days). Reads whole months from the monthly
  // rollup, so a year costs 12 rows per centre, not 365.
  Result<DaySums> Sum(const std::vector<int64_t>& org_ids, Date from, Date to) const;
  // The same, one entry per (org, day) that has data.
  Result<std::map<std::pair<int64_t, Date>, DaySums>> Daily(const std::vector<int64_t>& org_ids, Date from,
                                                            Date to) const;
  // Reference computation straight from the CDR table (GROUP BY), for the benchmark and consistency checks.
  Result<DaySums> SumFromCdrs(const std::vector<int64_t>& org_ids, Date from, Date to) const;

 private:
  store::Database& db_;
  const KpiStoreOptions options_;
};

}  // namespace hotline::kpi
