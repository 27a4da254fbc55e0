// Indicator reports as an Excel workbook (libxlsxwriter): the file supervisors open and forward.
// One sheet per level (全国 / 省级 / 中心), Chinese headers with units, 2-decimal number cells, and every
// indicator that breaks its threshold in red (R-KPI-3…8, R-KPI-10). Thread-compatible.
#pragma once

#include <string>

#include "core/result.hpp"
#include "kpi/report.hpp"

namespace hotline::kpi {

// Writes the workbook to `path` (overwritten). Errors: unavailable when the file cannot be written.
Status WriteXlsx(const Report& report, const std::string& path);
// The workbook as bytes (through a temporary file), for HTTP downloads.
Result<std::string> XlsxBytes(const Report& report);

}  // namespace hotline::kpi
