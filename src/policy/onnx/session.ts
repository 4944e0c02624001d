// The exported step graph under onnxruntime-node: one call runs new tokens against the KV cache and returns the last
// position's logits and the grown cache. onnxruntime-node is an optional dependency, imported only here, on first use.
import type * as Ort from 'onnxruntime-node';
import { SweSrlError } from '../../util/errors.ts';
import type { OnnxManifest } from './manifest.ts';

type OrtModule = typeof Ort;

/** The cache: per layer, key then value, each [rows, kv_heads, length, head_dim] float32. */
export interface KvCache {
  rows: number;
  length: number;
  tensors: Ort.Tensor[];
}

export interface StepResult {
  /** [rows * vocab]: the last position's logits of each row. */
  logits: Float32Array;
  cache: KvCache;
}

let ortPromise: Promise<OrtModule> | undefined;

/** onnxruntime-node, or an error saying how to install it. */
export function loadOrt(): Promise<OrtModule> {
  ortPromise ??= import('onnxruntime-node').then(
    (m) => ((m as unknown as { default?: OrtModule }).default ?? m) as OrtModule,
    (e) => {
      ortPromise = undefined;
      throw new SweSrlError({
        code: 'missing_dependency',
        message: 'policy.backend=onnx needs the onnxruntime-node package, which is not installed',
        fault: 'environment',
        hint: 'Run npm install (onnxruntime-node is an optional dependency; ONNXRUNTIME_NODE_INSTALL=skip keeps its CPU build).',
        cause: e,
      });
    },
  );
  return ortPromise;
}

export class OnnxStepSession {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    private readonly m: OnnxManifest,
  ) {}

  /** Opens model_file; threads: intra-op threads (1 suits small models on a shared machine). */
  static async open(file: string, m: OnnxManifest, o: { threads: number }): Promise<OnnxStepSession> {
    const ort = await loadOrt();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file, { intraOpNumThreads: o.threads, interOpNumThreads: 1 });
    } catch (e) {
      throw new SweSrlError({
        code: 'bad_onnx_export',
        message: `onnxruntime cannot load the model: ${(e as Error).message}`,
        fault: 'user',
        file,
        hint: 'Export the policy again with swe-srl policy export --format onnx.',
        cause: e,
      });
    }
    const want = [...m.inputs].sort().join(',');
    const have = [...session.inputNames].sort().join(',');
    if (want !== have)
      throw new SweSrlError({
        code: 'bad_onnx_export',
        message: `the model's inputs (${have}) are not the manifest's (${want})`,
        fault: 'user',
        file,
        field: 'inputs',
        hint: 'The folder mixes files of two exports: export the policy again.',
      });
    return new OnnxStepSession(ort, session, m);
  }

  /** A cache of length 0 for rows sequences. */
  emptyCache(rows: number): KvCache {
    const shape = [rows, this.m.n_kv_heads, 0, this.m.head_dim];
    const tensors = Array.from({ length: 2 * this.m.n_layers }, () => new this.ort.Tensor('float32', new Float32Array(0), shape));
    return { rows, length: 0, tensors };
  }

  /** ids: [rows, t] row-major; mask: [rows, cache.length + t] (1 = real token, 0 = left padding). */
  async step(ids: number[], mask: number[], cache: KvCache): Promise<StepResult> {
    const rows = cache.rows;
    const t = ids.length / rows;
    const feeds: Record<string, Ort.Tensor> = {
      input_ids: new this.ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [rows, t]),
      attention_mask: new this.ort.Tensor('int64', BigInt64Array.from(mask, BigInt), [rows, mask.length / rows]),
    };
    for (let i = 0; i < this.m.n_layers; i++) {
      feeds[`past_key_values.${i}.key`] = cache.tensors[2 * i]!;
      feeds[`past_key_values.${i}.value`] = cache.tensors[2 * i + 1]!;
    }
    const out = await this.session.run(feeds);
    const tensors: Ort.Tensor[] = [];
    for (let i = 0; i < this.m.n_layers; i++) tensors.push(out[`present.${i}.key`]!, out[`present.${i}.value`]!);
    return { logits: out.logits!.data as Float32Array, cache: { rows, length: cache.length + t, tensors } };
  }

  /** The cache with row r copied from row index[r] (a prompt's prefill shared by its n samples). */
  selectRows(cache: KvCache, index: readonly number[]): KvCache {
    if (index.length === cache.rows && index.every((from, r) => from === r)) return cache;
    const tensors = cache.tensors.map((src) => {
      const data = src.data as Float32Array;
      const per = data.length / cache.rows;
      const out = new Float32Array(per * index.length);
      index.forEach((from, r) => out.set(data.subarray(from * per, (from + 1) * per), r * per));
      return new this.ort.Tensor('float32', out, [index.length, ...src.dims.slice(1)]);
    });
    return { rows: index.length, length: cache.length, tensors };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
