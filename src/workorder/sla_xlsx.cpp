// The SLA report as an Excel workbook (libxlsxwriter 1.1 writes only to files: a private temporary file
// made with mkstemp, read back and removed).
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "workorder/sla_report.hpp"

namespace hotline::workorder {
namespace {

struct Column {
  const char* header;
  double width;
};

constexpr Column kRowColumns[] = {
    {"中心", 10}, {"承办部门", 16},  {"新建工单", 10},        {"撤销/合并", 10},
    {"办结", 8},  {"按时办结", 10},  {"按时办结率（%）", 14}, {"平均办理时长（工作日）", 20},
    {"关闭", 8},  {"超期未办结", 12}};
constexpr Column kLateColumns[] = {{"工单编号", 18},
                                   {"中心", 10},
                                   {"承办部门", 16},
                                   {"分类", 10},
                                   {"状态", 12},
                                   {"时限状态", 10},
                                   {"受理时间（UTC）", 24},
                                   {"办理期限", 12},
                                   {"办结时间（UTC）", 24},
                                   {"超期工作日", 12}};

void Headers(lxw_worksheet* ws, const Column* columns, size_t n, lxw_format* format) {
  for (size_t c = 0; c < n; ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), columns[c].header, format);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), columns[c].width, nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
}

Status Write(const SlaReport& report, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return Error::Unavailable("无法创建临时文件 " + path);
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xDDEBF7);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* number = workbook_add_format(wb);
  format_set_num_format(number, "0.00");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);

  lxw_worksheet* ws = workbook_add_worksheet(wb, "按部门");
  Headers(ws, kRowColumns, std::size(kRowColumns), header);
  lxw_row_t row = 1;
  auto put_row = [&](const SlaRow& r, bool total) {
    lxw_format* f = total ? bold : nullptr;
    worksheet_write_string(ws, row, 0, r.org_code.c_str(), f);
    worksheet_write_string(ws, row, 1,
                           total ? "合计" : (r.department.empty() ? "（未派单）" : r.department.c_str()), f);
    int64_t counts[] = {r.created, r.cancelled, r.done, r.done_on_time};
    for (int i = 0; i < 4; ++i) worksheet_write_number(ws, row, 2 + i, static_cast<double>(counts[i]), f);
    if (auto rate = r.OnTimeRate())
      worksheet_write_number(ws, row, 6, *rate, number);
    else
      worksheet_write_string(ws, row, 6, "无数据", nullptr);
    if (auto mean = r.MeanHandlingWorkdays())
      worksheet_write_number(ws, row, 7, *mean, number);
    else
      worksheet_write_string(ws, row, 7, "无数据", nullptr);
    worksheet_write_number(ws, row, 8, static_cast<double>(r.closed), f);
    worksheet_write_number(ws, row, 9, static_cast<double>(r.overdue_open), f);
    ++row;
  };
  for (const auto& r : report.rows) put_row(r, false);
  put_row(report.total, true);
  std::string note = "期间：" + FormatDate(report.from) + " 至 " + FormatDate(report.to) +
                     "（各中心当地日期）；统计截至 " + FormatUtc(report.as_of) +
                     (report.provisional ? "；部分工作日按未公布的日历推算（暂定）" : "");
  worksheet_write_string(ws, row + 1, 0, note.c_str(), nullptr);

  lxw_worksheet* late = workbook_add_worksheet(wb, "超期工单");
  Headers(late, kLateColumns, std::size(kLateColumns), header);
  row = 1;
  for (const auto& l : report.late) {
    worksheet_write_string(late, row, 0, l.number.c_str(), nullptr);
    worksheet_write_string(late, row, 1, l.org_code.c_str(), nullptr);
    worksheet_write_string(late, row, 2, l.department.c_str(), nullptr);
    worksheet_write_string(late, row, 3, std::string(CategoryLabel(l.category)).c_str(), nullptr);
    worksheet_write_string(late, row, 4, std::string(StateLabel(l.state)).c_str(), nullptr);
    worksheet_write_string(late, row, 5, l.status == SlaStatus::kDoneLate ? "超期办结" : "超期未办结",
                           nullptr);
    worksheet_write_string(late, row, 6, FormatUtc(l.created_at).c_str(), nullptr);
    worksheet_write_string(late, row, 7, FormatDate(l.last_day).c_str(), nullptr);
    worksheet_write_string(late, row, 8, l.done_at ? FormatUtc(*l.done_at).c_str() : "", nullptr);
    worksheet_write_number(late, row, 9, l.late_workdays, nullptr);
    ++row;
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return Error::Unavailable("无法写入临时文件 " + path + "：" + lxw_strerror(err));
  return OkStatus();
}

}  // namespace

Result<std::string> SlaXlsxBytes(const SlaReport& report) {
  std::string path = (std::filesystem::temp_directory_path() / "hotline-sla-XXXXXX").string();
  int fd = mkstemp(path.data());
  if (fd < 0) return Error::Unavailable("无法创建临时文件：请检查临时目录的权限和空间");
  ::close(fd);
  Status written = Write(report, path);
  std::string bytes;
  if (written.ok()) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!written.ok()) return written.take_error();
  return bytes;
}

}  // namespace hotline::workorder
