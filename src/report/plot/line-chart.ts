// Line charts: several series over a numeric x, with axes, ticks and a legend. Missing values (null) are skipped:
// the line joins the points on either side and every point gets a marker, so a sparse series (validation every k
// steps) still reads.
import { PALETTE, emptyChart, frame, legend, legendRows, svgShell, titleText, xAxis, yAxis } from './frame.ts';
import { linearScale } from './scale.ts';

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number | null]>;
}

export interface LineChartOptions {
  title: string;
  series: readonly Series[];
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Keep 0 inside the y range (rates, counts). */
  yZero?: boolean;
}

/** One <svg> line chart. */
export function lineChart(o: LineChartOptions): string {
  const base = frame(o.width, o.height);
  // The legend goes under the x label; the frame grows by its rows.
  const f = { ...base, height: base.height + legendRows(o.series.length) * 14 };
  const series = o.series.map((s) => ({ name: s.name, points: s.points.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1])) }));
  const drawn = series.filter((s) => s.points.length > 0);
  if (drawn.length === 0) return emptyChart(f, o.title, 'no data');
  const x = linearScale({ values: drawn.flatMap((s) => s.points.map((p) => p[0])), range: [f.left, f.right] });
  const y = linearScale({ values: drawn.flatMap((s) => s.points.map((p) => p[1])), range: [f.bottom, f.top], zero: o.yZero });
  const lines = series.map((s, i) => {
    if (s.points.length === 0) return '';
    const color = PALETTE[i % PALETTE.length];
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${x(p[0]).toFixed(1)} ${y(p[1]).toFixed(1)}`).join(' ');
    const dots = s.points.map((p) => `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="2.5" fill="${color}"/>`).join('');
    return `<g class="series"><path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"/>${dots}</g>`;
  });
  return svgShell(
    f,
    o.title,
    `${titleText(f, o.title)}${yAxis(f, y, o.yLabel)}${xAxis(f, x, o.xLabel)}${lines.join('')}${legend(f, series.map((s) => s.name), base.height + 2)}`,
  );
}
