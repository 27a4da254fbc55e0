// Work orders over HTTP (docs/API.md "Work orders", R-AGT-2/4, R-WO-1…5, R-SVC-1/2) against a real
// `hotline serve` (lib/server.mjs): an agent files a complaint → the leader confirms it to a department →
// the department accepts and returns its result → the agent records the feedback and closes it, with the
// wrong roles refused (403), other centres not seeing it (404), illegal transitions and stale versions
// refused (409); the read-back text, the personal-data rules of the detail view, attachments, the
// call-back that a closed complaint creates, the board, the SLA report (JSON/CSV/XLSX), the live
// `workorder.changed` events scoped to the centre and the department, and the CLI.
// Run: cd tests/e2e && node --test workorder.test.mjs   (HOTLINE_BIN picks the binary; ctest sets it)
// No assertion depends on how long something takes; every wait is bounded.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, seedWorld, PASSWORD } from './lib/server.mjs';
import { WsClient } from './lib/ws.mjs';

const WAIT = 10_000;
const T = { timeout: 60_000 };

async function call(base, method, path, { token, body, raw, contentType } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) {
    payload = raw;
    headers['content-type'] = contentType ?? 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body: payload, signal: AbortSignal.timeout(WAIT) });
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, buf, text, json };
}

function assertError(r, status, code, what = '') {
  assert.equal(r.status, status, `${what}: expected ${status} ${code}, got ${r.status} ${r.text}`);
  assert.equal(r.json?.error?.code, code, `${what}: ${r.text}`);
  assert.equal(typeof r.json.error.message, 'string');
}

describe('work orders over HTTP', () => {
  let server;
  let base;
  const tokens = {};
  const sockets = [];
  let loans; // the 贷款科 department of GS-LZ

  before(async () => {
    server = await startServer({
      seed: (run) => {
        seedWorld(run);
        run(['user', 'add', '--username', 'lz_dept2', '--password', PASSWORD, '--role', 'department', '--org', 'GS-LZ']);
        run(['workorder', 'department', 'add', '--org', 'GS-LZ', '--name', '贷款科', '--user', 'lz_dept']);
        run(['workorder', 'department', 'add', '--org', 'GS-LZ', '--name', '归集科', '--user', 'lz_dept2']);
      },
    });
    base = server.baseUrl;
    for (const u of ['lz_agent', 'lz_leader', 'lz_dept', 'lz_dept2', 'lz_admin', 'lz_sup', 'gs_sup', 'gs_admin', 'ts_agent', 'xa_agent', 'xa_admin']) {
      const r = await call(base, 'POST', '/api/v1/auth/login', { body: { username: u, password: PASSWORD } });
      assert.equal(r.status, 200, `login ${u}: ${r.text}`);
      tokens[u] = r.json.token;
    }
    const depts = await call(base, 'GET', '/api/v1/workorders/departments', { token: tokens.lz_leader });
    assert.equal(depts.status, 200, depts.text);
    loans = depts.json.items.find((d) => d.name === '贷款科');
    assert.ok(loans, depts.text);
    assert.deepEqual(loans.members.map((m) => m.username), ['lz_dept']);
  });

  after(async () => {
    for (const ws of sockets) ws.close();
    await server?.stop();
  });

  const order = {
    category: 'complaint', channel: 'phone', caller_name: '张先生', caller_phone: '13812345678',
    subject: '公积金提取到账延迟', description: '来电人反映提取申请已两周仍未到账。',
  };
  const move = (who, id, action, version, extra = {}) =>
    call(base, 'POST', `/api/v1/workorders/${id}/transitions`, { token: tokens[who], body: { action, version, ...extra } });

  it('files, confirms, handles, returns, answers and closes a complaint, each step by the right role', T, async () => {
    const events = (token) => WsClient.open(base, `/api/v1/events?token=${token}`);
    const ws = { leader: await events(tokens.lz_leader), dept: await events(tokens.lz_dept),
      dept2: await events(tokens.lz_dept2), ts: await events(tokens.ts_agent) };
    sockets.push(...Object.values(ws));
    for (const [name, s] of Object.entries(ws)) await s.next((m) => m.type === 'hello', `${name} hello`);

    // R-AGT-2: the read-back before saving.
    const rb = await call(base, 'POST', '/api/v1/workorders/readback', { token: tokens.lz_agent, body: { category: 'complaint', subject: order.subject } });
    assert.equal(rb.status, 200, rb.text);
    assert.match(rb.json.text, /^您反映的是公积金提取到账延迟，我们将在5个工作日内（\d{4}年\d{1,2}月\d{1,2}日前）答复您，对吗？$/);
    assert.equal(rb.json.deadline.workdays, 5);

    // Wrong roles cannot file (403); bad input is 400 and changes nothing.
    assertError(await call(base, 'POST', '/api/v1/workorders', { token: tokens.lz_dept, body: order }), 403, 'forbidden', 'department files');
    assertError(await call(base, 'POST', '/api/v1/workorders', { token: tokens.gs_sup, body: order }), 403, 'forbidden', 'supervisor files');
    assertError(await call(base, 'POST', '/api/v1/workorders', { token: tokens.lz_agent, body: { ...order, category: 'gossip' } }), 400, 'invalid_field', 'bad category');
    assertError(await call(base, 'POST', '/api/v1/workorders', { token: tokens.lz_agent, body: { ...order, caller_phone: 'none' } }), 400, 'invalid_field', 'bad phone');
    assertError(await call(base, 'POST', '/api/v1/workorders', { token: tokens.lz_agent, raw: 'x', contentType: 'text/plain' }), 415, 'unsupported_media_type', 'not JSON');

    // R-WO-1: the agent files it.
    const created = await call(base, 'POST', '/api/v1/workorders', { token: tokens.lz_agent, body: order });
    assert.equal(created.status, 201, created.text);
    let o = created.json;
    assert.match(o.number, /^LZ\d{8}-0001$/);
    assert.equal(o.state, 'draft');
    assert.equal(o.caller.phone, '138****5678');
    assert.equal(o.caller.phone_masked, true);
    assert.equal(o.deadline.workdays, 5);
    assert.equal(o.sla_status, 'on_time');
    assert.deepEqual(o.allowed_actions, ['submit']);
    assert.equal(o.readback, rb.json.text);
    const id = o.id;

    let r = await move('lz_agent', id, 'submit', o.version);
    assert.equal(r.status, 200, r.text);
    o = r.json;
    assert.equal(o.state, 'pending_confirmation');

    // R-WO-2: only the leader confirms; other centres do not see the order at all.
    assertError(await move('lz_agent', id, 'confirm', o.version, { department_id: loans.id }), 403, 'forbidden', 'agent confirms');
    assertError(await move('lz_dept', id, 'accept', o.version), 404, 'not_found', 'department before dispatch');
    assertError(await move('ts_agent', id, 'submit', o.version), 404, 'not_found', 'other centre moves');
    assertError(await move('xa_admin', id, 'cancel', o.version, { note: 'x' }), 404, 'not_found', 'other province cancels');
    assertError(await move('gs_admin', id, 'cancel', o.version, { note: 'x' }), 403, 'forbidden', 'province admin acts on a centre order');
    assertError(await call(base, 'GET', `/api/v1/workorders/${id}`, { token: tokens.ts_agent }), 404, 'not_found', 'other centre reads');
    assertError(await call(base, 'GET', `/api/v1/workorders/${id}`, { token: tokens.xa_agent }), 404, 'not_found', 'other province reads');
    assert.deepEqual((await call(base, 'GET', '/api/v1/workorders', { token: tokens.ts_agent })).json.items, []);
    assertError(await move('lz_leader', id, 'confirm', o.version), 400, 'invalid_field', 'confirm without a department');
    assertError(await move('lz_leader', id, 'fly', o.version), 400, 'invalid_field', 'unknown action');
    assertError(await move('lz_leader', id, 'confirm', o.version - 1, { department_id: loans.id }), 409, 'conflict', 'stale version');
    r = await move('lz_leader', id, 'confirm', o.version, { department_id: loans.id, note: '请贷款科核实' });
    assert.equal(r.status, 200, r.text);
    o = r.json;
    assert.equal(o.state, 'dispatched');
    assert.deepEqual(o.department, { id: loans.id, name: '贷款科' });

    // Illegal transitions: 409 naming the state and the action.
    const illegal = await move('lz_agent', id, 'close', o.version);
    assertError(illegal, 409, 'illegal_transition', 'close a dispatched order');
    assert.match(illegal.json.error.message, /dispatched/);
    assert.match(illegal.json.error.message, /close/);

    // R-WO-3: the department of the order (and no other) accepts and returns its result.
    assertError(await move('lz_dept2', id, 'accept', o.version), 404, 'not_found', 'another department');
    assertError(await move('lz_leader', id, 'accept', o.version), 403, 'forbidden', 'leader accepts');
    const queue = await call(base, 'GET', '/api/v1/workorders?queue=mine', { token: tokens.lz_dept });
    assert.deepEqual(queue.json.items.map((x) => x.id), [id]);
    r = await move('lz_dept', id, 'accept', o.version);
    assert.equal(r.status, 200, r.text);
    assertError(await move('lz_dept', id, 'submit_result', r.json.version), 400, 'invalid_field', 'result without a note');
    r = await move('lz_dept', id, 'submit_result', r.json.version, { note: '经核实，系银行退票，已重新发放。' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'returned');

    // The agent tells the caller and closes it.
    r = await move('lz_agent', id, 'record_feedback', r.json.version, { note: '已电话告知来电人，来电人表示认可。' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'feedback_done');
    assert.equal(r.json.sla_status, 'done_on_time');
    r = await move('lz_agent', id, 'close', r.json.version);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'closed');
    assert.deepEqual(r.json.allowed_actions, []);

    // The detail view: full phone for the centre's agent, masked for the province; timeline; audit.
    const mine = await call(base, 'GET', `/api/v1/workorders/${id}`, { token: tokens.lz_agent });
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.caller.phone, '13812345678');
    assert.equal(mine.json.caller.phone_masked, false);
    assert.deepEqual(mine.json.timeline.map((e) => e.action),
      ['create', 'submit', 'confirm', 'accept', 'submit_result', 'record_feedback', 'close']);
    assert.equal(mine.json.timeline[2].actor, 'lz_leader');
    assert.equal(mine.json.timeline[2].note, '请贷款科核实');
    assert.equal(mine.json.timeline[2].from_state, 'pending_confirmation');
    assert.equal(mine.json.timeline[2].to_state, 'dispatched');
    const sup = await call(base, 'GET', `/api/v1/workorders/${id}`, { token: tokens.gs_sup });
    assert.equal(sup.status, 200, sup.text);
    assert.equal(sup.json.caller.phone, '138****5678');
    const audit = await call(base, 'GET', '/api/v1/audit?action=workorder.read', { token: tokens.lz_admin });
    assert.equal(audit.status, 200, audit.text);
    assert.deepEqual(audit.json.items.map((e) => [e.actor, e.detail.phone_shown]), [['gs_sup', false], ['lz_agent', true]]);
    const moves = await call(base, 'GET', '/api/v1/audit?action=workorder.confirm', { token: tokens.lz_admin });
    assert.equal(moves.json.items.length, 1);
    assert.equal(moves.json.items[0].target_id, String(id));

    // Live events: the centre's leader saw every change; the department saw it from the dispatch on;
    // the other department and the other centre saw nothing.
    const changed = (s) => s.messages.filter((m) => m.type === 'workorder.changed' && m.order.id === id).map((m) => m.action);
    await ws.leader.waitFor(() => changed(ws.leader).length === 7, 'leader events');
    assert.deepEqual(changed(ws.leader), ['create', 'submit', 'confirm', 'accept', 'submit_result', 'record_feedback', 'close']);
    await ws.dept.waitFor(() => changed(ws.dept).length === 5, 'department events');
    assert.deepEqual(changed(ws.dept), ['confirm', 'accept', 'submit_result', 'record_feedback', 'close']);
    await ws.dept2.barrier('d2');
    await ws.ts.barrier('ts');
    assert.deepEqual(ws.dept2.messages.map((m) => m.type), ['hello']);
    assert.deepEqual(ws.ts.messages.map((m) => m.type), ['hello']);

    // R-SVC-1: the closed complaint has a call-back task for the hotline.
    const cbs = await call(base, 'GET', `/api/v1/callbacks?order=${id}`, { token: tokens.lz_agent });
    assert.equal(cbs.status, 200, cbs.text);
    assert.equal(cbs.json.items.length, 1);
    const cb = cbs.json.items[0];
    assert.equal(cb.kind, 'complaint_followup');
    assert.equal(cb.status, 'pending');
    assert.equal(cb.phone, '138****5678');
    assert.deepEqual(cb.order, { id, number: o.number });
    assertError(await call(base, 'GET', '/api/v1/callbacks', { token: tokens.lz_dept }), 403, 'forbidden', 'department lists call-backs');
    const full = await call(base, 'GET', `/api/v1/callbacks/${cb.id}`, { token: tokens.lz_agent });
    assert.equal(full.json.phone, '13812345678');
    assertError(await call(base, 'PATCH', `/api/v1/callbacks/${cb.id}`, { token: tokens.lz_agent, body: { version: cb.version, outcome: 'reached' } }),
      400, 'invalid_field', 'complaint follow-up without satisfaction');
    const done = await call(base, 'PATCH', `/api/v1/callbacks/${cb.id}`, { token: tokens.lz_agent,
      body: { version: cb.version, outcome: 'reached', satisfaction: 'satisfied', note: '来电人满意' } });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.status, 'done');
    assertError(await call(base, 'PATCH', `/api/v1/callbacks/${cb.id}`, { token: tokens.lz_agent,
      body: { version: done.json.version, outcome: 'reached', satisfaction: 'satisfied' } }), 409, 'illegal_transition', 'record twice');
  });

  it('leader returns to the agent, reclassifies, merges and cancels; departments send back', T, async () => {
    const file = async (extra = {}) => {
      const r = await call(base, 'POST', '/api/v1/workorders', { token: tokens.lz_agent, body: { ...order, category: 'inquiry', submit: true, ...extra } });
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    let a = await file();
    assert.equal(a.state, 'pending_confirmation');
    assert.equal(a.deadline.workdays, 3);
    assertError(await move('lz_leader', a.id, 'return_to_agent', a.version), 400, 'invalid_field', 'return without a reason');
    let r = await move('lz_leader', a.id, 'return_to_agent', a.version, { note: '请补充合同号' });
    assert.equal(r.json.state, 'draft');
    const edited = await call(base, 'PATCH', `/api/v1/workorders/${a.id}`, { token: tokens.lz_agent, body: { version: r.json.version, description: '补充：合同号 12345' } });
    assert.equal(edited.status, 200, edited.text);
    assertError(await call(base, 'PATCH', `/api/v1/workorders/${a.id}`, { token: tokens.lz_agent, body: { version: r.json.version, subject: 'x' } }), 409, 'conflict', 'stale edit');
    r = await move('lz_agent', a.id, 'submit', edited.json.version);
    r = await move('lz_leader', a.id, 'reclassify', r.json.version, { category: 'suggestion' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.category, 'suggestion');
    assert.equal(r.json.deadline.workdays, 2);
    a = r.json;

    // The department sends it back for re-dispatch; it leaves their queue.
    r = await move('lz_leader', a.id, 'confirm', a.version, { department_id: loans.id });
    r = await move('lz_dept', a.id, 'send_back', r.json.version, { note: '应由归集科办理' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'pending_confirmation');
    assert.equal(r.json.department, null);
    assertError(await call(base, 'GET', `/api/v1/workorders/${a.id}`, { token: tokens.lz_dept }), 404, 'not_found', 'sent back');

    // Merge a duplicate; cancel with a reason (an admin of the centre may cancel too).
    const dup = await file();
    r = await move('lz_leader', dup.id, 'merge', dup.version, { into: a.id, note: '重复来电' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'merged');
    assert.equal(r.json.merged_into, a.id);
    assert.equal(r.json.sla_status, 'cancelled');
    assertError(await move('lz_leader', dup.id, 'cancel', r.json.version, { note: 'x' }), 409, 'illegal_transition', 'cancel a merged order');
    const c = await file();
    assertError(await move('lz_admin', c.id, 'cancel', c.version), 400, 'invalid_field', 'cancel without a reason');
    r = await move('lz_admin', c.id, 'cancel', c.version, { note: '测试工单' });
    assert.equal(r.json.state, 'cancelled');
    assertError(await move('lz_sup', c.id, 'cancel', r.json.version, { note: 'x' }), 403, 'forbidden', 'supervisor writes');
  });

  it('lists with filters and cursors, shows the board, attaches files', T, async () => {
    const list = await call(base, 'GET', '/api/v1/workorders?limit=2', { token: tokens.lz_leader });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.items.length, 2);
    assert.ok(list.json.next_cursor);
    const next = await call(base, 'GET', `/api/v1/workorders?limit=2&cursor=${encodeURIComponent(list.json.next_cursor)}`, { token: tokens.lz_leader });
    assert.equal(next.status, 200, next.text);
    assert.equal(new Set([...list.json.items, ...next.json.items].map((x) => x.id)).size, list.json.items.length + next.json.items.length);
    const closed = await call(base, 'GET', '/api/v1/workorders?state=closed,cancelled&category=complaint', { token: tokens.lz_leader });
    assert.deepEqual(closed.json.items.map((x) => x.state), ['closed']);
    const found = await call(base, 'GET', `/api/v1/workorders?q=${encodeURIComponent('到账延迟')}`, { token: tokens.gs_sup });
    assert.ok(found.json.items.length >= 1);
    assertError(await call(base, 'GET', '/api/v1/workorders?state=nope', { token: tokens.lz_leader }), 400, 'invalid_field', 'bad state');
    assertError(await call(base, 'GET', '/api/v1/workorders?limit=1000', { token: tokens.lz_leader }), 400, 'invalid_field', 'bad limit');
    assertError(await call(base, 'GET', '/api/v1/workorders?org=SX-XA', { token: tokens.lz_leader }), 404, 'not_found', 'org outside scope');

    const board = await call(base, 'GET', '/api/v1/workorders/summary', { token: tokens.lz_leader });
    assert.equal(board.status, 200, board.text);
    assert.equal(typeof board.json.total.open, 'number');
    assert.ok(board.json.total.open >= 1);

    // Attachments: raw upload, metadata in the detail, download as an attachment.
    const o = (await call(base, 'POST', '/api/v1/workorders', { token: tokens.lz_agent, body: { ...order, category: 'suggestion' } })).json;
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const up = await call(base, 'POST', `/api/v1/workorders/${o.id}/attachments?name=${encodeURIComponent('来电截图.png')}`,
      { token: tokens.lz_agent, raw: bytes, contentType: 'image/png' });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.json.size, 8);
    assert.equal(up.json.file_name, '来电截图.png');
    const got = await call(base, 'GET', up.json.url, { token: tokens.lz_agent });
    assert.equal(got.status, 200);
    assert.deepEqual(got.buf, bytes);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.match(got.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''%E6%9D%A5/);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assertError(await call(base, 'GET', up.json.url, { token: tokens.ts_agent }), 404, 'not_found', 'other centre downloads');
    assertError(await call(base, 'POST', `/api/v1/workorders/${o.id}/attachments`, { token: tokens.lz_agent, raw: bytes }), 400, 'invalid_field', 'no name');
    const detail = await call(base, 'GET', `/api/v1/workorders/${o.id}`, { token: tokens.lz_agent });
    assert.equal(detail.json.attachments.length, 1);
    assert.equal(detail.json.timeline.at(-1).action, 'attach');
  });

  it('imports reminder call-backs from CSV with FILE:LINE errors', T, async () => {
    const good = 'phone,name,kind,topic\n13800000001,王五,rate_change,贷款利率调整提醒\n13800000002,,repayment_deadline,还款到期提醒\n';
    assertError(await call(base, 'POST', '/api/v1/callbacks/bulk?name=r.csv', { token: tokens.lz_dept, raw: good, contentType: 'text/csv' }), 403, 'forbidden', 'department imports');
    const ok = await call(base, 'POST', '/api/v1/callbacks/bulk?name=r.csv', { token: tokens.lz_leader, raw: good, contentType: 'text/csv' });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.created, 2);
    const bad = await call(base, 'POST', '/api/v1/callbacks/bulk?name=bad.csv', { token: tokens.lz_leader,
      raw: 'phone,name,kind,topic\n13800000001,王五,rate_change,ok\nabc,李四,rate_change,x\n', contentType: 'text/csv' });
    assertError(bad, 400, 'invalid_file', 'bad CSV');
    assert.match(bad.json.error.message, /^bad\.csv:3: /);
    const reminders = await call(base, 'GET', '/api/v1/callbacks?kind=rate_change', { token: tokens.lz_agent });
    assert.equal(reminders.json.items.length, 1, 'the bad file added nothing');
  });

  it('serves the SLA report as JSON, CSV and XLSX to leaders and supervisors only', T, async () => {
    const r = await call(base, 'GET', '/api/v1/workorders/sla-report', { token: tokens.lz_leader });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.org, 'GS-LZ');
    const loansRow = r.json.rows.find((x) => x.department?.name === '贷款科');
    assert.ok(loansRow, r.text);
    assert.equal(loansRow.done, 1);
    assert.equal(loansRow.done_on_time, 1);
    assert.equal(loansRow.on_time_rate, 100);
    assert.equal(loansRow.closed, 1);
    assert.ok(r.json.total.created >= 5);
    const csv = await call(base, 'GET', '/api/v1/workorders/sla-report?format=csv', { token: tokens.gs_sup });
    assert.equal(csv.status, 200, csv.text);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.text, /^\uFEFForg,department,created,cancelled,done,done_on_time,on_time_rate,mean_handling_workdays,closed,overdue_open\r\n/);
    assert.match(csv.text, /GS,TOTAL,/);
    const late = await call(base, 'GET', '/api/v1/workorders/sla-report?format=csv&part=late', { token: tokens.lz_leader });
    assert.match(late.text, /^\uFEFFnumber,org,department,category,state,status,/);
    const xlsx = await call(base, 'GET', '/api/v1/workorders/sla-report?format=xlsx', { token: tokens.lz_admin });
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.buf.subarray(0, 2).toString(), 'PK');
    assertError(await call(base, 'GET', '/api/v1/workorders/sla-report', { token: tokens.lz_agent }), 403, 'forbidden', 'agent reads the SLA report');
    assertError(await call(base, 'GET', '/api/v1/workorders/sla-report?from=2026-13-01', { token: tokens.lz_leader }), 400, 'invalid_field', 'bad date');
  });

  it('settings and departments are for admins; the CLI lists and escalates', T, async () => {
    const s = await call(base, 'GET', '/api/v1/workorders/settings', { token: tokens.lz_agent });
    assert.deepEqual(s.json, { org: 'GS-LZ', complaint: 5, suggestion: 2, inquiry: 3, due_soon_workdays: 1, default: true });
    const body = { complaint: 4, suggestion: 2, inquiry: 3, due_soon_workdays: 1 };
    assertError(await call(base, 'PUT', '/api/v1/workorders/settings', { token: tokens.lz_leader, body }), 403, 'forbidden', 'leader sets deadlines');
    assertError(await call(base, 'PUT', '/api/v1/workorders/settings', { token: tokens.lz_admin, body: { ...body, complaint: 9 } }), 400, 'invalid_field', 'over the guideline');
    const put = await call(base, 'PUT', '/api/v1/workorders/settings', { token: tokens.lz_admin, body });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.default, false);
    assertError(await call(base, 'PUT', '/api/v1/workorders/settings?org=SX-XA', { token: tokens.lz_admin, body }), 404, 'not_found', 'other centre settings');
    assertError(await call(base, 'POST', '/api/v1/workorders/departments', { token: tokens.lz_leader, body: { name: '提取科' } }), 403, 'forbidden', 'leader adds a department');
    const d = await call(base, 'POST', '/api/v1/workorders/departments', { token: tokens.lz_admin, body: { name: '提取科' } });
    assert.equal(d.status, 201, d.text);
    assertError(await call(base, 'POST', '/api/v1/workorders/departments', { token: tokens.lz_admin, body: { name: '提取科' } }), 409, 'conflict', 'duplicate');
    const users = await call(base, 'GET', '/api/v1/users?role=department', { token: tokens.lz_admin });
    const ids = users.json.items.map((u) => u.id);
    const m = await call(base, 'PUT', `/api/v1/workorders/departments/${d.json.id}/members`, { token: tokens.lz_admin, body: { user_ids: ids } });
    assert.equal(m.status, 200, m.text);
    assert.equal(m.json.members.length, 2);

    const out = server.cli(['workorder', 'list', '--org', 'GS-LZ', '--state', 'closed']);
    assert.match(out, /LZ\d{8}-0001 +complaint +closed +贷款科/);
    assert.doesNotMatch(out, /13812345678/, 'the CLI masks phones');
    assert.match(server.cli(['workorder', 'escalate', '--once']), /^0 notices$/m);
  });
});
