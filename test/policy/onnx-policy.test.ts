// The onnx backend against the worker it was exported from: the same prompts give the same greedy tokens, text and
// finish reasons, with log-probs within 1e-4; stop strings, EOS, length limits and context cuts behave alike; a
// broken export folder fails naming what is wrong.
import { mkdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';
import { hfTestModel } from '../helpers/hf-model.ts';
import { sftWorker, TAUGHT, trainedHfWorker, trainedTinyWorker, UNSEEN } from '../helpers/sft-worker.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { createPolicy } from '../../src/policy/create.ts';
import { OnnxPolicy } from '../../src/policy/onnx-policy.ts';
import type { ChatMessage, Policy, SampleOptions, SampleResult } from '../../src/policy/types.ts';
import { SweSrlError } from '../../src/util/errors.ts';

const PROMPTS: ChatMessage[][] = [
  ...TAUGHT.map((t) => t.prompt),
  ...UNSEEN,
  [{ role: 'user', content: `a long prompt the context cannot hold whole: ${'x = 1\n'.repeat(40)}show a.py` }],
];
const GREEDY: SampleOptions = { n: 2, maxNewTokens: 48, temperature: 0, topP: 1, stop: [], seed: 0 };
const CASES: Record<string, SampleOptions> = {
  greedy: GREEDY,
  closingTag: { ...GREEDY, stop: ['</function>'] },
  midStop: { ...GREEDY, stop: ['zzz', 'bash>', '-la'] },
  length: { ...GREEDY, maxNewTokens: 5 },
};

function policyConfig(model: string) {
  return TrainConfigSchema.parse({ data: { train: 'x' }, out: 'x', train: { val_every: 0 }, policy: { backend: 'onnx', model } }).policy;
}

function expectSameAsWorker(ours: SampleResult, worker: SampleResult): void {
  expect(ours.promptIds).toEqual(worker.promptIds);
  ours.completions.forEach((group, i) =>
    group.forEach((c, j) => {
      const w = worker.completions[i]![j]!;
      expect({ text: c.text, ids: c.token_ids, finish: c.finish_reason }).toEqual({ text: w.text, ids: w.token_ids, finish: w.finish_reason });
      c.logprobs.forEach((lp, k) => expect(Math.abs(lp - w.logprobs[k]!)).toBeLessThan(1e-4));
    }),
  );
  expect(ours.tokens).toBe(worker.tokens);
}

describe('onnx policy (tiny export)', () => {
  let dir: string;
  const worker: Record<string, SampleResult> = {};
  let policy: Policy;

  beforeAll(async () => {
    dir = join(await tempDir('onnx-policy'), 'export');
    const w = await trainedTinyWorker();
    try {
      await w.exportOnnx(dir);
      for (const [name, o] of Object.entries(CASES)) worker[name] = await w.sample(PROMPTS, o);
    } finally {
      await w.close();
    }
    policy = await createPolicy({ policy: policyConfig(dir) });
  }, 180_000);
  afterAll(() => policy?.close());

  it('greedy: the worker tokens, text and finish reasons, log-probs within 1e-4 (long prompts cut alike)', async () => {
    expect(policy).toBeInstanceOf(OnnxPolicy);
    const ours = await policy.sample(PROMPTS, GREEDY);
    expectSameAsWorker(ours, worker.greedy!);
    // The taught replies end at EOS; the long prompt was cut to fit max_seq_len.
    expect(ours.completions[0]![0]).toMatchObject({ text: TAUGHT[0]!.reply, finish_reason: 'eos' });
    expect(ours.promptIds.at(-1)!.length + GREEDY.maxNewTokens).toBe(160);
  });

  it('stop strings end a sample as the worker ends it (stop kept in the text); max_new_tokens gives length', async () => {
    for (const name of ['closingTag', 'midStop', 'length'] as const) expectSameAsWorker(await policy.sample(PROMPTS, CASES[name]!), worker[name]!);
    const cut = await policy.sample([TAUGHT[1]!.prompt], CASES.midStop!);
    expect(cut.completions[0]![0]).toMatchObject({ text: '<function=bash>', finish_reason: 'stop' });
  });

  it('max_new_tokens that leaves no room for a prompt fails naming the field', async () => {
    await expect(policy.sample(PROMPTS, { ...GREEDY, maxNewTokens: 160 })).rejects.toMatchObject({ code: 'bad_config', field: 'rollout.max_new_tokens' });
  });

  it('sampling: seeded and repeatable; a tiny top_p leaves only the greedy token', async () => {
    const o = { ...GREEDY, n: 4, temperature: 1.5, seed: 7 };
    const a = await policy.sample(UNSEEN, o);
    const b = await policy.sample(UNSEEN, o);
    expect(a.completions).toEqual(b.completions);
    const texts = new Set(a.completions.flat().map((c) => c.text));
    expect(texts.size).toBeGreaterThan(1);
    const nucleus = await policy.sample(PROMPTS, { ...GREEDY, temperature: 1, topP: 1e-6, seed: 3 });
    expectSameAsWorker(nucleus, worker.greedy!);
  });
});

describe('onnx policy (hf test model export: BPE tokenizer, ChatML template, grouped-query cache)', () => {
  const prompts = [...TAUGHT.map((t) => t.prompt), ...UNSEEN];
  const cases = { greedy: { ...GREEDY, maxNewTokens: 24 }, stop: { ...GREEDY, maxNewTokens: 24, stop: ['bash>', '</'] } };
  const worker: Record<string, SampleResult> = {};
  let policy: Policy;

  beforeAll(async () => {
    const dir = join(await tempDir('onnx-hf'), 'export');
    const w = await trainedHfWorker(await hfTestModel(), { steps: 25 });
    try {
      await w.exportOnnx(dir);
      for (const [name, o] of Object.entries(cases)) worker[name] = await w.sample(prompts, o);
    } finally {
      await w.close();
    }
    policy = await createPolicy({ policy: policyConfig(dir) });
  }, 300_000);
  afterAll(() => policy?.close());

  it('renders and tokenizes prompts as transformers does; greedy and stop outputs equal the worker', async () => {
    expect(policy.info).toMatchObject({ backend: 'hf', vocab: 1024, runtime: 'onnxruntime-node' });
    for (const [name, o] of Object.entries(cases)) expectSameAsWorker(await policy.sample(prompts, o), worker[name]!);
    expect(worker.greedy!.completions[0]![0]).toMatchObject({ text: TAUGHT[0]!.reply, finish_reason: 'eos' });
  });
});

describe('onnx policy (hf test model under LoRA: the export merges the adapter)', () => {
  it('greedy outputs equal the worker running base + adapter', async () => {
    const lora = { r: 4, alpha: 8, dropout: 0, target_modules: ['q_proj', 'v_proj'] };
    const dir = join(await tempDir('onnx-lora'), 'export');
    const o = { ...GREEDY, maxNewTokens: 16 };
    const w = await sftWorker({ backend: 'hf', model: await hfTestModel(), lora }, { steps: 10, lr: 1e-2 });
    let expected: SampleResult;
    try {
      await w.exportOnnx(dir);
      expected = await w.sample(TAUGHT.map((t) => t.prompt), o);
    } finally {
      await w.close();
    }
    const policy = await OnnxPolicy.load({ model: dir, threads: 1 });
    try {
      expectSameAsWorker(await policy.sample(TAUGHT.map((t) => t.prompt), o), expected);
    } finally {
      await policy.close();
    }
  }, 300_000);
});

describe('onnx policy: broken export folders', () => {
  async function brokenCopy(edit: (manifest: Record<string, unknown>) => void, o: { model?: boolean } = {}): Promise<string> {
    const src = await goodExport();
    const dir = join(await tempDir('onnx-broken'), 'export');
    await mkdir(dir);
    const m = JSON.parse(await readFile(join(src, 'policy_onnx.json'), 'utf8'));
    edit(m);
    await writeFile(join(dir, 'policy_onnx.json'), JSON.stringify(m));
    if (o.model !== false) await copyFile(join(src, 'model.onnx'), join(dir, 'model.onnx'));
    return dir;
  }
  let good: Promise<string> | undefined;
  function goodExport(): Promise<string> {
    good ??= (async () => {
      const dir = join(await tempDir('onnx-good'), 'export');
      const w = await trainedTinyWorker({ steps: 0 });
      await w.exportOnnx(dir).finally(() => w.close());
      return dir;
    })();
    return good;
  }
  async function loadError(dir: string): Promise<SweSrlError> {
    const e = await OnnxPolicy.load({ model: dir, threads: 1 }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SweSrlError);
    return e as SweSrlError;
  }

  it('no manifest, an invalid field, an unknown version, a missing model file: bad_onnx_export naming it', async () => {
    const empty = await tempDir('onnx-empty');
    expect((await loadError(empty)).message).toMatch(/has no policy_onnx\.json/);
    const badField = await loadError(await brokenCopy((m) => (m.n_layers = 'two')));
    expect(badField).toMatchObject({ code: 'bad_onnx_export', field: 'n_layers', fault: 'user' });
    expect(badField.file).toMatch(/policy_onnx\.json$/);
    expect(await loadError(await brokenCopy((m) => (m.format_version = 99)))).toMatchObject({ field: 'format_version' });
    const noModel = await loadError(await brokenCopy(() => {}, { model: false }));
    expect(noModel).toMatchObject({ code: 'bad_onnx_export', field: 'model_file' });
    expect(noModel.message).toMatch(/model\.onnx, which is missing/);
    const wrongLayers = await loadError(await brokenCopy((m) => (m.inputs = [...(m.inputs as string[]), 'past_key_values.9.key'])));
    expect(wrongLayers).toMatchObject({ field: 'inputs' });
  }, 120_000);

  it('policy.model unset: bad_config naming the field', async () => {
    expect(await loadError(undefined as unknown as string)).toMatchObject({ code: 'bad_config', field: 'policy.model' });
  });
});
