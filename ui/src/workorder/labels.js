// Labels and tag colours of work-order enumerations (docs/API.md "Work orders"). Unknown values fall back
// to the server's Chinese label, then to the raw value.
import { i18n, t } from '../i18n.js';

function label(group, value, fallback) {
  const key = `workorder.${group}.${value}`;
  return value && i18n.global.te(key) ? t(key) : fallback || value || '';
}

export const CATEGORIES = ['complaint', 'suggestion', 'inquiry'];
export const CHANNELS = ['phone', 'sms', 'web', 'walk_in'];
export const PRIORITIES = ['normal', 'urgent'];
export const STATES = ['draft', 'pending_confirmation', 'dispatched', 'in_progress', 'returned', 'feedback_done', 'closed', 'cancelled', 'merged'];
export const OPEN_STATES = STATES.slice(0, 6);

export const categoryLabel = (c, fallback) => label('category', c, fallback);
export const channelLabel = (c) => label('channel', c);
export const priorityLabel = (p) => label('priority', p);
export const stateLabel = (s, fallback) => label('state', s, fallback);
export const slaLabel = (s) => label('sla', s);
export const actionName = (a) => label('action', a);

export function categoryTag(c) {
  return { complaint: 'danger', suggestion: 'success', inquiry: 'primary' }[c] || 'info';
}
export function slaTag(s) {
  return { on_time: 'success', due_soon: 'warning', overdue: 'danger', done_on_time: 'success', done_late: 'danger', cancelled: 'info' }[s] || 'info';
}
export function stateTag(s) {
  if (s === 'closed' || s === 'feedback_done') return 'success';
  if (s === 'cancelled' || s === 'merged') return 'info';
  if (s === 'draft') return 'info';
  if (s === 'returned') return 'warning';
  return 'primary';
}

// The deadline's last day as 2026年3月12日.
export function chineseDate(day) {
  if (!day) return '';
  const [y, m, d] = String(day).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export function fileSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1 << 20)).toFixed(2)} MiB`;
}

// Phone entered by an agent: the server's rule (3–20 digits, optional leading '+', spaces and '-' removed).
export function validPhone(p) {
  const s = String(p || '').replace(/[\s-]/g, '');
  return /^\+?\d{3,20}$/.test(s);
}
