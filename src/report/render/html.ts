// Small HTML builders shared by the sections: tables, key/value tables, links relative to the page.
import { relative } from 'node:path';
import { esc, hrefOf } from '../escape.ts';
import type { FileLink } from '../model.ts';

/** A table; cells are text (escaped here) or { html } already built from escaped parts. */
export function table(o: { head: readonly string[]; rows: ReadonlyArray<ReadonlyArray<string | { html: string }>>; cls?: string }): string {
  const cell = (c: string | { html: string }) => `<td>${typeof c === 'string' ? esc(c) : c.html}</td>`;
  return (
    `<table class="${esc(o.cls ?? 'data')}"><thead><tr>${o.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${o.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`
  );
}

/** A two-column label/value table (a run's summary). */
export function keyValues(rows: ReadonlyArray<readonly [string, string]>): string {
  return `<table class="summary"><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;
}

/** Links to run files, relative to the page's folder so the report and its runs can move together. */
export function links(ls: readonly FileLink[], pageDir: string): { html: string } {
  return { html: ls.map((l) => `<a href="${esc(hrefOf(relative(pageDir, l.path)))}">${esc(l.label)}</a>`).join(' ') };
}

/** A row of charts that wraps on narrow screens. */
export function charts(svgs: readonly string[]): string {
  return `<div class="charts">${svgs.join('')}</div>`;
}

export function note(text: string): string {
  return `<p class="note">${esc(text)}</p>`;
}
