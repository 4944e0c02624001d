// LEARNING TESTS (slow, ~2-3 min on 2 CPU cores): the tiny policy really learns. One format warm-up run (400 SFT
// steps, linear lr decay) is trained once in beforeAll and shared:
//  (a) from its final checkpoint, the dense SRL reward keeps >= 90% of groups and exact match at most half, at least
//      40 points fewer (dynamic sampling's criterion, 24 prompts x 8 samples; exact match varies in a group only
//      through a rare hit or a format error);
//  (b) from its midpoint checkpoint (step 200, format errors still common), 15 GRPO steps with the dense reward raise
//      the mean reward on the training prompts by a clear margin (the -1 of a format error is most of the signal; from
//      the final checkpoint the gain in 15 steps is within the noise of the estimate).
// The warm-up is SFT on prompts paired with *other* prompts' actions (shuffledTargets): it learns the response
// format and the action vocabulary, not which action answers which prompt, which is the regime where exact match
// almost never varies within a group while the dense reward does (as with real SWE actions). Seeds are fixed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { WorkerPolicy } from '../../src/policy/worker-policy.ts';
import { shuffledTargets, syntheticExamples } from '../../src/testing/synthetic-srl.ts';
import { keepGroup } from '../../src/train/dynamic-sampling.ts';
import { checkpointDir } from '../../src/train/checkpoint.ts';
import { resolveCheckpoint, runTraining } from '../../src/train/loop.ts';
import { createReward } from '../../src/reward/registry.ts';

const TINY = { d_model: 64, n_layers: 2, n_heads: 4, max_seq_len: 160, init_seed: 0 };
const ROLLOUT = { n: 8, temperature: 1, top_p: 0.95, max_new_tokens: 100, stop: ['</function>'] };
// One BLAS thread per worker: the tiny model gains nothing from more, and a busy 2-core machine loses a lot.
const ENV = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
Object.assign(process.env, ENV);
const prompts = syntheticExamples({ count: 24, seed: 2 });

let dir = '';
let warmupEnd = '';
let warmupMid = '';

function config(o: Record<string, unknown>) {
  return validateConfig(TrainConfigSchema, {
    seed: 0,
    data: { train: 'unused', val: 'unused' },
    policy: { backend: 'tiny', tiny: TINY, threads: 1, micro_batch_size: 32 },
    rollout: ROLLOUT,
    ...o,
  });
}

describe('learning (tiny policy, CPU)', () => {
  // Under the suite's hook time-out (600 s): the 2-3 minutes of a quiet machine more than double on a busy one.
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'swe-srl-learning-'));
    const out = join(dir, 'warmup');
    await runTraining({
      config: config({
        mode: 'sft',
        out,
        optimizer: { lr: 6e-3, schedule: 'linear', final_lr_ratio: 0.1 },
        train: { steps: 400, batch_size: 16, val_every: 0, checkpoint_every: 200, keep_checkpoints: 2 },
      }),
      trainExamples: shuffledTargets(syntheticExamples({ count: 256, seed: 1 })),
      valExamples: [],
    });
    warmupEnd = await resolveCheckpoint(out);
    warmupMid = checkpointDir(out, 200);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('(a) from the warm-up, the dense reward keeps >= 90% of groups and exact match at most half, 40 points fewer', async () => {
    const policy = await WorkerPolicy.start({ env: ENV, init: { backend: 'tiny', tiny: TINY, threads: 1, seed: 0 } });
    try {
      await policy.load(warmupEnd, { optimizer: false, rng: false });
      const r = await policy.sample(
        prompts.map((e) => e.prompt),
        { n: ROLLOUT.n, maxNewTokens: ROLLOUT.max_new_tokens, temperature: 1, topP: ROLLOUT.top_p, stop: ROLLOUT.stop, seed: 7 },
      );
      const dense = await createReward('srl', { autojunk: false });
      const exact = await createReward('exact', { autojunk: false });
      let keptDense = 0;
      let keptExact = 0;
      let formatErrors = 0;
      r.completions.forEach((group, j) => {
        const d = group.map((c) => dense(c.text, prompts[j]!) as { reward: number; status: string });
        const x = group.map((c) => exact(c.text, prompts[j]!) as { reward: number; status: string });
        formatErrors += d.filter((s) => s.status !== 'ok').length;
        if (keepGroup(d.map((s) => s.reward), 1e-6)) keptDense++;
        if (keepGroup(x.map((s) => s.reward), 1e-6)) keptExact++;
      });
      const stats = {
        dense_kept: keptDense / prompts.length,
        exact_kept: keptExact / prompts.length,
        format_error_rate: formatErrors / (prompts.length * ROLLOUT.n),
      };
      console.info(`learning (a): ${JSON.stringify(stats)}`);
      expect(stats.dense_kept).toBeGreaterThanOrEqual(0.9);
      expect(stats.exact_kept).toBeLessThanOrEqual(0.5);
      expect(stats.dense_kept - stats.exact_kept).toBeGreaterThanOrEqual(0.4);
    } finally {
      await policy.close();
    }
  }, 120_000);

  it('(b) GRPO with the dense reward raises the mean reward on its training prompts', async () => {
    const train = prompts.slice(0, 16);
    const steps = 15;
    const summary = await runTraining({
      config: config({
        mode: 'srl',
        out: join(dir, 'grpo'),
        init_from: warmupMid,
        optimizer: { lr: 3e-4 },
        train: { steps, batch_size: 8, val_every: steps, checkpoint_every: steps },
        val: { n: 8, temperature: 1, seed: 11 },
      }),
      trainExamples: train,
      valExamples: train,
    });
    const lines = (await readFile(join(dir, 'grpo', 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    const before = lines[0]!.val_reward!;
    const after = summary.lastVal!.reward;
    console.info(`learning (b): ${JSON.stringify({ before, after, gain: after - before, kept: lines.slice(1).map((l) => l.kept_fraction) })}`);
    expect(after - before).toBeGreaterThanOrEqual(0.1);
  }, 240_000);
});
