// export_onnx writes a folder an ONNX runtime samples from with the worker's own numbers: the step graph, fed the
// prompt and then one sampled token at a time through its KV cache, gives back the log-probs the worker returned.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';
import { loadOnnxManifest } from '../../src/policy/onnx/manifest.ts';
import { logSoftmax } from '../../src/policy/onnx/sampling.ts';
import { OnnxStepSession } from '../../src/policy/onnx/session.ts';
import { WorkerPolicy } from '../../src/policy/worker-policy.ts';

const tiny = { d_model: 32, n_layers: 2, n_heads: 2, max_seq_len: 96, init_seed: 0 };

describe('ONNX export (tiny backend)', () => {
  it('writes model, manifest and tokenizer entry; the cached step graph reproduces the worker log-probs', async () => {
    const policy = await WorkerPolicy.start({ init: { backend: 'tiny', tiny, threads: 1, seed: 0 } });
    const dir = join(await tempDir('onnx-export'), 'export');
    let sampled;
    try {
      const { bytes } = await policy.exportOnnx(dir);
      expect(bytes).toBeGreaterThan(10_000);
      const prompts = [[{ role: 'user' as const, content: 'show a.py' }], [{ role: 'user' as const, content: 'ls' }]];
      sampled = await policy.sample(prompts, { n: 2, maxNewTokens: 10, temperature: 1, topP: 1, stop: [], seed: 5 });
    } finally {
      await policy.close();
    }
    const m = await loadOnnxManifest(dir);
    expect(m).toMatchObject({ backend: 'tiny', n_layers: 2, n_kv_heads: 2, head_dim: 16, vocab: 259, eos_id: 257, pad_id: 258, max_seq_len: 96 });
    expect(m.tokenizer).toEqual({ kind: 'tiny-bytes' });
    expect(JSON.parse(await readFile(join(dir, 'policy_onnx.json'), 'utf8')).format_version).toBe(1);

    const session = await OnnxStepSession.open(join(dir, m.model_file), m, { threads: 1 });
    try {
      // Two rows of different lengths in one batch: the shorter one left-padded, as the decoding loop feeds them.
      const rows = sampled.completions.map((group, i) => ({ prompt: sampled.promptIds[i]!, c: group[0]! }));
      const width = Math.max(...rows.map((r) => r.prompt.length));
      const ids = rows.flatMap((r) => [...Array<number>(width - r.prompt.length).fill(m.pad_id), ...r.prompt]);
      let mask = rows.map((r) => [...Array<number>(width - r.prompt.length).fill(0), ...r.prompt.map(() => 1)]);
      let out = await session.step(ids, mask.flat(), session.emptyCache(rows.length));
      const steps = Math.min(...rows.map((r) => r.c.token_ids.length));
      for (let k = 0; k < steps; k++) {
        rows.forEach((r, i) => {
          const lp = logSoftmax(out.logits.subarray(i * m.vocab, (i + 1) * m.vocab), 1)[r.c.token_ids[k]!]!;
          expect(Math.abs(lp - r.c.logprobs[k]!)).toBeLessThan(1e-4);
        });
        mask = mask.map((row) => [...row, 1]);
        out = await session.step(rows.map((r) => r.c.token_ids[k]!), mask.flat(), out.cache);
        expect(out.cache.length).toBe(width + k + 1);
      }
    } finally {
      await session.close();
    }
  }, 120_000);
});
