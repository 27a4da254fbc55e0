// Formatting helpers: instants from the API are RFC 3339 UTC; the console shows local time.
const pad = (n) => String(n).padStart(2, '0');

export function formatDateTime(value) {
  if (!value) return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDate(value) {
  return formatDateTime(value).slice(0, 10);
}

// An instant in a given IANA time zone (an org's `time_zone`), as YYYY-MM-DD HH:MM:SS; local time when
// the zone is missing or unknown to the browser.
const zoneFormats = new Map();
export function formatDateTimeIn(value, timeZone) {
  if (!value || !timeZone) return formatDateTime(value);
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  let f = zoneFormats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
      });
    } catch {
      return formatDateTime(value);
    }
    zoneFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
