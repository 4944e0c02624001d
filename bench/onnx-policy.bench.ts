// Generation speed of the onnx backend (onnxruntime-node in-process, KV cache) vs the PyTorch worker it was exported
// from, on the same checkpoint, prompts and options, one CPU thread each. Greedy rows also check that both give the
// same tokens. Prints one JSON document: {config, machine (cpus, load average), runs: [{model, mode, prompts, n, max_new_tokens, worker_tokens,
// worker_tok_per_s, onnx_tokens, onnx_tok_per_s, speedup, same_tokens}]}.
// Run: node bin/run-ts.js bench/onnx-policy.bench.ts [--max-new 64] [--n 4] [--repeats 3] [--no-hf]
//   (kept output: bench/results/onnx-policy.json)
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OnnxPolicy } from '../src/policy/onnx-policy.ts';
import type { InitParams } from '../src/policy/protocol.ts';
import type { ChatMessage, Policy, SampleOptions, SampleResult } from '../src/policy/types.ts';
import { hfTestModel } from '../test/helpers/hf-model.ts';
import { sftWorker, TAUGHT, UNSEEN } from '../test/helpers/sft-worker.ts';

Object.assign(process.env, { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' });
const { values: a } = parseArgs({
  options: {
    'max-new': { type: 'string', default: '64' },
    n: { type: 'string', default: '4' },
    repeats: { type: 'string', default: '3' },
    'no-hf': { type: 'boolean', default: false },
  },
});
const maxNew = Number(a['max-new']);
const n = Number(a.n);
const repeats = Number(a.repeats);

// Eight prompts of mixed lengths (left padding at work), taught and unseen.
const PROMPTS: ChatMessage[][] = [
  ...TAUGHT.map((t) => t.prompt),
  ...UNSEEN,
  [{ role: 'user', content: 'explain what this does: for i in range(10): print(i * i)' }],
  [{ role: 'system', content: 'You are a careful engineer.' }, { role: 'user', content: 'open setup.cfg and list the options' }],
  [{ role: 'user', content: 'grep -n foo' }],
];

/** The best of `repeats` timed calls after one warm-up call (tokens/s over the whole sample call). */
async function timeSample(p: Policy, o: SampleOptions): Promise<{ result: SampleResult; tokPerS: number }> {
  let result = await p.sample(PROMPTS, o);
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    result = await p.sample(PROMPTS, o);
    best = Math.max(best, result.tokens / ((performance.now() - t0) / 1000));
  }
  return { result, tokPerS: best };
}

async function compare(model: string, init: InitParams, sft: { steps: number; lr: number }) {
  const dir = await mkdtemp(join(tmpdir(), 'swe-srl-bench-onnx-'));
  const modes: Record<string, SampleOptions> = {
    greedy: { n, maxNewTokens: maxNew, temperature: 0, topP: 1, stop: [], seed: 0 },
    sampled: { n, maxNewTokens: maxNew, temperature: 1, topP: 0.95, stop: [], seed: 0 },
  };
  const worker = await sftWorker(init, sft);
  const workerRuns: Record<string, { result: SampleResult; tokPerS: number }> = {};
  try {
    await worker.exportOnnx(dir);
    for (const [mode, o] of Object.entries(modes)) workerRuns[mode] = await timeSample(worker, o);
  } finally {
    await worker.close();
  }
  const onnx = await OnnxPolicy.load({ model: dir, threads: 1 });
  const runs = [];
  try {
    for (const [mode, o] of Object.entries(modes)) {
      const w = workerRuns[mode]!;
      const x = await timeSample(onnx, o);
      const ids = (r: SampleResult) => JSON.stringify(r.completions.map((g) => g.map((c) => c.token_ids)));
      runs.push({
        model,
        mode,
        prompts: PROMPTS.length,
        n,
        max_new_tokens: maxNew,
        worker_tokens: w.result.tokens,
        worker_tok_per_s: Math.round(w.tokPerS),
        onnx_tokens: x.result.tokens,
        onnx_tok_per_s: Math.round(x.tokPerS),
        speedup: Number((x.tokPerS / w.tokPerS).toFixed(2)),
        same_tokens: mode === 'greedy' ? ids(x.result) === ids(w.result) : null,
      });
    }
  } finally {
    await onnx.close();
    await rm(dir, { recursive: true, force: true });
  }
  return runs;
}

const tinyArch = { d_model: 128, n_layers: 2, n_heads: 4, max_seq_len: 256, init_seed: 0 };
const runs = await compare('tiny (d_model 128, 2 layers)', { backend: 'tiny', tiny: tinyArch }, { steps: 30, lr: 3e-3 });
if (!a['no-hf']) runs.push(...(await compare('hf test model (Qwen2, hidden 64, 2 layers)', { backend: 'hf', model: await hfTestModel() }, { steps: 25, lr: 3e-3 })));
// The machine's load goes with the numbers: on a shared machine wall-clock rates move with it.
const machine = { cpus: cpus().length, load_average_1m: Number(loadavg()[0]!.toFixed(2)) };
console.log(JSON.stringify({ config: { prompts: PROMPTS.length, n, max_new_tokens: maxNew, repeats, threads: 1 }, machine, runs }, null, 2));
