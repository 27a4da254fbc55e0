// A fast RFC 4180 CSV reader over bytes in memory (a file read whole or memory-mapped). Fields are
// string_views into the input, except quoted fields with doubled quotes, which are unescaped into the
// reader's scratch space (valid until the next call). Line numbers count physical lines, so errors
// can be reported as FILE:LINE (a quoted field may span lines). A UTF-8 BOM at the start is skipped.
// Not thread-safe (one reader per thread).
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

class CsvReader {
 public:
  explicit CsvReader(std::string_view data);

  // Reads the next record into `fields`. Returns false at the end of input or on a malformed record
  // (then error() is non-empty and the reader skips to the next line). Blank lines are skipped.
  bool Next(std::vector<std::string_view>* fields);
  // The physical line on which the last record returned (or failed) started, 1-based.
  size_t line() const { return record_line_; }
  const std::string& error() const { return error_; }
  bool at_end() const { return pos_ >= data_.size(); }
  size_t position() const { return pos_; }  // bytes consumed (for progress)

 private:
  std::string_view data_;
  size_t pos_ = 0;
  size_t current_line_ = 1;
  size_t record_line_ = 0;
  std::string error_;
  std::deque<std::string> scratch_;  // unescaped quoted fields of the current record
};

}  // namespace hotline
