import { useEffect, useId, useState } from 'react';
import { formatDate } from './format';
import { CHART_DATES, usageChartModel, type ChartLimits, type UsagePoint } from './usage-chart-model';

const HEIGHT = 220;
// A report date (YYYY-MM-DD, UTC) as the axis writes it: short, in the user's language, not moved by their time zone.
const axisDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dateLabel = (date: string) => axisDate.format(new Date(`${date}T00:00:00Z`));
const reportDate = (date: string) => longDate.format(new Date(`${date}T00:00:00Z`));

/** The width the element is laid out at, followed as it changes (a dialog on a phone, a window resized). */
function useWidth(fallback: number) {
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    if (!box) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(200, Math.floor(box.clientWidth))));
    observer.observe(box);
    return () => observer.disconnect();
  }, [box]);
  return [setBox, width] as const;
}

function overuseWords(overuse: NonNullable<ChartLimits['overuse']>): string {
  if (!overuse.grace || overuse.until === null) return `Over the limit since ${formatDate(overuse.from)} (warnings only)`;
  return `Overuse grace, ${formatDate(overuse.from)} to ${formatDate(overuse.until)}`;
}

/** What the chart shows, in words: its text alternative. */
function summary(usage: readonly UsagePoint[], limits: ChartLimits): string {
  const shown = [...usage].sort((a, b) => a.date.localeCompare(b.date)).slice(-CHART_DATES);
  const highest = shown.reduce((a, b) => (b.peak > a.peak ? b : a));
  const parts = [
    `Peak and current usage on ${shown.length} report date(s), ${reportDate(shown[0]!.date)} to ${reportDate(shown[shown.length - 1]!.date)}.`,
    `Highest peak ${highest.peak} on ${reportDate(highest.date)}.`,
  ];
  if (limits.quota !== null) {
    const over = shown.filter((u) => u.peak > limits.quota!).length;
    parts.push(`Quota ${limits.quota}; ${over === 0 ? 'no date' : `${over} date(s)`} over it.`);
  }
  if (limits.overuse) parts.push(`Shaded: ${overuseWords(limits.overuse)}.`);
  return parts.join(' ');
}

/**
 * An installation's usage history as a chart: per report date a bar of the peak and a point of
 * the current use, the quota as a line and the time over the limit shaded. The picture is one
 * image to assistive technology, named by a summary; the table beside it has every figure.
 */
export function UsageChart({ usage, limits }: { usage: readonly UsagePoint[]; limits: ChartLimits }) {
  const [box, width] = useWidth(640);
  const id = useId();
  if (usage.length === 0) return null;
  const m = usageChartModel(usage, limits, width, HEIGHT);
  const line = m.bars.map((b) => `${b.x + b.width / 2},${b.currentY}`).join(' ');
  return (
    <figure className="usage-chart">
      <div ref={box} className="usage-chart-box">
        <svg width={m.width} height={m.height} viewBox={`0 0 ${m.width} ${m.height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
          <title id={`${id}-title`}>Usage history</title>
          <desc id={`${id}-desc`}>{summary(usage, limits)}</desc>
          {m.shade && <rect className="usage-overuse" x={m.shade.x} y={m.plot.top} width={m.shade.width} height={m.plot.bottom - m.plot.top} />}
          {m.yTicks.map((t) => (
            <g key={t.value}>
              <line className="usage-grid" x1={m.plot.left} x2={m.plot.right} y1={t.y} y2={t.y} />
              <text className="usage-axis" x={m.plot.left - 6} y={t.y} textAnchor="end" dominantBaseline="middle">
                {t.value}
              </text>
            </g>
          ))}
          {m.bars.map((b) => (
            <rect key={b.date} className={b.over ? 'usage-bar over' : 'usage-bar'} data-date={b.date} x={b.x} y={b.peakY} width={b.width} height={Math.max(0, m.plot.bottom - b.peakY)} />
          ))}
          {m.bars.length > 1 && <polyline className="usage-current-line" points={line} />}
          {m.bars.map((b) => (
            <circle key={b.date} className="usage-current" data-date={b.date} cx={b.x + b.width / 2} cy={b.currentY} r={3} />
          ))}
          {m.quotaY !== null && <line className="usage-quota" x1={m.plot.left} x2={m.plot.right} y1={m.quotaY} y2={m.quotaY} />}
          <line className="usage-axis-line" x1={m.plot.left} x2={m.plot.right} y1={m.plot.bottom} y2={m.plot.bottom} />
          {m.xLabels.map((l) => (
            <text key={l.date} className="usage-axis" x={l.x} y={m.plot.bottom + 18} textAnchor={l.anchor}>
              {dateLabel(l.date)}
            </text>
          ))}
        </svg>
      </div>
      <figcaption>
        <ul className="usage-legend">
          <li>
            <span className="swatch peak" aria-hidden="true" /> Peak
          </li>
          <li>
            <span className="swatch current" aria-hidden="true" /> Current
          </li>
          {m.bars.some((b) => b.over) && (
            <li>
              <span className="swatch peak over" aria-hidden="true" /> Peak over the quota
            </li>
          )}
          {limits.quota !== null && (
            <li>
              <span className="swatch quota" aria-hidden="true" /> Quota ({limits.quota})
            </li>
          )}
          {limits.overuse && (
            <li>
              <span className="swatch overuse" aria-hidden="true" /> {overuseWords(limits.overuse)}
            </li>
          )}
        </ul>
        {usage.length > CHART_DATES && <p className="muted small">The chart shows the latest {CHART_DATES} report dates; the table lists them all.</p>}
      </figcaption>
    </figure>
  );
}
