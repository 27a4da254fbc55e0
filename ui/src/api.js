// Thin fetch wrapper for /api/v1. The session is the HttpOnly cookie `hotline_session`, so every
// request is same-origin with credentials; nothing about the session is stored in the page.
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

let unauthorizedHandler = () => {};
// Called on every 401 (except where the caller opts out, e.g. the login form itself).
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

// Seconds from a Retry-After header (delta-seconds or HTTP date); null when absent.
export function parseRetryAfter(value) {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const when = Date.parse(value);
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000));
}

export async function api(path, { method = 'GET', body, query, redirectOn401 = true, headers: extra = {} } = {}) {
  const headers = { Accept: 'application/json', ...extra };
  const init = { method, credentials: 'same-origin', headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(`/api/v1${path}${queryString(query)}`, init);
  } catch {
    throw new ApiError(0, 'network', t('errors.network'));
  }
  const text = res.status === 204 ? '' : await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const e = new ApiError(
      res.status,
      err.code || `http_${res.status}`,
      err.message || t('errors.http', { status: res.status }),
      parseRetryAfter(res.headers.get('Retry-After')),
    );
    if (res.status === 401 && redirectOn401) unauthorizedHandler(e);
    throw e;
  }
  return data;
}

export const get = (path, query) => api(path, { query });
export const post = (path, body) => api(path, { method: 'POST', body });
export const patch = (path, body) => api(path, { method: 'PATCH', body });
export const put = (path, body, query) => api(path, { method: 'PUT', body, query });
export const del = (path, query) => api(path, { method: 'DELETE', query });

// Saves a blob as a file through a temporary link.
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Downloads an API resource (CSV, XLSX …) as a file; errors are ApiErrors as for api().
export async function download(path, query, filename) {
  let res;
  try {
    res = await fetch(`/api/v1${path}${queryString(query)}`, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', t('errors.network'));
  }
  if (!res.ok) {
    let err = {};
    try { err = (await res.json()).error || {}; } catch { /* not JSON */ }
    const e = new ApiError(res.status, err.code || `http_${res.status}`, err.message || t('errors.http', { status: res.status }));
    if (res.status === 401) unauthorizedHandler(e);
    throw e;
  }
  saveBlob(await res.blob(), filename);
}

// Sends a file as the raw request body (work-order attachments, call-back CSV lists): `query` names it.
export async function upload(path, file, query) {
  let res;
  try {
    res = await fetch(`/api/v1${path}${queryString(query)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'network', t('errors.network'));
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const e = new ApiError(res.status, err.code || `http_${res.status}`, err.message || t('errors.http', { status: res.status }));
    if (res.status === 401) unauthorizedHandler(e);
    throw e;
  }
  return data;
}
