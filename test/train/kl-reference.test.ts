// The KL reference is the run's start, also after a resume: a run from init_from with kl_coef > 0, killed and
// resumed, logs exactly the metrics (KL included) of the uninterrupted run, and its first step's KL is 0 (the policy
// is the reference). Before, a resumed run re-anchored the reference to the resumed weights. Tiny and hf backends.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { syntheticExamples } from '../../src/testing/synthetic-srl.ts';
import { runTraining } from '../../src/train/loop.ts';
import type { RewardFn } from '../../src/reward/types.ts';
import { hfTestModel } from '../helpers/hf-model.ts';

Object.assign(process.env, { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' });
// A dense reward a random model already varies on, so that groups are kept from step 1.
const lengthReward: RewardFn = (text) => ({ reward: (text.length % 7) / 7, status: 'ok' });
const TIMING = new Set(['seconds', 'tokens_per_s', 'gen_seconds', 'train_seconds']);
const train = syntheticExamples({ count: 12, seed: 1 });

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swe-srl-kl-ref-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function metrics(out: string) {
  const lines = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n');
  return lines.map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as Record<string, unknown>).filter(([k]) => !TIMING.has(k))));
}

const BACKENDS = {
  tiny: async () => ({ backend: 'tiny', tiny: { d_model: 32, n_layers: 1, n_heads: 2, max_seq_len: 64 }, threads: 1 }),
  hf: async () => ({ backend: 'hf', model: await hfTestModel(), threads: 1 }),
};

describe.each(Object.keys(BACKENDS) as (keyof typeof BACKENDS)[])('KL reference across a resume (%s)', (name) => {
  let policy: Record<string, unknown>;
  const config = (out: string, o: Record<string, unknown>) =>
    validateConfig(TrainConfigSchema, {
      out,
      data: { train: 'unused' },
      policy,
      optimizer: { lr: 3e-3 },
      rollout: { n: 4, max_new_tokens: 12, stop: [] },
      train: { steps: 4, batch_size: 2, val_every: 0, checkpoint_every: 2 },
      ...o,
    });

  it('a resumed run from init_from with kl_coef > 0 continues exactly as the uninterrupted one', async () => {
    policy = await BACKENDS[name]();
    const init = join(dir, `${name}-init`);
    await runTraining({ config: config(init, { mode: 'sft', train: { steps: 2, batch_size: 4, val_every: 0 } }), trainExamples: train, valExamples: [] });
    const srl = { mode: 'srl', init_from: init, loss: { kl_coef: 0.5 } };
    const a = join(dir, `${name}-a`);
    const b = join(dir, `${name}-b`);
    await runTraining({ config: config(a, srl), trainExamples: train, valExamples: [], reward: lengthReward });
    await runTraining({ config: config(b, srl), trainExamples: train, valExamples: [], reward: lengthReward, stopAfterStep: 3 });
    const resumed = await runTraining({ config: config(b, srl), trainExamples: train, valExamples: [], reward: lengthReward });
    expect(resumed.resumedFrom).toBe(2);
    const ma = await metrics(a);
    expect(ma.map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect(ma[0]!.kl).toBe(0); // the first update starts at init_from, which is the reference
    expect(ma[3]!.kl as number).toBeGreaterThan(0);
    expect(await metrics(b)).toEqual(ma);
  }, 240_000);
});
