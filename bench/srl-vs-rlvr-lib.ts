// What both SRL-vs-RLVR benches share (bench/srl-vs-rlvr.bench.ts on the tiny policy and synthetic examples,
// bench/srl-vs-rlvr-hf.bench.ts on the hf test model and real step examples): the format warm-up, the three methods
// run from its checkpoint (dense SRL reward, sparse exact match, continued SFT), the metrics read back per run, and
// the per-method summary. Every run is validated on the same held-out examples with the dense reward, so the curves
// are comparable; the validation reward also labels each sample exact / inexact / format_error so the exact-match
// rate comes out of the same samples.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainConfig } from '../src/config/train.ts';
import { scoreResponse } from '../src/srl/reward.ts';
import { checkpointDir } from '../src/train/checkpoint.ts';
import type { SrlExample } from '../src/train/examples.ts';
import { runTraining } from '../src/train/loop.ts';
import { registerReward, rewardNames } from '../src/reward/registry.ts';

/** The dense SRL reward with a label per sample (exact, inexact, format_error): validation's reward in both benches. */
export const LABELLED_SRL = 'srl-labelled';
if (!rewardNames().includes(LABELLED_SRL))
  registerReward(LABELLED_SRL, (o) => (response, ex) => {
    const s = scoreResponse(response, ex.target, { autojunk: o.autojunk });
    const detail = s.status !== 'ok' ? 'format_error' : s.action === ex.target.trim() ? 'exact' : 'inexact';
    return { reward: s.reward, status: s.status, detail };
  });

/** A config for one phase: the bench's fixed settings merged with these overrides, validated. */
export type ConfigFor = (overrides: Record<string, unknown>) => TrainConfig;

/** The three methods, as config overrides: GRPO on the dense reward, GRPO on exact match, continued SFT. */
export function methods(o: { grpoLr: number; sftLr: number }): Record<string, Record<string, unknown>> {
  return {
    srl: { mode: 'srl', reward: { name: 'srl' }, optimizer: { lr: o.grpoLr } },
    exact: { mode: 'srl', reward: { name: 'exact' }, optimizer: { lr: o.grpoLr } },
    sft: { mode: 'sft', optimizer: { lr: o.sftLr } },
  };
}

export interface ValPoint {
  step: number;
  reward: number;
  format_error_rate: number;
  /** Share of validation samples whose action equals the expert's exactly. */
  exact_match_rate: number;
}

export interface Run {
  seed: number;
  method: string;
  /** Mean over RL steps of groups kept by dynamic sampling / groups generated (null for SFT). */
  kept_fraction_mean: number | null;
  skipped_steps: number;
  /** Completion tokens sampled for training (dynamic sampling's resampling included): the generation cost. */
  gen_tokens: number;
  /** Groups (prompt x rollout.n samples) generated for training. */
  groups_generated: number;
  val: ValPoint[];
  seconds: number;
}

type MetricsLine = Record<string, number | undefined> & { val_reward_details?: Record<string, number> };

/** The lines of a run's metrics.jsonl. */
export async function readMetrics(out: string): Promise<MetricsLine[]> {
  return (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as MetricsLine);
}

/** The validation points of a run's metrics (exact-match rate from the labelled reward's counts). */
export function valPoints(lines: readonly MetricsLine[]): ValPoint[] {
  return lines
    .filter((l) => typeof l.val_reward === 'number')
    .map((l) => {
      const d = l.val_reward_details ?? {};
      const total = Object.values(d).reduce((t, x) => t + x, 0);
      return {
        step: l.step!,
        reward: l.val_reward!,
        format_error_rate: l.val_format_error_rate!,
        exact_match_rate: total ? (d.exact ?? 0) / total : 0,
      };
    });
}

/** The run record of one finished run. */
export function runRecord(o: { seed: number; method: string; lines: readonly MetricsLine[]; seconds: number; startVal?: ValPoint }): Run {
  const kept = o.lines.filter((l) => typeof l.kept_fraction === 'number').map((l) => l.kept_fraction!);
  const val = valPoints(o.lines);
  return {
    seed: o.seed,
    method: o.method,
    kept_fraction_mean: kept.length ? mean(kept) : null,
    skipped_steps: o.lines.filter((l) => 'skipped' in l).length,
    gen_tokens: o.lines.reduce((t, l) => t + (l.gen_tokens ?? 0), 0),
    groups_generated: o.lines.reduce((t, l) => t + (l.groups_generated ?? 0), 0),
    val: o.startVal && val[0]?.step !== 0 ? [o.startVal, ...val] : val,
    seconds: o.seconds,
  };
}

/** SFT warm-up (linear decay) keeping a checkpoint at initStep; returns that checkpoint's folder. */
export async function warmUp(o: {
  config: ConfigFor;
  out: string;
  examples: SrlExample[];
  steps: number;
  initStep: number;
  lr: number;
  batchSize: number;
  log?: (msg: string) => void;
}): Promise<string> {
  await runTraining({
    config: o.config({
      mode: 'sft',
      seed: 0,
      out: o.out,
      optimizer: { lr: o.lr, schedule: 'linear', final_lr_ratio: 0.1 },
      train: { steps: o.steps, batch_size: o.batchSize, val_every: 0, checkpoint_every: o.initStep, keep_checkpoints: 1000 },
    }),
    trainExamples: o.examples,
    valExamples: [],
    log: o.log,
  });
  return checkpointDir(o.out, o.initStep);
}

/**
 * Every method from the warm-up checkpoint for every seed, same steps and batch size. With shareStartVal the step-0
 * validation runs once (the first run): every run starts from the same weights and validates with the same seed, so
 * it is the same number, and the others reuse it.
 */
export async function compareMethods(o: {
  config: ConfigFor;
  dir: string;
  /** The warm-up checkpoint every run starts from (none: the policy as configured, e.g. a pretrained model). */
  init?: string;
  seeds: readonly number[];
  methods: Record<string, Record<string, unknown>>;
  steps: number;
  batchSize: number;
  valEvery: number;
  train: SrlExample[];
  heldOut: SrlExample[];
  shareStartVal?: boolean;
  log?: (msg: string) => void;
}): Promise<Run[]> {
  const runs: Run[] = [];
  let startVal: ValPoint | undefined;
  for (const seed of o.seeds) {
    for (const [method, m] of Object.entries(o.methods)) {
      const out = join(o.dir, `${method}-seed${seed}`);
      const t = Date.now();
      const valAtStart = !o.shareStartVal || startVal === undefined;
      await runTraining({
        config: o.config({
          ...m,
          seed,
          out,
          ...(o.init ? { init_from: o.init } : {}),
          train: { steps: o.steps, batch_size: o.batchSize, val_every: o.valEvery, val_at_start: valAtStart, checkpoint_every: o.steps },
        }),
        trainExamples: o.train,
        valExamples: o.heldOut,
        log: o.log,
      });
      const run = runRecord({ seed, method, lines: await readMetrics(out), seconds: (Date.now() - t) / 1000, startVal });
      if (o.shareStartVal && startVal === undefined) startVal = run.val[0];
      console.error(JSON.stringify(run));
      runs.push(run);
    }
  }
  return runs;
}

export interface MethodSummary {
  method: string;
  /** Mean over seeds of each validation point. */
  curve: ValPoint[];
  final_val_reward_mean: number;
  final_format_error_rate_mean: number;
  final_exact_match_rate_mean: number;
  start_val_reward_mean: number;
  gen_tokens_mean: number;
  groups_generated_mean: number;
}

/** Per method: the seed-mean curve and its start and end. */
export function summarize(runs: readonly Run[]): MethodSummary[] {
  const names = [...new Set(runs.map((r) => r.method))];
  return names.map((method) => {
    const mine = runs.filter((r) => r.method === method);
    const steps = mine[0]!.val.map((v) => v.step);
    const curve = steps.map((step, i) => ({
      step,
      reward: mean(mine.map((r) => r.val[i]!.reward)),
      format_error_rate: mean(mine.map((r) => r.val[i]!.format_error_rate)),
      exact_match_rate: mean(mine.map((r) => r.val[i]!.exact_match_rate)),
    }));
    const last = curve[curve.length - 1]!;
    return {
      method,
      curve,
      final_val_reward_mean: last.reward,
      final_format_error_rate_mean: last.format_error_rate,
      final_exact_match_rate_mean: last.exact_match_rate,
      start_val_reward_mean: curve[0]!.reward,
      gen_tokens_mean: mean(mine.map((r) => r.gen_tokens)),
      groups_generated_mean: mean(mine.map((r) => r.groups_generated)),
    };
  });
}

/** Markdown: the seed-mean curve per method, every run's validation points, and each run's generation and time. */
export function markdownTables(runs: readonly Run[]): string {
  const f = (x: number) => x.toFixed(3);
  const head = '| method | seed | step | held-out reward | format errors | exact matches |\n|---|---|---|---|---|---|';
  const means = summarize(runs).flatMap((s) =>
    s.curve.map((v) => `| ${s.method} | mean | ${v.step} | ${f(v.reward)} | ${f(v.format_error_rate)} | ${f(v.exact_match_rate)} |`),
  );
  const perRun = runs.flatMap((r) => r.val.map((v) => `| ${r.method} | ${r.seed} | ${v.step} | ${f(v.reward)} | ${f(v.format_error_rate)} | ${f(v.exact_match_rate)} |`));
  const cost = runs.map(
    (r) => `| ${r.method} | ${r.seed} | ${r.groups_generated} | ${r.gen_tokens} | ${r.kept_fraction_mean === null ? '-' : f(r.kept_fraction_mean)} | ${r.skipped_steps} | ${r.seconds.toFixed(0)} |`,
  );
  return [
    '### Held-out dense reward, mean over seeds',
    '',
    head,
    ...means,
    '',
    '### Per run',
    '',
    head,
    ...perRun,
    '',
    '### Generation and time per run',
    '',
    '| method | seed | groups generated | completion tokens generated | kept fraction | skipped steps | seconds |',
    '|---|---|---|---|---|---|---|',
    ...cost,
    '',
  ].join('\n');
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : NaN;
}
