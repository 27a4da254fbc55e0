// Browser end-to-end tests of the supervisor dashboard (统计监管, issue 5 "Console") and the working
// calendar (工作日历, issue 4): a real `hotline serve` (lib/server.mjs) whose CDRs are imported through the
// CLI in the seed callback, driven by the Debian chromium through playwright-core, exactly as
// browser.test.mjs. Run: cd tests/e2e && node --test console-dashboard.test.mjs
//   HOTLINE_BIN, HOTLINE_UI_DIR, HOTLINE_SCREENSHOT_DIR, CHROMIUM — as in browser.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedWorld, PASSWORD } from './lib/server.mjs';
import * as ui from './lib/browser.mjs';
import { SCREENSHOT_DIR, text } from './lib/browser.mjs';
const TEST_TIMEOUT = 120_000;

// Thirty days of synthetic calls for three centres in two provinces (deterministic: fixed seed).
const FROM = '2026-09-01';
const MONTH_QUERY = `org=GS&period=month&date=${FROM}`;
const INDICATOR_NAMES = ['呼叫量', '平均通话时长', '接通率', '呼损率', '平均等待时间', '平均话后处理时间', '投诉率', '满意度'];
const FIELDS = ['callTotal', 'callavg', 'callconnect', 'ABNcalls', 'waittimeavg', 'acwavg', 'complntrate', 'satisrate'];

// `work`: the suite's scratch folder.
function seed(run, work) {
  seedWorld(run);
  const csv = join(work, 'cdr.csv');
  run(['cdr', 'generate', '--out', csv, '--centers', 'GS-LZ,GS-TS,SX-XA', '--from', FROM, '--days', '30', '--per-day', '200']);
  const out = run(['cdr', 'import', csv]);
  assert.match(out, /0 bad rows/, out);
}

const suite = ui.consoleSuite((s) => ({ seed: (run) => seed(run, s.work) }), { workPrefix: 'hotline-e2e-dash-' });

const withPage = (name, body, options) => ui.withPage(suite.browser, name, body, options);
const login = (page, username) => ui.login(page, suite.server.baseUrl, username, PASSWORD);

// The same report through the API (Bearer token), to check the page shows the server's numbers.
async function apiGet(username, path) {
  const res = await fetch(`${suite.server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  const { token } = await res.json();
  const r = await fetch(`${suite.server.baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.json();
}

const fmt2 = (v) => Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

test('a province supervisor sees the eight indicators in Chinese, a breach in red and the centres compared', { timeout: TEST_TIMEOUT }, async () => {
  const report = await apiGet('gs_sup', `/kpi/report?${MONTH_QUERY}&by=center`);
  const own = report.rows.find((r) => r.org === 'GS');
  assert.ok(own && own.callTotal > 0, 'the import produced calls for Gansu');
  const failing = FIELDS.filter((f) => own.pass[f] === false);
  assert.ok(failing.length > 0, 'the synthetic data breaks at least one guideline threshold');

  await withPage('dashboard', async (page) => {
    await login(page, 'gs_sup');
    // The menu entry exists for a supervisor (kpi.read) and opens the dashboard for today.
    await page.locator('.el-menu-item', { hasText: '统计监管' }).click();
    await page.waitForURL(/\/kpi/);
    await page.locator('[data-test=kpi-card-callTotal]').waitFor();

    await page.goto(`${suite.server.baseUrl}/kpi?${MONTH_QUERY}`);
    await page.locator('[data-test=kpi-org-name]').filter({ hasText: '甘肃省住房和城乡建设厅' }).waitFor();
    await page.locator('[data-test=kpi-period-text]').filter({ hasText: '2026-09-01 至 2026-09-30' }).waitFor();
    // The counting basis and profile are named in Chinese.
    assert.equal(await text(page.locator('[data-test=kpi-basis] .el-select__selected-item:not(.is-hidden)').first()), '人工服务口径');
    assert.equal(await text(page.locator('[data-test=kpi-profile] .el-select__selected-item:not(.is-hidden)').first()), '服务导则');

    // The eight indicators, in Chinese, with the API's values, judged as the API judged them.
    const calls = page.locator('[data-test=kpi-card-callTotal] [data-test=kpi-value]');
    await calls.filter({ hasText: own.callTotal.toLocaleString('zh-CN') }).waitFor();
    for (const [i, f] of FIELDS.entries()) {
      const card = page.locator(`[data-test=kpi-card-${f}]`);
      assert.match(await text(card), new RegExp(INDICATOR_NAMES[i]), `${f} is named ${INDICATOR_NAMES[i]}`);
      if (f !== 'callTotal') assert.match(await text(card.locator('[data-test=kpi-value]')), new RegExp(fmt2(own[f]).replace('.', '\\.')));
      const expected = f in own.pass ? (own.pass[f] === false ? 'fail' : own.pass[f] ? 'pass' : 'null') : 'plain';
      assert.equal(await card.getAttribute('data-state'), expected, `${f} judged ${expected}`);
    }
    assert.match(await text(page.locator('[data-test=kpi-card-waittimeavg]')), /约 [\d.]+ 秒/);
    assert.match(await text(page.locator('[data-test=kpi-card-waittimeavg]')), /标准 ≤ 40 秒/);
    assert.match(await text(page.locator('[data-test=kpi-card-callavg]')), /分钟/);

    // A breach is red, with its threshold.
    const breach = page.locator(`[data-test=kpi-card-${failing[0]}]`);
    assert.match(await text(breach), /未达标/);
    assert.match(await text(breach.locator('[data-test=kpi-threshold]')), /标准 [≥≤]/);
    const color = await breach.locator('[data-test=kpi-value]').evaluate((e) => getComputedStyle(e).color);
    assert.equal(color, 'rgb(217, 48, 38)', 'the failing value is red');
    await page.locator('[data-test=kpi-verdict]').filter({ hasText: `${failing.length} 项未达标` }).waitFor();

    // The centres of the province side by side: a rendered bar chart and a table.
    const chart = page.locator('[data-test=compare-chart]');
    await page.locator('[data-test=compare-chart][data-chart-ready=true]').waitFor();
    const box = await chart.locator('canvas').first().boundingBox();
    assert.ok(box && box.width > 300 && box.height > 200, 'the comparison chart has a canvas');
    const compareRows = page.locator('[data-test=compare-table] .el-table__body tr');
    await compareRows.filter({ hasText: '兰州住房公积金管理中心' }).waitFor();
    await compareRows.filter({ hasText: '天水市住房公积金管理中心' }).waitFor();
    assert.equal(await compareRows.count(), 2, 'exactly the two Gansu centres');
    await page.locator('[data-test=trend-chart][data-chart-ready=true]').waitFor();

    // The days that broke a threshold, computed from the daily series.
    const series = await apiGet('gs_sup', `/kpi/series?org=GS&granularity=day&from=${FROM}&to=2026-09-30`);
    const badDays = series.rows.filter((r) => r.pass[failing[0]] === false).length;
    assert.ok(badDays > 0);
    await page.locator(`[data-test=breach-days-${failing[0]}] .day-tag`).nth(badDays - 1).waitFor();
    assert.equal(await page.locator(`[data-test=breach-days-${failing[0]}] .day-tag`).count(), badDays);

    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard.png'), fullPage: true });

    // Export: CSV from the server (format=csv), JSON of exactly what the API answered.
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-csv]').click()]);
    const csv = readFileSync(await csvDownload.path(), 'utf8');
    assert.ok(csv.startsWith('\uFEFF'), 'CSV starts with a BOM');
    assert.match(csv, /callTotal/);
    assert.match(csv, /GS-LZ/);
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-xlsx]').click()]);
    assert.equal(readFileSync(await xlsxDownload.path()).subarray(0, 2).toString(), 'PK', 'an XLSX file (zip)');
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-json]').click()]);
    assert.match(jsonDownload.suggestedFilename(), /^kpi-GS-2026-09\.json$/);
    const exported = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8'));
    assert.deepEqual(exported, report);

    // Drill-down: province → centre → day → the calls of that day (masked numbers, Chinese outcomes).
    await compareRows.filter({ hasText: '兰州住房公积金管理中心' }).click();
    await page.waitForURL(/org=GS-LZ/);
    await page.locator('[data-test=kpi-org-name]').filter({ hasText: '兰州住房公积金管理中心' }).waitFor();
    await page.locator('[data-test=kpi-drill]').filter({ hasText: '甘肃省住房和城乡建设厅' }).waitFor();
    assert.equal(await page.locator('[data-test=kpi-compare]').count(), 0, 'a centre has nothing below it to compare');
    await page.locator('[data-test=kpi-days] .el-tabs__item', { hasText: '逐日明细' }).click();
    await page.locator('[data-test=daily-table] .el-table__body tr', { hasText: '2026-09-02' }).first().click();
    await page.waitForURL(/period=day/);
    await page.locator('[data-test=kpi-period-text]').filter({ hasText: '2026-09-02（周三）' }).waitFor();
    const callRows = page.locator('[data-test=calls-table] .el-table__body tr');
    await callRows.first().waitFor();
    const callers = await page.locator('[data-test=calls-table] [data-test=caller]').allTextContents();
    assert.ok(callers.length > 0);
    for (const c of callers) assert.match(c.trim(), /^\d{3}\*{4}\d{4}$/, 'caller numbers are masked');
    const tableText = await text(page.locator('[data-test=calls-table]'));
    assert.match(tableText, /人工接听/);
    assert.doesNotMatch(tableText, /\banswered\b/);
    const day = await apiGet('gs_sup', '/kpi/calls?org=GS-LZ&date=2026-09-02&limit=1000');
    assert.ok(day.items.length > 200, 'more calls than one page');
    await page.locator('[data-test=calls-count]').filter({ hasText: '已加载 200 条' }).waitFor();
    await page.locator('[data-test=calls-more]').click();
    await page.locator('[data-test=calls-count]').filter({ hasText: `已全部加载，共 ${day.items.length} 条` }).waitFor();
    assert.equal(await page.locator('[data-test=calls-more]').count(), 0);

    // Back up the drill path with the browser's history.
    await page.goBack();
    await page.goBack();
    await page.locator('[data-test=kpi-org-name]').filter({ hasText: '甘肃省住房和城乡建设厅' }).waitFor();
  }, { height: 2000 });
});

test('the gansu profile judges the same month more strictly, and the nation compares provinces', { timeout: TEST_TIMEOUT }, async () => {
  await withPage('dashboard-nation', async (page) => {
    await login(page, 'mohurd_sup');
    await page.goto(`${suite.server.baseUrl}/kpi?org=MOHURD&period=month&date=${FROM}&profile=gansu`);
    await page.locator('[data-test=kpi-org-name]').filter({ hasText: '全国' }).waitFor();
    assert.equal(await text(page.locator('[data-test=kpi-profile] .el-select__selected-item:not(.is-hidden)').first()), '甘肃省采购需求');
    await page.locator('[data-test=kpi-card-waittimeavg] [data-test=kpi-threshold]').filter({ hasText: '标准 ≤ 30 秒' }).waitFor();
    await page.locator('[data-test=kpi-card-complntrate] [data-test=kpi-threshold]').filter({ hasText: '标准 ≤ 0.3‰' }).waitFor();
    const rows = page.locator('[data-test=compare-table] .el-table__body tr');
    await rows.filter({ hasText: '甘肃省住房和城乡建设厅' }).waitFor();
    await rows.filter({ hasText: '陕西省住房和城乡建设厅' }).waitFor();
    await page.locator('[data-test=kpi-compare] .el-card__header').filter({ hasText: '省份对比' }).waitFor();
    // Drill into a province from the nation.
    await rows.filter({ hasText: '陕西省住房和城乡建设厅' }).click();
    await page.locator('[data-test=kpi-org-name]').filter({ hasText: '陕西省住房和城乡建设厅' }).waitFor();
    await page.locator('[data-test=compare-table] .el-table__body tr', { hasText: '西安住房公积金管理中心' }).waitFor();
  });
});

test('a centre cannot read its province: the organisation picker holds only the caller\'s scope', { timeout: TEST_TIMEOUT }, async () => {
  await withPage('dashboard-leader', async (page) => {
    await login(page, 'lz_leader');
    await page.goto(`${suite.server.baseUrl}/kpi?period=month&date=${FROM}`);
    await page.locator('[data-test=kpi-org-name]').filter({ hasText: '兰州住房公积金管理中心' }).waitFor();
    await page.locator('[data-test=kpi-org]').click();
    const options = page.locator('.el-select-dropdown__item:visible');
    await options.first().waitFor();
    assert.deepEqual((await options.allTextContents()).map((s) => s.replace(/\s+/g, '')), ['兰州住房公积金管理中心中心']);
    await page.keyboard.press('Escape');
    // Asking for the province anyway shows the server's 404 message, not numbers.
    await page.goto(`${suite.server.baseUrl}/kpi?org=GS&period=month&date=${FROM}`);
    await page.locator('.form-error').filter({ hasText: '没有找到机构 GS' }).waitFor();
    assert.equal(await page.locator('[data-test=kpi-card-callTotal][data-state=plain]').count(), 0);
  });
  // An agent has no kpi.read: no menu entry.
  await withPage('dashboard-agent', async (page) => {
    await login(page, 'lz_agent');
    await page.locator('.el-menu-item', { hasText: '工作日历' }).waitFor();
    assert.equal(await page.locator('.el-menu-item', { hasText: '统计监管' }).count(), 0);
  });
});

test('everyone sees the 2026 calendar with 春节, and a year without data is flagged', { timeout: TEST_TIMEOUT }, async () => {
  await withPage('calendar', async (page) => {
    await login(page, 'lz_agent');
    await page.locator('.el-menu-item', { hasText: '工作日历' }).click();
    await page.waitForURL(/\/calendar/);
    await page.goto(`${suite.server.baseUrl}/calendar?year=2026`);
    const periods = page.locator('[data-test=calendar-periods] li');
    const spring = periods.filter({ hasText: '春节' }).filter({ hasNotText: '调休' });
    await spring.waitFor();
    assert.match(await text(spring), /02-15 至 02-23 · 9 天/);
    assert.match(await text(periods.filter({ hasText: '春节调休上班' }).first()), /02-14（周六）/);
    await page.locator('[data-test=year-status]').filter({ hasText: '2026 年官方安排已导入' }).waitFor();
    await page.locator('.cell.k-holiday[data-date="2026-02-17"]').waitFor();
    await page.locator('.cell.k-workday[data-date="2026-02-28"]').waitFor();
    // Read only for an agent.
    assert.equal(await page.locator('[data-test=calendar-form]').count(), 0);
    await page.locator('[data-test=service-hours]').filter({ hasText: '08:30–12:00，14:00–17:30' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'calendar.png'), fullPage: true });

    // Working-day calculator: 2026-02-13 + 3 → 2026-02-25 (issue 4's example), then across into 2027.
    await page.locator('[data-test=calc-from] input').fill('2026-02-13');
    await page.locator('[data-test=calc-from] input').press('Enter');
    await page.locator('[data-test=calc-submit]').click();
    await page.locator('[data-test=calc-date]').filter({ hasText: '2026-02-25' }).waitFor();
    assert.equal(await page.locator('[data-test=calc-provisional]').count(), 0);
    await page.locator('[data-test=calc-from] input').fill('2026-12-30');
    await page.locator('[data-test=calc-from] input').press('Enter');
    await page.locator('[data-test=calc-submit]').click();
    await page.locator('[data-test=calc-provisional]').waitFor();
    assert.match(await text(page.locator('[data-test=calc-result]')), /2027 年的官方节假日安排尚未导入/);

    await page.locator('[data-test=next-year]').click();
    await page.waitForURL(/year=2027/);
    await page.locator('[data-test=calendar-warning]').filter({ hasText: '2027 年的官方节假日安排尚未导入' }).waitFor();
    await page.locator('[data-test=year-status]').filter({ hasText: '2027 年官方安排未导入' }).waitFor();
  }, { height: 1700 });
});

test('a centre admin adds and removes a local closure; a ministry admin edits the national calendar', { timeout: TEST_TIMEOUT }, async () => {
  await withPage('calendar-admin', async (page) => {
    await login(page, 'lz_admin');
    await page.goto(`${suite.server.baseUrl}/calendar?year=2026`);
    await page.locator('.cell[data-date="2026-12-01"]').click();
    await page.locator('[data-test=day-name]').fill('系统升级闭馆');
    await page.locator('[data-test=day-submit]').click();
    await page.locator('.cell.k-closed[data-date="2026-12-01"]').waitFor();
    const row = page.locator('[data-test=calendar-table] .el-table__body tr', { hasText: '系统升级闭馆' });
    await row.waitFor();
    assert.match(await text(row), /闭馆/);
    assert.match(await text(row), /兰州住房公积金管理中心/);
    // National days are not the centre's to remove.
    assert.equal(await page.locator('[data-test="remove-2026-02-15"]').count(), 0);
    // The closure counts: 2026-11-30 + 1 working day skips 12-01.
    await page.locator('[data-test=calc-from] input').fill('2026-11-30');
    await page.locator('[data-test=calc-from] input').press('Enter');
    await page.locator('[data-test=calc-n] input').fill('1');
    await page.locator('[data-test=calc-submit]').click();
    await page.locator('[data-test=calc-date]').filter({ hasText: '2026-12-02' }).waitFor();

    await page.locator('[data-test="remove-2026-12-01"]').click();
    await page.locator('.el-message-box').getByRole('button', { name: '删除' }).click();
    await row.waitFor({ state: 'detached' });
  }, { height: 1700 });

  await withPage('calendar-ministry', async (page) => {
    await login(page, 'mohurd_admin');
    await page.goto(`${suite.server.baseUrl}/calendar?year=2027`);
    await page.locator('[data-test=calendar-warning]').waitFor();
    await page.locator('.cell[data-date="2027-01-01"]').click();
    await page.locator('[data-test=day-name]').fill('元旦');
    await page.locator('[data-test=day-submit]').click();
    await page.locator('[data-test=calendar-periods] li', { hasText: '元旦' }).waitFor();
    // A make-up working day on a weekday is refused before it reaches the server.
    await page.locator('.cell[data-date="2027-01-04"]').click();
    await page.locator('[data-test=day-kind] .el-radio-button', { hasText: '调休上班' }).click();
    await page.locator('[data-test=day-name]').fill('调休');
    await page.locator('[data-test=day-submit]').click();
    await page.locator('.el-form-item__error').filter({ hasText: '调休上班日须为周六或周日' }).waitFor();
    // Declare 2027 complete: the warning goes.
    await page.locator('[data-test=mark-loaded]').click();
    await page.locator('.el-message-box input').fill('国办发明电〔2026〕测试');
    await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click();
    await page.locator('[data-test=year-status]').filter({ hasText: '2027 年官方安排已导入' }).waitFor();
    assert.equal(await page.locator('[data-test=calendar-warning]').count(), 0);
  }, { height: 1200 });
});
