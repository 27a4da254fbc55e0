// `hotline cdr import`: loads CDRs from a CSV file (columns in any order, docs/INDICATORS.md), checks
// every row, imports the good ones in batches and reports each bad one as FILE:LINE: reason.
// Idempotent: re-importing a file changes nothing. Not thread-safe (one import per object).
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/random.hpp"
#include "kpi/kpi_store.hpp"
#include "org/org_directory.hpp"

namespace hotline::kpi {

struct ImportSummary {
  int64_t rows = 0;            // data rows read
  int64_t imported = 0;        // new CDRs stored
  int64_t already_stored = 0;  // skipped: imported before
  std::vector<std::string> errors;  // "FILE:LINE: reason", in line order (at most max_errors kept)
  int64_t error_count = 0;
};

struct ImportOptions {
  // Rows per transaction. Larger batches mean fewer commits (each one an fsync with synchronous=FULL);
  // each batch holds the database's write lock while it is stored: about 0.35 s at 50,000 rows on SQLite
  // (docs/PERFORMANCE.md), during which the server's writes wait.
  size_t batch_rows = 50000;
  size_t max_errors = 1000;   // error lines kept (all are counted)
  // Called after each batch with bytes read so far and the file size (for a progress bar).
  std::function<void(size_t done, size_t total, const ImportSummary&)> progress;
};

class CdrImporter {
 public:
  CdrImporter(KpiStore& store, const org::OrgDirectory& orgs, Random& random) : store_(store), orgs_(orgs), random_(random) {}

  // Errors of the whole file (unreadable, bad header) are returned as an Error; bad rows are in the summary.
  Result<ImportSummary> ImportFile(const std::string& path, const ImportOptions& options);
  // The same over bytes in memory; `name` is used in messages. `consumed` (optional) is told, after each
  // stored batch, the length of the prefix of `data` that the import no longer needs.
  Result<ImportSummary> ImportBytes(std::string_view data, const std::string& name, const ImportOptions& options,
                                    const std::function<void(size_t)>& consumed = nullptr);

 private:
  struct Centre {
    int64_t org_id = 0;
    std::optional<TimeZone> zone;
    std::string error;  // non-empty: rows of this code are refused with it
    // The local day of the last call and the instants [day_begin, day_end) it spans: a file's calls come
    // day by day, and a tzdata lookup per call was 1 % of the import.
    Date day{};
    TimePoint day_begin{}, day_end{};
    Date LocalDay(TimePoint t);
  };
  Centre& Resolve(const std::string& code);
  // Resolve with a one-entry cache: files list a centre's calls together.
  Centre& ResolveCached(const std::string& code);

  KpiStore& store_;
  const org::OrgDirectory& orgs_;
  Random& random_;
  std::unordered_map<std::string, Centre> centres_;
  std::string last_code_;
  Centre* last_centre_ = nullptr;  // points into centres_ (node-based: stable)
};

}  // namespace hotline::kpi
