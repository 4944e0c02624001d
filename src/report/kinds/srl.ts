// SRL datasets (`swe-srl srl build`): a steps.jsonl file (prompt messages, target call, optional thought), or the
// folder holding it next to its steps.summary.json.
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { SrlModel } from '../model.ts';
import { analyseThoughts } from '../think.ts';
import { readJsonl } from '../read.ts';
import { SweSrlError } from '../../util/errors.ts';
import { countLabels, toolOfCallText } from './tool-mix.ts';
import { type Probe, type RunKindLoader } from './probe.ts';

export const SrlRowSchema = z
  .object({
    id: z.string(),
    instance_id: z.string(),
    split: z.string().optional(),
    prompt: z.array(z.object({ role: z.string(), content: z.string() }).passthrough()),
    target: z.string(),
    thought: z.string().optional(),
  })
  .passthrough();
export type SrlRow = z.infer<typeof SrlRowSchema>;

/** Lengths in characters (prompt: all its messages), the tool mix of targets, splits (pure). */
export function srlModel(rows: readonly SrlRow[]): SrlModel {
  const splits: Record<string, number> = {};
  for (const r of rows) splits[r.split ?? 'train'] = (splits[r.split ?? 'train'] ?? 0) + 1;
  return {
    kind: 'srl',
    examples: rows.length,
    instances: new Set(rows.map((r) => r.instance_id)).size,
    splits,
    promptChars: rows.map((r) => r.prompt.reduce((a, m) => a + m.content.length, 0)),
    targetChars: rows.map((r) => r.target.length),
    toolMix: countLabels(rows.map((r) => toolOfCallText(r.target))),
  };
}

/** The steps file of a probe: the file itself, or the folder's X.jsonl that has an X.summary.json. */
export function stepsFileOf(p: Probe): string | undefined {
  if (p.isFile) return p.path.endsWith('.jsonl') && basename(p.path) !== 'metrics.jsonl' ? p.path : undefined;
  const base = [...p.entries].filter((e) => e.endsWith('.summary.json')).map((e) => e.slice(0, -'.summary.json'.length)).sort().find((b) => p.entries.has(`${b}.jsonl`) && !b.endsWith('.val'));
  return base === undefined ? undefined : join(p.path, `${base}.jsonl`);
}

export const srlKind: RunKindLoader = {
  kind: 'srl',
  expects: 'a steps.jsonl file, or a folder with steps.jsonl and steps.summary.json (swe-srl srl build)',
  matches: (p) => stepsFileOf(p) !== undefined,
  async load(p) {
    const file = stepsFileOf(p)!;
    const rows = await readJsonl(file, SrlRowSchema);
    if (rows.length === 0)
      throw new SweSrlError({ code: 'report_empty_run', message: 'the SRL dataset has no examples', fault: 'user', file, hint: 'See its .summary.json for the trajectories and steps that were skipped, and why.' });
    const body = srlModel(rows);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const thoughts = rows.map((r) => r.thought ?? null);
    return {
      path: file,
      body,
      summary: [
        ['kind', 'SRL dataset'],
        ['examples', String(body.examples)],
        ['instances', String(body.instances)],
        ['splits', Object.entries(body.splits).map(([k, v]) => `${k} ${v}`).join(', ')],
        ['prompt chars (median)', String(median(body.promptChars))],
        ['target chars (median)', String(median(body.targetChars))],
      ],
      thoughts: thoughts.some((t) => t)
        ? { source: "the expert's thoughts kept with the examples", stats: analyseThoughts(thoughts) }
        : { none: "the examples carry no expert thoughts (the builder did not keep them)" },
    };
  },
};
