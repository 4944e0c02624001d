// The reasoning section: per run with replies, the length of its <think> text and the share of replies that plan
// ahead, revise or verify (keyword rules in ../think.ts); runs side by side, so checkpoints compare.
import { esc } from '../escape.ts';
import { barChart, histogram } from '../plot/bar-chart.ts';
import { PALETTE } from '../plot/frame.ts';
import type { RunModel } from '../model.ts';
import { PATTERNS } from '../think.ts';
import { charts, note, table } from './html.ts';

export function thoughtsSection(runs: readonly RunModel[]): string {
  const withText = runs.flatMap((r) => ('stats' in r.thoughts ? [{ r, t: r.thoughts }] : []));
  const without = runs.flatMap((r) => ('none' in r.thoughts ? [`${r.name}: ${r.thoughts.none}`] : []));
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(0)}%`);
  const parts: string[] = [];
  if (withText.length) {
    parts.push(
      table({
        head: ['run', 'source', 'replies', 'with reasoning', 'mean length (chars)', ...PATTERNS.map((p) => `${p} share`)],
        rows: withText.map(({ r, t }) => [r.name, t.source, String(t.stats.replies), String(t.stats.withThought), t.stats.meanLength === null ? 'n/a' : t.stats.meanLength.toFixed(0), ...PATTERNS.map((p) => pct(t.stats.share[p]))]),
      }),
    );
    parts.push(
      charts([
        ...PATTERNS.map((p, i) => barChart({ title: `share of replies that ${p === 'plan' ? 'plan ahead' : p}`, bars: withText.map(({ r, t }) => ({ label: r.name, value: t.stats.share[p] ?? 0 })), yMax: 1, color: PALETTE[i + 3], width: 320 })),
        ...withText.map(({ r, t }) => histogram({ title: `reasoning length: ${r.name}`, values: t.stats.lengths, xLabel: 'replies', width: 320 })),
      ]),
    );
  }
  parts.push(note('Training runs keep their validation replies (samples/): their reasoning over the steps is charted with the training curves; the table shows each run\'s last validation step.'));
  if (without.length) parts.push(`<ul class="note">${without.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  return `<section id="reasoning"><h2>Reasoning (&lt;think&gt; text)</h2>${parts.join('')}</section>`;
}
