import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { tinyRunConfig } from '../helpers/tiny-run.ts';
import { syntheticExamples } from '../../src/testing/synthetic-srl.ts';
import { runTraining } from '../../src/train/loop.ts';
import type { RewardFn } from '../../src/reward/types.ts';
import { tempDir } from '../helpers/tmp.ts';

// A dense reward a random model already varies on, so that groups are kept from step 1.
const lengthReward: RewardFn = (text) => ({ reward: (text.length % 7) / 7, status: 'ok' });
const TIMING = new Set(['seconds', 'tokens_per_s', 'gen_seconds', 'train_seconds']);

async function metrics(out: string) {
  const lines = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n');
  return lines.map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as Record<string, unknown>).filter(([k]) => !TIMING.has(k))));
}

function config(out: string) {
  return tinyRunConfig(out, { steps: 4, every: 2 });
}

describe('training loop', () => {
  const train = syntheticExamples({ count: 12, seed: 1 });
  const val = syntheticExamples({ count: 3, seed: 2 });

  it('a killed run resumes with the same continuation as an uninterrupted one', async () => {
    const a = await tempDir('loop-a');
    const b = await tempDir('loop-b');
    await runTraining({ config: config(a), trainExamples: train, valExamples: val, reward: lengthReward });
    await runTraining({ config: config(b), trainExamples: train, valExamples: val, reward: lengthReward, stopAfterStep: 3 });
    const resumed = await runTraining({ config: config(b), trainExamples: train, valExamples: val, reward: lengthReward });
    expect(resumed.resumedFrom).toBe(2);
    const ma = await metrics(a);
    expect(ma.map((m) => m.step)).toEqual([0, 1, 2, 3, 4]);
    expect(ma[2]).toHaveProperty('val_reward');
    expect(ma[1]).toHaveProperty('kept_fraction');
    expect(await metrics(b)).toEqual(ma);
  }, 120_000);

  it('rejects invalid combinations with the fix in the message', () => {
    expect(() => validateConfig(TrainConfigSchema, { out: 'x', data: { train: 't' }, rollout: { n: 1 }, train: { val_every: 0 } })).toThrow(/rollout.n >= 2/);
    expect(() => validateConfig(TrainConfigSchema, { out: 'x', data: { train: 't' }, train: { val_every: 5 } })).toThrow(/--val FILE/);
    expect(() => validateConfig(TrainConfigSchema, { out: 'x', data: { train: 't' }, bogus: 1 })).toThrow(/bogus/);
    expect(() => validateConfig(TrainConfigSchema, { out: 'x', data: { train: 't' }, train: { val_every: 0 }, reward: { name: 'outcome' } })).toThrow(
      /reward.outcome.tasks/,
    );
    expect(() =>
      validateConfig(TrainConfigSchema, { out: 'x', data: { train: 't' }, train: { val_every: 0 }, rollout: { max_new_tokens: 300 } }),
    ).toThrow(/max_seq_len \(256\)/);
  });

  it('defaults max_new_tokens to what the backend can hold', () => {
    const base = { out: 'x', data: { train: 't' }, train: { val_every: 0 } };
    expect(validateConfig(TrainConfigSchema, base).rollout.max_new_tokens).toBe(128);
    expect(validateConfig(TrainConfigSchema, { ...base, policy: { backend: 'hf', model: '/m' } }).rollout.max_new_tokens).toBe(1024);
  });
});
