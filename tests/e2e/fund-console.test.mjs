// The console's 来电人查询 and 业务预约 pages in a real browser (Debian chromium + playwright-core) against a
// real `hotline serve` with generated provident-fund data: an agent verifies a caller with the account number
// and query password and sees the account and deposit history; with only a recorded reason the data stays
// masked; ending the lookup returns to the verification form (R-IVR-2, R-SVC-2). Every wait is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { seedWorld, PASSWORD } from './lib/server.mjs';
import * as ui from './lib/browser.mjs';
import { SCREENSHOT_DIR } from './lib/browser.mjs';

const TEST_TIMEOUT = 90_000;

let caller = {};

function parseCaller(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^(\S+)\s+(\S+)$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

const suite = ui.consoleSuite(() => ({
  seed: (run) => {
    seedWorld(run);
    run(['fund', 'generate', '--people', '50', '--units', '5', '--seed', '9', '--center', 'GS-LZ']);
    caller = parseCaller(run(['fund', 'demo-caller', '--center', 'GS-LZ', '--index', '2']));
  },
}), { timeout: 120_000 });

// A fresh context signed in as lz_agent on the caller lookup page (lib/browser.mjs: errors, failure shots).
const withPage = (name, body) => ui.withPage(suite.browser, name, async (page) => {
  await ui.login(page, suite.server.baseUrl, 'lz_agent', PASSWORD, { wait: false });
  await page.locator('.el-menu-item', { hasText: '来电人查询' }).click();
  await page.waitForURL(/\/fund\/lookup/);
  await body(page);
});

test('an agent verifies a caller and reads the account and deposit history', { timeout: TEST_TIMEOUT }, async () => {
  await withPage('fund-verified', async (page) => {
    await page.locator('input[name=login_id]').fill(caller['个人账号']);
    await page.locator('input[name=fund_password]').fill(caller['查询密码']);
    await page.getByRole('button', { name: '核验', exact: true }).click();
    await page.locator('.el-tag', { hasText: '已核验' }).waitFor();
    await page.locator('.el-descriptions', { hasText: caller['姓名'] }).first().waitFor();
    const balance = (await page.locator('.balance').textContent()).trim();
    assert.match(balance, /^[\d,]+\.\d\d元$/);
    await page.getByRole('tab', { name: '缴存明细' }).click();
    await page.locator('.el-table__row', { hasText: '元' }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'fund-lookup.png'), fullPage: true });
    // The context carries over to the booking page.
    await page.locator('.el-menu-item', { hasText: '业务预约' }).click();
    await page.locator('.el-card', { hasText: '新建预约' }).waitFor();
    await page.getByRole('button', { name: '结束查询' }).click();
    await page.locator('input[name=login_id]').waitFor();
  });
});

test('without verification the agent sees masked data only', { timeout: TEST_TIMEOUT }, async () => {
  await withPage('fund-masked', async (page) => {
    await page.locator('input[name=login_id]').fill(caller['个人账号']);
    await page.getByRole('button', { name: '无法核验？' }).click();
    await page.locator('input[name=reason]').fill('来电人忘记查询密码');
    await page.getByRole('button', { name: '记录原因并查看脱敏信息' }).click();
    await page.locator('.el-tag', { hasText: '未核验' }).waitFor();
    const summary = await page.locator('.summary').textContent();
    assert.ok(!summary.includes(caller['姓名']), 'the full name must not be shown');
    assert.ok(!summary.includes(caller['身份证号']), 'the citizen id must not be shown');
    assert.ok(summary.includes(`****${caller['个人账号'].slice(-4)}`), summary);
    assert.equal(await page.locator('.balance').textContent(), '—');
  });
});
