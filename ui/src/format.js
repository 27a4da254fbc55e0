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
