// Live events end to end (docs/API.md "Live events"): the WebSocket /api/v1/events against a real
// `hotline serve` (lib/server.mjs). A client that sends nothing gets every topic its grant allows (the
// console); a client subscribes and unsubscribes by topic and then receives only its topics; a topic the
// grant does not allow is refused (forbidden_topic) and changes nothing; garbage of every kind (not
// JSON, unknown type, wrong shape, unknown topic, binary frame, oversized message, fragmented message)
// is answered with an error frame and the connection stays open.
// Run: cd tests/e2e && node --test events.test.mjs   (HOTLINE_BIN picks the binary; ctest sets it)
// No assertion depends on how long something takes; every wait is bounded (lib/ws.mjs barrier: a
// ping/pong round trip after which every frame queued before it has arrived).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, seedWorld, PASSWORD } from './lib/server.mjs';
import { WsClient } from './lib/ws.mjs';

const WAIT = 10_000;
const T = { timeout: 60_000 };

async function call(base, method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(WAIT),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : null };
}

const ORDER = {
  category: 'inquiry', channel: 'phone', caller_name: '李女士', caller_phone: '13912345678',
  subject: '咨询提取进度', description: '来电人询问提取申请的办理进度。',
};

describe('live events: topics over the WebSocket', () => {
  let server;
  let base;
  const tokens = {};
  const sockets = [];
  let requestId = 0;

  before(async () => {
    server = await startServer({ seed: (run) => { seedWorld(run); } });
    base = server.baseUrl;
    for (const u of ['lz_admin', 'lz_agent', 'gs_sup', 'ts_agent']) {
      const r = await call(base, 'POST', '/api/v1/auth/login', { body: { username: u, password: PASSWORD } });
      assert.equal(r.status, 200, r.text);
      tokens[u] = r.json.token;
    }
  });
  after(async () => {
    for (const s of sockets) s.close();
    await server?.stop();
  });

  const open = async (user) => {
    const ws = await WsClient.open(base, `/api/v1/events?token=${tokens[user]}`);
    sockets.push(ws);
    await ws.next((m) => m.type === 'hello', `${user} hello`);
    return ws;
  };
  // Sends one client message and returns the answer (matched by id).
  const request = async (ws, message) => {
    const id = ++requestId;
    ws.sendText({ ...message, id });
    return ws.next((m) => (m.type === 'ack' || m.type === 'error') && m.id === id, `answer to ${JSON.stringify(message)}`);
  };
  const since = (ws, mark, pred) => ws.messages.slice(mark).filter(pred);
  const isAudit = (m) => m.type === 'audit';
  const isOrder = (m) => m.type === 'workorder.changed';
  const fileOrder = async (who = 'lz_agent') => {
    const r = await call(base, 'POST', '/api/v1/workorders', { token: tokens[who], body: ORDER });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const loginAgain = async (user) => {
    const r = await call(base, 'POST', '/api/v1/auth/login', { body: { username: user, password: PASSWORD } });
    assert.equal(r.status, 200, r.text);
  };

  it('a client that sends nothing gets every topic its grant allows (the console)', T, async () => {
    const admin = await open('lz_admin');
    const agent = await open('lz_agent');
    const id = await fileOrder();
    await admin.next((m) => isOrder(m) && m.order.id === id, 'admin workorder.changed');
    await admin.next((m) => isAudit(m) && m.entry.action === 'workorder.create', 'admin audit frame');
    await agent.next((m) => isOrder(m) && m.order.id === id, 'agent workorder.changed');
    await agent.barrier('default');
    assert.equal(agent.messages.some(isAudit), false, 'an agent has no audit.read: no audit topic');
    // Asking with an empty list changes nothing and names the default.
    assert.deepEqual((await request(admin, { type: 'subscribe', topics: [] })).topics, ['audit', 'workorder']);
    assert.deepEqual((await request(agent, { type: 'subscribe', topics: [] })).topics, ['workorder']);
  });

  it('subscribes and unsubscribes: only the subscribed topics arrive', T, async () => {
    const ws = await open('lz_admin');
    let ack = await request(ws, { type: 'unsubscribe', topics: ['audit', 'workorder'] });
    assert.deepEqual(ack, { type: 'ack', request: 'unsubscribe', id: ack.id, topics: [] });
    let mark = ws.messages.length;
    await loginAgain('lz_agent');
    await fileOrder();
    await ws.barrier('none');
    assert.deepEqual(since(ws, mark, (m) => isAudit(m) || isOrder(m)), [], 'nothing after unsubscribing everything');

    ack = await request(ws, { type: 'subscribe', topics: ['workorder'] });
    assert.equal(ack.request, 'subscribe');
    assert.deepEqual(ack.topics, ['workorder']);
    mark = ws.messages.length;
    await loginAgain('lz_agent'); // audit only
    const id = await fileOrder(); // workorder (and an audit entry)
    await ws.next((m) => isOrder(m) && m.order.id === id, 'workorder after subscribing');
    await ws.barrier('wo');
    assert.deepEqual(since(ws, mark, isAudit), [], 'no audit frames without the audit topic');

    ack = await request(ws, { type: 'subscribe', topics: ['audit'] });
    assert.deepEqual(ack.topics, ['audit', 'workorder']);
    await loginAgain('lz_agent');
    await ws.next((m) => isAudit(m) && m.entry.action === 'auth.login' && m.entry.actor === 'lz_agent', 'audit after subscribing');

    ack = await request(ws, { type: 'unsubscribe', topics: ['workorder'] });
    assert.deepEqual(ack.topics, ['audit']);
    mark = ws.messages.length;
    await fileOrder();
    await ws.next((m) => isAudit(m) && m.entry.action === 'workorder.create', 'the order is still audited');
    await ws.barrier('audit');
    assert.deepEqual(since(ws, mark, isOrder), [], 'no workorder frames after unsubscribing');
  });

  it('refuses a topic the grant does not allow, and an unknown topic; nothing changes', T, async () => {
    const ws = await open('lz_agent');
    let answer = await request(ws, { type: 'subscribe', topics: ['workorder', 'audit'] });
    assert.equal(answer.type, 'error');
    assert.equal(answer.request, 'subscribe');
    assert.equal(answer.error.code, 'forbidden_topic');
    assert.equal(typeof answer.error.message, 'string');
    answer = await request(ws, { type: 'subscribe', topics: ['sms'] });
    assert.equal(answer.error.code, 'unknown_topic');
    answer = await request(ws, { type: 'unsubscribe', topics: ['workorder', 'nope'] });
    assert.equal(answer.error.code, 'unknown_topic');
    assert.deepEqual((await request(ws, { type: 'subscribe', topics: [] })).topics, ['workorder'], 'unchanged');
    // Scope stays the subscriber's subtree: a supervisor of the province sees GS-LZ's audit, an agent of
    // another centre subscribed to workorder does not see GS-LZ's orders.
    const ts = await open('ts_agent');
    const gs = await open('gs_sup');
    const mark = ts.messages.length;
    const id = await fileOrder();
    await gs.next((m) => isAudit(m) && m.entry.action === 'workorder.create' && m.entry.org === 'GS-LZ', 'gs_sup audit');
    await ws.next((m) => isOrder(m) && m.order.id === id, 'lz_agent order');
    await ts.barrier('scope');
    assert.deepEqual(since(ts, mark, isOrder), [], 'another centre sees no GS-LZ orders');
  });

  it('survives garbage: every bad message is answered with an error and the stream goes on', T, async () => {
    const ws = await open('lz_admin');
    const errors = () => ws.messages.filter((m) => m.type === 'error');
    const expectError = async (send, code, what) => {
      const before = errors().length;
      send();
      await ws.waitFor(() => errors().length > before, what);
      const e = errors()[before];
      assert.equal(e.error.code, code, `${what}: ${JSON.stringify(e)}`);
      assert.equal(typeof e.error.message, 'string');
      assert.equal(ws.closed, false, `${what}: the connection stays open`);
    };
    await expectError(() => ws.sendText('not json at all'), 'invalid_json', 'not JSON');
    await expectError(() => ws.sendText('{"type":"subscribe","topics":['), 'invalid_json', 'truncated JSON');
    await expectError(() => ws.sendText('[1,2,3]'), 'invalid_json', 'not an object');
    await expectError(() => ws.sendText({ type: 'ping' }), 'unknown_type', 'unknown type');
    await expectError(() => ws.sendText({ type: 'subscribe' }), 'invalid_message', 'no topics');
    await expectError(() => ws.sendText({ type: 'subscribe', topics: 'audit' }), 'invalid_message', 'topics not a list');
    await expectError(() => ws.sendText({ type: 'subscribe', topics: [42] }), 'invalid_message', 'topic not a string');
    await expectError(() => ws.send(0x2, Buffer.from([1, 2, 3])), 'invalid_message', 'binary frame');
    await expectError(() => ws.sendText({ type: 'subscribe', topics: ['audit'], pad: 'x'.repeat(5000) }),
      'message_too_large', '5 KB message');
    await expectError(() => ws.sendText({ type: 'subscribe', topics: ['audit'], pad: 'x'.repeat(200_000) }),
      'message_too_large', '200 KB message');
    // A message in fragments is one message.
    const id = ++requestId;
    const text = Buffer.from(JSON.stringify({ type: 'unsubscribe', topics: ['audit'], id }));
    ws.send(0x1, text.subarray(0, 10), { fin: false });
    ws.send(0x0, text.subarray(10, 20), { fin: false });
    ws.send(0x0, text.subarray(20));
    const ack = await ws.next((m) => m.type === 'ack' && m.id === id, 'fragmented message');
    assert.deepEqual(ack.topics, ['workorder'], 'only the good message changed anything');
    // Still subscribed, still delivered.
    const order = await fileOrder();
    await ws.next((m) => isOrder(m) && m.order.id === order, 'events after the garbage');
    assert.equal(ws.closed, false);
  });
});
