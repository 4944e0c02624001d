// The Policy seam: what the trainer and the evaluators need from a model, whatever runs it (the PyTorch worker
// today; an OpenAI-compatible HTTP server or ONNX later). Sampling-only backends implement Policy; the trainer
// needs TrainablePolicy.
import type { PolicyBackend } from '../config/policy.ts';
import type {
  ChatMessage,
  Completion,
  EncodeResult,
  ExportHfResult,
  SftSample,
  SftStepResult,
  TrainSample,
  TrainStepResult,
} from './protocol.ts';

export type { ChatMessage, Completion, TrainSample, SftSample, TrainStepResult, SftStepResult };

/**
 * What a policy says about itself: the worker's describe reply, or a sampling-only backend's own facts (null where
 * it cannot know them, e.g. the size of a model behind an HTTP server).
 */
export interface PolicyInfo {
  backend: PolicyBackend;
  parameters: number | null;
  vocab: number | null;
  max_seq_len: number | null;
  /** Where it runs: a torch device, a file, a server URL. */
  device: string;
  [extra: string]: unknown;
}

export interface SampleOptions {
  /** Samples per prompt (the GRPO group size). */
  n: number;
  maxNewTokens: number;
  /** 0 means greedy. */
  temperature: number;
  topP: number;
  /** Generation ends after the first of these strings (kept in the text). */
  stop: string[];
  seed: number;
  /** Worker backends: prefill each distinct prompt once for its n samples (default true; the outputs are the same). */
  sharedPrefix?: boolean;
}

export interface SampleResult {
  /** The token ids each prompt rendered to (after any left truncation to fit the context). */
  promptIds: number[][];
  /** completions[i] holds the n samples of prompt i. */
  completions: Completion[][];
  tokens: number;
  seconds: number;
}

export interface TrainStepOptions {
  samples: TrainSample[];
  clipLow: number;
  clipHigh: number;
  klCoef: number;
  lossAgg: 'token-mean' | 'seq-mean';
  /** null: no clipping (the norm is still reported). */
  gradClip: number | null;
  /** The sampling temperature, so that train-time log-probs match the sampler's. */
  temperature: number;
  lr?: number;
}

export interface Policy {
  readonly info: PolicyInfo;
  /** Samples n completions per chat prompt with the sampling policy's log-probs. */
  sample(prompts: ChatMessage[][], opts: SampleOptions): Promise<SampleResult>;
  /** Frees the backend (ends a worker process). */
  close(): Promise<void>;
}

export interface TrainablePolicy extends Policy {
  /**
   * Token ids of prompts (chat-templated) and optional target texts (for SFT); promptRoom: tokens a cut prompt
   * leaves for the completion at least (SFT passes max_new_tokens so prompts are cut as sampling cuts them).
   */
  encode(prompts: ChatMessage[][], targets?: string[], opts?: { promptRoom?: number }): Promise<EncodeResult>;
  /** One GRPO optimizer step over the samples (one clipped-surrogate update). */
  trainStep(opts: TrainStepOptions): Promise<TrainStepResult>;
  /** One cross-entropy optimizer step on the completion tokens only. */
  sftStep(samples: SftSample[], opts: { gradClip: number | null; lr?: number }): Promise<SftStepResult>;
  save(dir: string, opts?: { optimizer?: boolean }): Promise<void>;
  /**
   * Restores a checkpoint. reference: the loaded weights become the KL reference (the run's start: init_from);
   * otherwise the reference stays what it was (the model folder, or the init_from weights of a resumed run).
   */
  load(dir: string, opts?: { optimizer?: boolean; rng?: boolean; reference?: boolean }): Promise<void>;
  /** Writes an export folder for policy.backend=onnx (see WorkerPolicy.exportOnnx). */
  exportOnnx(dir: string): Promise<{ bytes: number }>;
  /** A Hugging Face model folder (backends with one: hf); the worker refuses for tiny. */
  exportHf?(dir: string, opts?: { adapter?: boolean }): Promise<ExportHfResult>;
}
