// The XLSX export writes a real workbook: a zip with one sheet per level and the Chinese headers.
#include "kpi/xlsx_export.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hotline::kpi {
namespace {

TEST(XlsxExportTest, WritesOneSheetPerLevel) {
  Report report{"manual", "gansu", {}};
  Period p;
  ASSERT_TRUE(ParseDate("2026-03-01", &p.start));
  p.end = p.start;
  p.label = "2026-03-01";
  DaySums s;
  s.n_in = 10, s.n_req = 8, s.n_ans = 6, s.n_abn = 2, s.wait_ms = 6 * 45000;
  for (const char* level : {"nation", "province", "center"}) {
    ReportRow row{"X", "兰州住房公积金管理中心", level, p, s, Compute(s, {}), {}};
    for (const auto& th : FindProfile("gansu")->thresholds) row.pass.emplace_back(th.id, Passes(th, s, {}));
    report.rows.push_back(row);
  }
  auto bytes = XlsxBytes(report);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  ASSERT_GT(bytes->size(), 1000u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");  // an OOXML zip container
  auto path = std::filesystem::temp_directory_path() / "hotline-xlsx-test.xlsx";
  ASSERT_TRUE(WriteXlsx(report, path.string()).ok());
  EXPECT_GT(std::filesystem::file_size(path), 1000u);
  std::filesystem::remove(path);
  EXPECT_FALSE(WriteXlsx(report, "/nonexistent-dir/x.xlsx").ok());
}

}  // namespace
}  // namespace hotline::kpi
