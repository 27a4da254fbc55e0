// Tables of the calendar module, and the official State Council holiday schedules for 2025 and 2026
// (国务院办公厅关于2025年/2026年部分节假日安排的通知), shipped in the first migration so that every
// deployment has them. Later years are data: `hotline calendar import` (docs/CALENDAR.md).
#include "calendar/calendar_store.hpp"

namespace hotline::calendar {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, "calendar days, closures, loaded years, service hours; 2025 and 2026 schedules", R"sql(
CREATE TABLE calendar_days (
  day TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE calendar_closures (
  org_id BIGINT NOT NULL,
  day TEXT NOT NULL,
  name TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, day)
);
CREATE TABLE calendar_years (
  year BIGINT PRIMARY KEY,
  source TEXT NOT NULL,
  loaded_at BIGINT NOT NULL
);
CREATE TABLE calendar_service_hours (
  org_id BIGINT PRIMARY KEY,
  config TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO calendar_days (day, kind, name, updated_at) VALUES
-- 2025 元旦 1/1
('2025-01-01','holiday','元旦',0),
-- 2025 春节 1/28–2/4，1/26（日）、2/8（六）上班
('2025-01-26','workday','春节调休上班',0), ('2025-01-28','holiday','春节',0), ('2025-01-29','holiday','春节',0),
('2025-01-30','holiday','春节',0), ('2025-01-31','holiday','春节',0), ('2025-02-01','holiday','春节',0),
('2025-02-02','holiday','春节',0), ('2025-02-03','holiday','春节',0), ('2025-02-04','holiday','春节',0),
('2025-02-08','workday','春节调休上班',0),
-- 2025 清明节 4/4–4/6
('2025-04-04','holiday','清明节',0), ('2025-04-05','holiday','清明节',0), ('2025-04-06','holiday','清明节',0),
-- 2025 劳动节 5/1–5/5，4/27（日）上班
('2025-04-27','workday','劳动节调休上班',0), ('2025-05-01','holiday','劳动节',0), ('2025-05-02','holiday','劳动节',0),
('2025-05-03','holiday','劳动节',0), ('2025-05-04','holiday','劳动节',0), ('2025-05-05','holiday','劳动节',0),
-- 2025 端午节 5/31–6/2
('2025-05-31','holiday','端午节',0), ('2025-06-01','holiday','端午节',0), ('2025-06-02','holiday','端午节',0),
-- 2025 国庆节、中秋节 10/1–10/8，9/28（日）、10/11（六）上班
('2025-09-28','workday','国庆节、中秋节调休上班',0), ('2025-10-01','holiday','国庆节、中秋节',0),
('2025-10-02','holiday','国庆节、中秋节',0), ('2025-10-03','holiday','国庆节、中秋节',0),
('2025-10-04','holiday','国庆节、中秋节',0), ('2025-10-05','holiday','国庆节、中秋节',0),
('2025-10-06','holiday','国庆节、中秋节',0), ('2025-10-07','holiday','国庆节、中秋节',0),
('2025-10-08','holiday','国庆节、中秋节',0), ('2025-10-11','workday','国庆节、中秋节调休上班',0),
-- 2026 元旦 1/1–1/3，1/4（日）上班
('2026-01-01','holiday','元旦',0), ('2026-01-02','holiday','元旦',0), ('2026-01-03','holiday','元旦',0),
('2026-01-04','workday','元旦调休上班',0),
-- 2026 春节 2/15–2/23，2/14（六）、2/28（六）上班
('2026-02-14','workday','春节调休上班',0), ('2026-02-15','holiday','春节',0), ('2026-02-16','holiday','春节',0),
('2026-02-17','holiday','春节',0), ('2026-02-18','holiday','春节',0), ('2026-02-19','holiday','春节',0),
('2026-02-20','holiday','春节',0), ('2026-02-21','holiday','春节',0), ('2026-02-22','holiday','春节',0),
('2026-02-23','holiday','春节',0), ('2026-02-28','workday','春节调休上班',0),
-- 2026 清明节 4/4–4/6
('2026-04-04','holiday','清明节',0), ('2026-04-05','holiday','清明节',0), ('2026-04-06','holiday','清明节',0),
-- 2026 劳动节 5/1–5/5，5/9（六）上班
('2026-05-01','holiday','劳动节',0), ('2026-05-02','holiday','劳动节',0), ('2026-05-03','holiday','劳动节',0),
('2026-05-04','holiday','劳动节',0), ('2026-05-05','holiday','劳动节',0), ('2026-05-09','workday','劳动节调休上班',0),
-- 2026 端午节 6/19–6/21
('2026-06-19','holiday','端午节',0), ('2026-06-20','holiday','端午节',0), ('2026-06-21','holiday','端午节',0),
-- 2026 中秋节 9/25–9/27
('2026-09-25','holiday','中秋节',0), ('2026-09-26','holiday','中秋节',0), ('2026-09-27','holiday','中秋节',0),
-- 2026 国庆节 10/1–10/7，9/20（日）、10/10（六）上班
('2026-09-20','workday','国庆节调休上班',0), ('2026-10-01','holiday','国庆节',0), ('2026-10-02','holiday','国庆节',0),
('2026-10-03','holiday','国庆节',0), ('2026-10-04','holiday','国庆节',0), ('2026-10-05','holiday','国庆节',0),
('2026-10-06','holiday','国庆节',0), ('2026-10-07','holiday','国庆节',0), ('2026-10-10','workday','国庆节调休上班',0);
INSERT INTO calendar_years (year, source, loaded_at) VALUES
(2025, '国务院办公厅关于2025年部分节假日安排的通知（内置）', 0),
(2026, '国务院办公厅关于2026年部分节假日安排的通知（内置）', 0);
)sql"},
    // Issue 12 §4: one counter that every write of the four tables above increments in its own
    // transaction, so a ServiceHoursCache in another process (the server, after `hotline calendar
    // import` from the CLI) sees that its copy is stale by reading one row (service_hours_cache.hpp).
    {2, "calendar_version: a counter of calendar writes, for caches in other processes", R"sql(
CREATE TABLE calendar_version (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO calendar_version (id, version) VALUES (1, 0);
)sql"},
};

}  // namespace

const store::ModuleMigrations kCalendarMigrations = {"calendar", kMigrations};

}  // namespace hotline::calendar
