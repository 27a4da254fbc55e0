// R-OPS-1 durability: a server killed with SIGKILL in the middle of a stream of writes loses nothing
// it acknowledged, and leaves a consistent database.
// Run: cd tests/e2e && node --test kill9.test.mjs   (HOTLINE_BIN picks the binary; ctest sets it)
//
// A server on SQLite with the default sqlite_synchronous = "full" takes POST /api/v1/users from 8
// concurrent writers for ~3 s; every username answered 201 is recorded; then the process is killed
// with SIGKILL while requests are still in flight. Afterwards:
//   - `sqlite3 DB 'PRAGMA integrity_check'` says ok,
//   - `hotline user list` lists every acknowledged user, and their user.create audit entries exist,
//   - a new server on the same files lets acknowledged users log in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, PASSWORD, HOTLINE_BIN } from './lib/server.mjs';

const WRITERS = 8;
const WRITE_FOR_MS = 3000;
const MIN_ACKED = 16;
const NEW_PASSWORD = 'Durable12329pw';

function seed(run) {
  run(['org', 'add', '--code', 'MOHURD', '--name', '住房和城乡建设部', '--level', 'ministry']);
  run(['org', 'add', '--code', 'GS', '--name', '甘肃省住房和城乡建设厅', '--level', 'province', '--parent', 'MOHURD']);
  run(['org', 'add', '--code', 'GS-LZ', '--name', '兰州住房公积金管理中心', '--level', 'center', '--parent', 'GS']);
  run(['user', 'add', '--username', 'gs_admin', '--password', PASSWORD, '--role', 'admin', '--org', 'GS']);
}

// Exits (or is already gone) within 10 s, or the test fails.
function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the server did not die within 10 s of SIGKILL')), 10_000);
    child.once('exit', (code, signal) => { clearTimeout(t); resolve({ code, signal }); });
  });
}

// `hotline serve` on an existing configuration (the killed server's files). Bounded like the fixture.
async function serveAgain(configPath) {
  const child = spawn(HOTLINE_BIN, ['serve', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000);
  killer.unref();
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { child.kill('SIGKILL'); r(); }, 10_000); child.once('exit', () => { clearTimeout(t); r(); }); });
    }
    clearTimeout(killer);
  };
  try {
    const baseUrl = await new Promise((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`restart: not listening within 15 s:\n${stderr}`)), 15_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
        if (m) { clearTimeout(t); resolve(m[1]); }
      });
      child.once('exit', (code) => { clearTimeout(t); reject(new Error(`restart: exited ${code}:\n${stderr}`)); });
    });
    return { baseUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function sqlite(db, sql) {
  return execFileSync('sqlite3', [db, sql], { encoding: 'utf8', timeout: 60_000 }).trim();
}

test('R-OPS-1: every acknowledged write survives kill -9, and the database is intact', { timeout: 180_000 }, async (t) => {
  const server = await startServer({ seed });
  const dbPath = join(server.dir, 'hotline.db');
  let restarted;
  let killed = false; // also stops the writers if the test fails half-way
  try {
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'gs_admin', password: PASSWORD }), signal: AbortSignal.timeout(10_000),
    });
    assert.equal(login.status, 200);
    const { token } = await login.json();

    // Writers: each keeps one POST in flight until told to stop. Responses that do not arrive (the
    // process died first) are not acknowledgements.
    const acknowledged = [];
    const refused = [];
    let attempted = 0;
    let next = 0;
    const writer = async (w) => {
      while (!killed) {
        const username = `dur_${w}_${next++}`;
        attempted++;
        try {
          const r = await fetch(`${server.baseUrl}/api/v1/users`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ username, password: NEW_PASSWORD, role: 'agent', org: 'GS-LZ', display_name: `耐久 ${username}` }),
            signal: AbortSignal.timeout(15_000),
          });
          const body = await r.text();
          if (r.status === 201) acknowledged.push({ username, id: JSON.parse(body).id });
          else refused.push(`${username}: ${r.status} ${body}`);
        } catch {
          // Connection reset by the kill: this request was never acknowledged.
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    // At least WRITE_FOR_MS and at least MIN_ACKED acknowledged writes (a slow machine writes longer).
    const started = Date.now();
    while ((Date.now() - started < WRITE_FOR_MS || acknowledged.length < MIN_ACKED) && Date.now() - started < 60_000)
      await new Promise((r) => setTimeout(r, 100));
    const beforeKill = acknowledged.length;
    server.child.kill('SIGKILL');
    const { signal } = await exited(server.child);
    killed = true;
    await Promise.all(writers); // each fetch is bounded by its own timeout
    t.diagnostic(`${acknowledged.length} users acknowledged (${beforeKill} before the kill signal), ${attempted} attempted`);
    assert.equal(signal, 'SIGKILL');
    assert.deepEqual(refused, [], 'no write was refused while the server ran');
    assert.ok(beforeKill >= MIN_ACKED, `only ${beforeKill} writes acknowledged in 60 s (attempted ${attempted})`);
    assert.ok(attempted > acknowledged.length, 'requests were still in flight when the server was killed');

    // 1. The files are consistent (sqlite3 replays the WAL as any reader would).
    assert.equal(sqlite(dbPath, 'PRAGMA integrity_check;'), 'ok');
    assert.equal(sqlite(dbPath, 'PRAGMA foreign_key_check;'), '');

    // 2. Every acknowledged user is there, as the CLI sees it.
    const list = server.cli(['user', 'list']);
    const listed = new Set(list.split(/\s+/).filter(Boolean));
    const missing = acknowledged.filter((a) => !listed.has(a.username)).map((a) => a.username);
    assert.deepEqual(missing, [], `acknowledged but lost after kill -9 (${acknowledged.length} acknowledged)`);
    // …with the ids the server reported, and their audit entries (written before the 201 was sent).
    const rows = sqlite(dbPath, "SELECT id || ' ' || username FROM users WHERE username LIKE 'dur\\_%' ESCAPE '\\';");
    const idOf = new Map(rows.split('\n').filter(Boolean).map((l) => { const [id, u] = l.split(' '); return [u, Number(id)]; }));
    for (const a of acknowledged) assert.equal(idOf.get(a.username), a.id, `${a.username} id`);
    const audited = new Set(sqlite(dbPath, "SELECT target_id FROM audit_log WHERE action = 'user.create';").split('\n'));
    const unaudited = acknowledged.filter((a) => !audited.has(String(a.id))).map((a) => a.username);
    assert.deepEqual(unaudited, [], 'acknowledged users without their user.create audit entry');
    assert.equal(sqlite(dbPath, 'PRAGMA integrity_check;'), 'ok');

    // 3. A new server on the same files serves them: the first and last acknowledged users log in.
    restarted = await serveAgain(server.configPath);
    for (const a of [acknowledged[0], acknowledged[acknowledged.length - 1]]) {
      const r = await fetch(`${restarted.baseUrl}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: a.username, password: NEW_PASSWORD }), signal: AbortSignal.timeout(10_000),
      });
      assert.equal(r.status, 200, `${a.username} after restart: ${await r.text()}`);
    }
  } finally {
    killed = true;
    if (restarted) await restarted.stop();
    // (The fixture's stop() waits for an 'exit' that a signalled child has already emitted; only call
    // it when the child is still running, i.e. the test failed before the kill.)
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop({ keepDir: true });
    rmSync(server.dir, { recursive: true, force: true });
  }
});
