// Calendar-date arithmetic on 'YYYY-MM-DD' strings (local dates as the API uses them, no time zone:
// computed in UTC so that the browser's zone and DST never shift a day).
const pad = (n) => String(n).padStart(2, '0');

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function parseDate(s) {
  const [y, m, d] = String(s).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function fmtDate(dt) {
  return `${dt.getUTCFullYear()}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}`;
}

export function isValidDate(s) {
  return DATE_RE.test(String(s)) && fmtDate(parseDate(s)) === s;
}

// Today in the browser's local zone.
export function todayLocal() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function addDays(s, n) {
  const d = parseDate(s);
  d.setUTCDate(d.getUTCDate() + n);
  return fmtDate(d);
}

// The first day of the month n months after the month of s.
export function addMonths(s, n) {
  const d = parseDate(s);
  return fmtDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)));
}

// 1 = Monday … 7 = Sunday (ISO 8601).
export function isoWeekday(s) {
  const w = parseDate(s).getUTCDay();
  return w === 0 ? 7 : w;
}

export function weekStart(s) {
  return addDays(s, 1 - isoWeekday(s));
}

export function monthStart(s) {
  return `${s.slice(0, 7)}-01`;
}

export function monthEnd(s) {
  return addDays(addMonths(s, 1), -1);
}

export function daysBetween(a, b) {
  return Math.round((parseDate(b) - parseDate(a)) / 86_400_000);
}

export const minDate = (a, b) => (a < b ? a : b);
export const maxDate = (a, b) => (a > b ? a : b);

// The period that contains `date`, as the API computes it (src/kpi/periods.cpp).
export function periodBounds(period, date, to) {
  switch (period) {
    case 'week': { const start = weekStart(date); return { start, end: addDays(start, 6) }; }
    case 'month': return { start: monthStart(date), end: monthEnd(date) };
    case 'quarter': {
      const m = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1;
      const start = `${date.slice(0, 4)}-${pad(m)}-01`;
      return { start, end: addDays(addMonths(start, 3), -1) };
    }
    case 'year': return { start: `${date.slice(0, 4)}-01-01`, end: `${date.slice(0, 4)}-12-31` };
    case 'range': return { start: date, end: to && to >= date ? to : date };
    default: return { start: date, end: date };
  }
}
