// Training runs (`swe-srl train`): DIR/metrics.jsonl (one line per step; step 0 holds the first validation),
// DIR/config.json, and DIR/samples/step-N.jsonl (validation replies of each validation step), whose <think> text
// gives the policy's reasoning over training.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { TrainingModel } from '../model.ts';
import { readJson, readJsonl } from '../read.ts';
import { analyseThoughts, extractThink, PATTERNS } from '../think.ts';
import { SweSrlError } from '../../util/errors.ts';
import { num, type RunKindLoader } from './probe.ts';

export const MetricsLineSchema = z.object({ step: z.number().int().nonnegative(), mode: z.string().optional(), skipped: z.string().optional() }).passthrough();
export type MetricsLine = z.infer<typeof MetricsLineSchema>;

/** The fields charted, in the order the page shows them. */
export const TRAINING_FIELDS = [
  'reward_mean',
  'val_reward',
  'format_error_rate',
  'val_format_error_rate',
  'kept_fraction',
  'kl',
  'clip_frac',
  'tokens_per_s',
  'loss',
  'grad_norm',
  'lr',
  'think_length',
  'plan_share',
  'revise_share',
  'verify_share',
] as const;

const SampleLineSchema = z.object({ step: z.number().int().nonnegative(), response: z.string() }).passthrough();

/** Per validation step, the reasoning of its replies as metrics-line fields (mean length, pattern shares; pure). */
export function thoughtLines(byStep: ReadonlyArray<{ step: number; responses: readonly string[] }>): MetricsLine[] {
  return byStep.map(({ step, responses }) => {
    const st = analyseThoughts(responses.map(extractThink));
    const line: MetricsLine = { step };
    if (st.meanLength !== null) line.think_length = st.meanLength;
    for (const p of PATTERNS) if (st.share[p] !== null) line[`${p}_share`] = st.share[p];
    return line;
  });
}

/** The validation replies a run kept, by step (none when it has no samples/ folder). */
async function readSamples(dir: string): Promise<Array<{ step: number; responses: string[] }>> {
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => /^step-\d+\.jsonl$/.test(f)).sort();
  const out: Array<{ step: number; responses: string[] }> = [];
  for (const f of files) {
    const lines = await readJsonl(join(dir, f), SampleLineSchema);
    if (lines.length) out.push({ step: lines[0]!.step, responses: lines.map((l) => l.response) });
  }
  return out;
}

/** Series by field over the steps (a line's numbers; null where absent); two lines of one step merge (pure). */
export function trainingModel(lines: readonly MetricsLine[], mode?: string): TrainingModel {
  const byStep = new Map<number, Record<string, unknown>>();
  for (const l of lines) byStep.set(l.step, { ...byStep.get(l.step), ...l });
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const metrics: Record<string, Array<number | null>> = {};
  for (const f of TRAINING_FIELDS) {
    const v = steps.map((s) => {
      const x = byStep.get(s)![f];
      return typeof x === 'number' && Number.isFinite(x) ? x : null;
    });
    if (v.some((x) => x !== null)) metrics[f] = v;
  }
  return {
    kind: 'training',
    mode: mode ?? (lines.find((l) => l.mode)?.mode ?? 'unknown'),
    steps,
    metrics,
    skipped: lines.filter((l) => l.skipped).length,
  };
}

/** The last non-null value of a series. */
export function lastOf(xs: ReadonlyArray<number | null> | undefined): number | null {
  for (let i = (xs?.length ?? 0) - 1; i >= 0; i--) if (xs![i] !== null) return xs![i]!;
  return null;
}

export const trainingKind: RunKindLoader = {
  kind: 'training',
  expects: 'metrics.jsonl (swe-srl train)',
  matches: (p) => p.entries.has('metrics.jsonl'),
  async load(p) {
    const file = join(p.path, 'metrics.jsonl');
    const lines = await readJsonl(file, MetricsLineSchema);
    if (lines.length === 0)
      throw new SweSrlError({ code: 'report_empty_run', message: 'metrics.jsonl has no steps', fault: 'user', file, hint: 'The run wrote no step yet; wait for its first step or point at another run.' });
    const cfgFile = join(p.path, 'config.json');
    const cfg = existsSync(cfgFile) ? await readJson(cfgFile, z.object({ mode: z.string().optional() }).passthrough()) : undefined;
    const samples = await readSamples(join(p.path, 'samples'));
    const body = trainingModel([...lines, ...thoughtLines(samples)], cfg?.mode);
    const last = samples.at(-1);
    const val = body.metrics.val_reward;
    const best = val?.filter((x): x is number => x !== null);
    return {
      path: p.path,
      body,
      summary: [
        ['kind', `training run (${body.mode})`],
        ['steps', String(Math.max(...body.steps))],
        ['last train reward', num(lastOf(body.metrics.reward_mean))],
        ['last val reward', num(lastOf(val))],
        ['best val reward', best?.length ? num(Math.max(...best)) : 'n/a'],
        ['last format-error rate', num(lastOf(body.metrics.format_error_rate ?? body.metrics.val_format_error_rate))],
        ['steps without signal', String(body.skipped)],
      ],
      thoughts: last
        ? { source: `validation replies at step ${last.step} (samples/; earlier steps in the training charts)`, stats: analyseThoughts(last.responses.map(extractThink)) }
        : { none: 'no samples/ folder (a run from before training kept its validation replies); evaluate a checkpoint (swe-srl evaluate) to see its reasoning' },
    };
  },
};
