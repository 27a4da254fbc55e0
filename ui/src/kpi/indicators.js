// The eight indicators of the 12329 guideline (docs/INDICATORS.md, R-KPI-1…8) as the console shows them.
// Values come from the API: durations in minutes, rates in percent, 2 decimals, null for "no data".
import { t } from '../i18n.js';

export const INDICATORS = ['callTotal', 'callavg', 'callconnect', 'ABNcalls', 'waittimeavg', 'acwavg', 'complntrate', 'satisrate'];

// unit: what the API sends; seconds: also shown (and plotted) in seconds, since the thresholds are in
// seconds; permille: also shown in ‰ (the Gansu complaint-rate limit is 0.3 ‰).
export const META = {
  callTotal: { unit: 'calls' },
  callavg: { unit: 'min' },
  callconnect: { unit: '%' },
  ABNcalls: { unit: '%' },
  waittimeavg: { unit: 'min', seconds: true },
  acwavg: { unit: 'min', seconds: true },
  complntrate: { unit: '%', permille: true },
  satisrate: { unit: '%' },
};

export const BASES = ['manual', 'all'];
export const PERIODS = ['day', 'week', 'month', 'quarter', 'year', 'range'];

export const indicatorName = (ind) => t(`kpi.ind.${ind}`);

const num = (v, digits = 2) => Number(v).toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const trim = (v) => String(Math.round(v * 1000) / 1000);

// Minutes (2 decimals) → seconds, one decimal: 0.41 → 24.6.
export const toSeconds = (minutes) => Math.round(minutes * 600) / 10;

// {indicator: {op, value, unit}} of a profile from GET /kpi/profiles.
export function thresholdMap(profile) {
  const m = {};
  for (const th of profile?.thresholds || []) m[th.indicator] = th;
  return m;
}

// The value as the data standard has it, with its unit: "87.93%", "3.06 分钟", "14,441".
export function formatValue(ind, v) {
  if (v === null || v === undefined) return t('kpi.noData');
  const unit = META[ind].unit;
  if (unit === 'calls') return Number(v).toLocaleString('zh-CN');
  if (unit === 'min') return `${num(v)} ${t('kpi.unit.min')}`;
  return `${num(v)}%`;
}

// The secondary reading: seconds for waits, ‰ for the complaint rate; '' when there is none.
export function formatSecondary(ind, v) {
  if (v === null || v === undefined) return '';
  if (META[ind].seconds) return t('kpi.approxSeconds', { s: toSeconds(v).toFixed(1) });
  if (META[ind].permille) return `${num(v * 10, 1)}‰`;
  return '';
}

export function unitLabel(ind) {
  const unit = META[ind].unit;
  return unit === 'calls' ? t('kpi.unit.calls') : unit === 'min' ? t('kpi.unit.min') : '%';
}

// "≥ 85%", "≤ 40 秒", "≤ 0.3‰" (a complaint-rate limit under 0.1 % reads better in per mille).
export function thresholdText(th) {
  if (!th) return '';
  const op = th.op === '>=' ? '≥' : '≤';
  if (th.unit === 's') return `${op} ${trim(th.value)} ${t('kpi.unit.s')}`;
  if (th.unit === '%' && th.value < 0.1) return `${op} ${trim(th.value * 10)}‰`;
  return `${op} ${trim(th.value)}%`;
}

// Charts plot durations with a threshold in seconds (waits) in seconds, the rest in the API's unit.
export function plotValue(ind, v) {
  if (v === null || v === undefined) return null;
  return META[ind].seconds ? toSeconds(v) : v;
}

export function plotUnit(ind) {
  if (META[ind].seconds) return t('kpi.unit.s');
  return unitLabel(ind);
}

export function plotThreshold(th) {
  return th ? th.value : null; // seconds for waits, percent for rates: the plot units above
}

// pass: true / false / null (no data) / undefined (no threshold for this indicator).
export function passOf(row, ind) {
  if (!row || !row.pass || !(ind in row.pass)) return undefined;
  return row.pass[ind];
}

// Short names for chart axes: 兰州住房公积金管理中心 → 兰州, 甘肃省住房和城乡建设厅 → 甘肃省.
export function shortOrgName(name) {
  return String(name || '')
    .replace(/(市)?住房公积金管理中心$/, '')
    .replace(/住房和城乡建设厅$/, '')
    .replace(/住房和城乡建设部$/, '住建部') || name;
}

// A plotted value as a chart label: seconds with one decimal, rates and minutes with two.
export function plotLabel(ind, v) {
  if (v === null || v === undefined) return t('kpi.noData');
  if (META[ind].unit === 'calls') return Number(v).toLocaleString('zh-CN');
  return Number(v).toFixed(META[ind].seconds ? 1 : 2);
}
