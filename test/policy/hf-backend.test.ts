// The hf backend end to end on CPU: a real worker process running a small random Qwen2 model made locally
// (test/helpers/hf-model.ts), driven through createTrainablePolicy as training drives it.
import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { createTrainablePolicy } from '../../src/policy/create.ts';
import { defaultPython } from '../../src/policy/python-env.ts';
import type { ChatMessage, SampleOptions, TrainablePolicy } from '../../src/policy/types.ts';
import { hfTestModel } from '../helpers/hf-model.ts';

Object.assign(process.env, { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' });
const LORA = { r: 4, alpha: 8, dropout: 0, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] };
const PROMPTS: ChatMessage[][] = [
  [{ role: 'user', content: 'show a.py' }],
  [{ role: 'user', content: 'list the files in src and count the lines of main.c' }],
];
const SAMPLE: SampleOptions = { n: 3, maxNewTokens: 10, temperature: 1, topP: 1, stop: [], seed: 3 };

let model = '';
let dir = '';

async function start(o: { model?: string; lora?: typeof LORA; kl?: boolean; lr?: number; checkpointing?: boolean } = {}): Promise<TrainablePolicy> {
  const c = validateConfig(TrainConfigSchema, {
    out: 'unused',
    data: { train: 'unused' },
    train: { val_every: 0 },
    policy: {
      backend: 'hf',
      model: o.model ?? model,
      threads: 1,
      micro_batch_size: 8,
      gradient_checkpointing: o.checkpointing ?? false,
      ...(o.lora ? { lora: o.lora } : {}),
    },
    optimizer: { lr: o.lr ?? 1e-3 },
  });
  return createTrainablePolicy({ policy: c.policy, optimizer: c.optimizer, reference: o.kl ?? false, seed: 0 });
}

// On-policy GRPO samples from one sampling call: the first of each group is rewarded, the others not.
async function onPolicy(policy: TrainablePolicy, seed: number) {
  const r = await policy.sample(PROMPTS, { ...SAMPLE, seed });
  return r.completions.flatMap((group, i) =>
    group.map((c, j) => ({ prompt_ids: r.promptIds[i]!, completion_ids: c.token_ids, advantage: j === 0 ? 1 : -0.5, old_logprobs: c.logprobs })),
  );
}

const STEP = { clipLow: 0.2, clipHigh: 0.2, lossAgg: 'token-mean' as const, gradClip: 1, temperature: 1 };

beforeAll(async () => {
  model = await hfTestModel();
  dir = await mkdtemp(join(tmpdir(), 'swe-srl-hf-'));
}, 180_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('hf backend (small Qwen2 test model, CPU)', () => {
  let policy: TrainablePolicy;
  beforeAll(async () => {
    policy = await start();
  }, 120_000);
  afterAll(async () => policy?.close());

  it('describes the model: all parameters train without LoRA', () => {
    expect(policy.info).toMatchObject({ backend: 'hf', vocab: 1024, device: 'cpu', dtype: 'float32' });
    expect(policy.info.trainable_parameters).toBe(policy.info.parameters);
  });

  it('samples n completions per prompt; the same seed gives the same samples, another seed others', async () => {
    const a = await policy.sample(PROMPTS, SAMPLE);
    const b = await policy.sample(PROMPTS, SAMPLE);
    const c = await policy.sample(PROMPTS, { ...SAMPLE, seed: 4 });
    expect(a.completions).toHaveLength(2);
    expect(a.completions.every((g) => g.length === 3)).toBe(true);
    expect(a.promptIds[0]!.length).toBeLessThan(a.promptIds[1]!.length); // mixed lengths: left padding at work
    for (const g of a.completions)
      for (const x of g) {
        expect(x.token_ids.length).toBe(x.logprobs.length);
        expect(['length', 'eos']).toContain(x.finish_reason);
      }
    expect(b.completions).toEqual(a.completions);
    expect(c.completions).not.toEqual(a.completions);
  });

  it('top_p keeps only the head of the distribution: every sampled token is likely under it', async () => {
    const r = await policy.sample(PROMPTS, { ...SAMPLE, topP: 0.05 });
    const wide = await policy.sample(PROMPTS, { ...SAMPLE, topP: 1 });
    const mean = (x: typeof r) => {
      const lps = x.completions.flat().flatMap((c) => c.logprobs);
      return lps.reduce((s, v) => s + v, 0) / lps.length;
    };
    expect(mean(r)).toBeGreaterThan(mean(wide));
  });

  it('a stop string ends the sample, kept in the text', async () => {
    const free = await policy.sample(PROMPTS, { ...SAMPLE, n: 1, maxNewTokens: 16 });
    const text = free.completions[0]![0]!.text;
    const at = text.search(/[ -~]{2}/);
    expect(at).toBeGreaterThanOrEqual(0);
    const stop = text.slice(at, at + 2);
    const r = await policy.sample(PROMPTS, { ...SAMPLE, n: 1, maxNewTokens: 16, stop: [stop] });
    const c = r.completions[0]![0]!;
    expect(c.finish_reason).toBe('stop');
    expect(c.text).toBe(text.slice(0, text.indexOf(stop) + stop.length));
  });

  it('sampling log-probs equal the training forward pass: an on-policy update has ratio 1', async () => {
    const samples = await onPolicy(policy, 9);
    const r = await policy.trainStep({ ...STEP, samples, klCoef: 0, lr: 0 });
    expect(r.ratio_mean).toBeCloseTo(1, 5);
    expect(r.max_abs_log_ratio).toBeLessThan(1e-4);
    expect(r.clip_frac).toBe(0);
  });

  it('GRPO loss falls over a few steps on a fixed batch', async () => {
    const samples = await onPolicy(policy, 10);
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) losses.push((await policy.trainStep({ ...STEP, samples, klCoef: 0, lr: 1e-3 })).loss);
    expect(losses[2]!).toBeLessThan(losses[0]! - 0.01);
  });

  it('SFT loss falls on a fixed batch, and the learned answer ends with EOS', async () => {
    const prompt = [{ role: 'user' as const, content: 'say ok' }];
    const enc = await policy.encode([prompt], ['ok']);
    expect(enc.target_ids![0]!.at(-1)).toBe(2); // <|im_end|>
    const samples = [{ prompt_ids: enc.prompt_ids[0]!, completion_ids: enc.target_ids![0]! }];
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) losses.push((await policy.sftStep(samples, { gradClip: 1, lr: 1e-2 })).loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
    const r = await policy.sample([prompt], { ...SAMPLE, n: 1, temperature: 0, maxNewTokens: 8 });
    expect(r.completions[0]![0]).toMatchObject({ text: 'ok', finish_reason: 'eos' });
  });
});

describe('hf backend: KL reference, LoRA, checkpoints', () => {
  it('without LoRA: KL to the model folder is 0 before any step and > 0 after', async () => {
    const policy = await start({ kl: true });
    try {
      const samples = await onPolicy(policy, 1);
      const first = await policy.trainStep({ ...STEP, samples, klCoef: 0.1 });
      expect(first.kl).toBe(0);
      const second = await policy.trainStep({ ...STEP, samples, klCoef: 0.1 });
      expect(second.kl).toBeGreaterThan(0);
    } finally {
      await policy.close();
    }
  }, 120_000);

  it('LoRA trains only the adapter; its KL reference is the base (adapter off), 0 before a step and > 0 after', async () => {
    const policy = await start({ lora: LORA, kl: true, lr: 1e-2 });
    try {
      // r * (in + out) per target: q and o are 64x64, k and v 64x32 (one KV head of 32), two layers.
      expect(policy.info.trainable_parameters).toBe(2 * 4 * (128 + 96 + 96 + 128));
      const samples = await onPolicy(policy, 2);
      expect((await policy.trainStep({ ...STEP, samples, klCoef: 0.1 })).kl).toBe(0);
      expect((await policy.trainStep({ ...STEP, samples, klCoef: 0.1 })).kl).toBeGreaterThan(0);
      const ckpt = join(dir, 'lora-ckpt');
      await policy.save(ckpt);
      const keys = await execa(defaultPython(), [
        '-c',
        'import sys, torch; print("\\n".join(torch.load(sys.argv[1], map_location="cpu")["model"]))',
        join(ckpt, 'policy.pt'),
      ]);
      const names = keys.stdout.trim().split('\n');
      expect(names).toHaveLength(2 * 4 * 2); // lora_A and lora_B of 4 modules in 2 layers
      expect(names.every((n) => n.includes('lora_'))).toBe(true);
    } finally {
      await policy.close();
    }
  }, 120_000);

  it('gradient checkpointing (with LoRA) keeps the sampling KV cache: on-policy ratio 1, and it trains', async () => {
    const policy = await start({ lora: LORA, checkpointing: true, lr: 1e-2 });
    try {
      const samples = await onPolicy(policy, 5);
      const r = await policy.trainStep({ ...STEP, samples, klCoef: 0 });
      expect(r.max_abs_log_ratio).toBeLessThan(1e-4);
      expect(r.grad_norm).toBeGreaterThan(0);
      expect((await policy.trainStep({ ...STEP, samples, klCoef: 0 })).max_abs_log_ratio).toBeGreaterThan(1e-3);
    } finally {
      await policy.close();
    }
  }, 120_000);

  for (const lora of [undefined, LORA]) {
    it(`save/load gives an identical continuation with kl_coef > 0 (${lora ? 'LoRA' : 'full'}); the reference stays the start`, async () => {
      const ckpt = join(dir, `resume-${lora ? 'lora' : 'full'}`);
      const run = async (policy: TrainablePolicy, seeds: number[]) => {
        const out = [];
        for (const seed of seeds) {
          const samples = await onPolicy(policy, seed);
          const r = await policy.trainStep({ ...STEP, samples, klCoef: 0.2 });
          out.push({ samples, loss: r.loss, kl: r.kl, grad_norm: r.grad_norm });
        }
        return out;
      };
      const a = await start({ lora, kl: true, lr: 5e-3 });
      let whole;
      try {
        await run(a, [1, 2]);
        await a.save(ckpt);
        whole = await run(a, [3, 4]);
      } finally {
        await a.close();
      }
      const b = await start({ lora, kl: true, lr: 5e-3 });
      try {
        await b.load(ckpt);
        const resumed = await run(b, [3, 4]);
        expect(resumed).toEqual(whole);
        expect(resumed[0]!.kl).toBeGreaterThan(0); // measured against the model folder, not the loaded weights
      } finally {
        await b.close();
      }
    }, 180_000);
  }
});

describe('hf backend: a bad policy.model fails at init with the fix', () => {
  const expectInitError = async (folder: string, pattern: RegExp) => {
    const t0 = Date.now();
    await expect(start({ model: folder })).rejects.toThrow(pattern);
    expect(Date.now() - t0).toBeLessThan(60_000);
  };

  it('a folder that does not exist', async () => {
    await expectInitError(join(dir, 'nope'), /policy\.model .*nope.* is not a folder.*make-test-model/);
  }, 60_000);

  it('a folder without tokenizer files', async () => {
    const bare = join(dir, 'no-tokenizer');
    await mkdir(bare);
    for (const f of ['config.json', 'model.safetensors']) await copyFile(join(model, f), join(bare, f));
    await expectInitError(bare, /policy\.model .*no-tokenizer.* has no tokenizer files.*save_pretrained/);
  }, 60_000);

  it('a tokenizer without a chat template', async () => {
    const plain = join(dir, 'no-template');
    await mkdir(plain);
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'])
      await copyFile(join(model, f), join(plain, f));
    await expectInitError(plain, /policy\.model .*no-template.* has no chat template.*chat_template/);
  }, 60_000);
});

describe('hf backend: the make-test-model default size (a few million parameters)', () => {
  it('4 layers, hidden 256, vocab 2048: loads, samples, and an on-policy step has ratio 1', async () => {
    const big = await hfTestModel({ vocabSize: 2048, layers: 4, hidden: 256 });
    const policy = await start({ model: big });
    try {
      expect(policy.info.parameters).toBeGreaterThan(2_000_000);
      expect(policy.info.parameters).toBeLessThan(10_000_000);
      const r = await policy.sample(PROMPTS.slice(0, 1), { ...SAMPLE, n: 2, maxNewTokens: 6 });
      expect(r.completions[0]).toHaveLength(2);
      const samples = r.completions[0]!.map((c, j) => ({ prompt_ids: r.promptIds[0]!, completion_ids: c.token_ids, advantage: j ? -1 : 1, old_logprobs: c.logprobs }));
      const s = await policy.trainStep({ ...STEP, samples, klCoef: 0, lr: 1e-4 });
      expect(Number.isFinite(s.loss)).toBe(true);
      expect(s.ratio_mean).toBeCloseTo(1, 4);
    } finally {
      await policy.close();
    }
  }, 300_000);
});
