/**
 * The geometry of an installation's usage chart, apart from React so it can be tested: per report
 * date a bar of the peak and a point of the current use, on a time axis (weekly reports stand a
 * week apart), against the quota as a horizontal line, with the time over the limit shaded.
 */
export interface UsagePoint {
  /** A report date, YYYY-MM-DD in UTC. */
  date: string;
  peak: number;
  current: number;
}

export interface ChartLimits {
  quota: number | null;
  overuse: { from: string; until: string | null; grace: boolean } | null;
}

export interface ChartBar extends UsagePoint {
  x: number;
  width: number;
  /** Top of the peak's bar, and the current use's point. */
  peakY: number;
  currentY: number;
  over: boolean;
}

export interface ChartModel {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  bars: ChartBar[];
  quotaY: number | null;
  shade: { x: number; width: number; grace: boolean } | null;
  yTicks: { value: number; y: number }[];
  xLabels: { date: string; x: number; anchor: 'start' | 'middle' | 'end' }[];
}

/** The latest report dates the chart draws; the table below it lists them all. */
export const CHART_DATES = 60;
const DAY_MS = 86_400_000;
const MARGIN = { left: 44, right: 12, top: 12, bottom: 28 };
// Room each date label needs along the axis, in pixels.
const LABEL_ROOM = 64;

const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
// An instant as a fractional day on the same axis as the report dates.
const dayAt = (iso: string) => Date.parse(iso) / DAY_MS;

/** A round step (1, 2 or 5 times a power of ten) that divides 0..max into at most `count` parts. */
export function niceStep(max: number, count = 4): number {
  const raw = Math.max(max, 1) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  return Math.max(1, step);
}

/** The chart of `usage` (any order) at `width` × `height` pixels. */
export function usageChartModel(usage: readonly UsagePoint[], limits: ChartLimits, width: number, height: number): ChartModel {
  const shown = [...usage].sort((a, b) => a.date.localeCompare(b.date)).slice(-CHART_DATES);
  const plot = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
  const first = shown.length ? dayOf(shown[0]!.date) : 0;
  const last = shown.length ? dayOf(shown[shown.length - 1]!.date) : 0;
  // Each date is a day wide; the axis also reaches a grace that ends after the latest report.
  const graceEnd = limits.overuse?.until ? Math.ceil(dayAt(limits.overuse.until)) : null;
  const from = first;
  const to = Math.max(last + 1, graceEnd ?? 0);
  const span = Math.max(1, to - from);
  const xOf = (day: number) => plot.left + ((Math.min(Math.max(day, from), to) - from) / span) * (plot.right - plot.left);
  const slot = (plot.right - plot.left) / span;
  const barWidth = Math.max(2, Math.min(28, slot * 0.8));

  const top = Math.max(1, limits.quota ?? 0, ...shown.map((u) => Math.max(u.peak, u.current)));
  const step = niceStep(top * 1.1);
  const yMax = Math.ceil((top * 1.1) / step) * step;
  const yOf = (value: number) => plot.bottom - (value / yMax) * (plot.bottom - plot.top);

  const bars = shown.map((u) => {
    const centre = xOf(dayOf(u.date) + 0.5);
    return { ...u, x: centre - barWidth / 2, width: barWidth, peakY: yOf(u.peak), currentY: yOf(u.current), over: limits.quota !== null && u.peak > limits.quota };
  });

  // Whole report dates: from the date usage went over to the date the grace ends (or on, while still over).
  let shade: ChartModel['shade'] = null;
  if (limits.overuse && shown.length) {
    const start = xOf(Math.floor(dayAt(limits.overuse.from)));
    const end = graceEnd === null ? plot.right : xOf(graceEnd);
    if (end > start) shade = { x: start, width: end - start, grace: limits.overuse.grace };
  }

  const yTicks: ChartModel['yTicks'] = [];
  for (let value = 0; value <= yMax; value += step) yTicks.push({ value, y: yOf(value) });

  // As many date labels as fit without overlapping, from the latest back.
  const xLabels: ChartModel['xLabels'] = [];
  for (const bar of [...bars].reverse()) {
    const x = bar.x + bar.width / 2;
    const previous = xLabels[xLabels.length - 1];
    if (previous && previous.x - x < LABEL_ROOM) continue;
    // A label at an edge is kept inside the picture.
    const anchor = x + LABEL_ROOM / 2 > width ? 'end' : x - LABEL_ROOM / 2 < 0 ? 'start' : 'middle';
    xLabels.push({ date: bar.date, x, anchor });
  }
  xLabels.reverse();

  return { width, height, plot, bars, quotaY: limits.quota === null ? null : yOf(limits.quota), shade, yTicks, xLabels };
}
