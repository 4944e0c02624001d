import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { exportCheckpoint } from '../../src/policy/export.ts';
import { defaultPython } from '../../src/policy/python-env.ts';
import { WorkerPolicy } from '../../src/policy/worker-policy.ts';
import { hfTestModel } from '../helpers/hf-model.ts';
import { tempDir } from '../helpers/tmp.ts';

const prompt = [{ role: 'user' as const, content: 'show me the failing test' }];
const target = '<think>look first</think>\n<function=bash>\n<parameter=command>ls src</parameter>\n</function>';
const greedy = { n: 1, maxNewTokens: 8, temperature: 0, topP: 1, stop: [], seed: 0 };

// Plain transformers (and peft for the adapter) in the worker's Python: the prompt ids the chat template gives, the
// log-probs of the completion tokens, and what generation_config.json says.
const CHECK = `
import json, sys, torch
torch.set_num_threads(1)
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig
a = json.loads(sys.argv[1])
tok = AutoTokenizer.from_pretrained(a["dir"])
enc = tok.apply_chat_template(a["messages"], add_generation_prompt=True, tokenize=True)
prompt = list(enc["input_ids"] if hasattr(enc, "keys") else enc)
def logprobs(model):
    ids = torch.tensor([prompt + a["completion"]])
    with torch.no_grad():
        lp = torch.log_softmax(model(ids).logits[0, len(prompt) - 1:-1].float(), -1)
    return lp.gather(-1, torch.tensor(a["completion"]).view(-1, 1)).squeeze(-1).tolist()
out = {"prompt_ids": prompt, "logprobs": logprobs(AutoModelForCausalLM.from_pretrained(a["dir"], dtype=torch.float32).eval()),
       "eos": GenerationConfig.from_pretrained(a["dir"]).eos_token_id, "tokenizer_eos": tok.eos_token_id}
if a.get("base"):  # the model the run started from, to show the training moved the weights
    out["base_logprobs"] = logprobs(AutoModelForCausalLM.from_pretrained(a["base"], dtype=torch.float32).eval())
if a.get("adapter"):
    from peft import PeftModel
    base = AutoModelForCausalLM.from_pretrained(a["base"], dtype=torch.float32)
    out["adapter_logprobs"] = logprobs(PeftModel.from_pretrained(base, a["adapter"]).eval())
print(json.dumps(out))
`;

interface Checked {
  prompt_ids: number[];
  logprobs: number[];
  adapter_logprobs?: number[];
  base_logprobs?: number[];
  eos: number;
  tokenizer_eos: number;
}

async function loadWithTransformers(a: Record<string, unknown>): Promise<Checked> {
  const r = await execa(defaultPython(), ['-c', CHECK, JSON.stringify(a)], { env: { OMP_NUM_THREADS: '1' } });
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Checked;
}

const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));

/** A run folder as swe-srl train leaves it: config.json, and a checkpoint two levels down after a few SFT steps. */
async function trainedRun(policyConfig: Record<string, unknown>) {
  const run = await tempDir('export-run');
  await writeFile(join(run, 'config.json'), JSON.stringify({ version: 1, policy: policyConfig }));
  const ckpt = join(run, 'checkpoints', 'step-000003');
  const p = policyConfig as { backend: 'hf'; model: string; lora?: { r: number; alpha: number } };
  const policy = await WorkerPolicy.start({ init: { ...p, threads: 1, optimizer: { lr: 1e-2 } } });
  try {
    const enc = await policy.encode([prompt], [target]);
    const s = [{ prompt_ids: enc.prompt_ids[0]!, completion_ids: enc.target_ids![0]! }];
    for (let i = 0; i < 3; i++) await policy.sftStep(s, { gradClip: 1 });
    await policy.save(ckpt);
    const sampled = await policy.sample([prompt], greedy);
    return { run, ckpt, sampled };
  } finally {
    await policy.close();
  }
}

describe('policy export --format hf', () => {
  let model: string;
  beforeAll(async () => {
    model = await hfTestModel();
  }, 300_000);

  it('a LoRA run exports merged weights plain transformers loads with the worker\'s log-probs, and its adapter', async () => {
    const { ckpt, sampled } = await trainedRun({ backend: 'hf', model, lora: { r: 4, alpha: 8 } });
    const out = join(await tempDir('export-out'), 'model');
    const report = await exportCheckpoint({ checkpoint: ckpt, out, format: 'hf' });
    expect(report).toMatchObject({ format: 'hf', backend: 'hf', adapter: join(out, 'adapter') });
    expect(report.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer_config.json', 'generation_config.json', 'export.json']));
    const c = sampled.completions[0]![0]!;
    const got = await loadWithTransformers({ dir: out, messages: prompt, completion: c.token_ids, adapter: report.adapter, base: model });
    expect(got.prompt_ids).toEqual(sampled.promptIds[0]);
    expect(maxDiff(got.logprobs, c.logprobs)).toBeLessThan(1e-4);
    expect(maxDiff(got.adapter_logprobs!, c.logprobs)).toBeLessThan(1e-4);
    expect(got.eos).toBe(got.tokenizer_eos);
    // The training moved the weights: the export is not just the base model.
    expect(maxDiff(got.base_logprobs!, c.logprobs)).toBeGreaterThan(1e-3);
  }, 300_000);

  it('a full fine-tune exports its weights as they are, with no adapter', async () => {
    const { ckpt, sampled } = await trainedRun({ backend: 'hf', model });
    const out = await tempDir('export-full');
    const report = await exportCheckpoint({ checkpoint: ckpt, out, format: 'hf' });
    expect(report.adapter).toBeNull();
    expect(existsSync(join(out, 'adapter'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ use_cache: true });
    const c = sampled.completions[0]![0]!;
    const got = await loadWithTransformers({ dir: out, messages: prompt, completion: c.token_ids });
    expect(maxDiff(got.logprobs, c.logprobs)).toBeLessThan(1e-4);
  }, 300_000);
});

describe('policy export --format onnx', () => {
  it('a tiny run exports through the worker\'s export_onnx into a folder policy.backend=onnx reads', async () => {
    const tiny = { d_model: 16, n_layers: 1, n_heads: 2, max_seq_len: 64, init_seed: 0 };
    const run = await tempDir('export-tiny');
    await writeFile(join(run, 'config.json'), JSON.stringify({ policy: { backend: 'tiny', tiny, threads: 1 } }));
    const policy = await WorkerPolicy.start({ init: { backend: 'tiny', tiny, threads: 1 } });
    await policy.save(join(run, 'best'));
    await policy.close();
    const out = join(run, 'onnx');
    const report = await exportCheckpoint({ checkpoint: join(run, 'best'), out, format: 'onnx' });
    expect(report).toMatchObject({ format: 'onnx', backend: 'tiny', adapter: null, config: join(run, 'config.json') });
    expect(report.files).toEqual(expect.arrayContaining(['model.onnx', 'policy_onnx.json']));
    expect(report.bytes).toBeGreaterThan(0);
  }, 120_000);
});

describe('policy export: wrong inputs fail before a worker starts', () => {
  async function fakeCheckpoint(config: unknown): Promise<string> {
    const run = await tempDir('export-bad');
    const ckpt = join(run, 'best');
    await mkdir(ckpt, { recursive: true });
    await writeFile(join(ckpt, 'policy.pt'), '');
    if (config !== undefined) await writeFile(join(run, 'config.json'), JSON.stringify(config));
    return ckpt;
  }

  it('a tiny run has no Hugging Face form and is pointed at --format onnx', async () => {
    const ckpt = await fakeCheckpoint({ policy: { backend: 'tiny' } });
    await expect(exportCheckpoint({ checkpoint: ckpt, out: join(ckpt, 'x'), format: 'hf' })).rejects.toThrow(/no_hf_form[\s\S]*--format onnx/);
  });

  it('the CLI names a bad --format and lists the valid ones', async () => {
    const ckpt = await fakeCheckpoint({ policy: { backend: 'tiny' } });
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    try {
      expect(await main(['policy', 'export', '--checkpoint', ckpt, '--out', join(ckpt, 'x'), '--format', 'gguf'])).toBe(2);
      expect(await main(['policy', 'export', '--checkpoint', ckpt, '--out', join(ckpt, 'x')])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors[0]).toMatch(/unknown export format; valid: hf, onnx/);
    expect(errors[1]).toMatch(/no_hf_form/);
  });

  it('a checkpoint with no run config asks for --config', async () => {
    const ckpt = await fakeCheckpoint(undefined);
    await expect(exportCheckpoint({ checkpoint: ckpt, out: join(ckpt, 'x'), format: 'hf' })).rejects.toThrow(/no_run_config[\s\S]*--config/);
  });
});
