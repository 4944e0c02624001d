// SRL (dense similarity reward) vs RLVR-like (sparse exact match) vs SFT-only, from one shared format warm-up of the
// tiny CPU policy on synthetic SRL examples. Every method runs the same number of optimizer steps per seed and is
// validated on the same held-out examples with the DENSE reward (val.reward=srl), so the curves are comparable.
// Prints one JSON document: {config, warmup, runs: [{seed, method, kept_fraction_mean, gen_tokens, val: [{step, reward,
// format_error_rate, exact_match_rate}], seconds}], summary}. Takes minutes. Shared parts: bench/srl-vs-rlvr-lib.ts;
// the same comparison on the hf backend and real step examples: bench/srl-vs-rlvr-hf.bench.ts.
// Run: node bin/run-ts.js bench/srl-vs-rlvr.bench.ts [--seeds 0,1,2] [--steps 30] [--val-every 10] [--warmup-steps 400]
//   [--init-step 200] [--grpo-lr 3e-4] [--sft-lr 1e-3] [--max-tries 8] [--out DIR]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateConfig } from '../src/config/load.ts';
import { TrainConfigSchema } from '../src/config/train.ts';
import { shuffledTargets, syntheticExamples } from '../src/testing/synthetic-srl.ts';
import { compareMethods, LABELLED_SRL, methods, summarize, warmUp } from './srl-vs-rlvr-lib.ts';

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
    val: { n: 4, temperature: 1, seed: 11, reward: LABELLED_SRL },
    dynamic_sampling: { max_tries: Number(a['max-tries']) },
    ...o,
  });
}

const t0 = Date.now();
const warmup = await warmUp({
  config,
  out: join(dir, 'warmup'),
  examples: shuffledTargets(syntheticExamples({ count: 256, seed: 1 })),
  steps: warmupSteps,
  initStep,
  lr: 6e-3,
  batchSize: 16,
});
const warmupSeconds = (Date.now() - t0) / 1000;
console.error(`warm-up: ${warmupSeconds.toFixed(0)} s`);

const runs = await compareMethods({
  config,
  dir,
  init: warmup,
  seeds,
  methods: methods({ grpoLr: Number(a['grpo-lr']), sftLr: Number(a['sft-lr']) }),
  steps,
  batchSize: 8,
  valEvery,
  train,
  heldOut,
});
console.log(
  JSON.stringify(
    { config: { seeds, steps, val_every: valEvery, warmup_steps: warmupSteps, init_step: initStep, max_tries: Number(a['max-tries']), train: train.length, held_out: heldOut.length, tiny: TINY, rollout: ROLLOUT }, warmup: { seconds: warmupSeconds }, runs, summary: summarize(runs), total_seconds: (Date.now() - t0) / 1000, dir },
    null,
    1,
  ),
);
