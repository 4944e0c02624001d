// Folders of normalized trajectories (the demo's trajectories/, an agent evaluation's trajectories/): steps per
// trajectory, the tool mix, and the agent's thoughts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { TrajectoriesModel } from '../model.ts';
import { readJson } from '../read.ts';
import { analyseThoughts } from '../think.ts';
import { SweSrlError } from '../../util/errors.ts';
import { countLabels, toolOfCall } from './tool-mix.ts';
import { type RunKindLoader } from './probe.ts';

export const TrajectoryFileSchema = z
  .object({
    version: z.number(),
    instanceId: z.string(),
    steps: z.array(z.object({ thought: z.string().default(''), action: z.object({ call: z.object({ tool: z.string(), args: z.record(z.string()) }).optional() }).passthrough() }).passthrough()),
  })
  .passthrough();
export type TrajectoryFile = z.infer<typeof TrajectoryFileSchema>;

/** Finished trajectories in a folder (partial ones, left by a killed evaluation, are not counted). */
export function trajectoryFiles(entries: Iterable<string>): string[] {
  return [...entries].filter((e) => e.endsWith('.json') && !e.endsWith('.partial.json')).sort();
}

/** Steps per trajectory and the tool mix of their calls (pure). */
export function trajectoriesModel(ts: readonly TrajectoryFile[]): TrajectoriesModel {
  return {
    kind: 'trajectories',
    trajectories: ts.length,
    stepsPerTrajectory: ts.map((t) => t.steps.length),
    toolMix: countLabels(ts.flatMap((t) => t.steps.map((s) => toolOfCall(s.action.call)))),
  };
}

/** Loads the trajectories of a folder. */
export async function loadTrajectories(dir: string, entries: Iterable<string>): Promise<TrajectoryFile[]> {
  const out: TrajectoryFile[] = [];
  for (const f of trajectoryFiles(entries)) out.push(await readJson(join(dir, f), TrajectoryFileSchema));
  return out;
}

function looksLikeTrajectory(file: string): boolean {
  try {
    return TrajectoryFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).success;
  } catch {
    return false;
  }
}

export const trajectoriesKind: RunKindLoader = {
  kind: 'trajectories',
  expects: 'normalized trajectory *.json files (swe-srl trajectories, the demo\'s recorded experts)',
  matches: (p) => !p.entries.has('summary.json') && trajectoryFiles(p.entries).length > 0 && looksLikeTrajectory(join(p.path, trajectoryFiles(p.entries)[0]!)),
  async load(p) {
    const ts = await loadTrajectories(p.path, p.entries);
    if (ts.length === 0)
      throw new SweSrlError({ code: 'report_empty_run', message: 'no trajectories', fault: 'user', file: p.path, hint: 'Point at a folder of trajectory .json files.' });
    const body = trajectoriesModel(ts);
    return {
      path: p.path,
      body,
      summary: [
        ['kind', 'trajectories'],
        ['trajectories', String(body.trajectories)],
        ['steps', String(body.stepsPerTrajectory.reduce((a, b) => a + b, 0))],
        ['submitted', String(ts.filter((t) => t.steps.some((s) => s.action.call?.tool === 'submit')).length)],
      ],
      thoughts: { source: "the agent's thought at each step", stats: analyseThoughts(ts.flatMap((t) => t.steps.map((s) => s.thought))) },
    };
  },
};
