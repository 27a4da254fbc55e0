// Browser end-to-end test of the knowledge base (知识库, issue 3, R-AGT-3): a real `hotline serve`
// (lib/server.mjs) whose articles come from `hotline kb import` of Markdown files in the shared format,
// driven by the Debian chromium through playwright-core. An agent searches 提取, sees ranked results with
// highlighted snippets, opens the article and reads its body; a body with markup shows as text (no
// stored XSS); the API keeps another centre's article out of scope (404); a team leader writes an article
// in the editor and sends it to review, agents cannot find it until a supervisor publishes it.
// Run: cd tests/e2e && node --test kb-console.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedWorld, PASSWORD } from './lib/server.mjs';
import * as ui from './lib/browser.mjs';
import { SCREENSHOT_DIR } from './lib/browser.mjs';

function article(slug, title, category, body, extra = {}) {
  const fm = { slug, title, category, tags: '', keywords: '', audience: 'individual', scope: 'center',
    effective_from: '2025-01-01', expires_at: '', ...extra };
  return `---\n${Object.entries(fm).map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n${body}\n`;
}

// `work`: the suite's scratch folder.
function seed(run, work) {
  seedWorld(run);
  const dir = join(work, 'kb');
  mkdirSync(dir);
  writeFileSync(join(dir, 'withdrawal-rent.md'), article('withdrawal-rent', '租房提取住房公积金需要什么条件？', '提取/租房提取',
    '## 办理条件\n- 本市无自有住房\n- 连续足额缴存满3个月\n\n租房提取每季度可提取一次，需携带身份证和租房合同。', { tags: '租房, 提取' }));
  writeFileSync(join(dir, 'loan-offsite.md'), article('loan-offsite', '异地贷款怎么办理？', '贷款/异地贷款',
    '在外地缴存的职工在兰州购房，可申请异地贷款。'));
  writeFileSync(join(dir, 'retire-withdrawal.md'), article('retire-withdrawal', '退休后如何提取公积金？', '提取/退休提取',
    '退休职工可以一次性提取账户余额并销户。<script>window.__xss = 1</script>'));
  const out = run(['kb', 'import', '--org', 'GS-LZ', dir]);
  assert.match(out, /新文章 3/, out);
  const ts = join(work, 'kb-ts');
  mkdirSync(ts);
  writeFileSync(join(ts, 'tianshui-only.md'), article('tianshui-only', '天水提取须知', '提取', '天水中心的提取规定。'));
  run(['kb', 'import', '--org', 'GS-TS', ts]);
}

const suite = ui.consoleSuite((s) => ({ seed: (run) => seed(run, s.work) }), { workPrefix: 'hotline-e2e-kb-' });

const withPage = (name, body) => ui.withPage(suite.browser, name, body);
const login = (page, username) => ui.login(page, suite.server.baseUrl, username, PASSWORD);

async function tokenOf(username) {
  const res = await fetch(`${suite.server.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

async function api(username, method, path, body) {
  const headers = { Authorization: `Bearer ${await tokenOf(username)}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(`${suite.server.baseUrl}/api/v1${path}`,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
}
const apiGet = (username, path) => api(username, 'GET', path);
const apiPost = (username, path, body) => api(username, 'POST', path, body);

test('an agent searches 提取, sees highlighted results and reads the article', { timeout: 120_000 }, async () => {
  await withPage('kb-search', async (page) => {
    await login(page, 'lz_agent');
    await page.locator('.el-menu-item', { hasText: '知识库' }).first().click();
    await page.waitForURL(/\/kb$/);
    await page.locator('input[data-test=kb-search-input], [data-test=kb-search-input] input').first().fill('提取');
    await page.locator('[data-test=kb-search-button]').click();
    const hits = page.locator('[data-test=kb-hit]');
    await hits.first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-test=kb-hit] mark').length > 0);
    const titles = await hits.allTextContents();
    assert.ok(titles.some((s) => s.includes('租房提取住房公积金需要什么条件')), titles.join('\n'));
    assert.ok(titles.some((s) => s.includes('退休后如何提取公积金')), titles.join('\n'));
    assert.ok(!titles.some((s) => s.includes('天水')), 'another centre’s article is not found');
    assert.ok(!titles.some((s) => s.includes('异地贷款')), 'an article without 提取 is not found');
    // The highlight is a <mark> around the searched word.
    const marked = await page.locator('[data-test=kb-hit] mark').first().textContent();
    assert.match(marked, /提|取/);

    await hits.filter({ hasText: '租房提取住房公积金需要什么条件' }).first().click();
    await page.waitForURL(/\/kb\/articles\/\d+/);
    await page.locator('[data-test=kb-article-title]').filter({ hasText: '租房提取住房公积金需要什么条件？' }).waitFor();
    const body = page.locator('[data-test=kb-article-body]');
    await body.filter({ hasText: '租房提取每季度可提取一次' }).waitFor();
    assert.equal(await body.locator('h2').first().textContent(), '办理条件');
    assert.equal(await body.locator('li').count(), 2);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'kb-article.png') });
  });
});

test('article markup is shown as text, never run', { timeout: 120_000 }, async () => {
  await withPage('kb-xss', async (page) => {
    await login(page, 'lz_agent');
    await page.goto(`${suite.server.baseUrl}/kb?q=${encodeURIComponent('退休')}`);
    const hit = page.locator('[data-test=kb-hit]').filter({ hasText: '退休后如何提取公积金' });
    await hit.first().waitFor();
    await hit.first().click();
    const body = page.locator('[data-test=kb-article-body]');
    await body.filter({ hasText: '<script>window.__xss = 1</script>' }).waitFor();
    assert.equal(await body.locator('script').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
  });
});

test('the API scopes articles to the centre and its province (R-ORG-1)', { timeout: 60_000 }, async () => {
  const mine = await apiGet('lz_agent', `/kb/search?q=${encodeURIComponent('提取')}`);
  assert.equal(mine.status, 200);
  const id = mine.body.items[0].id;
  const other = await apiGet('xa_agent', `/kb/articles/${id}`);
  assert.equal(other.status, 404);
  const forbidden = await fetch(`${suite.server.baseUrl}/api/v1/kb/search?q=x`);
  assert.equal(forbidden.status, 401);
});

test('a team leader writes an article, a supervisor publishes it, then agents find it', { timeout: 180_000 }, async () => {
  const agentSearch = async () => (await apiGet('lz_agent', `/kb/search?q=${encodeURIComponent('灵活就业')}`)).body.items;
  let articleUrl;
  await withPage('kb-editor', async (page) => {
    await login(page, 'lz_leader');
    await page.goto(`${suite.server.baseUrl}/kb`);
    await page.locator('[data-test=kb-new]').click();
    await page.waitForURL(/\/kb\/edit$/);
    await page.locator('input[data-test=kb-slug], [data-test=kb-slug] input').first().fill('flexible-employment');
    await page.locator('input[data-test=kb-title], [data-test=kb-title] input').first().fill('灵活就业人员如何缴存住房公积金？');
    await page.locator('.el-autocomplete input').first().fill('缴存/灵活就业');
    await page.locator('textarea[data-test=kb-body], [data-test=kb-body] textarea').first().fill(
      '## 缴存方式\n灵活就业人员可自愿缴存，月缴存额按本人上年度月平均收入的 5%～12% 计算。');
    await page.locator('[data-test=kb-save-submit]').click();
    await page.waitForURL(/\/kb\/articles\/\d+/);
    articleUrl = page.url();
    await page.locator('.el-timeline').filter({ hasText: 'v1' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'kb-editor-submitted.png') });
    // Four eyes ([kb] second_reviewer, the default): the author is offered no publish button.
    assert.equal(await page.locator('[data-test=kb-publish]').count(), 0);
  });
  const id = articleUrl.match(/articles\/(\d+)/)[1];
  const inReview = await apiGet('lz_leader', `/kb/articles/${id}`);
  assert.equal(inReview.status, 200);
  assert.equal(inReview.body.versions.at(-1).state, 'in_review');
  assert.equal(inReview.body.versions.at(-1).created_by, 'lz_leader');
  assert.ok(!(await agentSearch()).some((h) => h.title.includes('灵活就业')), 'not found before publication');
  const ownPublish = await apiPost('lz_leader', `/kb/articles/${id}/versions/1/publish`, {});
  assert.equal(ownPublish.status, 403);
  assert.equal(ownPublish.body.error.code, 'own_version');
  const agentView = await apiGet('lz_agent', `/kb/articles/${id}`);
  assert.ok(agentView.status === 404 || !agentView.body.in_effect, 'an agent does not read an unpublished article');

  await withPage('kb-publish', async (page) => {
    await login(page, 'lz_sup');
    // The reviewer finds it under 文章管理 → 待审核 and opens it from the list.
    await page.goto(`${suite.server.baseUrl}/kb`);
    await page.getByRole('tab', { name: '文章管理' }).click();
    await page.locator('[data-test=kb-list-state]').getByText('待审核').click();
    const row = page.locator('.el-table__row', { hasText: '灵活就业人员如何缴存住房公积金？' });
    await row.waitFor();
    assert.equal(await page.locator('.el-table__row').count(), 1, 'only the version in review is listed');
    await row.click();
    await page.waitForURL(articleUrl);
    await page.locator('[data-test=kb-publish]').first().click();
    await page.locator('[data-test=kb-article-title]').filter({ hasText: '灵活就业人员如何缴存住房公积金？' }).waitFor();
    await page.locator('[data-test=kb-article-body] h2').filter({ hasText: '缴存方式' }).waitFor();
  });
  const published = await apiGet('lz_leader', `/kb/articles/${id}`);
  assert.equal(published.body.versions.at(-1).state, 'published');
  assert.equal(published.body.versions.at(-1).reviewed_by, 'lz_sup');
  const hits = await agentSearch();
  assert.ok(hits.some((h) => h.title.includes('灵活就业人员如何缴存住房公积金')), JSON.stringify(hits.map((h) => h.title)));
});
