#include "kpi/xlsx_export.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hotline::kpi {
namespace {

struct Column {
  const char* header;
  double width;
};
constexpr Column kColumns[] = {
    {"机构代码", 10},
    {"机构名称", 26},
    {"级别", 6},
    {"周期", 14},
    {"开始日期", 11},
    {"结束日期", 11},
    {"统计口径", 10},
    {"呼叫量（次）", 12},
    {"平均通话时长（分钟）", 14},
    {"接通率（%）", 11},
    {"呼损率（%）", 11},
    {"平均等待时间（分钟）", 14},
    {"平均话后处理时间（分钟）", 16},
    {"投诉率（%）", 11},
    {"满意度（%）", 11},
};

const char* LevelTitle(const std::string& level) {
  if (level == "nation") return "全国";
  if (level == "province") return "省级";
  return "中心";
}

}  // namespace

Status WriteXlsx(const Report& report, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return Error::Unavailable("cannot create " + path);
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xDDEBF7);
  format_set_text_wrap(header);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* number = workbook_add_format(wb);
  format_set_num_format(number, "0.00");
  lxw_format* breach = workbook_add_format(wb);
  format_set_num_format(breach, "0.00");
  format_set_font_color(breach, LXW_COLOR_RED);
  format_set_bold(breach);

  std::string basis = report.basis == "manual" ? "人工服务口径" : "全量口径";
  for (const char* level : {"nation", "province", "center"}) {
    bool any = false;
    for (const auto& r : report.rows) any = any || r.level == level;
    if (!any) continue;
    lxw_worksheet* ws = workbook_add_worksheet(wb, LevelTitle(level));
    for (size_t c = 0; c < std::size(kColumns); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), kColumns[c].header, header);
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), kColumns[c].width,
                           nullptr);
    }
    worksheet_freeze_panes(ws, 1, 2);
    lxw_row_t row = 1;
    for (const auto& r : report.rows) {
      if (r.level != level) continue;
      worksheet_write_string(ws, row, 0, r.org.c_str(), nullptr);
      worksheet_write_string(ws, row, 1, r.org_name.c_str(), nullptr);
      worksheet_write_string(ws, row, 2, LevelTitle(r.level), nullptr);
      worksheet_write_string(ws, row, 3, r.period.label.c_str(), nullptr);
      worksheet_write_string(ws, row, 4, FormatDate(r.period.start).c_str(), nullptr);
      worksheet_write_string(ws, row, 5, FormatDate(r.period.end).c_str(), nullptr);
      worksheet_write_string(ws, row, 6, basis.c_str(), nullptr);
      worksheet_write_number(ws, row, 7, static_cast<double>(r.indicators.call_total), nullptr);
      auto failed = [&](IndicatorId id) {
        for (const auto& [pid, ok] : r.pass)
          if (pid == id) return ok.has_value() && !*ok;
        return false;
      };
      auto put = [&](lxw_col_t col, const Decimal2& d, std::optional<IndicatorId> id) {
        if (d.is_null())
          worksheet_write_string(ws, row, col, "无数据", nullptr);
        else
          worksheet_write_number(ws, row, col, d.ToDouble(), id && failed(*id) ? breach : number);
      };
      put(8, r.indicators.callavg, std::nullopt);
      put(9, r.indicators.callconnect, IndicatorId::kCallConnect);
      put(10, r.indicators.abncalls, IndicatorId::kAbandon);
      put(11, r.indicators.waittimeavg, IndicatorId::kWait);
      put(12, r.indicators.acwavg, IndicatorId::kAcw);
      put(13, r.indicators.complntrate, IndicatorId::kComplaint);
      put(14, r.indicators.satisrate, IndicatorId::kSatisfaction);
      ++row;
    }
    std::string note = "统计口径：" + basis + "；达标标准：" + report.profile + "（红色为未达标）";
    worksheet_write_string(ws, row + 1, 0, note.c_str(), nullptr);
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return Error::Unavailable("cannot write " + path + ": " + lxw_strerror(err));
  return OkStatus();
}

Result<std::string> XlsxBytes(const Report& report) {
  auto path = std::filesystem::temp_directory_path() /
              ("hotline-kpi-" + std::to_string(getpid()) + "-" +
               std::to_string(reinterpret_cast<uintptr_t>(&report)) + ".xlsx");
  HOTLINE_RETURN_IF_ERROR(WriteXlsx(report, path.string()));
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return ss.str();
}

}  // namespace hotline::kpi
