#include "kpi/cdr_import.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <queue>

#include "core/csv.hpp"

namespace hotline::kpi {

Result<ImportSummary> CdrImporter::ImportFile(const std::string& path, const ImportOptions& options) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Error::InvalidArgument("cannot_read", path + ": cannot open the file (check the path)");
  struct stat st {};
  ::fstat(fd, &st);
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return Error::InvalidArgument("invalid_csv", path + ":1: the file is empty (a header row is required)");
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) {
    ::close(fd);
    return Error::Unavailable(path + ": cannot map the file into memory");
  }
  ::madvise(map, size, MADV_SEQUENTIAL);
  // The file is read once: the part already stored goes back to the operating system batch by batch
  // (out of this mapping and out of the page cache), as PostgreSQL's COPY keeps to a small ring of
  // buffers. A big import then does not push the server's working set out of memory, and the database's
  // new pages reuse the file's (docs/PERFORMANCE.md). Safe whatever the offsets: a dropped page of a
  // read-only file mapping is read again from the file if touched.
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t released = 0;
  auto release = [&](size_t upto) {
    size_t end = upto / page * page;
    if (end <= released) return;
    ::madvise(static_cast<char*>(map) + released, end - released, MADV_DONTNEED);
    ::posix_fadvise(fd, static_cast<off_t>(released), static_cast<off_t>(end - released),
                    POSIX_FADV_DONTNEED);
    released = end;
  };
  auto result = ImportBytes(std::string_view(static_cast<const char*>(map), size), path, options, release);
  ::munmap(map, size);
  ::close(fd);
  return result;
}

Result<ImportSummary> CdrImporter::ImportBytes(std::string_view data, const std::string& name,
                                               const ImportOptions& options,
                                               const std::function<void(size_t)>& consumed) {
  CsvReader reader(data);
  std::vector<std::string_view> fields;
  if (!reader.Next(&fields))
    return Error::InvalidArgument("invalid_csv",
                                  name + ":" + std::to_string(std::max<size_t>(1, reader.line())) + ": " +
                                      (reader.error().empty() ? "no header row" : reader.error()));
  auto layout = CdrCsvLayout::FromHeader(fields);
  if (!layout.ok())
    return Error::InvalidArgument("invalid_csv",
                                  name + ":" + std::to_string(reader.line()) + ": " + layout.error().message);

  int64_t import_id = 0;
  random_.Fill(&import_id, sizeof import_id);
  import_id &= INT64_MAX;
  ImportSummary summary;
  // The first max_errors errors by line, whatever order they are found in — a batch's duplicates are
  // found after its parse errors (a max-heap on the line: the largest kept line goes when a smaller one
  // comes).
  using LineError = std::pair<size_t, std::string>;
  auto later = [](const LineError& a, const LineError& b) { return a.first < b.first; };
  std::priority_queue<LineError, std::vector<LineError>, decltype(later)> kept(later);
  auto error = [&](size_t line, std::string reason) {
    ++summary.error_count;
    if (options.max_errors == 0) return;
    if (kept.size() < options.max_errors) {
      kept.emplace(line, std::move(reason));
    } else if (line < kept.top().first) {
      kept.pop();
      kept.emplace(line, std::move(reason));
    }
  };
  // The batch is recycled: its records keep their strings' storage from one batch to the next, so the
  // hot loop does not allocate. batch[0, filled) holds this batch's rows; it grows to batch_rows at most.
  // (Parsing the next batch on a second thread while one is stored was tried: on one core it saved
  // nothing, docs/PERFORMANCE.md.)
  const size_t batch_rows = std::max<size_t>(1, options.batch_rows);
  std::vector<ResolvedCdr> batch;
  size_t filled = 0;
  // The centres and local days, resolved as kpi::CdrRecorder resolves a live call (cdr_centre.hpp).
  CdrCentreCache centres(orgs_);
  // The batches are the transactions of one bulk load: on SQLite their disk writes overlap the parsing
  // of the next batches, and the import reports its result only once they are all durable (Sync below).
  // A power cut before that may undo the last batches; importing the file again redoes them.
  HOTLINE_ASSIGN_OR_RETURN(auto bulk, store_.StartBulkLoad());
  auto flush = [&]() -> Status {
    if (filled == 0) return OkStatus();
    HOTLINE_ASSIGN_OR_RETURN(auto r, store_.Insert(std::span(batch.data(), filled), import_id, bulk.get()));
    summary.imported += r.inserted;
    summary.already_stored += r.already_stored;
    for (const auto& d : r.duplicates) {
      const ResolvedCdr& dup = batch[d.index];
      error(static_cast<size_t>(dup.line), "duplicate call_id " + dup.cdr.call_id.substr(0, 64) +
                                               " (it appears earlier in this file, line " +
                                               std::to_string(d.first_line) + ")");
    }
    filled = 0;
    return OkStatus();
  };
  while (!reader.at_end()) {
    if (!reader.Next(&fields)) {
      if (!reader.error().empty()) {
        ++summary.rows;
        error(reader.line(), reader.error());
      }
      continue;
    }
    ++summary.rows;
    if (filled == batch.size()) batch.emplace_back();
    ResolvedCdr& row = batch[filled];
    if (Status st = layout->ParseInto(fields, &row.cdr); !st.ok()) {
      error(reader.line(), st.error().message);
      continue;
    }
    CdrCentreCache::Entry& centre = centres.Resolve(row.cdr.center);
    if (!centre.error.empty()) {
      error(reader.line(), centre.error);
      continue;
    }
    row.org_id = centre.org_id;
    row.local_day = centre.days->LocalDay(row.cdr.arrived_at);  // a call belongs to the local day it arrived
    row.line = static_cast<int64_t>(reader.line());
    if (++filled == batch_rows) {
      HOTLINE_RETURN_IF_ERROR(flush());  // the batch's records hold copies of their fields
      if (consumed) consumed(reader.position());
      if (options.progress) options.progress(reader.position(), data.size(), summary);
    }
  }
  HOTLINE_RETURN_IF_ERROR(flush());
  HOTLINE_RETURN_IF_ERROR(bulk->Sync());
  if (options.progress) options.progress(data.size(), data.size(), summary);
  std::vector<LineError> errors;
  errors.reserve(kept.size());
  for (; !kept.empty(); kept.pop()) errors.push_back(kept.top());
  std::reverse(errors.begin(), errors.end());  // the heap gave them largest line first
  for (auto& [line, reason] : errors)
    summary.errors.push_back(name + ":" + std::to_string(line) + ": " + reason);
  return summary;
}

}  // namespace hotline::kpi
