// Browser end-to-end test of the work-order console (issue 4: 新建工单, 我的工单, 工单详情, 超期预警, 回访任务):
// a real `hotline serve` (lib/server.mjs) driven by the Debian chromium through playwright-core, as in
// console-dashboard.test.mjs. An agent files a complaint during a call (the R-AGT-2 read-back is shown and
// confirmed before submitting) and attaches a 2 MiB file (over the 1 MiB JSON body limit: the upload route
// has its own); the team leader confirms it to 贷款科; the department user accepts it and submits the
// result; the agent records how the caller was told and closes it (R-WO-1…3). The timeline shows every
// step, and the closed complaint's call-back task (R-SVC-1) appears and is recorded. Then two tabs of one
// leader: the stale one is refused (409 conflict) with a clear message and reloads. Screenshots go to
// HOTLINE_SCREENSHOT_DIR (default tests/e2e/screenshots/, ignored by git).
// Run: cd tests/e2e && node --test workorder-console.test.mjs   (HOTLINE_BIN, HOTLINE_UI_DIR, CHROMIUM as in browser.test.mjs)
// No assertion depends on how long something takes; every wait is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { seedWorld, PASSWORD } from './lib/server.mjs';
import * as ui from './lib/browser.mjs';
import { SCREENSHOT_DIR, text } from './lib/browser.mjs';

const TEST_TIMEOUT = 180_000;

const suite = ui.consoleSuite(() => ({
  // The escalation scheduler's shortest interval ([workorder] escalation_interval_seconds), for the board test.
  config: { workorder: { escalation_interval_seconds: 10 } },
  seed: (run) => {
    seedWorld(run);
    run(['workorder', 'department', 'add', '--org', 'GS-LZ', '--name', '贷款科', '--user', 'lz_dept']);
    run(['workorder', 'department', 'add', '--org', 'GS-LZ', '--name', '归集科']);
  },
}));

// A signed-in user in a fresh browser context (own cookies); `pages` more tabs of the same session.
async function signIn(username) {
  const { context, page, errors } = await ui.newPage(suite.browser, { height: 1000 });
  const watch = (p) => p.on('pageerror', (e) => errors.push(String(e)));
  await ui.login(page, suite.server.baseUrl, username, PASSWORD);
  return {
    context, page, errors,
    async newTab() { const p = await context.newPage(); watch(p); return p; },
    async close(name) {
      try {
        assert.deepEqual(errors, [], `no uncaught script errors in ${username}'s pages`);
      } finally {
        await context.close();
      }
    },
  };
}

async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `workorder-${name}.png`), fullPage: true });
}

// Runs body; on failure keeps a screenshot of every open page of the user.
async function step(user, name, body) {
  try {
    await body();
  } catch (e) {
    for (const [i, p] of user.context.pages().entries()) await p.screenshot({ path: join(SCREENSHOT_DIR, `failure-workorder-${name}-${i}.png`), fullPage: true }).catch(() => {});
    throw e;
  }
}

async function apiLogin(username) {
  const res = await fetch(`${suite.server.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}
async function api(token, method, path, body) {
  const res = await fetch(`${suite.server.baseUrl}/api/v1${path}`, {
    method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => null);
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// Opens the order from the user's queue (我的工单 → 待我处理) by its number.
async function openFromQueue(page, number, shotName) {
  await page.locator('.el-menu-item', { hasText: '我的工单' }).click();
  await page.waitForURL(/\/workorders(\?|$)/);
  const link = page.locator(`[data-test="wo-row-${number}"]`);
  await link.waitFor();
  if (shotName) await shot(page, shotName);
  await link.click();
  await page.waitForURL(/\/workorders\/\d+/);
  await page.locator('[data-test=wo-detail]').waitFor();
}

async function expectState(page, label, state) {
  await page.locator(`[data-test=wo-detail][data-state=${state}]`).waitFor();
  assert.equal(await text(page.locator('[data-test=wo-state]')), label);
}

// Takes an action through its button and (when it asks) its dialog.
async function act(page, action, { note, department } = {}) {
  await page.locator(`[data-test=wo-action-${action}]`).click();
  if (note === undefined && department === undefined) return;
  const dialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test=wo-action-ok]') });
  await dialog.waitFor();
  if (department) {
    await dialog.locator('.el-select').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: department }).click();
  }
  if (note) await dialog.locator('textarea').fill(note);
  await dialog.locator('[data-test=wo-action-ok]').click();
  await dialog.waitFor({ state: 'hidden' });
}

test('an agent files a complaint, the leader dispatches it, the department handles it, the agent closes it; the call-back follows', { timeout: TEST_TIMEOUT }, async () => {
  const subject = '公积金提取到账延迟';
  const agent = await signIn('lz_agent');
  let number;
  let orderId;
  await step(agent, 'file', async () => {
    const { page } = agent;
    // The menu entry (工单管理 → 新建工单) is there for an agent.
    await page.locator('.el-menu-item', { hasText: '新建工单' }).click();
    await page.waitForURL(/\/workorders\/new/);
    assert.equal(await page.locator('.el-menu-item', { hasText: '超期预警' }).count(), 1);
    await page.locator('input[name=subject]').fill(subject);
    await page.locator('textarea[name=description]').fill('来电人反映提取申请已两周仍未到账，要求尽快处理。');
    await page.locator('input[name=caller_name]').fill('张先生');
    await page.locator('input[name=caller_phone]').fill('138 1234 5678');
    await page.locator('input[name=call_id]').fill('CALL-20261122-0001');

    // R-AGT-2: the read-back with the server's deadline, shown before saving; submit waits for the tick.
    const readback = page.locator('[data-test=wo-readback-text]');
    await readback.filter({ hasText: subject }).waitFor();
    const shown = await text(readback);
    assert.match(shown, /^跟您确认一下：您反映的是公积金提取到账延迟，我们将在5个工作日内（\d{4}年\d{1,2}月\d{1,2}日前）答复您，对吗？$/);
    const token = await apiLogin('lz_agent');
    const rb = await api(token, 'POST', '/workorders/readback', { category: 'complaint', subject });
    assert.equal(shown, `跟您确认一下：${rb.text}`, 'the page shows the server\'s read-back');
    assert.ok(await page.locator('[data-test=wo-submit]').isDisabled(), 'submitting needs the caller\'s confirmation');
    // Changing the category changes the promise (建议类: 2 working days) and clears the tick.
    await page.keyboard.press('Alt+2');
    await readback.filter({ hasText: '2个工作日' }).waitFor();
    await page.keyboard.press('Alt+1');
    await readback.filter({ hasText: '5个工作日' }).waitFor();
    await shot(page, '1-new-readback');
    await page.locator('[data-test=wo-readback] .el-checkbox').click();
    await page.locator('[data-test=wo-submit]').click();

    await page.waitForURL(/\/workorders\/\d+$/);
    orderId = Number(new URL(page.url()).pathname.split('/').pop());
    await expectState(page, '待班长确认', 'pending_confirmation');
    number = await text(page.locator('[data-test=wo-number]'));
    assert.match(number, /^LZ\d{8}-0001$/);
    assert.equal(await text(page.locator('[data-test=wo-category-tag]')), '投诉类');
    assert.equal(await text(page.locator('[data-test=wo-phone]')), '13812345678', 'the centre\'s agent sees the phone in the detail view');
    assert.match(await text(page.locator('[data-test=wo-deadline]')), /5 个工作日，\d{4}年\d{1,2}月\d{1,2}日 24 时前/);
    assert.equal(await page.locator('[data-test=wo-sla]').getAttribute('data-sla'), 'on_time');
    assert.equal(await page.locator('[data-test=wo-provisional]').count(), 0, 'the 2026 calendar is loaded: not provisional');

    // An attachment of 2 MiB: over the 1 MiB JSON limit, accepted by the upload route.
    const bytes = Buffer.alloc(2 << 20, 7);
    await page.locator('[data-test=wo-upload-input]').setInputFiles({ name: '提取申请回执.pdf', mimeType: 'application/pdf', buffer: bytes });
    await page.locator('[data-test=wo-attachments]').filter({ hasText: '提取申请回执.pdf' }).waitFor();
    assert.match(await text(page.locator('[data-test=wo-attachments]')), /2\.00 MiB/);
    // A comment lands in the timeline.
    await page.locator('.comment textarea').fill('来电人希望下午回电。');
    await page.locator('[data-test=wo-comment-add]').click();
    await page.locator('[data-test=wo-timeline-comment]', { hasText: '来电人希望下午回电。' }).waitFor();
    // An agent has nothing to do while the leader confirms.
    await page.locator('[data-test=wo-no-actions]').waitFor();
    await shot(page, '2-filed');
  });

  const leader = await signIn('lz_leader');
  await step(leader, 'confirm', async () => {
    const { page } = leader;
    await openFromQueue(page, number);
    await expectState(page, '待班长确认', 'pending_confirmation');
    assert.match(await text(page.locator('[data-test=wo-actions]')), /确认派单.*退回坐席.*撤销/);
    await act(page, 'confirm', { department: '贷款科', note: '请贷款科核实到账情况。' });
    await expectState(page, '已派单', 'dispatched');
    assert.equal(await text(page.locator('[data-test=wo-department]')), '贷款科');
    await shot(page, '3-dispatched');
    // The board counts it under 贷款科.
    await page.locator('.el-menu-item', { hasText: '超期预警' }).click();
    await page.waitForURL(/\/workorders\/board/);
    await page.locator('[data-test=wo-board-summary] tr', { hasText: '贷款科' }).waitFor();
    const cells = await page.locator('[data-test=wo-board-summary] tr', { hasText: '贷款科' }).locator('td').allTextContents();
    assert.deepEqual(cells.map((c) => c.trim()), ['GS-LZ', '贷款科', '1', '0', '0'], 'open / due soon / overdue of 贷款科');
    await page.locator('[data-test=wo-board-live][data-status=open]').waitFor();
    await shot(page, '4-board');
  });

  const dept = await signIn('lz_dept');
  await step(dept, 'handle', async () => {
    const { page } = dept;
    assert.equal(await page.locator('.el-menu-item', { hasText: '新建工单' }).count(), 0, 'a department does not file orders');
    assert.equal(await page.locator('.el-menu-item', { hasText: '回访任务' }).count(), 0, 'nor sees call-backs');
    await openFromQueue(page, number, '5-department-queue');
    assert.match(await text(page.locator('[data-test=wo-phone]')), /^138\*{4}5678$|^13812345678$/);
    await act(page, 'accept');
    await expectState(page, '办理中', 'in_progress');
    // The result is required.
    await page.locator('[data-test=wo-action-submit_result]').click();
    const dialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test=wo-action-ok]') });
    await dialog.locator('[data-test=wo-action-ok]').click();
    await dialog.locator('[data-test=wo-action-dialog-error]').filter({ hasText: '请填写办理结果' }).waitFor();
    await dialog.locator('textarea').fill('经核实，该笔提取已于今日到账，系银行退汇重发所致。');
    await dialog.locator('[data-test=wo-action-ok]').click();
    await expectState(page, '已回复热线', 'returned');
    assert.match(await text(page.locator('[data-test=wo-result]')), /已于今日到账/);
    await shot(page, '5-returned');
  });

  await step(agent, 'close', async () => {
    const { page } = agent;
    await openFromQueue(page, number);
    await expectState(page, '已回复热线', 'returned');
    await act(page, 'record_feedback', { note: '已电话告知来电人到账情况，来电人表示认可。' });
    await expectState(page, '已答复来电人', 'feedback_done');
    await act(page, 'close');
    await expectState(page, '已关闭', 'closed');
    assert.equal(await page.locator('[data-test=wo-sla]').getAttribute('data-sla'), 'done_on_time');
    // Every step in the timeline, oldest first, with who did it (the timeline reloads after the state: wait
    // for the last entry before reading them all).
    await page.locator('[data-test=wo-timeline-close]').waitFor();
    const steps = await page.locator('[data-test=wo-timeline] .tl-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-test').replace('wo-timeline-', '')));
    const expected = ['create', 'attach', 'comment', 'confirm', 'accept', 'submit_result', 'record_feedback', 'close'];
    assert.deepEqual(steps.filter((s) => expected.includes(s)), expected, `timeline: ${steps.join(', ')}`);
    assert.match(await text(page.locator('[data-test=wo-timeline-confirm]')), /确认派单.*待班长确认 → 已派单.*请贷款科核实到账情况/);
    assert.match(await text(page.locator('[data-test=wo-timeline-submit_result]')), /提交办理结果.*办理中 → 已回复热线/);
    assert.match(await text(page.locator('[data-test=wo-timeline-close]')), /关闭.*已答复来电人 → 已关闭/);
    await page.locator('[data-test=wo-no-actions]').waitFor();
    await shot(page, '6-closed-timeline');

    // R-SVC-1: the closed complaint's call-back task, recorded by the agent.
    await page.locator('.el-menu-item', { hasText: '回访任务' }).click();
    await page.waitForURL(/\/callbacks/);
    const row = page.locator('[data-test=cb-table] tr').filter({ has: page.locator(`[data-test="cb-order-${number}"]`) });
    await row.waitFor();
    assert.match(await text(row), /投诉回访.*公积金提取到账延迟.*138\*{4}5678.*待回访/);
    await row.locator('[data-test^=cb-record-]').click();
    const dialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test=cb-save]') });
    await dialog.locator('[data-test=cb-phone]').filter({ hasText: '13812345678' }).waitFor();
    await dialog.locator('.el-radio', { hasText: '已联系上' }).click();
    await dialog.locator('[data-test=cb-save]').click();
    await dialog.getByText('投诉回访联系上来电人时，请登记满意度。').waitFor();
    await dialog.locator('.el-radio', { hasText: /^满意$/ }).click();
    await dialog.locator('textarea').fill('来电人对处理结果满意。');
    await dialog.locator('[data-test=cb-save]').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('[data-test=cb-filter-status] .el-radio-button', { hasText: '已完成' }).click();
    await page.locator('[data-test=cb-table] tr', { hasText: '已联系上 · 满意' }).waitFor();
    await shot(page, '7-callback');
  });

  // The server agrees with what the pages showed.
  const token = await apiLogin('lz_leader');
  const final = await api(token, 'GET', `/workorders/${orderId}`);
  assert.equal(final.state, 'closed');
  assert.equal(final.department.name, '贷款科');
  assert.equal(final.attachments.length, 1);
  assert.equal(final.attachments[0].size, 2 << 20);
  const cbs = await api(token, 'GET', `/callbacks?order=${orderId}&status=done`);
  assert.equal(cbs.items.length, 1);
  assert.equal(cbs.items[0].satisfaction, 'satisfied');

  for (const u of [agent, leader, dept]) await u.close();
});

test('two tabs: the stale one is refused with a clear message and shows the latest order', { timeout: TEST_TIMEOUT }, async () => {
  const agentToken = await apiLogin('lz_agent');
  const o = await api(agentToken, 'POST', '/workorders', {
    category: 'complaint', caller_phone: '13900001111', caller_name: '李女士', subject: '贷款审批进度查询无答复', description: '来电人多次查询无答复。', submit: true,
  });
  const leader = await signIn('lz_leader');
  await step(leader, 'conflict', async () => {
    const a = leader.page;
    const b = await leader.newTab();
    for (const p of [a, b]) {
      await p.goto(`${suite.server.baseUrl}/workorders/${o.id}`);
      await p.locator(`[data-test=wo-detail][data-version="${o.version}"]`).waitFor();
    }
    // Tab B reclassifies it (建议类): the order's version moves on.
    await b.locator('[data-test=wo-action-reclassify]').click();
    const dialogB = b.locator('.el-dialog').filter({ has: b.locator('[data-test=wo-action-ok]') });
    await dialogB.locator('.el-radio-button', { hasText: '建议类' }).click();
    await dialogB.locator('[data-test=wo-action-ok]').click();
    await b.locator('[data-test=wo-category-tag]').filter({ hasText: '建议类' }).waitFor();

    // Tab A still shows the old version and tries to dispatch it: refused, explained, reloaded.
    assert.equal(await a.locator('[data-test=wo-detail]').getAttribute('data-version'), String(o.version));
    await act(a, 'confirm', { department: '归集科' }).catch(() => {}); // the dialog closes on the refusal
    const conflict = a.locator('[data-test=wo-conflict]');
    await conflict.waitFor();
    assert.match(await text(conflict), /该工单刚被其他人修改过.*已重新加载最新状态/);
    await a.locator('[data-test=wo-category-tag]').filter({ hasText: '建议类' }).waitFor();
    assert.equal(await a.locator('[data-test=wo-detail]').getAttribute('data-version'), String(o.version + 1));
    await expectState(a, '待班长确认', 'pending_confirmation');
    await shot(a, '8-conflict');

    // With the latest version, the same action goes through.
    await act(a, 'confirm', { department: '归集科' });
    await expectState(a, '已派单', 'dispatched');
    assert.equal(await a.locator('[data-test=wo-conflict]').count(), 0, 'the message goes once the action succeeds');
  });
  await leader.close();
  const after = await api(agentToken, 'GET', `/workorders/${o.id}`);
  assert.equal(after.category, 'suggestion');
  assert.equal(after.department.name, '归集科');
});

test('a team leader imports reminder call-backs from a CSV list; a bad line imports nothing and is named', { timeout: TEST_TIMEOUT }, async () => {
  const leader = await signIn('lz_leader');
  await step(leader, 'bulk', async () => {
    const { page } = leader;
    await page.locator('.el-menu-item', { hasText: '回访任务' }).click();
    await page.waitForURL(/\/callbacks/);
    const bad = 'phone,name,kind,topic\n13800000001,王五,rate_change,贷款利率下调提醒\n12,赵六,gossip,无效\n';
    await page.locator('[data-test=cb-import-input]').setInputFiles({ name: 'reminders.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const err = page.locator('[data-test=cb-import-error]');
    await err.waitFor();
    assert.match(await text(err), /文件有误，未导入任何任务/);
    assert.match(await text(err), /reminders\.csv:3:/);
    const good = 'phone,name,kind,topic\n13800000001,王五,rate_change,贷款利率下调提醒\n0931-1234567,,policy_change,"提取政策调整, 3月1日起"\n';
    await page.locator('[data-test=cb-import-input]').setInputFiles({ name: 'reminders.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByText('已导入 2 条回访任务').waitFor();
    await page.locator('[data-test=cb-table] tr', { hasText: '贷款利率下调提醒' }).waitFor();
    assert.match(await text(page.locator('[data-test=cb-table] tr', { hasText: '贷款利率下调提醒' })), /利率调整提醒.*王五 138\*{4}0001.*待回访/);
    await page.locator('[data-test=cb-table] tr', { hasText: '提取政策调整, 3月1日起' }).waitFor();
    await shot(page, '9-callbacks-import');
  });
  await leader.close();
});

test('the escalation board counts overdue orders per department and shows the scheduler\'s live escalation', { timeout: TEST_TIMEOUT }, async () => {
  const agentToken = await apiLogin('lz_agent');
  const leaderToken = await apiLogin('lz_leader');
  const o = await api(agentToken, 'POST', '/workorders', {
    category: 'inquiry', caller_phone: '13700002222', subject: '贷款额度测算咨询', description: '来电人咨询可贷额度。', submit: true,
  });
  const loans = (await api(leaderToken, 'GET', '/workorders/departments')).items.find((d) => d.name === '贷款科');
  await api(leaderToken, 'POST', `/workorders/${o.id}/transitions`, { action: 'confirm', version: o.version, department_id: loans.id });

  const leader = await signIn('lz_leader');
  await step(leader, 'board', async () => {
    const { page } = leader;
    await page.locator('.el-menu-item', { hasText: '超期预警' }).click();
    await page.waitForURL(/\/workorders\/board/);
    await page.locator('[data-test=wo-board-live][data-status=open]').waitFor();
    const row = page.locator('[data-test=wo-board-summary] tr', { hasText: '贷款科' });
    await row.waitFor();
    const before = (await row.locator('td').allTextContents()).map((c) => c.trim());
    assert.equal(before[4], '0', 'nothing overdue yet');

    // The deadline passes (moved into the past in the database, as a clock would): the server's scheduler
    // notices it within its interval and tells the page over the live channel.
    const past = Date.now() - 3_600_000;
    execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(suite.server.dir, 'hotline.db'),
      `UPDATE workorders SET due_soon_at = ${past - 86_400_000}, due_at = ${past} WHERE id = ${o.id}`], { timeout: 30_000 });
    const feed = page.locator('[data-test=wo-board-feed]').filter({ hasText: o.number });
    await feed.waitFor({ timeout: 45_000 });
    assert.match(await text(feed), /已超期/);
    await page.locator('[data-test=wo-board-overdue-list] tr', { hasText: o.number }).waitFor();
    await page.waitForFunction(() => {
      const r = [...document.querySelectorAll('[data-test=wo-board-summary] tr')].find((tr) => tr.textContent.includes('贷款科'));
      return r && r.querySelectorAll('td')[4]?.textContent.trim() === '1';
    });
    await shot(page, '10-board-escalation');
  });
  await leader.close();
});

test('an agent saves a draft without the read-back tick, corrects it and submits it later', { timeout: TEST_TIMEOUT }, async () => {
  const agent = await signIn('lz_agent');
  await step(agent, 'draft', async () => {
    const { page } = agent;
    await page.goto(`${suite.server.baseUrl}/workorders/new?call_id=CALL-42`);
    assert.equal(await page.locator('input[name=call_id]').inputValue(), 'CALL-42', 'the call the order came from is pre-filled');
    await page.keyboard.press('Alt+2'); // 建议类
    await page.locator('input[name=subject]').fill('建议延长周末服务时间');
    await page.locator('textarea[name=description]').fill('来电人建议周六上午开放柜台。');
    await page.locator('input[name=caller_phone]').fill('12');
    await page.locator('[data-test=wo-save-draft]').click();
    assert.match(await text(page.locator('[data-test=wo-form-error]')), /联系电话须为 3–20 位数字/);
    await page.locator('input[name=caller_phone]').fill('0931-8888888');
    await page.locator('[data-test=wo-save-draft]').click();
    await page.waitForURL(/\/workorders\/\d+$/);
    await expectState(page, '草稿', 'draft');
    assert.equal(await text(page.locator('[data-test=wo-category-tag]')), '建议类');

    // The draft is in the agent's queue.
    const number = await text(page.locator('[data-test=wo-number]'));
    await page.locator('.el-menu-item', { hasText: '我的工单' }).click();
    await page.locator(`[data-test="wo-row-${number}"]`).click();
    await page.locator('[data-test=wo-detail][data-state=draft]').waitFor();

    await page.locator('[data-test=wo-edit]').click();
    await page.locator('input[name=edit_subject]').fill('建议周六上午开放服务大厅');
    await page.locator('[data-test=wo-edit-save]').click();
    await page.locator('[data-test=wo-subject-text]').filter({ hasText: '建议周六上午开放服务大厅' }).waitFor();
    await page.locator('[data-test=wo-timeline-edit]').waitFor();
    await act(page, 'submit');
    await expectState(page, '待班长确认', 'pending_confirmation');
  });
  await agent.close();
});

test('a leader merges a duplicate by its number and cancels with a reason; a department sends an order back', { timeout: TEST_TIMEOUT }, async () => {
  const agentToken = await apiLogin('lz_agent');
  const leaderToken = await apiLogin('lz_leader');
  const file = (subject) => api(agentToken, 'POST', '/workorders', {
    category: 'complaint', caller_phone: '13600003333', subject, description: '同一来电人重复反映。', submit: true,
  });
  const first = await file('住房公积金缴存基数调整未生效');
  const dup = await file('缴存基数调整未生效（重复来电）');
  const wrong = await file('误建工单');
  const back = await file('异地转移接续办理缓慢');
  const loans = (await api(leaderToken, 'GET', '/workorders/departments')).items.find((d) => d.name === '贷款科');
  await api(leaderToken, 'POST', `/workorders/${back.id}/transitions`, { action: 'confirm', version: back.version, department_id: loans.id });

  const leader = await signIn('lz_leader');
  await step(leader, 'merge-cancel', async () => {
    const { page } = leader;
    await page.goto(`${suite.server.baseUrl}/workorders/${dup.id}`);
    await page.locator('[data-test=wo-detail][data-state=pending_confirmation]').waitFor();
    await page.locator('[data-test=wo-action-merge]').click();
    const dialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test=wo-action-ok]') });
    await dialog.locator('input').first().fill('LZ19990101-0001');
    await dialog.locator('[data-test=wo-action-ok]').click();
    await dialog.locator('[data-test=wo-action-dialog-error]').filter({ hasText: '找不到工单 LZ19990101-0001' }).waitFor();
    await dialog.locator('input').first().fill(first.number);
    await dialog.locator('[data-test=wo-action-ok]').click();
    await expectState(page, '已合并', 'merged');
    await page.locator('[data-test=wo-no-actions]').waitFor();

    await page.goto(`${suite.server.baseUrl}/workorders/${wrong.id}`);
    await page.locator('[data-test=wo-detail][data-state=pending_confirmation]').waitFor();
    await page.locator('[data-test=wo-action-cancel]').click();
    await dialog.locator('[data-test=wo-action-ok]').click();
    await dialog.locator('[data-test=wo-action-dialog-error]').filter({ hasText: '请填写撤销原因' }).waitFor();
    await dialog.locator('textarea').fill('坐席误建，来电人问题已当场解答。');
    await dialog.locator('[data-test=wo-action-ok]').click();
    await expectState(page, '已撤销', 'cancelled');
    assert.match(await text(page.locator('[data-test=wo-timeline-cancel]')), /撤销.*坐席误建/);
  });
  await leader.close();

  const dept = await signIn('lz_dept');
  await step(dept, 'send-back', async () => {
    const { page } = dept;
    await page.goto(`${suite.server.baseUrl}/workorders/${back.id}`);
    await page.locator('[data-test=wo-detail][data-state=dispatched]').waitFor();
    await act(page, 'send_back', { note: '该事项属归集科职责，请重新派单。' });
    // Sent back, the order is no longer the department's: it is told so and returns to its queue.
    await page.getByText('操作已完成，该工单已不在您的处理范围内。').waitFor();
    await page.waitForURL(/\/workorders$/);
    assert.equal(await page.locator(`[data-test="wo-row-${back.number}"]`).count(), 0);
  });
  await dept.close();
  const sent = await api(leaderToken, 'GET', `/workorders/${back.id}`);
  assert.equal(sent.state, 'pending_confirmation');
  assert.equal((await api(leaderToken, 'GET', `/workorders/${dup.id}`)).merged_into, first.id);
});

test('a supervisor reads orders (phone masked) without any action, comment box or upload; a department cannot open the order form', { timeout: TEST_TIMEOUT }, async () => {
  const agentToken = await apiLogin('lz_agent');
  const o = await api(agentToken, 'POST', '/workorders', {
    category: 'inquiry', caller_phone: '13512345678', subject: '租房提取材料咨询', description: '来电人咨询租房提取需要的材料。', submit: true,
  });
  const sup = await signIn('lz_sup');
  await step(sup, 'supervisor', async () => {
    const { page } = sup;
    assert.equal(await page.locator('.el-menu-item', { hasText: '新建工单' }).count(), 0);
    await page.goto(`${suite.server.baseUrl}/workorders/${o.id}`);
    await page.locator('[data-test=wo-detail]').waitFor();
    assert.equal(await text(page.locator('[data-test=wo-phone]')), '135****5678');
    await page.locator('[data-test=wo-no-actions]').waitFor();
    assert.equal(await page.locator('.comment textarea').count(), 0);
    assert.equal(await page.locator('[data-test=wo-upload]').count(), 0);
  });
  await sup.close();
  const dept = await signIn('lz_dept');
  await step(dept, 'department-form', async () => {
    await dept.page.goto(`${suite.server.baseUrl}/workorders/new`);
    await dept.page.getByText('无权访问').first().waitFor();
    assert.equal(await dept.page.locator('input[name=subject]').count(), 0);
  });
  await dept.close();
});
