// Replay runs (`swe-srl replay`): DIR/summary.json (version, results[]) and DIR/<id>.<n>.json per trajectory with
// each step's observation similarity.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ReplayModel } from '../model.ts';
import { readJson } from '../read.ts';
import { SweSrlError } from '../../util/errors.ts';
import { field, pct, type RunKindLoader } from './probe.ts';

export const ReplaySummarySchema = z
  .object({
    version: z.number(),
    threshold: z.number(),
    missing_tasks: z.array(z.unknown()).default([]),
    errors: z.array(z.unknown()).default([]),
    results: z.array(z.object({ instance_id: z.string(), file: z.string(), steps_total: z.number(), steps_reproduced: z.number(), first_divergence: z.number().nullable(), verdict: z.string() }).passthrough()),
  })
  .passthrough();

export const ReplayResultSchema = z.object({ steps: z.array(z.object({ similarity: z.number().nullable(), skipped: z.string().optional() }).passthrough()) }).passthrough();

/** The model from the summary and each result's per-step similarities (skipped steps left out) (pure). */
export function replayModel(s: z.infer<typeof ReplaySummarySchema>, o: { dir: string; similarities: Record<string, Array<number | null>> }): ReplayModel {
  return {
    kind: 'replay',
    threshold: s.threshold,
    missing: s.missing_tasks.length,
    errors: s.errors.length,
    trajectories: s.results.map((r) => ({
      id: r.file.replace(/\.json$/, ''),
      verdict: r.verdict,
      stepsTotal: r.steps_total,
      stepsReproduced: r.steps_reproduced,
      firstDivergence: r.first_divergence,
      similarity: o.similarities[r.file] ?? [],
      link: { label: r.file, path: join(o.dir, r.file) },
    })),
  };
}

export const replayKind: RunKindLoader = {
  kind: 'replay',
  expects: 'summary.json with results[] and <id>.<n>.json files (swe-srl replay)',
  matches: (p) => Array.isArray(field(p.summary, 'results')) && field(p.summary, 'steps_total') !== undefined,
  async load(p) {
    const s = await readJson(join(p.path, 'summary.json'), ReplaySummarySchema);
    if (s.results.length === 0)
      throw new SweSrlError({ code: 'report_empty_run', message: 'the replay run replayed no trajectory', fault: 'user', file: join(p.path, 'summary.json'), field: 'results', hint: 'Check its missing_tasks and errors; replay trajectories whose tasks are in --tasks.' });
    const similarities: Record<string, Array<number | null>> = {};
    for (const r of s.results) {
      const f = join(p.path, r.file);
      if (existsSync(f)) similarities[r.file] = (await readJson(f, ReplayResultSchema)).steps.filter((st) => !st.skipped).map((st) => st.similarity);
    }
    const body = replayModel(s, { dir: p.path, similarities });
    const total = body.trajectories.reduce((a, t) => a + t.stepsTotal, 0);
    const repro = body.trajectories.reduce((a, t) => a + t.stepsReproduced, 0);
    const diverged = body.trajectories.filter((t) => t.firstDivergence !== null).length;
    return {
      path: p.path,
      body,
      summary: [
        ['kind', 'replay run'],
        ['trajectories', String(body.trajectories.length)],
        ['steps reproduced', `${repro}/${total}${total ? ` (${pct(repro / total)})` : ''}`],
        ['diverged', `${diverged} of ${body.trajectories.length}`],
        ['missing tasks / errors', `${body.missing} / ${body.errors}`],
      ],
      thoughts: { none: 'a replay re-runs recorded actions; the reasoning is in the trajectories it replayed' },
    };
  },
};
