// Run state on disk: step checkpoints (policy + loop state), latest.json, best/, and metrics.jsonl kept in step with
// the checkpoint so that a resumed run appends exactly what the uninterrupted run would have.
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { SweSrlError } from '../util/errors.ts';
import type { TrainablePolicy } from '../policy/types.ts';

export const RUN_STATE_VERSION = 1;

export const RunStateSchema = z.object({
  version: z.literal(RUN_STATE_VERSION),
  /** Last completed optimizer step. */
  step: z.number().int().nonnegative(),
  /** Training prompts consumed so far (the data order is a function of seed and cursor). */
  cursor: z.number().int().nonnegative(),
  bestValReward: z.number().nullable(),
  bestStep: z.number().int().nullable(),
});
export type RunState = z.infer<typeof RunStateSchema>;

const LatestSchema = z.object({ version: z.literal(RUN_STATE_VERSION), step: z.number().int(), dir: z.string() });

export function checkpointDir(out: string, step: number): string {
  return join(out, 'checkpoints', `step-${String(step).padStart(6, '0')}`);
}

/** Saves policy and loop state for step, points latest.json at it, and prunes old step checkpoints. */
export async function saveCheckpoint(o: { out: string; policy: TrainablePolicy; state: RunState; keep: number }): Promise<void> {
  const dir = checkpointDir(o.out, o.state.step);
  await o.policy.save(dir);
  await writeJsonAtomic(join(dir, 'state.json'), o.state);
  await writeJsonAtomic(join(o.out, 'latest.json'), { version: RUN_STATE_VERSION, step: o.state.step, dir });
  const all = (await readdir(join(o.out, 'checkpoints'))).filter((d) => d.startsWith('step-')).sort();
  for (const old of all.slice(0, Math.max(0, all.length - o.keep))) await rm(join(o.out, 'checkpoints', old), { recursive: true, force: true });
}

/** The latest checkpoint's folder and state, or undefined when the run has none. */
export async function readLatest(out: string): Promise<{ dir: string; state: RunState } | undefined> {
  let text: string;
  try {
    text = await readFile(join(out, 'latest.json'), 'utf8');
  } catch {
    return undefined;
  }
  const latest = LatestSchema.safeParse(JSON.parse(text));
  if (!latest.success)
    throw new SweSrlError({ code: 'bad_checkpoint', message: 'latest.json is malformed', fault: 'user', file: join(out, 'latest.json') });
  const stateFile = join(latest.data.dir, 'state.json');
  const state = RunStateSchema.safeParse(JSON.parse(await readFile(stateFile, 'utf8')));
  if (!state.success)
    throw new SweSrlError({ code: 'bad_checkpoint', message: 'state.json is malformed', fault: 'user', file: stateFile });
  return { dir: latest.data.dir, state: state.data };
}

/** Drops metrics lines past step (written after the checkpoint by a run that was then killed). */
export async function truncateMetrics(file: string, step: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return;
  }
  const keep = text
    .split('\n')
    .filter((l) => l.trim())
    .filter((l) => {
      try {
        return (JSON.parse(l) as { step: number }).step <= step;
      } catch {
        return false; // a half-written last line
      }
    });
  await writeFileAtomic(file, keep.map((l) => `${l}\n`).join(''));
}

/** Appends one metrics line. */
export async function appendMetrics(file: string, line: Record<string, unknown>): Promise<void> {
  await writeFile(file, `${JSON.stringify(line)}\n`, { flag: 'a' });
}
