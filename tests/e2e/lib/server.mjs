// Test fixture: a real `hotline serve` on a free loopback port with its own temp directory.
// The binary comes from $HOTLINE_BIN (ctest sets it); the console from $HOTLINE_UI_DIR.
// Every process started here is killed by pid in stop(), and has a hard timeout of its own.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOTLINE_BIN = process.env.HOTLINE_BIN || new URL('../../../build/release/src/hotline', import.meta.url).pathname;
export const UI_DIR = process.env.HOTLINE_UI_DIR || new URL('../../../ui/dist', import.meta.url).pathname;

// TOML text from {section: {key: value}}; strings are quoted, numbers and booleans bare, lists of scalars
// inline, lists of objects as arrays of tables ([[section.key]]).
export function toToml(sections) {
  let out = '';
  const value = (v) => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map(value).join(', ')}]` : v);
  for (const [section, keys] of Object.entries(sections)) {
    out += `[${section}]\n`;
    const tables = [];
    for (const [k, v] of Object.entries(keys)) {
      // A list of objects is an array of tables: [[section.key]] (e.g. [[sms.carriers]]).
      if (Array.isArray(v) && v.length && typeof v[0] === 'object') tables.push([k, v]);
      else out += `${k} = ${value(v)}\n`;
    }
    for (const [k, list] of tables) {
      for (const t of list) {
        out += `[[${section}.${k}]]\n`;
        for (const [tk, tv] of Object.entries(t)) out += `${tk} = ${value(tv)}\n`;
      }
    }
  }
  return out;
}

// Runs `hotline ARGS --config CONFIG` synchronously; returns stdout. Throws with stderr on failure.
export function cli(configPath, args) {
  return execFileSync(HOTLINE_BIN, [...args, '--config', configPath], { encoding: 'utf8', timeout: 60_000 });
}

// Starts a server. `config` overrides/extends the default sections. `seed(cli)` runs before serve.
export async function startServer({ config = {}, seed } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-e2e-'));
  const sections = {
    database: { url: `sqlite:${join(dir, 'hotline.db')}` },
    http: { listen: '127.0.0.1:0', static_dir: UI_DIR },
    log: { level: 'warn' },
  };
  for (const [s, keys] of Object.entries(config)) sections[s] = { ...(sections[s] || {}), ...keys };
  const configPath = join(dir, 'hotline.toml');
  try {
    writeFileSync(configPath, toToml(sections));
    cli(configPath, ['migrate']);
    if (seed) await seed((args) => cli(configPath, args));
  } catch (e) {
    rmSync(dir, { recursive: true, force: true }); // a failed seed leaves nothing behind
    throw e;
  }

  const child = spawn(HOTLINE_BIN, ['serve', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000); // never outlive a test run
  killer.unref();
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const started = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`hotline serve did not start in 15 s:\n${stderr}`)), 15_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hotline serve exited ${code}:\n${stderr}`)); });
  });
  let baseUrl;
  try {
    baseUrl = await started;
  } catch (e) {
    child.kill('SIGKILL');
    clearTimeout(killer);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    baseUrl, dir, configPath, child,
    stderr: () => stderr,
    cli: (args) => cli(configPath, args),
    async stop({ keepDir = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { child.kill('SIGKILL'); r(); }, 10_000); child.on('exit', () => { clearTimeout(t); r(); }); });
      }
      clearTimeout(killer);
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A standard world for scoping tests: the ministry, two provinces, three centres, users per role.
export const PASSWORD = 'Test12329pass';
export function seedWorld(run) {
  run(['org', 'add', '--code', 'MOHURD', '--name', '住房和城乡建设部', '--level', 'ministry']);
  run(['org', 'add', '--code', 'GS', '--name', '甘肃省住房和城乡建设厅', '--level', 'province', '--parent', 'MOHURD']);
  run(['org', 'add', '--code', 'SX', '--name', '陕西省住房和城乡建设厅', '--level', 'province', '--parent', 'MOHURD']);
  run(['org', 'add', '--code', 'GS-LZ', '--name', '兰州住房公积金管理中心', '--level', 'center', '--parent', 'GS']);
  run(['org', 'add', '--code', 'GS-TS', '--name', '天水市住房公积金管理中心', '--level', 'center', '--parent', 'GS']);
  run(['org', 'add', '--code', 'SX-XA', '--name', '西安住房公积金管理中心', '--level', 'center', '--parent', 'SX']);
  const users = [
    ['mohurd_admin', 'admin', 'MOHURD'], ['mohurd_sup', 'supervisor', 'MOHURD'],
    ['gs_admin', 'admin', 'GS'], ['gs_sup', 'supervisor', 'GS'], ['sx_sup', 'supervisor', 'SX'],
    ['lz_admin', 'admin', 'GS-LZ'], ['lz_sup', 'supervisor', 'GS-LZ'], ['lz_leader', 'team_leader', 'GS-LZ'],
    ['lz_agent', 'agent', 'GS-LZ'], ['lz_dept', 'department', 'GS-LZ'],
    ['ts_agent', 'agent', 'GS-TS'], ['xa_admin', 'admin', 'SX-XA'], ['xa_agent', 'agent', 'SX-XA'],
  ];
  for (const [u, role, org] of users) run(['user', 'add', '--username', u, '--password', PASSWORD, '--role', role, '--org', org]);
  return users;
}
