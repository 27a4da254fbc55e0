// Loading a directory (or one file) of knowledge-base files into a centre, and writing them back out
// (docs/KNOWLEDGE-BASE.md "Import and export"): `*.md` articles, `branches.json`, and `*.json` article
// arrays of our export format. Bad files are reported as "FILE:LINE: reason" and skipped; good ones are
// imported (published), idempotently. Not thread-safe (one import at a time per call).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kb/kb_service.hpp"

namespace hotline::kb {

struct ImportReport {
  int files = 0;
  int created = 0;       // new articles
  int new_versions = 0;  // new published versions of existing articles
  int unchanged = 0;     // same content already published
  int branches_changed = 0;
  int branches_unchanged = 0;
  std::vector<std::string> errors;  // "FILE:LINE: reason"
};

// `path` is a directory (its regular files, not recursive) or one file. Errors: not_found (no such path);
// file problems go to the report. The index is rebuilt once at the end when something changed.
Result<ImportReport> ImportPath(KbService& kb, const org::Actor& actor, const org::Org& center,
                                const std::string& path,
                                const std::function<void(int done, int total)>& progress = {});

enum class ExportFormat { kMarkdown, kJson };
// Writes every published version in `center`'s view and the branch directory to `dir` (created):
// Markdown files + branches.json, or articles.json + branches.json. Returns the number of versions written.
Result<int> ExportDir(KbService& kb, const org::Actor& actor, const org::Org& center, const std::string& dir,
                      ExportFormat format);

}  // namespace hotline::kb
