// The server's event stream: WebSocket GET /api/v1/events (same origin, authenticated by the session
// cookie). Opened while at least one view subscribes; reconnects with capped exponential backoff.
import { ref } from 'vue';
import { api } from './api.js';

export const eventStatus = ref('idle'); // idle | connecting | open | reconnecting

const listeners = new Set();
let socket = null;
let timer = null;
let attempt = 0;

function url() {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}/api/v1/events`;
}

function connect() {
  clearTimeout(timer);
  timer = null;
  eventStatus.value = attempt === 0 ? 'connecting' : 'reconnecting';
  let ws;
  try {
    ws = new WebSocket(url());
  } catch {
    scheduleReconnect();
    return;
  }
  socket = ws;
  ws.onopen = () => {
    attempt = 0;
    eventStatus.value = 'open';
  };
  ws.onmessage = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch { return; }
    if (!msg || typeof msg.type !== 'string') return;
    for (const fn of listeners) {
      try { fn(msg); } catch (e) { console.error(e); }
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return; // superseded or stopped on purpose
    socket = null;
    scheduleReconnect();
  };
}

function scheduleReconnect() {
  if (!listeners.size) { eventStatus.value = 'idle'; return; }
  eventStatus.value = 'reconnecting';
  const base = Math.min(30_000, 1000 * 2 ** attempt);
  attempt = Math.min(attempt + 1, 10);
  const delay = base / 2 + Math.random() * (base / 2);
  timer = setTimeout(async () => {
    timer = null;
    // A close may mean the session ended: check it (a 401 sends the user to the login page).
    try {
      await api('/me');
    } catch (e) {
      if (e.status === 401) { stop(); return; }
    }
    if (listeners.size && !socket) connect();
  }, delay);
}

function stop() {
  clearTimeout(timer);
  timer = null;
  attempt = 0;
  const ws = socket;
  socket = null;
  if (ws) {
    ws.onclose = null;
    try { ws.close(1000); } catch { /* ignore */ }
  }
  eventStatus.value = 'idle';
}

// Registers fn(message) for every server event; returns the unsubscribe function.
export function subscribe(fn) {
  listeners.add(fn);
  if (!socket && !timer) connect();
  return () => {
    listeners.delete(fn);
    if (!listeners.size) stop();
  };
}

export function closeEvents() {
  listeners.clear();
  stop();
}
