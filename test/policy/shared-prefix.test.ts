import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleOptions } from '../../src/policy/types.ts';
import { WorkerPolicy } from '../../src/policy/worker-policy.ts';
import { hfTestModel } from '../helpers/hf-model.ts';
import { expectSameSamples } from '../helpers/same-samples.ts';

// Shared-prefix sampling prefills each distinct prompt once and copies its cache to the group's rows: the
// outputs must be those of prefilling every row, greedy and sampled alike, with prompts of mixed lengths.
const tiny = { d_model: 32, n_layers: 2, n_heads: 2, max_seq_len: 128, init_seed: 1 };
const short = [{ role: 'user' as const, content: 'ls' }];
const long = [{ role: 'user' as const, content: 'find the failing test in src/app and fix it' }];
const base: SampleOptions = { n: 3, maxNewTokens: 10, temperature: 1, topP: 0.9, stop: [], seed: 11 };

describe('shared-prefix sampling (tiny backend)', () => {
  let policy: WorkerPolicy;
  beforeAll(async () => {
    // micro_batch_size 1 -> chunks of 4 rows, so a group of 3 is split across chunks.
    policy = await WorkerPolicy.start({ init: { backend: 'tiny', tiny, threads: 1, micro_batch_size: 1 } });
  });
  afterAll(async () => policy?.close());

  it('sampled tokens and their log-probs are the same with the prefix shared or not', async () => {
    const prompts = [short, long, short];
    const on = await policy.sample(prompts, base);
    const off = await policy.sample(prompts, { ...base, sharedPrefix: false });
    expectSameSamples(off, on);
    expect(new Set(on.completions[0]!.map((c) => c.token_ids.join(','))).size).toBeGreaterThan(1);
  });

  it('greedy outputs are the same, and left padding leaves a short prompt as it is alone', async () => {
    const greedy = { ...base, temperature: 0, n: 2 };
    const mixed = await policy.sample([long, short], greedy);
    expectSameSamples(await policy.sample([long, short], { ...greedy, sharedPrefix: false }), mixed);
    const alone = await policy.sample([short], { ...greedy, n: 1 });
    expect(mixed.completions[1]![0]!.token_ids).toEqual(alone.completions[0]![0]!.token_ids);
    expect(mixed.completions[1]![1]!.token_ids).toEqual(alone.completions[0]![0]!.token_ids);
  });
});

describe('shared-prefix sampling (hf backend, a transformers DynamicCache)', () => {
  let policy: WorkerPolicy;
  beforeAll(async () => {
    policy = await WorkerPolicy.start({ init: { backend: 'hf', model: await hfTestModel(), threads: 1, micro_batch_size: 1 } });
  }, 300_000);
  afterAll(async () => policy?.close());

  it('sampled and greedy outputs are the same with the prefix shared or not, prompts of mixed lengths', async () => {
    const prompts = [short, long, short];
    expectSameSamples(await policy.sample(prompts, { ...base, sharedPrefix: false }), await policy.sample(prompts, base));
    const greedy = { ...base, temperature: 0, n: 2 };
    const mixed = await policy.sample([long, short], greedy);
    expectSameSamples(await policy.sample([long, short], { ...greedy, sharedPrefix: false }), mixed);
    const alone = await policy.sample([short], { ...greedy, n: 1 });
    expect(mixed.completions[1]![0]!.token_ids).toEqual(alone.completions[0]![0]!.token_ids);
    expect(Math.max(...mixed.completions[1]![0]!.logprobs.map((x, i) => Math.abs(x - alone.completions[0]![0]!.logprobs[i]!)))).toBeLessThan(1e-4);
  }, 120_000);
});
