// The SMS service end to end (issue 15, R-SMS-2/5): a real `hotline serve` with the `log` carrier
// (carrier/log_transport.hpp: accepts every message, answers DELIVRD receipts), driven by `hotline sms`.
// Run: cd tests/e2e && node --test sms.test.mjs   (HOTLINE_BIN picks the binary; ctest sets it)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';

const SMS = {
  poll_interval_ms: 50,
  carriers: [{ name: 'dev', protocol: 'log', source_number: '10657109012329', price_per_part_fen: 5 }],
};

async function until(fn, what, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a test message is queued, submitted through the log carrier and delivered, with parts and cost', async () => {
  const server = await startServer({ config: { sms: SMS } });
  try {
    const status = (id) => JSON.parse(server.cli(['sms', 'status', '--json', id]));
    const short = server.cli(['sms', 'send', '--to', '13800138000', '--text', '【甘肃公积金】测试短信']).trim();
    const long = server.cli(['sms', 'send', '--to', '13900139000', '--text', '【甘肃公积金】' + '您的住房公积金账户余额已更新。'.repeat(10)]).trim();
    const s = await until(() => { const m = status(short); return m.status === 'delivered' && m; }, 'the short message delivered');
    assert.equal(s.parts, 1);
    assert.equal(s.cost_fen, 5);
    assert.equal(s.carrier, 'dev');
    assert.equal(s.kind, 'test');
    assert.equal(s.to, '138****8000'); // masked
    assert.ok(s.submitted_at && s.done_at);
    const l = await until(() => { const m = status(long); return m.status === 'delivered' && m; }, 'the long message delivered');
    assert.equal(l.parts, 3); // > 70 UCS-2 units: parts of 67
    assert.equal(l.cost_fen, 15);
    // The same idempotency key is accepted once.
    const a = server.cli(['sms', 'send', '--to', '13800138000', '--text', '【甘肃公积金】一次', '--key', 'e2e-once']).trim();
    const b = server.cli(['sms', 'send', '--to', '13800138000', '--text', '【甘肃公积金】一次', '--key', 'e2e-once']).trim();
    assert.equal(a, b);
    await until(() => status(a).status === 'delivered', 'the keyed message delivered');
    const all = JSON.parse(server.cli(['sms', 'list', '--json', '--to', '13800138000']));
    assert.equal(all.length, 2);
    assert.ok(all.every((m) => m.status === 'delivered' && m.attempts === 1));
    assert.deepEqual(JSON.parse(server.cli(['sms', 'held', '--json'])), []);
  } finally {
    await server.stop();
  }
});

test('bad input gets a clear error and exit code 2', async () => {
  const server = await startServer({ config: { sms: SMS } });
  try {
    assert.throws(() => server.cli(['sms', 'send', '--to', '12345', '--text', 'x']), (e) => e.status === 2 && /11-digit/.test(e.stderr));
    assert.throws(() => server.cli(['sms', 'status', '999']), (e) => e.status === 1);
    assert.throws(() => server.cli(['sms', 'list', '--status', 'bogus']), (e) => e.status === 2);
  } finally {
    await server.stop();
  }
});

// kill -9 of `hotline serve` in the middle of a mailing, then a restart: every message reaches the carrier, and
// the log carrier saw each message id exactly as often as the queue says it was handed (attempts); only
// the messages in flight at the kill may have been handed twice (docs/SMS.md "Delivery guarantees").
test('kill -9 mid-mailing, restart: every message delivered, no message handed twice except those in flight', async () => {
  const N = 600;
  const WINDOW = 4;
  const config = {
    log: { level: 'info' },
    sms: { ...SMS, push_window_open: '00:00', push_window_close: '24:00',
      carriers: [{ ...SMS.carriers[0], window: WINDOW }] },
  };
  const server = await startServer({ config });
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { spawn } = await import('node:child_process');
  const { HOTLINE_BIN } = await import('./lib/server.mjs');
  const numbers = join(server.dir, 'numbers.txt');
  writeFileSync(numbers, Array.from({ length: N }, (_, i) => `139${String(i).padStart(8, '0')}`).join('\n') + '\n');
  let restarted;
  let logs = '';
  try {
    const out = server.cli(['sms', 'bulk', '--numbers', numbers, '--campaign', '7', '--text', '【甘肃公积金】政策通知，回复TD退订']);
    assert.match(out, new RegExp(`^${N} queued, 0 bad`, 'm'));
    const submitted = () => JSON.parse(server.cli(['sms', 'list', '--json', '--status', 'delivered', '--limit', '1000'])).length;
    await until(() => submitted() >= 50, 'the mailing under way');
    // 'close', not 'exit': every line the killed server wrote to stderr has been read by then.
    const closed = new Promise((r) => server.child.once('close', r));
    server.child.kill('SIGKILL');
    await closed;
    logs += server.stderr();
    const before = submitted();
    assert.ok(before < N, 'killed before the end');
    // Re-running the same mailing queues nothing.
    assert.match(server.cli(['sms', 'bulk', '--numbers', numbers, '--campaign', '7', '--text', '【甘肃公积金】政策通知，回复TD退订']), /^0 queued/m);
    restarted = spawn(HOTLINE_BIN, ['serve', '--config', server.configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => restarted.kill('SIGKILL'), 120_000);
    killer.unref();
    restarted.stderr.on('data', (d) => { logs += d; });
    restarted.stdout.on('data', (d) => { logs += d; });
    // Every message reaches the carrier. A message whose receipt the killed server had not recorded stays
    // `submitted` (the log carrier sends a receipt once, as a real SMSC may): reached, not lost.
    const reached = () => JSON.parse(server.cli(['sms', 'list', '--json', '--limit', '1000']))
      .filter((m) => m.status === 'delivered' || m.status === 'submitted').length;
    await until(() => reached() === N, 'every message submitted after the restart', 60_000);
    const all = JSON.parse(server.cli(['sms', 'list', '--json', '--limit', '1000']));
    assert.equal(all.length, N);
    // Stop the restarted server and read all it wrote before counting its log lines.
    const closedAgain = new Promise((r) => restarted.once('close', r));
    restarted.kill('SIGTERM');
    await closedAgain;
    const seen = new Map();
    for (const m of logs.matchAll(/message (\d+) to /g)) seen.set(Number(m[1]), (seen.get(Number(m[1])) || 0) + 1);
    let twice = 0;
    for (const m of all) {
      assert.ok(m.status === 'delivered' || m.status === 'submitted', `message ${m.id}: ${m.status}`);
      assert.equal(seen.get(m.id), m.attempts, `message ${m.id}: handed ${seen.get(m.id)} time(s), attempts ${m.attempts}`);
      if (m.attempts > 1) twice += 1;
    }
    assert.ok(twice <= WINDOW, `${twice} messages handed twice; at most the ${WINDOW} in flight may be`);
    clearTimeout(killer);
  } finally {
    if (restarted && restarted.exitCode === null) {
      restarted.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { restarted.kill('SIGKILL'); r(); }, 10_000); restarted.once('exit', () => { clearTimeout(t); r(); }); });
    }
    await server.stop();
  }
});
