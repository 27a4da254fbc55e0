// R-ORG-3: three `hotline` processes on loopback — a centre, its province, the ministry. The centre imports
// CDRs and pushes its daily sums to the province, the province pushes to the ministry, and the ministry's
// national figures equal the sums of the centres' own figures. A centre that pushes while the province is
// down catches up afterwards; re-sending changes nothing; a corrected day replaces the old one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, HOTLINE_BIN, toToml, PASSWORD } from './lib/server.mjs';

const TREE = [
  ['MOHURD', '住房和城乡建设部', 'ministry', null],
  ['GS', '甘肃省住房和城乡建设厅', 'province', 'MOHURD'],
  ['GS-LZ', '兰州住房公积金管理中心', 'center', 'GS'],
  ['GS-TS', '天水市住房公积金管理中心', 'center', 'GS'],
  ['SX', '陕西省住房和城乡建设厅', 'province', 'MOHURD'],
];
function seedTree(run, codes) {
  for (const [code, name, level, parent] of TREE) {
    if (!codes.includes(code)) continue;
    run(['org', 'add', '--code', code, '--name', name, '--level', level, ...(parent ? ['--parent', parent] : [])]);
  }
}

// A centre's hotline used from the CLI only (no server needed to import and push).
function centreConfig(dir, upstream, token) {
  const path = join(dir, 'hotline.toml');
  writeFileSync(path, toToml({
    database: { url: `sqlite:${join(dir, 'hotline.db')}` },
    log: { level: 'warn' },
    federation: { upstream_url: upstream, token },
  }));
  return path;
}
const cli = (config, args) => execFileSync(HOTLINE_BIN, [...args, '--config', config], { encoding: 'utf8', timeout: 60_000 });
const cliStatus = (config, args) => spawnSync(HOTLINE_BIN, [...args, '--config', config], { encoding: 'utf8', timeout: 60_000 });
const report = (config, args) => JSON.parse(cli(config, ['kpi', 'report', '--period', 'month', '--date', '2026-03-01', ...args]));

describe('federation centre → province → ministry (R-ORG-3)', { timeout: 180_000 }, () => {
  let ministry, province, dirs = [];
  let lz, ts;

  before(async () => {
    ministry = await startServer({ seed: (run) => {
      seedTree(run, ['MOHURD', 'GS', 'GS-LZ', 'GS-TS', 'SX']);
      run(['user', 'add', '--username', 'mohurd_sup', '--password', PASSWORD, '--role', 'supervisor', '--org', 'MOHURD']);
    } });
    const provinceToken = ministry.cli(['federation', 'token', '--org', 'GS']).trim();
    province = await startServer({
      config: { federation: { upstream_url: ministry.baseUrl, token: provinceToken, push_interval_seconds: 3600 } },
      seed: (run) => {
        seedTree(run, ['MOHURD', 'GS', 'GS-LZ', 'GS-TS']);
        run(['user', 'add', '--username', 'gs_sup', '--password', PASSWORD, '--role', 'supervisor', '--org', 'GS']);
      },
    });
    for (const code of ['GS-LZ', 'GS-TS']) {
      const dir = mkdtempSync(join(tmpdir(), `hotline-fed-${code}-`));
      dirs.push(dir);
      const token = province.cli(['federation', 'token', '--org', code]).trim();
      const config = centreConfig(dir, province.baseUrl, token);
      cli(config, ['migrate']);
      seedTree((args) => cli(config, args), ['MOHURD', 'GS', code]);
      const csv = join(dir, 'calls.csv');
      cli(config, ['cdr', 'generate', '--out', csv, '--centers', code, '--from', '2026-03-01', '--days', '31',
                   '--per-day', '60', '--seed', code === 'GS-LZ' ? '1' : '2']);
      cli(config, ['cdr', 'import', csv]);
      if (code === 'GS-LZ') lz = config; else ts = config;
    }
  });

  after(async () => {
    await province?.stop();
    await ministry?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('pushes, survives the province being down, and rolls up exactly', async () => {
    // GS-LZ pushes while the province is up.
    assert.match(cli(lz, ['federation', 'push']), /^31 centre-days pushed/);
    // The province goes down; GS-TS's push fails with a clear message and nothing is marked as sent.
    const provinceUrl = province.baseUrl;
    const provinceConfig = province.configPath;
    await province.stop({ keepDir: true });
    const failed = cliStatus(ts, ['federation', 'push']);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /cannot connect|no answer/);
    // Back on the same port and data; GS-TS catches up with everything.
    const port = new URL(provinceUrl).port;
    // The fixture listened on port 0; pin the port the centres' configs point at.
    writeFileSync(provinceConfig, readFileSync(provinceConfig, 'utf8').replace('listen = "127.0.0.1:0"', `listen = "127.0.0.1:${port}"`));
    const restarted = spawn(HOTLINE_BIN, ['serve', '--config', provinceConfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('province did not restart')), 15_000);
        restarted.stdout.on('data', (d) => { if (/listening on/.test(String(d))) { clearTimeout(t); resolve(); } });
      });
      assert.match(cli(ts, ['federation', 'push']), /^31 centre-days pushed/);
      assert.match(cli(lz, ['federation', 'push']), /^0 centre-days pushed/, 're-sending nothing when nothing changed');

      // The province pushes its centres' days to the ministry (its server already pushed what it had at
      // start-up; the CLI sends the rest).
      assert.match(cli(provinceConfig, ['federation', 'push']), /^\d+ centre-days pushed/);
      assert.match(cli(provinceConfig, ['federation', 'push']), /^0 centre-days pushed/);

      // Ministry figures = the centres' own figures, summed (never averaged).
      const own = [report(lz, ['--center', 'GS-LZ'])[0], report(ts, ['--center', 'GS-TS'])[0]];
      const atMinistry = report(ministry.configPath, ['--nation', '--by', 'center']);
      const nation = atMinistry.find((r) => r.level === 'nation');
      assert.equal(nation.callTotal, own[0].callTotal + own[1].callTotal);
      for (const mine of own) {
        const theirs = atMinistry.find((r) => r.org === mine.org);
        for (const f of ['callTotal', 'callavg', 'callconnect', 'ABNcalls', 'waittimeavg', 'acwavg', 'complntrate', 'satisrate'])
          assert.equal(theirs[f], mine[f], `${mine.org} ${f}`);
      }
      const gs = report(ministry.configPath, ['--province', 'GS'])[0];
      assert.equal(gs.callTotal, nation.callTotal);

      // The ministry's status page shows both centres with all 31 days of March.
      const login = await fetch(`${ministry.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'mohurd_sup', password: PASSWORD }) });
      const { token } = await login.json();
      const status = await (await fetch(`${ministry.baseUrl}/api/v1/federation/status?from=2026-03-01&to=2026-03-31`,
        { headers: { authorization: `Bearer ${token}` } })).json();
      const byCode = Object.fromEntries(status.items.map((s) => [s.center, s]));
      assert.equal(byCode['GS-LZ'].days_reported, 31);
      assert.equal(byCode['GS-TS'].days_reported, 31);
      assert.deepEqual(byCode['GS-LZ'].missing, []);

      // A correction at the centre (more calls imported for one day) replaces that day upward.
      const extra = join(dirs[0], 'extra.csv');
      cli(lz, ['cdr', 'generate', '--out', extra, '--centers', 'GS-LZ', '--from', '2026-03-10', '--days', '1', '--per-day', '60', '--seed', '99']);
      // The generator's call ids repeat across runs of the same day; make them new calls.
      writeFileSync(extra, readFileSync(extra, 'utf8').replace(/\nGS-LZ-/g, '\nGS-LZ-fix-'));
      cli(lz, ['cdr', 'import', extra]);
      assert.match(cli(lz, ['federation', 'push']), /^1 centre-days pushed/);
      assert.match(cli(provinceConfig, ['federation', 'push']), /^1 centre-days pushed/);
      const lzNow = report(lz, ['--center', 'GS-LZ'])[0];
      const lzAtMinistry = report(ministry.configPath, ['--center', 'GS-LZ'])[0];
      assert.equal(lzAtMinistry.callTotal, lzNow.callTotal);
      assert.ok(lzNow.callTotal > own[0].callTotal);

      // A token may not speak for another centre, and a bad token is refused.
      const bad = await fetch(`${ministry.baseUrl}/api/v1/federation/daily`, { method: 'POST',
        headers: { authorization: 'Bearer fed_nope', 'content-type': 'application/json' }, body: '{"rows":[]}' });
      assert.equal(bad.status, 401);
    } finally {
      restarted.kill('SIGTERM');
    }
  });
});

