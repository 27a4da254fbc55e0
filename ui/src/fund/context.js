// The caller's verified context on the agent desktop (docs/FUND-API.md, R-IVR-2): one at a time, kept in
// memory only (never in localStorage), shared by the caller lookup and appointment pages, and sent as the
// X-Fund-Context header with every /fund read. Cleared when the agent ends it or it expires.
import { reactive } from 'vue';
import { api } from '../api.js';

export const fundContext = reactive({
  token: '',
  verified: false,
  subjectType: 'person',
  accountMasked: '',
  expiresAt: '',
  reason: '',
});

export function setContext(c, reason = '') {
  Object.assign(fundContext, {
    token: c.token, verified: c.verified, subjectType: c.subject_type, accountMasked: c.account_masked,
    expiresAt: c.expires_at, reason,
  });
}

export function clearContext() {
  Object.assign(fundContext, { token: '', verified: false, subjectType: 'person', accountMasked: '', expiresAt: '', reason: '' });
}

// An /api/v1/fund call with the context header.
export function fundApi(path, { method = 'GET', body, query } = {}) {
  const headers = fundContext.token ? { 'X-Fund-Context': fundContext.token } : {};
  return api(`/fund${path}`, { method, body, query, headers });
}

export async function endContext() {
  if (fundContext.token) {
    try { await fundApi('/context', { method: 'DELETE' }); } catch { /* ends by expiry anyway */ }
  }
  clearContext();
}

// Errors that mean the context is gone: back to the verification form.
export const CONTEXT_GONE = new Set(['verification_required', 'verification_expired']);
