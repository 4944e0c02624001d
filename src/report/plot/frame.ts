// What every chart shares: the SVG shell, a title, axes with ticks and labels, a legend and the series colours.
import { esc } from '../escape.ts';
import { formatTick, type Scale } from './scale.ts';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

export interface Frame {
  width: number;
  height: number;
  /** Plot area in pixels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The default frame: room on the left for tick labels, below for the x label, above for the title. */
export function frame(width = 460, height = 260): Frame {
  return { width, height, left: 56, right: width - 12, top: 30, bottom: height - 40 };
}

/** The <svg> element around a chart's parts; `label` names it for readers and tests. */
export function svgShell(f: Frame, label: string, body: string): string {
  return (
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" ` +
    `viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${esc(label)}">` +
    `<title>${esc(label)}</title><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`
  );
}

export function titleText(f: Frame, title: string): string {
  return `<text x="${f.width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${esc(title)}</text>`;
}

/** The y axis with grid lines at its ticks, and its label. */
export function yAxis(f: Frame, y: Scale, label?: string): string {
  const parts = y.ticks.map((t) => {
    const py = y(t).toFixed(1);
    return (
      `<line x1="${f.left}" x2="${f.right}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>` +
      `<text x="${f.left - 4}" y="${py}" dy="0.32em" text-anchor="end" font-size="10">${esc(formatTick(t))}</text>`
    );
  });
  parts.push(`<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.bottom}" stroke="#333"/>`);
  if (label)
    parts.push(`<text transform="translate(12 ${(f.top + f.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(label)}</text>`);
  return `<g class="y-axis">${parts.join('')}</g>`;
}

/** A numeric x axis with ticks, and its label. */
export function xAxis(f: Frame, x: Scale, label?: string): string {
  const parts = x.ticks.map((t) => {
    const px = x(t).toFixed(1);
    return (
      `<line x1="${px}" x2="${px}" y1="${f.bottom}" y2="${f.bottom + 4}" stroke="#333"/>` +
      `<text x="${px}" y="${f.bottom + 15}" text-anchor="middle" font-size="10">${esc(formatTick(t))}</text>`
    );
  });
  parts.push(`<line x1="${f.left}" x2="${f.right}" y1="${f.bottom}" y2="${f.bottom}" stroke="#333"/>`);
  if (label) parts.push(`<text x="${(f.left + f.right) / 2}" y="${f.bottom + 34}" text-anchor="middle" font-size="11">${esc(label)}</text>`);
  return `<g class="x-axis">${parts.join('')}</g>`;
}

/** Rows of legend below the x axis, kept off the data; three names a row. */
export function legendRows(count: number): number {
  return Math.ceil(count / 3);
}

/** A legend below the plot (room made by the caller: legendRows(n) * 14 pixels under the x label). */
export function legend(f: Frame, names: readonly string[], below: number): string {
  if (names.length === 0) return '';
  const colW = (f.right - f.left) / 3;
  const items = names.map((n, i) => {
    const x = f.left + (i % 3) * colW;
    const y = below + Math.floor(i / 3) * 14;
    return (
      `<rect x="${x.toFixed(1)}" y="${y}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>` +
      `<text x="${(x + 14).toFixed(1)}" y="${y + 9}" font-size="10">${esc(truncate(n, Math.floor(colW / 6)))}</text>`
    );
  });
  return `<g class="legend">${items.join('')}</g>`;
}

/** A chart with nothing to draw says so instead of showing empty axes. */
export function emptyChart(f: Frame, title: string, why: string): string {
  return svgShell(f, title, `${titleText(f, title)}<text x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle" font-size="12" fill="#777">${esc(why)}</text>`);
}

export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
