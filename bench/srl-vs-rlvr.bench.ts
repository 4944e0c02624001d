// SRL (dense similarity reward) vs RLVR-like (sparse exact match) vs SFT-only, from one shared format warm-up of the
// tiny CPU policy on synthetic SRL examples. Every method runs the same number of optimizer steps per seed and is
// validated on the same held-out examples with the DENSE reward (val.reward=srl), so the curves are comparable.
// Prints one JSON document: {config, warmup, runs: [{seed, method, kept_fraction_mean, val: [{step, reward,
// format_error_rate}], seconds}], summary}. Takes minutes.
// Run: node bin/run-ts.js bench/srl-vs-rlvr.bench.ts [--seeds 0,1,2] [--steps 30] [--val-every 10] [--warmup-steps 400]
//   [--init-step 200] [--grpo-lr 3e-4] [--sft-lr 1e-3] [--max-tries 8] [--out DIR]
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateConfig } from '../src/config/load.ts';
import { TrainConfigSchema } from '../src/config/train.ts';
import { shuffledTargets, syntheticExamples } from '../src/testing/synthetic-srl.ts';
import { checkpointDir } from '../src/train/checkpoint.ts';
import { runTraining } from '../src/train/loop.ts';

Object.assign(process.env, { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' });
const { values: a } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0,1,2' },
    steps: { type: 'string', default: '30' },
    'val-every': { type: 'string', default: '10' },
    'warmup-steps': { type: 'string', default: '400' },
    /** Start from the warm-up's checkpoint at this step (default: its midpoint, where format errors are common). */
    'init-step': { type: 'string' },
    'grpo-lr': { type: 'string', default: '3e-4' },
    'sft-lr': { type: 'string', default: '1e-3' },
    /** Dynamic-sampling rounds per step (1: every method sees the same number of samples per step). */
    'max-tries': { type: 'string', default: '8' },
    out: { type: 'string' },
  },
});
const seeds = a.seeds.split(',').map(Number);
const steps = Number(a.steps);
const valEvery = Number(a['val-every']);
const warmupSteps = Number(a['warmup-steps']);
const initStep = Number(a['init-step'] ?? Math.floor(warmupSteps / 2));
const dir = a.out ?? (await mkdtemp(join(tmpdir(), 'swe-srl-bench-')));

const TINY = { d_model: 64, n_layers: 2, n_heads: 4, max_seq_len: 160, init_seed: 0 };
const ROLLOUT = { n: 8, temperature: 1, top_p: 0.95, max_new_tokens: 100, stop: ['</function>'] };
const train = syntheticExamples({ count: 64, seed: 2 });
const heldOut = syntheticExamples({ count: 32, seed: 3 });

function config(o: Record<string, unknown>) {
  return validateConfig(TrainConfigSchema, {
    data: { train: 'given', val: 'given' },
    policy: { backend: 'tiny', tiny: TINY, threads: 1, micro_batch_size: 32 },
    rollout: ROLLOUT,
    val: { n: 4, temperature: 1, seed: 11, reward: 'srl' },
    dynamic_sampling: { max_tries: Number(a['max-tries']) },
    ...o,
  });
}

async function metrics(out: string): Promise<Record<string, number>[]> {
  return (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
}

const t0 = Date.now();
const warmOut = join(dir, 'warmup');
await runTraining({
  config: config({
    mode: 'sft',
    seed: 0,
    out: warmOut,
    optimizer: { lr: 6e-3, schedule: 'linear', final_lr_ratio: 0.1 },
    train: { steps: warmupSteps, batch_size: 16, val_every: 0, checkpoint_every: initStep, keep_checkpoints: 1000 },
  }),
  trainExamples: shuffledTargets(syntheticExamples({ count: 256, seed: 1 })),
  valExamples: [],
});
const warmup = checkpointDir(warmOut, initStep);
const warmupSeconds = (Date.now() - t0) / 1000;
console.error(`warm-up: ${warmupSeconds.toFixed(0)} s`);

const METHODS = {
  srl: { mode: 'srl', reward: { name: 'srl' }, optimizer: { lr: Number(a['grpo-lr']) } },
  exact: { mode: 'srl', reward: { name: 'exact' }, optimizer: { lr: Number(a['grpo-lr']) } },
  sft: { mode: 'sft', optimizer: { lr: Number(a['sft-lr']) } },
} as const;

interface Run {
  seed: number;
  method: string;
  kept_fraction_mean: number | null;
  skipped_steps: number;
  /** Completion tokens sampled for training (dynamic sampling's resampling included): the generation cost. */
  gen_tokens: number;
  val: { step: number | undefined; reward: number | undefined; format_error_rate: number | undefined }[];
  seconds: number;
}
const runs: Run[] = [];
for (const seed of seeds) {
  for (const [method, m] of Object.entries(METHODS)) {
    const out = join(dir, `${method}-seed${seed}`);
    const t = Date.now();
    await runTraining({
      config: config({ ...m, seed, out, init_from: warmup, train: { steps, batch_size: 8, val_every: valEvery, checkpoint_every: steps } }),
      trainExamples: train,
      valExamples: heldOut,
    });
    const lines = await metrics(out);
    const kept = lines.filter((l) => typeof l.kept_fraction === 'number').map((l) => l.kept_fraction!);
    const run: Run = {
      seed,
      method,
      kept_fraction_mean: kept.length ? kept.reduce((x, y) => x + y, 0) / kept.length : null,
      skipped_steps: lines.filter((l) => 'skipped' in l).length,
      gen_tokens: lines.reduce((t, l) => t + (l.gen_tokens ?? 0), 0),
      val: lines.filter((l) => typeof l.val_reward === 'number').map((l) => ({ step: l.step, reward: l.val_reward, format_error_rate: l.val_format_error_rate })),
      seconds: (Date.now() - t) / 1000,
    };
    console.error(JSON.stringify(run));
    runs.push(run);
  }
}

const summary = Object.keys(METHODS).map((method) => {
  const mine = runs.filter((r) => r.method === method);
  const last = mine.map((r) => r.val[r.val.length - 1]!);
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  return {
    method,
    final_val_reward_mean: mean(last.map((v) => v.reward!)),
    final_format_error_rate_mean: mean(last.map((v) => v.format_error_rate!)),
    start_val_reward_mean: mean(mine.map((r) => r.val[0]!.reward!)),
  };
});
console.log(
  JSON.stringify(
    { config: { seeds, steps, val_every: valEvery, warmup_steps: warmupSteps, init_step: initStep, max_tries: Number(a['max-tries']), train: train.length, held_out: heldOut.length, tiny: TINY, rollout: ROLLOUT }, warmup: { seconds: warmupSeconds }, runs, summary, total_seconds: (Date.now() - t0) / 1000, dir },
    null,
    1,
  ),
);
