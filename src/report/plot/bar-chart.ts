// Bar charts (one value per labelled bar) and histograms (counts of values in equal-width bins).
import { esc } from '../escape.ts';
import { PALETTE, emptyChart, frame, svgShell, titleText, truncate, yAxis } from './frame.ts';
import { formatTick, linearScale } from './scale.ts';

export interface Bar {
  label: string;
  value: number;
  /** Shown above the bar instead of the value (e.g. "3/4"). */
  note?: string;
}

export interface BarChartOptions {
  title: string;
  bars: readonly Bar[];
  yLabel?: string;
  width?: number;
  height?: number;
  /** Fixed y range (e.g. [0, 1] for rates). */
  yMax?: number;
  color?: string;
}

/** One <svg> bar chart with the bars' labels under them (slanted when many). */
export function barChart(o: BarChartOptions): string {
  const f = frame(o.width, o.height ?? 280);
  f.bottom = f.height - (o.bars.length > 6 ? 70 : 40);
  if (o.bars.length === 0) return emptyChart(f, o.title, 'no data');
  const y = linearScale({ values: [...o.bars.map((b) => b.value), ...(o.yMax === undefined ? [] : [o.yMax])], range: [f.bottom, f.top], zero: true });
  const slot = (f.right - f.left) / o.bars.length;
  const w = Math.max(2, Math.min(60, slot * 0.7));
  const slanted = o.bars.length > 6;
  const bars = o.bars.map((b, i) => {
    const cx = f.left + slot * (i + 0.5);
    const top = y(Math.max(0, b.value));
    const h = Math.abs(y(0) - y(b.value));
    const label = slanted
      ? `<text transform="translate(${cx.toFixed(1)} ${f.bottom + 10}) rotate(35)" font-size="9">${esc(truncate(b.label, 18))}</text>`
      : `<text x="${cx.toFixed(1)}" y="${f.bottom + 14}" text-anchor="middle" font-size="10">${esc(truncate(b.label, Math.max(6, Math.floor(slot / 6))))}</text>`;
    return (
      `<g class="bar"><rect x="${(cx - w / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${o.color ?? PALETTE[0]}"><title>${esc(`${b.label}: ${b.note ?? formatTick(b.value)}`)}</title></rect>` +
      `<text x="${cx.toFixed(1)}" y="${(top - 3).toFixed(1)}" text-anchor="middle" font-size="9">${esc(b.note ?? formatTick(b.value))}</text>${label}</g>`
    );
  });
  const axis = `<line x1="${f.left}" x2="${f.right}" y1="${f.bottom}" y2="${f.bottom}" stroke="#333"/>`;
  return svgShell(f, o.title, `${titleText(f, o.title)}${yAxis(f, y, o.yLabel)}${axis}${bars.join('')}`);
}

export interface Bin {
  lo: number;
  hi: number;
  count: number;
}

/** Equal-width bins over the values' range (the last bin closed); one bin when all values are equal; none when empty. */
export function histogramBins(values: readonly number[], bins = 10): Bin[] {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return [];
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  if (lo === hi) return [{ lo, hi, count: v.length }];
  const n = Math.max(1, Math.floor(bins));
  const width = (hi - lo) / n;
  const out: Bin[] = Array.from({ length: n }, (_, i) => ({ lo: lo + i * width, hi: i === n - 1 ? hi : lo + (i + 1) * width, count: 0 }));
  for (const x of v) out[Math.min(n - 1, Math.floor((x - lo) / width))]!.count++;
  return out;
}

/** A histogram drawn as a bar chart, each bar labelled with its bin's range. */
export function histogram(o: { title: string; values: readonly number[]; bins?: number; xLabel?: string; width?: number; color?: string }): string {
  const bars = histogramBins(o.values, o.bins).map((b) => ({ label: `${formatTick(Math.round(b.lo))}–${formatTick(Math.round(b.hi))}`, value: b.count }));
  return barChart({ title: o.title, bars, yLabel: o.xLabel ? `count (${o.xLabel})` : 'count', width: o.width, color: o.color ?? PALETTE[2] });
}
