// export_onnx gives a model an ONNX runtime can run, with the worker's own numbers: the log-probs the worker
// returned for its samples are recomputed from the exported graph's logits.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { WorkerPolicy } from '../../src/policy/worker-policy.ts';

const tiny = { d_model: 32, n_layers: 2, n_heads: 2, max_seq_len: 96, init_seed: 0 };

function logSoftmax(row: Float32Array): Float64Array {
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  const lse = max + Math.log(sum);
  return Float64Array.from(row, (v) => v - lse);
}

describe('ONNX export (tiny backend)', () => {
  it('the exported graph reproduces the worker log-probs of sampled tokens, at any batch and length', async () => {
    const policy = await WorkerPolicy.start({ init: { backend: 'tiny', tiny, threads: 1, seed: 0 } });
    const file = join(await mkdtemp(join(tmpdir(), 'onnx-')), 'policy.onnx');
    let sampled;
    try {
      const { bytes } = await policy.exportOnnx(file);
      expect(bytes).toBeGreaterThan(10_000);
      sampled = await policy.sample([[{ role: 'user', content: 'show a.py' }]], { n: 2, maxNewTokens: 10, temperature: 1, topP: 1, stop: [], seed: 5 });
    } finally {
      await policy.close();
    }
    const session = await ort.InferenceSession.create(file);
    const promptIds = sampled.promptIds[0]!;
    for (const c of sampled.completions[0]!) {
      const ids = [...promptIds, ...c.token_ids];
      const input = new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
      const { logits } = await session.run({ input_ids: input });
      const vocab = logits!.dims[2]!;
      const data = logits!.data as Float32Array;
      c.token_ids.forEach((tok, k) => {
        // The logits at position t predict token t + 1.
        const pos = promptIds.length + k - 1;
        const lp = logSoftmax(data.subarray(pos * vocab, (pos + 1) * vocab))[tok]!;
        expect(Math.abs(lp - c.logprobs[k]!)).toBeLessThan(1e-4);
      });
    }
  }, 120_000);
});
