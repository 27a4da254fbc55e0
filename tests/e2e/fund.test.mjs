// Provident-fund lookups over HTTP (docs/FUND-API.md, R-IVR-2, R-SVC-2/3, R-ORG-1) against a real
// `hotline serve` (lib/server.mjs) whose embedded core system was filled by `hotline fund generate`:
// verification with each login id, no context → 403, identical answers for unknown ids and wrong passwords,
// lockout after five failures, an agent's recorded reason → masked data only, appointments, roles and
// centres refused, every read in the audit log without passwords, and `hotline fund demo-caller`.
// Run: cd tests/e2e && node --test fund.test.mjs   (HOTLINE_BIN picks the binary; ctest sets it)
// No assertion depends on how long something takes; every wait is bounded.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, seedWorld, PASSWORD } from './lib/server.mjs';

const WAIT = 10_000;
const T = { timeout: 60_000 };

async function call(base, method, path, { token, body, context, headers: extra } = {}) {
  const headers = { ...(extra || {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  if (context) headers['x-fund-context'] = context;
  let payload;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body: payload, signal: AbortSignal.timeout(WAIT) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, text, json };
}

function assertError(r, status, code, what = '') {
  assert.equal(r.status, status, `${what}: expected ${status} ${code}, got ${r.status} ${r.text}`);
  assert.equal(r.json?.error?.code, code, `${what}: ${r.text}`);
}

// "个人账号    620100000001" lines of `hotline fund demo-caller` → { 个人账号: …, … }
function parseCaller(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^(\S+)\s+(\S+)$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

describe('provident-fund lookups and verification', () => {
  let server;
  let base;
  const tokens = {};
  let caller;
  let other;

  before(async () => {
    server = await startServer({
      config: { fund: { lockout_seconds: 600 } },
      seed: (run) => {
        seedWorld(run);
        run(['fund', 'generate', '--people', '200', '--units', '10', '--seed', '5', '--center', 'GS-LZ']);
        caller = parseCaller(run(['fund', 'demo-caller', '--center', 'GS-LZ', '--index', '0']));
        other = parseCaller(run(['fund', 'demo-caller', '--center', 'GS-LZ', '--index', '1']));
      },
    });
    base = server.baseUrl;
    for (const u of ['lz_agent', 'lz_leader', 'lz_admin', 'lz_sup', 'gs_sup', 'lz_dept', 'ts_agent']) {
      const r = await call(base, 'POST', '/api/v1/auth/login', { body: { username: u, password: PASSWORD } });
      assert.equal(r.status, 200, `login ${u}: ${r.text}`);
      tokens[u] = r.json.token;
    }
  });

  after(async () => { await server?.stop(); });

  it('demo-caller prints login ids and a six-digit password', T, () => {
    assert.match(caller['个人账号'], /^6201\d{8}$/);
    assert.match(caller['身份证号'], /^62\d{15}[\dX]$/);
    assert.match(caller['查询密码'], /^\d{6}$/);
    assert.match(caller['单位账号'], /^62019\d{5}$/);
  });

  it('refuses without login, for the wrong roles, and without a context', T, async () => {
    assertError(await call(base, 'GET', '/api/v1/fund/account'), 401, 'unauthenticated', 'no login');
    for (const u of ['lz_sup', 'gs_sup', 'lz_dept']) {
      assertError(await call(base, 'POST', '/api/v1/fund/verify', { token: tokens[u], body: { login_id: caller['个人账号'], password: caller['查询密码'] } }), 403, 'forbidden', u);
    }
    assertError(await call(base, 'GET', '/api/v1/fund/account', { token: tokens.lz_agent }), 403, 'verification_required', 'no context');
    assertError(await call(base, 'GET', '/api/v1/fund/loans', { token: tokens.lz_agent, context: 'fv_forged' }), 403, 'verification_required', 'forged');
    // Another centre's agent: GS-LZ accounts do not exist for GS-TS (same answer as a wrong password).
    assertError(await call(base, 'POST', '/api/v1/fund/verify', { token: tokens.ts_agent, body: { login_id: caller['个人账号'], password: caller['查询密码'] } }), 403, 'verification_failed', 'other centre');
  });

  it('verifies with account number, citizen id and card, then reads the account and histories', T, async () => {
    for (const login of [caller['个人账号'], caller['身份证号'], caller['联名卡号']].filter((x) => x && x !== '（无）')) {
      const v = await call(base, 'POST', '/api/v1/fund/verify', { token: tokens.lz_agent, body: { type: 'person', login_id: login, password: caller['查询密码'] } });
      assert.equal(v.status, 200, v.text);
      assert.equal(v.json.verified, true);
      assert.match(v.json.account_masked, /^\*\*\*\*\d{4}$/);
      const ctx = v.json.token;
      const a = await call(base, 'GET', '/api/v1/fund/account', { token: tokens.lz_agent, context: ctx });
      assert.equal(a.status, 200, a.text);
      assert.equal(a.json.masked, false);
      assert.equal(a.json.name, caller['姓名']);
      assert.equal(a.json.account_number, caller['个人账号']);
      assert.equal(a.json.citizen_id, caller['身份证号']);
      assert.match(a.json.balance.display, /^[\d,]+\.\d\d元$/);
      assert.ok(['01', '02', '03', '04', '05', '06', '99'].includes(a.json.status.code));
      for (const kind of ['deposits', 'base', 'interest', 'withdrawals', 'status']) {
        const h = await call(base, 'GET', `/api/v1/fund/history/${kind}?limit=5`, { token: tokens.lz_agent, context: ctx });
        assert.equal(h.status, 200, `${kind}: ${h.text}`);
        assert.ok(Array.isArray(h.json.items));
      }
      assertError(await call(base, 'GET', '/api/v1/fund/history/deposits?limit=9999', { token: tokens.lz_agent, context: ctx }), 400, 'invalid_field', 'limit');
      assert.equal((await call(base, 'GET', '/api/v1/fund/loans', { token: tokens.lz_agent, context: ctx })).status, 200);
      assert.equal((await call(base, 'GET', '/api/v1/fund/progress', { token: tokens.lz_agent, context: ctx })).status, 200);
      const e = await call(base, 'GET', '/api/v1/fund/eligibility/withdrawal', { token: tokens.lz_agent, context: ctx });
      assert.equal(e.status, 200, e.text);
      assert.equal(typeof e.json.eligible, 'boolean');
      // The context belongs to this centre's agent channel; ending it stops it.
      assert.equal((await call(base, 'DELETE', '/api/v1/fund/context', { token: tokens.lz_agent, context: ctx })).status, 204);
      assertError(await call(base, 'GET', '/api/v1/fund/account', { token: tokens.lz_agent, context: ctx }), 403, 'verification_required', 'ended');
    }
  });

  it('answers unknown ids exactly like wrong passwords, and locks after five failures', T, async () => {
    const wrong = other['查询密码'] === '000000' ? '111111' : '000000';
    const known = await call(base, 'POST', '/api/v1/fund/verify', { token: tokens.lz_leader, body: { login_id: other['个人账号'], password: wrong } });
    const unknown = await call(base, 'POST', '/api/v1/fund/verify', { token: tokens.lz_leader, body: { login_id: '620199999999', password: wrong } });
    assert.equal(known.status, unknown.status);
    assert.deepEqual(known.json, unknown.json);
    assertError(known, 403, 'verification_failed');
    assertError(await call(base, 'POST', '/api/v1/fund/verify', { token: tokens.lz_leader, body: { login_id: '110105194912310021', password: wrong } }), 400, 'invalid_citizen_id', 'check digit');
    for (let i = 0; i < 3; i++) await call(base, 'POST', '/api/v1/fund/verify', { token: tokens.lz_leader, body: { login_id: other['个人账号'], password: wrong } });
    assertError(await call(base, 'POST', '/api/v1/fund/verify', { token: tokens.lz_leader, body: { login_id: other['个人账号'], password: wrong } }), 429, 'login_locked', '5th');
    assertError(await call(base, 'POST', '/api/v1/fund/verify', { token: tokens.lz_leader, body: { login_id: other['个人账号'], password: other['查询密码'] } }), 429, 'login_locked', 'right password while locked');
  });

  it('gives masked data only when the agent records why verification was impossible', T, async () => {
    assertError(await call(base, 'POST', '/api/v1/fund/unverified', { token: tokens.lz_agent, body: { login_id: caller['个人账号'], reason: '' } }), 400, 'invalid_field', 'empty reason');
    const u = await call(base, 'POST', '/api/v1/fund/unverified', { token: tokens.lz_agent, body: { login_id: caller['个人账号'], reason: '来电人忘记查询密码' } });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.verified, false);
    const a = await call(base, 'GET', '/api/v1/fund/account', { token: tokens.lz_agent, context: u.json.token });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.masked, true);
    assert.equal(a.json.balance, null);
    assert.match(a.json.citizen_id, /^\d{6}\*{8}[\dX]{4}$/);
    assert.match(a.json.account_number, /^\*{4}\d{4}$/);
    assert.ok(a.json.name.includes('*'));
    assertError(await call(base, 'GET', '/api/v1/fund/loans', { token: tokens.lz_agent, context: u.json.token }), 403, 'verification_required', 'loans');
  });

  it('books, lists and cancels an appointment on a working day', T, async () => {
    const v = await call(base, 'POST', '/api/v1/fund/verify', { token: tokens.lz_agent, body: { login_id: caller['个人账号'], password: caller['查询密码'] } });
    assert.equal(v.status, 200, v.text);
    const ctx = v.json.token;
    const branches = await call(base, 'GET', '/api/v1/fund/branches', { token: tokens.lz_agent });
    assert.equal(branches.status, 200, branches.text);
    assert.equal(branches.json.items.length, 4);
    const branch = branches.json.items[0].code;
    const queue = await call(base, 'GET', `/api/v1/fund/branches/${branch}/queue`, { token: tokens.lz_agent });
    assert.equal(queue.status, 200, queue.text);
    // The first of the next ten days that the centre's calendar calls a working day.
    let day;
    let slots;
    for (let i = 1; i <= 10 && !day; i++) {
      const d = new Date(Date.now() + i * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
      const r = await call(base, 'GET', `/api/v1/fund/branches/${branch}/slots?date=${d}`, { token: tokens.lz_agent });
      if (r.status === 200) { day = d; slots = r.json.items; } else assertError(r, 400, 'appointment_non_working_day', d);
    }
    assert.ok(day, 'a working day within ten days');
    assert.equal(slots.length, 6);
    const booked = await call(base, 'POST', '/api/v1/fund/appointments', { token: tokens.lz_agent, context: ctx, body: { kind: 'withdrawal', branch, date: day, slot: slots[0].slot } });
    assert.equal(booked.status, 200, booked.text);
    assert.match(booked.json.reference, /^YY\d{8}-\d{6}$/);
    assertError(await call(base, 'POST', '/api/v1/fund/appointments', { token: tokens.lz_agent, context: ctx, body: { kind: 'withdrawal', branch, date: day, slot: slots[1].slot } }), 409, 'appointment_exists', 'twice');
    assertError(await call(base, 'POST', '/api/v1/fund/appointments', { token: tokens.lz_agent, context: ctx, body: { kind: 'loan_application', branch, date: '2020-01-06', slot: slots[0].slot } }), 400, 'appointment_date_past', 'past');
    assertError(await call(base, 'POST', '/api/v1/fund/appointments', { token: tokens.lz_agent, context: ctx, body: { kind: 'loan_application', branch, date: day, slot: '22:00-23:00' } }), 400, 'slot_outside_hours', 'night');
    const list = await call(base, 'GET', '/api/v1/fund/appointments', { token: tokens.lz_agent, context: ctx });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.json.items.some((a) => a.reference === booked.json.reference && a.state === 'booked'));
    const cancelled = await call(base, 'DELETE', `/api/v1/fund/appointments/${booked.json.reference}`, { token: tokens.lz_agent, context: ctx });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.json.state, 'cancelled');
    assertError(await call(base, 'DELETE', `/api/v1/fund/appointments/${booked.json.reference}`, { token: tokens.lz_agent, context: ctx }), 409, 'appointment_not_active', 'again');
  });

  it('audit-logs every read without passwords', T, async () => {
    const r = await call(base, 'GET', '/api/v1/audit?action=fund.account.read&limit=100', { token: tokens.lz_admin });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length >= 3, r.text);
    const entry = r.json.items[0];
    assert.equal(entry.channel, 'web');  // org::Channel of a console user (entries before issue 12 say 'agent')
    assert.equal(entry.actor, 'lz_agent');
    assert.equal(entry.detail.purpose, '来电查询');
    const all = await call(base, 'GET', '/api/v1/audit?limit=500', { token: tokens.lz_admin });
    assert.equal(all.status, 200);
    const detail = JSON.stringify(all.json.items.map((e) => e.detail));
    assert.ok(!detail.includes(caller['查询密码']), 'a password in the audit log');
    assert.ok(!JSON.stringify(all.json.items).includes(caller['身份证号']), 'a citizen id in the audit log');
    assert.ok(all.json.items.some((e) => e.action === 'fund.verify.locked'));
  });
});
