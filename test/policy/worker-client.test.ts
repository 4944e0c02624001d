import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/policy/worker-client.ts';
import { WorkerPolicy } from '../../src/policy/worker-policy.ts';

const tiny = { d_model: 32, n_layers: 1, n_heads: 2, max_seq_len: 96, init_seed: 0 };
const prompt = [{ role: 'user' as const, content: 'list src' }];
const sampling = { n: 4, maxNewTokens: 12, temperature: 1, topP: 1, stop: [], seed: 3 };

describe('PyTorch worker (tiny backend)', () => {
  let policy: WorkerPolicy;
  beforeAll(async () => {
    policy = await WorkerPolicy.start({ init: { backend: 'tiny', tiny, threads: 1, optimizer: { lr: 1e-3 }, reference: true } });
  });
  afterAll(async () => policy?.close());

  it('generates n samples per prompt with one log-prob per token, reproducibly per seed', async () => {
    const a = await policy.sample([prompt, prompt], sampling);
    expect(a.completions).toHaveLength(2);
    for (const c of a.completions.flat()) expect(c.logprobs).toHaveLength(c.token_ids.length);
    const b = await policy.sample([prompt, prompt], sampling);
    expect(b.completions).toEqual(a.completions);
    const c = await policy.sample([prompt, prompt], { ...sampling, seed: 4 });
    expect(c.completions).not.toEqual(a.completions);
  });

  it('the PPO ratio is 1 on a single on-policy update, and k3 KL to the reference starts at 0', async () => {
    const r = await policy.sample([prompt], sampling);
    const samples = r.completions[0]!.map((c, i) => ({ prompt_ids: r.promptIds[0]!, completion_ids: c.token_ids, advantage: i % 2 ? 1 : -1, old_logprobs: c.logprobs }));
    const t = await policy.trainStep({ samples, clipLow: 0.2, clipHigh: 0.2, klCoef: 0.1, lossAgg: 'token-mean', gradClip: 1, temperature: 1 });
    expect(t.max_abs_log_ratio).toBeLessThan(1e-4);
    expect(t.ratio_mean).toBeCloseTo(1, 5);
    expect(t.clip_frac).toBe(0);
    expect(t.kl).toBeLessThan(1e-8);
    expect(t.grad_norm).toBeGreaterThan(0);
    expect(t.tokens).toBe(samples.reduce((a, s) => a + s.completion_ids.length, 0));
  });

  it('sft lowers the loss on a repeated target, and save/load restores the weights', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'swe-srl-worker-'));
    await policy.save(dir);
    const before = await policy.sample([prompt], { ...sampling, temperature: 0 });
    const enc = await policy.encode([prompt], ['<think></think>\nls src']);
    const s = [{ prompt_ids: enc.prompt_ids[0]!, completion_ids: enc.target_ids![0]! }];
    const first = await policy.sftStep(s, { gradClip: 1 });
    let last = first;
    for (let i = 0; i < 5; i++) last = await policy.sftStep(s, { gradClip: 1 });
    expect(last.loss).toBeLessThan(first.loss);
    await policy.load(dir);
    expect(await policy.sample([prompt], { ...sampling, temperature: 0 })).toMatchObject({ completions: before.completions });
  });

  it('a long prompt is cut for SFT as sampling cuts it when promptRoom is max_new_tokens', async () => {
    const long = [{ role: 'user' as const, content: 'x'.repeat(200) + ' the end' }];
    const sampled = await policy.sample([long], { ...sampling, n: 1, maxNewTokens: 40 });
    const own = await policy.encode([long], ['ls']);
    const roomy = await policy.encode([long], ['ls'], { promptRoom: 40 });
    expect(roomy.prompt_ids[0]).toEqual(sampled.promptIds[0]);
    expect(roomy.prompt_ids[0]!.length).toBe(tiny.max_seq_len - 40);
    // Without it the prompt keeps all the room the short target leaves: a different cut, other positions.
    expect(own.prompt_ids[0]!.length).toBe(tiny.max_seq_len - own.target_ids![0]!.length);
  });

  it('a bad request is a structured error and the worker lives on', async () => {
    await expect(
      policy.trainStep({ samples: [{ prompt_ids: [1], completion_ids: [2, 3], advantage: 1, old_logprobs: [0] }], clipLow: 0.2, clipHigh: 0.2, klCoef: 0, lossAgg: 'token-mean', gradClip: 1, temperature: 1 }),
    ).rejects.toThrow(/worker_rejected.*old_logprobs/);
    expect((await policy.sample([prompt], { ...sampling, n: 1 })).completions).toHaveLength(1);
  });
});

describe('worker failures are errors, never hangs', () => {
  it('a worker that dies reports its exit and stderr tail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'swe-srl-fake-'));
    const py = join(dir, 'fake-python');
    await writeFile(py, '#!/bin/sh\necho "boom: no torch here" >&2\nexit 3\n');
    await chmod(py, 0o755);
    await expect(WorkerClient.start({ python: py })).rejects.toThrow(/exited with code 3[\s\S]*boom: no torch here/);
  });
  it('a malformed line on stdout fails the client', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'swe-srl-fake-'));
    const py = join(dir, 'fake-python');
    await writeFile(py, '#!/bin/sh\necho "hello, not json"\nsleep 30\n');
    await chmod(py, 0o755);
    await expect(WorkerClient.start({ python: py })).rejects.toThrow(/worker_bad_reply.*non-JSON/);
  });
});
