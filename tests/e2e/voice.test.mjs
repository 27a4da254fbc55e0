// Voice channel end to end (issue 13, docs/VOICE.md "What is tested"): a real `hotline serve` with
// [sip] listen on a free port. sipsak's OPTIONS gets 200; a malformed-SIP corpus over UDP is dropped
// and the server still answers OPTIONS; a call (INVITE → 180/200 with SDP, ACK, INFO digits, BYE) ends
// as ONE CDR with outcome ivr for the configured centre; a call in progress when the server is killed
// with SIGKILL is a `failed` CDR after the next start.
// Run: cd tests/e2e && node --test voice.test.mjs   (HOTLINE_BIN picks the binary; ctest sets it)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { join } from 'node:path';
import { startServer, HOTLINE_BIN } from './lib/server.mjs';

function seed(run) {
  run(['org', 'add', '--code', 'MOHURD', '--name', '住房和城乡建设部', '--level', 'ministry']);
  run(['org', 'add', '--code', 'GS', '--name', '甘肃省住房和城乡建设厅', '--level', 'province', '--parent', 'MOHURD']);
  run(['org', 'add', '--code', 'GS-LZ', '--name', '兰州住房公积金管理中心', '--level', 'center', '--parent', 'GS']);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function sipPort(getLog) {
  for (let i = 0; i < 100; i++) {
    const m = getLog().match(/udp port (\d+)/);
    if (m) return Number(m[1]);
    await sleep(100);
  }
  throw new Error(`no SIP port in the log:\n${getLog()}`);
}

// A tiny UAC on loopback UDP: sends requests, collects responses.
class Uac {
  constructor(port) {
    this.port = port;
    this.sock = dgram.createSocket('udp4');
    this.inbox = [];
    this.sock.on('message', (m) => this.inbox.push(m.toString('latin1')));
  }
  async open() { await new Promise((r) => this.sock.bind(0, '127.0.0.1', r)); this.local = this.sock.address().port; }
  close() { this.sock.close(); }
  sendRaw(text) { this.sock.send(Buffer.from(text, 'latin1'), this.port, '127.0.0.1'); }
  request(method, { callId, cseq, toTag = '', branch, ctype = '', body = '', from = '13800000000', cseqMethod = method }) {
    let m = `${method} sip:12329@127.0.0.1:${this.port} SIP/2.0\r\n`;
    m += `Via: SIP/2.0/UDP 127.0.0.1:${this.local};rport;branch=z9hG4bK${branch}\r\n`;
    m += 'Max-Forwards: 70\r\n';
    m += `From: <sip:${from}@127.0.0.1>;tag=uac1\r\n`;
    m += `To: <sip:12329@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}\r\n`;
    m += `Call-ID: ${callId}\r\nCSeq: ${cseq} ${cseqMethod}\r\n`;
    m += `Contact: <sip:${from}@127.0.0.1:${this.local}>\r\n`;
    if (ctype) m += `Content-Type: ${ctype}\r\n`;
    m += `Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\n\r\n${body}`;
    this.sendRaw(m);
  }
  // The next final response (status >= 200) whose CSeq names `method` and whose Call-ID is `callId`.
  async final(callId, method) {
    for (let i = 0; i < 100; i++) {
      const idx = this.inbox.findIndex((r) => r.includes(`Call-ID: ${callId}`) && new RegExp(`CSeq: \\d+ ${method}`).test(r) && /^SIP\/2.0 [2-6]/.test(r));
      if (idx >= 0) return this.inbox.splice(idx, 1)[0];
      await sleep(50);
    }
    throw new Error(`no final response to ${method} ${callId}; got:\n${this.inbox.join('\n---\n')}`);
  }
}

const OFFER = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
  'm=audio 40000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\n';

async function call(uac, callId, { hangup = true } = {}) {
  uac.request('INVITE', { callId, cseq: 1, branch: `${callId}i`, ctype: 'application/sdp', body: OFFER });
  const ok = await uac.final(callId, 'INVITE');
  assert.match(ok, /^SIP\/2.0 200/);
  assert.match(ok, /m=audio \d+ RTP\/AVP 8 101/);
  const toTag = ok.match(/\r\nTo:[^\r]*tag=([^;\r]+)/)[1];
  uac.request('ACK', { callId, cseq: 1, toTag, branch: `${callId}a` });
  await sleep(200);
  uac.request('INFO', { callId, cseq: 2, toTag, branch: `${callId}n`, ctype: 'application/dtmf-relay', body: 'Signal=1\r\nDuration=160\r\n' });
  assert.match(await uac.final(callId, 'INFO'), /^SIP\/2.0 200/);
  if (hangup) {
    uac.request('BYE', { callId, cseq: 3, toTag, branch: `${callId}b` });
    assert.match(await uac.final(callId, 'BYE'), /^SIP\/2.0 200/);
  }
}

function cdrs(dbPath) {
  return execFileSync('sqlite3', [dbPath, "SELECT call_id, outcome FROM cdrs WHERE call_id LIKE 'sip-%' ORDER BY call_id"], { encoding: 'utf8' })
    .trim().split('\n').filter(Boolean).map((l) => l.split('|'));
}

test('OPTIONS, a malformed corpus, a call ending as an ivr CDR, and a killed call as failed', async () => {
  const server = await startServer({ config: { sip: { listen: '127.0.0.1:0', default_center: 'GS-LZ' }, log: { level: 'info' } }, seed });
  let log = '';
  server.child.stdout.on('data', (d) => { log += d; });
  const getLog = () => log + server.stderr();
  const dbPath = join(server.dir, 'hotline.db');
  try {
    const port = await sipPort(getLog);
    // sipsak: OPTIONS, exit 0 on a 200.
    execFileSync('sipsak', ['-s', `sip:12329@127.0.0.1:${port}`], { timeout: 20_000 });

    const uac = new Uac(port);
    await uac.open();
    // Malformed SIP: garbage, truncated, huge header, wrong Content-Length, bad SDP. Dropped or 4xx.
    uac.sendRaw('\x00\x01\x02\xff garbage\r\n\r\n');
    uac.sendRaw('INVITE sip:12329@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1');
    uac.sendRaw(`OPTIONS sip:12329@127.0.0.1 SIP/2.0\r\nX-Huge: ${'a'.repeat(60000)}\r\n\r\n`);
    uac.sendRaw('OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nCall-ID: bad\r\nContent-Length: 9999\r\n\r\nshort');
    uac.request('INVITE', { callId: 'badsdp', cseq: 1, branch: 'badsdp', ctype: 'application/sdp', body: 'this is not sdp' });
    assert.match(await uac.final('badsdp', 'INVITE'), /^SIP\/2.0 488/);
    uac.request('INVITE', { callId: 'g729', cseq: 1, branch: 'g729', ctype: 'application/sdp', body: OFFER.replace('8 0 101', '18').replace('a=rtpmap:101 telephone-event/8000\r\n', 'a=rtpmap:18 G729/8000\r\n') });
    assert.match(await uac.final('g729', 'INVITE'), /^SIP\/2.0 488/);
    // Still serving.
    uac.request('OPTIONS', { callId: 'opt-after', cseq: 1, branch: 'optafter' });
    assert.match(await uac.final('opt-after', 'OPTIONS'), /^SIP\/2.0 200/);

    await call(uac, 'call-one');
    let rows = [];
    for (let i = 0; i < 50 && rows.length < 1; i++) { await sleep(100); rows = cdrs(dbPath); }
    assert.equal(rows.length, 1, 'one CDR for the finished call');
    assert.equal(rows[0][1], '0', 'outcome ivr');
    assert.doesNotMatch(getLog(), /Signal=1/, 'digits are never logged');

    // A call in progress, then SIGKILL: after the next start it is a failed CDR.
    await call(uac, 'call-two', { hangup: false });
    await sleep(300);
    uac.close();
    server.child.kill('SIGKILL');
    await new Promise((r) => (server.child.exitCode !== null || server.child.signalCode !== null ? r() : server.child.once('exit', r)));
    const again = spawn(HOTLINE_BIN, ['serve', '--config', server.configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => again.kill('SIGKILL'), 60_000);
    try {
      await new Promise((resolve, reject) => {
        let out = '';
        const t = setTimeout(() => reject(new Error('second serve did not start')), 15_000);
        const on = (d) => { out += d; if (/listening on http/.test(out)) { clearTimeout(t); resolve(); } };
        again.stdout.on('data', on);
        again.stderr.on('data', on);
      });
      rows = cdrs(dbPath);
      assert.equal(rows.length, 2, `two CDRs after the restart: ${JSON.stringify(rows)}`);
      assert.deepEqual(rows.map((r) => r[1]).sort(), ['0', '4'], 'the killed call is failed');
    } finally {
      again.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { again.kill('SIGKILL'); r(); }, 10_000); again.once('exit', () => { clearTimeout(t); r(); }); });
      clearTimeout(killer);
    }
  } finally {
    await server.stop();
  }
});
