// Worker policies taught a few replies by SFT, so greedy decoding gives varied, non-trivial text that ends at EOS:
// the ONNX backend's tests and benchmark compare against them.
import type { InitParams } from '../../src/policy/protocol.ts';
import { WorkerPolicy } from '../../src/policy/worker-policy.ts';
import type { ChatMessage } from '../../src/policy/types.ts';

export const TINY_ARCH = { d_model: 32, n_layers: 2, n_heads: 2, max_seq_len: 160, init_seed: 0 };

/** Prompts and the replies the SFT steps teach (each reply holds a </function> closing tag before EOS). */
export const TAUGHT: { prompt: ChatMessage[]; reply: string }[] = [
  { prompt: [{ role: 'user', content: 'show a.py' }], reply: '<function=bash>cat a.py</function>' },
  { prompt: [{ role: 'user', content: 'list files' }], reply: '<function=bash>ls -la</function>' },
  { prompt: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'run tests' }], reply: '<function=bash>pytest -q</function>' },
];

/** Prompts the SFT steps never saw (greedy text there is whatever the model makes of them). */
export const UNSEEN: ChatMessage[][] = [
  [{ role: 'user', content: 'fix the bug in b.py' }],
  [{ role: 'user', content: 'héllo wörld ✓' }],
];

/** A worker (started from init, threads 1) after `steps` SFT steps on TAUGHT; close it when done. */
export async function sftWorker(init: InitParams, o: { steps: number; lr: number }): Promise<WorkerPolicy> {
  const policy = await WorkerPolicy.start({ init: { threads: 1, seed: 0, ...init, optimizer: { lr: o.lr } } });
  try {
    const enc = await policy.encode(
      TAUGHT.map((t) => t.prompt),
      TAUGHT.map((t) => t.reply),
    );
    const samples = enc.prompt_ids.map((p, i) => ({ prompt_ids: p, completion_ids: enc.target_ids![i]! }));
    for (let s = 0; s < o.steps; s++) await policy.sftStep(samples, { gradClip: 1.0 });
    return policy;
  } catch (e) {
    await policy.close();
    throw e;
  }
}

/** The tiny worker after `steps` SFT steps (default 60, lr 3e-3). */
export function trainedTinyWorker(o: { steps?: number; arch?: typeof TINY_ARCH } = {}): Promise<WorkerPolicy> {
  return sftWorker({ backend: 'tiny', tiny: o.arch ?? TINY_ARCH }, { steps: o.steps ?? 60, lr: 3e-3 });
}

/** The hf test model folder's worker after `steps` SFT steps (default 40, lr 3e-3). */
export function trainedHfWorker(model: string, o: { steps?: number } = {}): Promise<WorkerPolicy> {
  return sftWorker({ backend: 'hf', model }, { steps: o.steps ?? 40, lr: 3e-3 });
}
