// A minimal RFC 6455 client for the e2e suites: handshake, unmasked text frames from the server (JSON),
// pings and pongs, close. Every wait is bounded by WAIT.
import assert from 'node:assert/strict';
import net from 'node:net';
import crypto from 'node:crypto';

const WAIT = 10_000; // bound on any single wait for the server

// The status line and headers of an HTTP response: {status, headers}.
function parseHead(buf) {
  const text = buf.toString('utf8');
  const [statusLine, ...lines] = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
  const headers = {};
  for (const l of lines) { const i = l.indexOf(':'); headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim(); }
  return { status: Number(statusLine.split(' ')[1]), headers };
}

export class WsClient {
  // Resolves a WsClient once upgraded, or {upgraded: false, status, headers, body} with the HTTP answer.
  static connect(baseUrl, path, headers = {}) {
    const { hostname, port } = new URL(baseUrl);
    const key = crypto.randomBytes(16).toString('base64');
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: hostname, port: Number(port) });
      const timer = setTimeout(() => { sock.destroy(); reject(new Error('WebSocket handshake: no answer')); }, WAIT);
      let buf = Buffer.alloc(0);
      const onData = (d) => {
        buf = Buffer.concat([buf, d]);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        sock.off('data', onData);
        clearTimeout(timer);
        const head = parseHead(buf.subarray(0, end + 4));
        if (head.status !== 101) {
          // Not upgraded: hand back the HTTP answer (read to the end) and close.
          const rest = [buf.subarray(end + 4)];
          const finish = () => { sock.destroy(); resolve({ upgraded: false, status: head.status, headers: head.headers, body: Buffer.concat(rest).toString() }); };
          const t2 = setTimeout(finish, WAIT);
          sock.on('data', (x) => rest.push(x));
          sock.on('close', () => { clearTimeout(t2); finish(); });
          if (Buffer.concat(rest).length >= Number(head.headers['content-length'] || 0)) { clearTimeout(t2); finish(); }
          return;
        }
        const expected = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
        if (head.headers['sec-websocket-accept'] !== expected) {
          sock.destroy();
          reject(new Error(`bad Sec-WebSocket-Accept ${head.headers['sec-websocket-accept']}`));
          return;
        }
        const ws = new WsClient(sock);
        ws.feed(buf.subarray(end + 4));
        resolve(ws);
      };
      sock.on('data', onData);
      sock.on('error', (e) => { clearTimeout(timer); reject(e); });
      sock.on('connect', () => {
        const lines = [`GET ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
          `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13'];
        for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
        sock.write(lines.join('\r\n') + '\r\n\r\n');
      });
    });
  }

  // The same, but anything other than an upgrade is an error.
  static async open(baseUrl, path, headers = {}) {
    const ws = await WsClient.connect(baseUrl, path, headers);
    if (!ws.upgraded) throw new Error(`WebSocket ${path}: HTTP ${ws.status} ${ws.body}`);
    return ws;
  }

  constructor(sock) {
    this.upgraded = true;
    this.sock = sock;
    this.buf = Buffer.alloc(0);
    this.messages = []; // every text frame, parsed, in arrival order
    this.pongs = [];
    this.closed = false;
    this.waiters = [];
    sock.on('data', (d) => this.feed(d));
    sock.on('close', () => { this.closed = true; this.wake(); });
    sock.on('error', () => {});
  }

  feed(d) {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.buf.length < 2) break;
      const fin = (this.buf[0] & 0x80) !== 0;
      const op = this.buf[0] & 0x0f;
      assert.equal(this.buf[1] & 0x80, 0, 'server frames must not be masked');
      let len = this.buf[1] & 0x7f;
      let off = 2;
      if (len === 126) { if (this.buf.length < 4) break; len = this.buf.readUInt16BE(2); off = 4; }
      else if (len === 127) { if (this.buf.length < 10) break; len = Number(this.buf.readBigUInt64BE(2)); off = 10; }
      if (this.buf.length < off + len) break;
      const payload = this.buf.subarray(off, off + len);
      this.buf = this.buf.subarray(off + len);
      if (op === 0x1 || op === 0x0) {
        this.partial = op === 0x1 ? [payload] : [...(this.partial || []), payload];
        if (fin) { this.messages.push(JSON.parse(Buffer.concat(this.partial).toString('utf8'))); this.partial = null; }
      } else if (op === 0x9) {
        this.send(0xa, payload);
      } else if (op === 0xa) {
        this.pongs.push(payload.toString());
      } else if (op === 0x8) {
        this.sock.end();
      }
    }
    this.wake();
  }

  wake() { for (const w of [...this.waiters]) w(); }

  // Waits (bounded) until `pred()` is true.
  waitFor(pred, what) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pred()) { cleanup(); resolve(); } else if (this.closed) { cleanup(); reject(new Error(`${what}: connection closed`)); }
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`${what}: not within ${WAIT} ms; got ${JSON.stringify(this.messages)}`)); }, WAIT);
      const cleanup = () => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== check); };
      this.waiters.push(check);
      check();
    });
  }

  async next(pred, what) {
    let found;
    await this.waitFor(() => (found = this.messages.find(pred)) !== undefined, what);
    return found;
  }

  // One masked frame (RFC 6455 §5.2): `op` 0x1 text, 0x2 binary, 0x0 continuation, 0x8 close, 0x9 ping;
  // `fin` false leaves a message open for continuation frames.
  send(op, payload = Buffer.alloc(0), { fin = true } = {}) {
    const mask = crypto.randomBytes(4);
    const data = Buffer.from(payload);
    for (let i = 0; i < data.length; ++i) data[i] ^= mask[i % 4];
    let head;
    if (data.length < 126) {
      head = Buffer.from([(fin ? 0x80 : 0) | op, 0x80 | data.length]);
    } else if (data.length < 65536) {
      head = Buffer.from([(fin ? 0x80 : 0) | op, 0x80 | 126, 0, 0]);
      head.writeUInt16BE(data.length, 2);
    } else {
      head = Buffer.alloc(10);
      head[0] = (fin ? 0x80 : 0) | op;
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(data.length), 2);
    }
    this.sock.write(Buffer.concat([head, mask, data]));
  }

  // A text message: objects are sent as JSON, strings as they are.
  sendText(message) {
    this.send(0x1, Buffer.from(typeof message === 'string' ? message : JSON.stringify(message), 'utf8'));
  }

  // A ping/pong round trip: every frame the server queued for us before it saw the ping arrives first.
  async barrier(tag) {
    this.send(0x9, Buffer.from(tag));
    await this.waitFor(() => this.pongs.includes(tag), `pong ${tag}`);
  }

  close() {
    if (!this.closed) { try { this.send(0x8, Buffer.from([0x03, 0xe8])); } catch { /* gone */ } }
    this.sock.destroy();
  }
}
