// The browser side of the console tests: Debian's chromium through playwright-core, one fresh context per
// test step, failure screenshots, and the console's sign-in. Every browser suite uses this file.
//   HOTLINE_SCREENSHOT_DIR  where screenshots go (default tests/e2e/screenshots/)
//   CHROMIUM                the browser (default /usr/bin/chromium)
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { UI_DIR, startServer } from './server.mjs';

export const SCREENSHOT_DIR = process.env.HOTLINE_SCREENSHOT_DIR || new URL('../screenshots/', import.meta.url).pathname;
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const STEP_TIMEOUT = 15_000; // any single wait in the browser

// Checks the console is built, makes the screenshot folder and starts a headless chromium.
export async function launchBrowser() {
  assert.ok(existsSync(join(UI_DIR, 'index.html')),
    `the console is not built: ${UI_DIR}/index.html is missing (cd ui && npm run build)`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// The hooks every console suite needs: before it, an optional scratch folder (`workPrefix`: suite.work, for
// files the seed writes), a `hotline serve` started with serverOptions(suite) (lib/server.mjs startServer)
// and one browser; after it, all three gone again, whatever failed. Returns the suite object, whose fields
// the before hook fills: { work, server, browser }. A seed that needs the folder takes it from the object
// serverOptions is given (the suite's own `const` is not yet assigned when a top-level hook starts).
export function consoleSuite(serverOptions, { workPrefix, timeout = 180_000 } = {}) {
  const suite = { work: null, server: null, browser: null };
  before(async () => {
    if (workPrefix) suite.work = mkdtempSync(join(tmpdir(), workPrefix));
    suite.server = await startServer(serverOptions(suite));
    suite.browser = await launchBrowser();
  }, { timeout });
  after(async () => {
    try {
      if (suite.browser) await suite.browser.close();
    } finally {
      if (suite.server) await suite.server.stop();
      if (suite.work) rmSync(suite.work, { recursive: true, force: true });
    }
  }, { timeout: 60_000 });
  return suite;
}

// A fresh context (no cookies) in zh-CN / Asia/Shanghai with a page that records uncaught script errors
// and console errors.
// Tall viewports show a whole page in one screenshot (the console scrolls inside its main area).
export async function newPage(browser, { height = 900, width = 1440 } = {}) {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width, height },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Vue reports a render error (a broken i18n message, a failing component) with console.error and goes on
  // with an empty box: that is a failure too. Failed requests (a test's expected 401/404) are not.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console.error: ${m.text()}`);
  });
  return { context, page, errors };
}

// Runs body(page) in a fresh context; on failure saves failure-NAME.png; always closes the context.
// The page must not have thrown any uncaught script error nor logged a console error.
export async function withPage(browser, name, body, options = {}) {
  const { context, page, errors } = await newPage(browser, options);
  try {
    await body(page);
    assert.deepEqual(errors, [], 'no uncaught script errors in the page');
  } catch (e) {
    await page.screenshot({ path: join(SCREENSHOT_DIR, `failure-${name}.png`), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}

// Signs in through the login page. `wait` (default true): until the console has left the login page.
export async function login(page, baseUrl, username, password, { wait = true } = {}) {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login/);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  if (wait) await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

// The visible text of a locator with runs of white space folded.
export async function text(locator) {
  return ((await locator.textContent()) || '').replace(/\s+/g, ' ').trim();
}
