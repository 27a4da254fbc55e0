// ECharts, tree-shaken: only the chart types and components the console draws.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, DataZoomComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent,
  DataZoomComponent, CanvasRenderer]);

export { echarts };

export const CHART_FONT = "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif";
export const COLORS = {
  primary: '#0f4c9c',
  pass: '#3a7bd5',
  fail: '#d93026',
  none: '#c0c4cc',
  volume: '#cfdbeb',
  threshold: '#d93026',
};

// A value axis around [lo, hi] on round ticks (1, 2, 5 × 10^k, about five of them), never below 0, so that
// the threshold line is always inside the plot while the axis still zooms in on the data.
export function niceAxis(values) {
  const nums = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  if (!nums.length) return { min: 0 };
  let lo = Math.min(...nums);
  let hi = Math.max(...nums);
  if (hi === lo) { lo -= Math.abs(lo) * 0.1 || 1; hi += Math.abs(hi) * 0.1 || 1; }
  const raw = (hi - lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const interval = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const min = Math.max(0, Math.floor(lo / interval - 0.5) * interval);
  const max = Math.ceil(hi / interval + 0.5) * interval;
  const fix = (v) => Number(v.toPrecision(12));
  return { min: fix(min), max: fix(max), interval: fix(interval) };
}
