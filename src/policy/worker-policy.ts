// TrainablePolicy over the PyTorch worker: starts the process, sends init, maps camelCase options to the protocol.
import type { ExportHfResult, InitParams } from './protocol.ts';
import type { ChatMessage, PolicyInfo, SampleOptions, SampleResult, TrainablePolicy, TrainStepOptions } from './types.ts';
import { WorkerClient, type WorkerClientOptions } from './worker-client.ts';

export interface WorkerPolicyOptions extends WorkerClientOptions {
  init: InitParams;
}

export class WorkerPolicy implements TrainablePolicy {
  private constructor(
    readonly client: WorkerClient,
    readonly info: PolicyInfo,
  ) {}

  /** Starts a worker and initialises its backend; on an init failure the process is stopped. */
  static async start(opts: WorkerPolicyOptions): Promise<WorkerPolicy> {
    const client = await WorkerClient.start(opts);
    try {
      const info = await client.request('init', opts.init);
      return new WorkerPolicy(client, info);
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  /** Samples n completions per prompt (see Policy.sample). */
  async sample(prompts: ChatMessage[][], o: SampleOptions): Promise<SampleResult> {
    const r = await this.client.request('generate', {
      prompts,
      n: o.n,
      max_new_tokens: o.maxNewTokens,
      temperature: o.temperature,
      top_p: o.topP,
      stop: o.stop,
      seed: o.seed,
      shared_prefix: o.sharedPrefix,
    });
    return { promptIds: r.prompt_ids, completions: r.completions, tokens: r.tokens, seconds: r.seconds };
  }

  /** Token ids of prompts and targets (targets end with EOS). */
  encode(prompts: ChatMessage[][], targets?: string[], opts: { promptRoom?: number } = {}) {
    return this.client.request('encode', { prompts, targets, prompt_room: opts.promptRoom });
  }

  /** One GRPO update (see TrainablePolicy.trainStep). */
  trainStep(o: TrainStepOptions) {
    return this.client.request('train_step', {
      samples: o.samples,
      clip_low: o.clipLow,
      clip_high: o.clipHigh,
      kl_coef: o.klCoef,
      loss_agg: o.lossAgg,
      grad_clip: o.gradClip,
      temperature: o.temperature,
      lr: o.lr,
    });
  }

  /** One SFT update on completion tokens. */
  sftStep(samples: { prompt_ids: number[]; completion_ids: number[] }[], o: { gradClip: number | null; lr?: number }) {
    return this.client.request('sft_step', { samples, grad_clip: o.gradClip, lr: o.lr });
  }

  /** Weights, optimizer state and RNG into dir/policy.pt. */
  async save(dir: string, o: { optimizer?: boolean } = {}): Promise<void> {
    await this.client.request('save', { path: dir, optimizer: o.optimizer });
  }

  /** Restores what save wrote (optimizer and RNG optional: off to start fresh from another run's weights). */
  async load(dir: string, o: { optimizer?: boolean; rng?: boolean; reference?: boolean } = {}): Promise<void> {
    await this.client.request('load', { path: dir, optimizer: o.optimizer, rng: o.rng, reference: o.reference });
  }

  /**
   * Writes the policy as a folder the onnx backend loads (policy.backend=onnx, policy.model=dir): model.onnx (one
   * decoding step with a KV cache), the tokenizer and policy_onnx.json. dir is created if missing; files of an
   * earlier export there are replaced. Returns the folder's size in bytes.
   */
  async exportOnnx(dir: string): Promise<{ bytes: number }> {
    const r = await this.client.request('export_onnx', { path: dir });
    return { bytes: r.bytes };
  }

  /** A Hugging Face model folder of the policy (hf backend; merged weights under LoRA, plus dir/adapter if asked). */
  exportHf(dir: string, o: { adapter?: boolean } = {}): Promise<ExportHfResult> {
    return this.client.request('export_hf', { path: dir, adapter: o.adapter });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
