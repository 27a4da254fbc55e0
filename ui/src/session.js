// The signed-in user as reported by GET /api/v1/me. Kept in memory only.
import { reactive } from 'vue';
import { api } from './api.js';

export const session = reactive({
  user: null,
  org: null,
  permissions: [],
  loadError: null, // an ApiError when /me failed for a reason other than 401
  signedOut: false, // the server said 401 (or we logged out): no need to ask /me again before login
});

export function signedIn() {
  return session.user !== null;
}

export function can(permission) {
  return !permission || session.permissions.includes(permission);
}

export async function loadMe({ redirectOn401 = false } = {}) {
  let me;
  try {
    me = await api('/me', { redirectOn401 });
  } catch (e) {
    if (e.status === 401) session.signedOut = true;
    throw e;
  }
  session.user = me.user;
  session.org = me.org;
  session.permissions = Array.isArray(me.permissions) ? me.permissions : [];
  session.loadError = null;
  session.signedOut = false;
  return me;
}

export function clearSession() {
  session.user = null;
  session.org = null;
  session.permissions = [];
  session.loadError = null;
  session.signedOut = true;
}
