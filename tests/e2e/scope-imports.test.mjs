// Uploads that name an organisation stay inside the uploader's scope (R-ORG-1, issue 12 §2) against a real
// `hotline serve` (lib/server.mjs): a team leader of centre A who uploads a schedule naming centre B gets
// 400 invalid_csv and nothing is stored — not even A's lines; a code of another province and one that does
// not exist give the same line error; roles without kpi.schedule.write get 403; a province admin loads the
// province's centres.
// Run: cd tests/e2e && node --test scope-imports.test.mjs   (HOTLINE_BIN picks the binary; ctest sets it)
// No assertion depends on how long something takes; every wait is bounded.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, seedWorld, PASSWORD } from './lib/server.mjs';

const WAIT = 10_000;
const T = { timeout: 60_000 };

async function call(base, method, path, { token, body, type } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    headers['content-type'] = type || (typeof body === 'string' ? 'text/csv' : 'application/json');
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

const HEADER = 'center,username,date,start,end\n';
const DAY = '2026-03-02';

describe('uploads naming an organisation stay inside the uploader\'s scope', () => {
  let server;
  let base;
  const tokens = {};

  // Shifts stored for `centre` on DAY, as the ministry admin sees them (the total row of the report).
  async function scheduled(centre) {
    const r = await call(base, 'GET', `/api/v1/kpi/attendance?org=${centre}&from=${DAY}&to=${DAY}`, { token: tokens.mohurd_admin });
    assert.equal(r.status, 200, r.text);
    return r.json.items[0].scheduled;
  }

  before(async () => {
    server = await startServer({ seed: (run) => { seedWorld(run); } });
    base = server.baseUrl;
    for (const u of ['mohurd_admin', 'gs_admin', 'lz_admin', 'lz_leader', 'lz_agent', 'lz_sup']) {
      const r = await call(base, 'POST', '/api/v1/auth/login', { body: { username: u, password: PASSWORD } });
      assert.equal(r.status, 200, `login ${u}: ${r.text}`);
      tokens[u] = r.json.token;
    }
  });

  after(async () => { if (server) await server.stop(); });

  it('a team leader of GS-LZ cannot load shifts for GS-TS: 400, nothing stored', T, async () => {
    const csv = `${HEADER}GS-LZ,li,${DAY},08:30,12:00\nGS-TS,wang,${DAY},08:30,12:00\nGS-LZ,zhang,${DAY},14:00,17:30\n`;
    const r = await call(base, 'POST', '/api/v1/kpi/schedules', { token: tokens.lz_leader, body: csv });
    assertError(r, 400, 'invalid_csv', 'lz_leader → GS-TS');
    assert.deepEqual(r.json.error.lines, ["schedule.csv:3: unknown centre 'GS-TS' (a centre inside your organisation is required)"]);
    assert.equal(await scheduled('GS-TS'), 0, 'nothing for the other centre');
    assert.equal(await scheduled('GS-LZ'), 0, 'nor the valid lines of the own centre (all or nothing)');
    const audit = await call(base, 'GET', '/api/v1/audit?action=kpi.schedule.import', { token: tokens.mohurd_admin });
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.json.items.length, 0, 'a refused upload imports nothing and logs no import');
  });

  it('another province\'s centre and an unknown code give the same answer', T, async () => {
    const csv = `${HEADER}SX-XA,a,${DAY},08:30,12:00\nNO-SUCH,a,${DAY},08:30,12:00\nGS,a,${DAY},08:30,12:00\n`;
    const r = await call(base, 'POST', '/api/v1/kpi/schedules', { token: tokens.gs_admin, body: csv });
    assertError(r, 400, 'invalid_csv', 'gs_admin → SX-XA');
    assert.deepEqual(r.json.error.lines, [
      "schedule.csv:2: unknown centre 'SX-XA' (a centre inside your organisation is required)",
      "schedule.csv:3: unknown centre 'NO-SUCH' (a centre inside your organisation is required)",
      "schedule.csv:4: unknown centre 'GS' (a centre inside your organisation is required)",
    ]);
    assert.equal(await scheduled('SX-XA'), 0);
  });

  it('roles without kpi.schedule.write get 403', T, async () => {
    const csv = `${HEADER}GS-LZ,li,${DAY},08:30,12:00\n`;
    for (const u of ['lz_agent', 'lz_sup']) {
      assertError(await call(base, 'POST', '/api/v1/kpi/schedules', { token: tokens[u], body: csv }), 403, 'forbidden', u);
    }
    assertError(await call(base, 'POST', '/api/v1/kpi/schedules', { body: csv }), 401, 'unauthenticated', 'anonymous');
    assert.equal(await scheduled('GS-LZ'), 0);
  });

  it('inside the scope the upload is stored: the leader for the own centre, the province admin for both', T, async () => {
    const own = await call(base, 'POST', '/api/v1/kpi/schedules', { token: tokens.lz_leader, body: `${HEADER}GS-LZ,li,${DAY},08:30,12:00\n` });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.json.shifts, 1);
    assert.equal(await scheduled('GS-LZ'), 1);
    const both = await call(base, 'POST', '/api/v1/kpi/schedules', {
      token: tokens.gs_admin, body: `${HEADER}GS-LZ,zhang,${DAY},14:00,17:30\nGS-TS,wang,${DAY},08:30,12:00\n`,
    });
    assert.equal(both.status, 200, both.text);
    assert.equal(both.json.shifts, 2);
    assert.equal(await scheduled('GS-LZ'), 2);
    assert.equal(await scheduled('GS-TS'), 1);
  });
});
