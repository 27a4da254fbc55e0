// Browser end-to-end test: a real `hotline serve` (lib/server.mjs) serving ui/dist, driven by the
// Debian chromium through playwright-core. Run: cd tests/e2e && node --test browser.test.mjs
//   HOTLINE_BIN             the server binary (default build/release/src/hotline)
//   HOTLINE_UI_DIR          the built console (default ui/dist)
//   HOTLINE_SCREENSHOT_DIR  where screenshots go (default tests/e2e/screenshots/)
//   CHROMIUM                the browser (default /usr/bin/chromium)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { seedWorld, PASSWORD } from './lib/server.mjs';
import * as ui from './lib/browser.mjs';
import { SCREENSHOT_DIR, text } from './lib/browser.mjs';

const TEST_TIMEOUT = 90_000; // a whole test
const AGENT_NO = '1001';

// The standard world, with an agent number for lz_agent (the greeting of R-AGT-1).
function seed(run) {
  seedWorld((args) => {
    const i = args.indexOf('--username');
    const isLzAgent = args[0] === 'user' && args[1] === 'add' && i >= 0 && args[i + 1] === 'lz_agent';
    return run(isLzAgent ? [...args, '--agent-no', AGENT_NO] : args);
  });
}

const suite = ui.consoleSuite(() => ({ seed }), { timeout: 120_000 });

const withPage = (name, body, options) => ui.withPage(suite.browser, name, body, options);
// Signs in without waiting: some tests expect the login to fail.
const login = (page, username, password) => ui.login(page, suite.server.baseUrl, username, password, { wait: false });

test('an agent signs in and sees the Chinese home page with the standard greeting', { timeout: TEST_TIMEOUT }, async () => {
  await withPage('home-agent', async (page) => {
    await login(page, 'lz_agent', PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    // Organisation name and agent number come from GET /api/v1/me.
    const org = page.locator('[data-test=home-org]');
    await org.filter({ hasText: '兰州住房公积金管理中心' }).waitFor();
    const phrase = page.locator('[data-test=greeting-phrase]');
    await phrase.waitFor();
    assert.equal(await text(phrase), `您好，12329住房公积金热线${AGENT_NO}号为您服务`);
    assert.equal(await text(page.locator('[data-test=agent-no]')), AGENT_NO);
    assert.equal(await text(page.locator('[data-test=header-role]')), '坐席');
    assert.equal(await text(page.locator('[data-test=header-org]')), '兰州住房公积金管理中心');
    assert.match(await text(page.locator('[data-test=greeting]')), /lz_agent|李娜/);
    // Scope summary from GET /api/v1/orgs: a centre user sees exactly their centre.
    await page.locator('[data-test=scope-summary]').filter({ hasText: '共 1 个机构' }).waitFor();
    // Chinese by default, and an agent's menu has no administration pages.
    assert.equal(await page.title(), '12329 住房公积金热线服务平台');
    await page.locator('.el-menu-item', { hasText: '首页' }).waitFor();
    await page.locator('.el-menu-item', { hasText: '修改密码' }).waitFor({ state: 'attached' });
    assert.equal(await page.locator('.el-menu-item', { hasText: '用户管理' }).count(), 0);
    assert.equal(await page.locator('.el-menu-item', { hasText: '审计日志' }).count(), 0);

    await page.screenshot({ path: join(SCREENSHOT_DIR, 'home-agent.png'), fullPage: true });
  });
});

test('an admin adds a user through the dialog and sees it in the table and the audit log', { timeout: TEST_TIMEOUT }, async () => {
  await withPage('admin', async (page) => {
    await login(page, 'lz_admin', PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.locator('[data-test=header-role]').filter({ hasText: '管理员' }).waitFor();

    await page.locator('.el-menu-item', { hasText: '用户管理' }).click();
    await page.waitForURL(/\/users$/);
    const rows = page.locator('[data-test=users-table] .el-table__body tr');
    await rows.filter({ hasText: 'lz_agent' }).first().waitFor();

    await page.locator('[data-test=add-user]').click();
    const dialog = page.locator('.el-dialog', { hasText: '新增用户' });
    await dialog.waitFor();
    await dialog.locator('input[name=new-username]').fill('e2e_agent');
    await dialog.locator('input[name=display-name]').fill('王芳');
    await dialog.locator('[data-test=user-role]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '坐席' }).click();
    // The org defaults to the admin's own centre; choose it explicitly anyway.
    await dialog.locator('[data-test=user-org]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '兰州住房公积金管理中心' }).click();
    await dialog.locator('input[name=agent-no]').fill('1002');
    await dialog.locator('input[name=new-password]').fill('Welcome12329');
    await dialog.locator('[data-test=user-submit]').click();
    await dialog.waitFor({ state: 'hidden' });

    const row = rows.filter({ hasText: 'e2e_agent' });
    await row.waitFor();
    const rowText = await text(row);
    assert.match(rowText, /王芳/);
    assert.match(rowText, /坐席/);
    assert.match(rowText, /1002/);
    assert.match(rowText, /兰州住房公积金管理中心/);

    await page.locator('.el-menu-item', { hasText: '审计日志' }).click();
    await page.waitForURL(/\/audit$/);
    const audit = page.locator('[data-test=audit-table] .el-table__body tr');
    const created = audit.filter({ hasText: '创建用户' }).filter({ hasText: 'lz_admin' });
    await created.first().waitFor();
    assert.match(await text(created.first()), /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

    // Live updates over /api/v1/events: a sign-in elsewhere appears without reloading.
    await page.locator('[data-test=live-status]').filter({ hasText: '实时更新中' }).waitFor();
    const res = await fetch(`${suite.server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'lz_leader', password: PASSWORD }),
    });
    assert.equal(res.status, 200);
    await audit.filter({ hasText: 'lz_leader' }).filter({ hasText: '登录' }).first().waitFor();

    await page.screenshot({ path: join(SCREENSHOT_DIR, 'audit.png'), fullPage: true });
  });
});

test('a wrong password shows the server\'s message on the login page', { timeout: TEST_TIMEOUT }, async () => {
  await withPage('login-error', async (page) => {
    await login(page, 'lz_agent', 'Wrong12329pass');
    const alert = page.locator('.login-error');
    await alert.waitFor();
    const shown = await text(alert);
    assert.ok(new URL(page.url()).pathname.startsWith('/login'), 'still on the login page');

    // The page shows exactly what the API says (its message tells the user what to do next).
    const res = await fetch(`${suite.server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'lz_agent', password: 'Wrong12329pass' }),
    });
    assert.equal(res.status, 401);
    const body = await res.json();
    assert.equal(body.error.code, 'invalid_credentials');
    assert.ok(body.error.message, 'the API gives a message');
    assert.ok(shown.includes(body.error.message), `login page shows "${body.error.message}", got "${shown}"`);
    assert.match(shown, /用户名或密码/);

    await page.screenshot({ path: join(SCREENSHOT_DIR, 'login-error.png'), fullPage: true });
  });
});
