// Policy over a folder written by the worker's export_onnx: onnxruntime-node runs the step graph in-process with a
// KV cache and the exported tokenizer renders prompts, so evaluation and agent episodes need no Python.
import { join } from 'node:path';
import type { PolicyConfig } from '../config/policy.ts';
import { SweSrlError } from '../util/errors.ts';
import { loadChatTokenizer, type ChatTokenizer } from './onnx/chat-tokenizer.ts';
import { decodeBatch, fitPrompt } from './onnx/generate.ts';
import { loadOnnxManifest, type OnnxManifest } from './onnx/manifest.ts';
import { seededRandom } from './onnx/sampling.ts';
import { OnnxStepSession } from './onnx/session.ts';
import type { ChatMessage, Completion, Policy, PolicyInfo, SampleOptions, SampleResult } from './types.ts';

/** Sequences decoded in one batch at most (the worker's default chunk: micro_batch_size 16 x 4). */
const MAX_BATCH_ROWS = 64;

export class OnnxPolicy implements Policy {
  private constructor(
    readonly info: PolicyInfo,
    readonly manifest: OnnxManifest,
    private readonly session: OnnxStepSession,
    private readonly tokenizer: ChatTokenizer,
  ) {}

  /** Loads policy.model (the export folder); policy.threads sets onnxruntime's intra-op threads. */
  static async load(policy: Pick<PolicyConfig, 'model' | 'threads'>): Promise<OnnxPolicy> {
    const dir = policy.model;
    if (!dir)
      throw new SweSrlError({
        code: 'bad_config',
        message: 'the onnx backend needs policy.model: the folder export_onnx wrote',
        fault: 'user',
        field: 'policy.model',
        hint: 'Export with swe-srl policy export --format onnx --out DIR and set policy.model=DIR.',
      });
    const manifest = await loadOnnxManifest(dir);
    const tokenizer = await loadChatTokenizer(dir, manifest);
    const session = await OnnxStepSession.open(join(dir, manifest.model_file), manifest, { threads: policy.threads ?? 1 });
    const info: PolicyInfo = {
      backend: manifest.backend,
      parameters: manifest.parameters,
      vocab: manifest.vocab,
      max_seq_len: manifest.max_seq_len,
      device: 'cpu',
      runtime: 'onnxruntime-node',
      model: dir,
    };
    return new OnnxPolicy(info, manifest, session, tokenizer);
  }

  /** The chat prompt's token ids as sampling feeds them (cut from the left to leave room new tokens). */
  encodePrompt(messages: ChatMessage[], room: number): number[] {
    return fitPrompt(this.tokenizer.encodePrompt(messages), room, this.manifest.max_seq_len);
  }

  /** n completions per prompt; temperature 0 is greedy; seed fixes the sampler's random stream. */
  async sample(prompts: ChatMessage[][], o: SampleOptions): Promise<SampleResult> {
    const limit = this.manifest.max_seq_len;
    if (limit !== null && o.maxNewTokens >= limit)
      throw new SweSrlError({
        code: 'bad_config',
        message: `max_new_tokens ${o.maxNewTokens} leaves no room for the prompt in the model's ${limit}-token context`,
        fault: 'user',
        field: 'rollout.max_new_tokens',
        value: o.maxNewTokens,
        hint: `Sample at most ${limit - 1} new tokens with this export (its policy_onnx.json max_seq_len is ${limit}).`,
      });
    const t0 = performance.now();
    const promptIds = prompts.map((m) => this.encodePrompt(m, o.maxNewTokens));
    const random = seededRandom(o.seed);
    const perChunk = Math.max(1, Math.floor(MAX_BATCH_ROWS / o.n));
    const completions: Completion[][] = [];
    for (let start = 0; start < promptIds.length; start += perChunk) {
      const groups = await decodeBatch(this.session, this.tokenizer, promptIds.slice(start, start + perChunk), {
        n: o.n,
        maxNewTokens: o.maxNewTokens,
        temperature: o.temperature,
        topP: o.topP,
        stop: o.stop,
        eosId: this.manifest.eos_id,
        padId: this.manifest.pad_id,
        random,
      });
      completions.push(...groups);
    }
    const tokens = completions.flat().reduce((s, c) => s + c.token_ids.length, 0);
    return { promptIds, completions, tokens, seconds: (performance.now() - t0) / 1000 };
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
