#include "core/csv.hpp"

#include <array>
#include <bit>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hotline {
namespace {
// Bytes that end an unquoted field (or make it malformed).
constexpr auto kUnquotedStop = [] {
  std::array<bool, 256> stop{};
  stop[','] = stop['\n'] = stop['\r'] = stop['"'] = true;
  return stop;
}();

// The end of the unquoted field that starts at `p[pos]`: the index of the first ',', '\n', '\r' or '"'
// at or after pos, or n. Sixteen bytes at a time where SSE2 is there (every x86-64), one table lookup
// per byte for the rest (this is the CDR importer's hottest loop).
size_t UnquotedFieldEnd(const char* p, size_t pos, size_t n) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                quote = _mm_set1_epi8('"');
  for (; pos + 16 <= n; pos += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + pos));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)));
    if (auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit))) return pos + std::countr_zero(mask);
  }
#endif
  while (pos < n && !kUnquotedStop[static_cast<unsigned char>(p[pos])]) ++pos;
  return pos;
}
}  // namespace

CsvReader::CsvReader(std::string_view data) : data_(data) {
  if (data_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

bool CsvReader::Next(std::vector<std::string_view>* fields) {
  fields->clear();
  scratch_.clear();
  error_.clear();
  const size_t n = data_.size();
  // Skip blank lines.
  while (pos_ < n && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++current_line_;
    ++pos_;
  }
  if (pos_ >= n) return false;
  record_line_ = current_line_;
  while (true) {
    if (pos_ < n && data_[pos_] == '"') {
      // Quoted field: ends at a quote not followed by another quote.
      size_t start = ++pos_;
      bool escaped = false;
      while (true) {
        size_t q = data_.find('"', pos_);
        if (q == std::string_view::npos) {
          error_ = "unterminated quoted field";
          pos_ = n;
          return false;
        }
        for (size_t i = pos_; i < q; ++i)
          if (data_[i] == '\n') ++current_line_;
        if (q + 1 < n && data_[q + 1] == '"') {
          escaped = true;
          pos_ = q + 2;
          continue;
        }
        std::string_view raw = data_.substr(start, q - start);
        if (escaped) {
          std::string& s = scratch_.emplace_back();
          s.reserve(raw.size());
          for (size_t i = 0; i < raw.size(); ++i) {
            s.push_back(raw[i]);
            if (raw[i] == '"') ++i;  // skip the doubled quote
          }
          fields->push_back(s);
        } else {
          fields->push_back(raw);
        }
        pos_ = q + 1;
        break;
      }
      if (pos_ < n && data_[pos_] != ',' && data_[pos_] != '\n' && data_[pos_] != '\r') {
        error_ = "unexpected character after a quoted field";
        size_t nl = data_.find('\n', pos_);
        pos_ = nl == std::string_view::npos ? n : nl;
        return false;
      }
    } else {
      // One pass finds the end of the field and any stray quote.
      const char* p = data_.data();
      size_t end = UnquotedFieldEnd(p, pos_, n);
      if (end < n && p[end] == '"') {
        error_ = "quote inside an unquoted field";
        size_t nl = data_.find('\n', pos_);
        pos_ = nl == std::string_view::npos ? n : nl;
        return false;
      }
      fields->push_back(data_.substr(pos_, end - pos_));
      pos_ = end;
    }
    if (pos_ >= n) return true;
    char c = data_[pos_];
    if (c == ',') {
      ++pos_;
      if (pos_ >= n) {  // trailing comma at end of input: one more empty field
        fields->push_back({});
        return true;
      }
      continue;
    }
    // End of record: \n, \r\n or a lone \r.
    if (c == '\r') ++pos_;
    if (pos_ < n && data_[pos_] == '\n') {
      ++pos_;
      ++current_line_;
    }
    return true;
  }
}

}  // namespace hotline
