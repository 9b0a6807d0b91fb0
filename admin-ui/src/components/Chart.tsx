import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: number[];
  color: string;
}

const DAY = 86_400;
const DAY_INCRS = [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY];
const dayLabel = (ts: number): string => new Date(ts * 1000).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

const COLORS = ['#4f46e5', '#059669', '#d97706', '#dc2626', '#0891b2'];
export const color = (i: number): string => COLORS[i % COLORS.length]!;

/** A daily line chart (uPlot), as wide as its container. */
export function Chart({ title, days, series, format }: { title: string; days: string[]; series: Series[]; format?: (v: number) => string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: true },
      scales: { x: { time: true } },
      axes: [{ space: 60, incrs: DAY_INCRS, values: (_u, vals) => vals.map(dayLabel) }, { values: (_u, vals) => vals.map((v) => (format ? format(v) : String(v))), size: 70 }],
      series: [{ label: 'Day', value: (_u: uPlot, v: number | null) => (v === null ? '—' : dayLabel(v)) }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, fill: `${s.color}14`, value: (_u: uPlot, v: number | null) => (v === null ? '—' : format ? format(v) : String(v)) }))],
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series, format]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} />
    </figure>
  );
}
