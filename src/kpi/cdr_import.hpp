// `hotline cdr import`: loads CDRs from a CSV file (columns in any order, docs/INDICATORS.md), checks
// every row, imports the good ones in batches and reports each bad one as FILE:LINE: reason.
// Idempotent: re-importing a file changes nothing. Not thread-safe (one import per object).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "kpi/cdr_centre.hpp"
#include "kpi/kpi_store.hpp"
#include "org/org_directory.hpp"

namespace hotline::kpi {

struct ImportSummary {
  int64_t rows = 0;                 // data rows read
  int64_t imported = 0;             // new CDRs stored
  int64_t already_stored = 0;       // skipped: imported before
  std::vector<std::string> errors;  // "FILE:LINE: reason", in line order (at most max_errors kept)
  int64_t error_count = 0;
};

struct ImportOptions {
  // Rows per transaction. Larger batches mean fewer commits (each one an fsync with synchronous=FULL);
  // each batch holds the database's write lock while it is stored: about 0.35 s at 50,000 rows on SQLite
  // (docs/PERFORMANCE.md), during which the server's writes wait.
  size_t batch_rows = 50000;
  size_t max_errors = 1000;  // error lines kept (all are counted)
  // Called after each batch with bytes read so far and the file size (for a progress bar).
  std::function<void(size_t done, size_t total, const ImportSummary&)> progress;
};

class CdrImporter {
 public:
  CdrImporter(KpiStore& store, const org::OrgDirectory& orgs, Random& random)
      : store_(store), orgs_(orgs), random_(random) {}

  // Errors of the whole file (unreadable, bad header) are returned as an Error; bad rows are in the summary.
  Result<ImportSummary> ImportFile(const std::string& path, const ImportOptions& options);
  // The same over bytes in memory; `name` is used in messages. `consumed` (optional) is told, after each
  // stored batch, the length of the prefix of `data` that the import no longer needs.
  Result<ImportSummary> ImportBytes(std::string_view data, const std::string& name,
                                    const ImportOptions& options,
                                    const std::function<void(size_t)>& consumed = nullptr);

 private:
  KpiStore& store_;
  const org::OrgDirectory& orgs_;
  Random& random_;
};

}  // namespace hotline::kpi
