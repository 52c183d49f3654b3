import { describe, expect, it } from 'vitest';
import { CHART_DATES, niceStep, usageChartModel, type UsagePoint } from '../../../web/src/usage-chart-model.js';

const weekly: UsagePoint[] = [
  { date: '2026-03-15', peak: 120, current: 110 },
  { date: '2026-03-01', peak: 80, current: 70 },
  { date: '2026-03-08', peak: 90, current: 85 },
];

describe('the usage chart', () => {
  it('draws a bar per report date, oldest first, spaced by time, with the dates over the quota marked', () => {
    const m = usageChartModel(weekly, { quota: 100, overuse: null }, 640, 220);
    expect(m.bars.map((b) => [b.date, b.over])).toEqual([
      ['2026-03-01', false],
      ['2026-03-08', false],
      ['2026-03-15', true],
    ]);
    const [a, b, c] = m.bars.map((bar) => bar.x);
    expect(b! - a!).toBeCloseTo(c! - b!);
    // Taller for more, the quota between 90 and 120.
    expect(m.bars[2]!.peakY).toBeLessThan(m.quotaY!);
    expect(m.bars[1]!.peakY).toBeGreaterThan(m.quotaY!);
    expect(m.bars.every((bar) => bar.x >= m.plot.left && bar.x + bar.width <= m.plot.right)).toBe(true);
  });

  it('has no quota line without a quota, and an axis that reaches the highest figure', () => {
    const m = usageChartModel(weekly, { quota: null, overuse: null }, 640, 220);
    expect(m.quotaY).toBeNull();
    expect(m.yTicks[0]).toMatchObject({ value: 0, y: m.plot.bottom });
    expect(m.yTicks[m.yTicks.length - 1]!.value).toBeGreaterThanOrEqual(120);
  });

  it('shades from the date usage went over to the right edge while a proxy is still over', () => {
    const m = usageChartModel(weekly, { quota: 100, overuse: { from: '2026-03-15T09:30:00Z', until: null, grace: false } }, 640, 220);
    const last = m.bars[2]!;
    expect(m.shade).toMatchObject({ grace: false });
    expect(m.shade!.x).toBeLessThanOrEqual(last.x);
    expect(m.shade!.x + m.shade!.width).toBe(m.plot.right);
    expect(m.shade!.x).toBeGreaterThan(m.bars[1]!.x + m.bars[1]!.width);
  });

  it("shades a farm's grace of 7 days, reaching past the latest report when it has not ended", () => {
    const daily = ['01', '02', '03', '04'].map((d, i) => ({ date: `2026-03-${d}`, peak: 40 + i * 10, current: 40 }));
    const m = usageChartModel(daily, { quota: 50, overuse: { from: '2026-03-03T10:00:00Z', until: '2026-03-10T10:00:00Z', grace: true } }, 640, 220);
    // From the start of the date it went over: before that date's bar, after the one before.
    expect(m.shade!.x).toBeLessThan(m.bars[2]!.x);
    expect(m.shade!.x).toBeGreaterThan(m.bars[1]!.x + m.bars[1]!.width);
    expect(m.shade!.x + m.shade!.width).toBe(m.plot.right);
    expect(m.bars[3]!.x + m.bars[3]!.width).toBeLessThan(m.plot.right / 2);
  });

  it('shades nothing for a grace that ended before the dates shown', () => {
    const m = usageChartModel(weekly, { quota: 100, overuse: { from: '2026-01-01T00:00:00Z', until: '2026-01-08T00:00:00Z', grace: true } }, 640, 220);
    expect(m.shade).toBeNull();
  });

  it('draws the latest dates only, and labels as many as fit without overlap, the latest always', () => {
    const many = Array.from({ length: 90 }, (_, i) => ({ date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), peak: i, current: i }));
    const narrow = usageChartModel(many, { quota: null, overuse: null }, 340, 220);
    expect(narrow.bars).toHaveLength(CHART_DATES);
    expect(narrow.bars[CHART_DATES - 1]!.date).toBe('2026-03-31');
    expect(narrow.xLabels[narrow.xLabels.length - 1]).toMatchObject({ date: '2026-03-31', anchor: 'end' });
    const gaps = narrow.xLabels.slice(1).map((l, i) => l.x - narrow.xLabels[i]!.x);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(64);
    expect(usageChartModel(many, { quota: null, overuse: null }, 1200, 220).xLabels.length).toBeGreaterThan(narrow.xLabels.length);
  });

  it('steps its axis in round numbers', () => {
    expect([niceStep(0), niceStep(8), niceStep(132), niceStep(5500)]).toEqual([1, 2, 50, 2000]);
  });
});
