// The worker protocol, TypeScript side: zod schemas for every request we send and every reply we accept.
// The Python side checks requests with src/policy/worker/schema.py; keep the two in step (PROTOCOL_VERSION).
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

export const MessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof MessageSchema>;

const Ids = z.array(z.number().int().nonnegative());

export const TinyModelSchema = z
  .object({
    d_model: z.number().int().min(8).default(128),
    n_layers: z.number().int().min(1).default(2),
    n_heads: z.number().int().min(1).default(4),
    max_seq_len: z.number().int().min(8).default(256),
    init_seed: z.number().int().nonnegative().default(0),
  })
  .strict();

export const LoraSchema = z
  .object({
    r: z.number().int().min(1).default(16),
    alpha: z.number().int().min(1).default(32),
    dropout: z.number().min(0).max(1).default(0),
    target_modules: z.array(z.string().min(1)).min(1).default(['q_proj', 'k_proj', 'v_proj', 'o_proj']),
  })
  .strict();

export const OptimizerSchema = z
  .object({
    lr: z.number().nonnegative().default(5e-7),
    betas: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).default([0.9, 0.999]),
    weight_decay: z.number().nonnegative().default(0),
    eps: z.number().positive().default(1e-8),
  })
  .strict();

export const InitParamsSchema = z.object({
  backend: z.enum(['tiny', 'hf']),
  model: z.string().min(1).optional(),
  tiny: TinyModelSchema.optional(),
  dtype: z.enum(['float32', 'bfloat16', 'float16']).optional(),
  device: z.string().min(1).optional(),
  lora: LoraSchema.optional(),
  gradient_checkpointing: z.boolean().optional(),
  optimizer: OptimizerSchema.optional(),
  reference: z.boolean().optional(),
  threads: z.number().int().min(1).optional(),
  seed: z.number().int().nonnegative().optional(),
  micro_batch_size: z.number().int().min(1).optional(),
});
export type InitParams = z.input<typeof InitParamsSchema>;

export const GenerateParamsSchema = z.object({
  prompts: z.array(z.array(MessageSchema).min(1)).min(1),
  n: z.number().int().min(1),
  max_new_tokens: z.number().int().min(1),
  temperature: z.number().min(0),
  top_p: z.number().gt(0).max(1),
  stop: z.array(z.string().min(1)).default([]),
  seed: z.number().int().nonnegative(),
  /** Prefill each distinct prompt once and copy its KV cache to its n samples (default on; same outputs). */
  shared_prefix: z.boolean().optional(),
});
export type GenerateParams = z.input<typeof GenerateParamsSchema>;

export const EncodeParamsSchema = z.object({
  prompts: z.array(z.array(MessageSchema).min(1)).min(1),
  targets: z.array(z.string()).optional(),
  add_eos: z.boolean().optional(),
  max_target_tokens: z.number().int().min(1).optional(),
  /**
   * Tokens a cut prompt leaves for the completion at least (default: the target's length). SFT passes the rollout's
   * max_new_tokens, so a model with a bounded context trains on the prompt exactly as sampling will cut it.
   */
  prompt_room: z.number().int().min(1).optional(),
});
export type EncodeParams = z.input<typeof EncodeParamsSchema>;

export const TrainSampleSchema = z.object({
  prompt_ids: Ids.min(1),
  completion_ids: Ids.min(1),
  advantage: z.number().finite(),
  old_logprobs: z.array(z.number().finite()),
});
export type TrainSample = z.infer<typeof TrainSampleSchema>;

export const TrainStepParamsSchema = z.object({
  samples: z.array(TrainSampleSchema).min(1),
  clip_low: z.number().min(0).max(1),
  clip_high: z.number().min(0),
  kl_coef: z.number().min(0),
  loss_agg: z.enum(['token-mean', 'seq-mean']),
  grad_clip: z.number().positive().nullable(),
  temperature: z.number().min(0),
  lr: z.number().nonnegative().optional(),
});
export type TrainStepParams = z.input<typeof TrainStepParamsSchema>;

export const SftSampleSchema = z.object({ prompt_ids: Ids.min(1), completion_ids: Ids.min(1) });
export type SftSample = z.infer<typeof SftSampleSchema>;
export const SftStepParamsSchema = z.object({
  samples: z.array(SftSampleSchema).min(1),
  grad_clip: z.number().positive().nullable(),
  lr: z.number().nonnegative().optional(),
});
export type SftStepParams = z.input<typeof SftStepParamsSchema>;

export const SaveParamsSchema = z.object({ path: z.string().min(1), optimizer: z.boolean().optional() });
export const LoadParamsSchema = z.object({
  path: z.string().min(1),
  optimizer: z.boolean().optional(),
  rng: z.boolean().optional(),
  /** The loaded weights become the KL reference (init_from: the run's start); default false (a resume keeps it). */
  reference: z.boolean().optional(),
});
/** path: the folder to write (model.onnx, tokenizer files, policy_onnx.json); created if missing. */
export const ExportOnnxParamsSchema = z.object({ path: z.string().min(1), opset: z.number().int().min(9).optional() });
/** path: the Hugging Face model folder to write; adapter: under LoRA also write the peft adapter to path/adapter. */
export const ExportHfParamsSchema = z.object({ path: z.string().min(1), adapter: z.boolean().optional() });

// ---- replies ----------------------------------------------------------------------------------------------------
export const ReadySchema = z.object({ ready: z.literal(true), protocol: z.number().int(), pid: z.number().int() });

export const DescribeSchema = z
  .object({
    backend: z.enum(['tiny', 'hf']),
    parameters: z.number().int(),
    vocab: z.number().int(),
    max_seq_len: z.number().int().nullable(),
    device: z.string(),
  })
  .passthrough();
export type PolicyInfo = z.infer<typeof DescribeSchema>;

export const CompletionSchema = z.object({
  text: z.string(),
  token_ids: Ids,
  logprobs: z.array(z.number()),
  finish_reason: z.enum(['stop', 'eos', 'length']),
});
export type Completion = z.infer<typeof CompletionSchema>;

export const GenerateResultSchema = z.object({
  prompt_ids: z.array(Ids),
  completions: z.array(z.array(CompletionSchema)),
  tokens: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
});
export type GenerateResult = z.infer<typeof GenerateResultSchema>;

export const EncodeResultSchema = z.object({ prompt_ids: z.array(Ids), target_ids: z.array(Ids).optional() });
export type EncodeResult = z.infer<typeof EncodeResultSchema>;

export const TrainStepResultSchema = z.object({
  loss: z.number(),
  kl: z.number(),
  clip_frac: z.number().min(0).max(1),
  grad_norm: z.number(),
  tokens: z.number().int().nonnegative(),
  /** Mean importance ratio over completion tokens (1 on an on-policy update). */
  ratio_mean: z.number(),
  /** Largest |log pi - log pi_old| over completion tokens. */
  max_abs_log_ratio: z.number(),
  seconds: z.number().nonnegative(),
});
export type TrainStepResult = z.infer<typeof TrainStepResultSchema>;

export const SftStepResultSchema = z.object({
  loss: z.number(),
  grad_norm: z.number(),
  tokens: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
});
export type SftStepResult = z.infer<typeof SftStepResultSchema>;

export const SaveResultSchema = z.object({ path: z.string() });
export const LoadResultSchema = z.object({ path: z.string(), optimizer: z.boolean() });
/** bytes: the export folder's total size. */
export const ExportOnnxResultSchema = z.object({ path: z.string(), bytes: z.number().int() });
/** adapter: the peft adapter folder (LoRA runs), else null; bytes: the folder's total size; files: its entries. */
export const ExportHfResultSchema = z.object({
  path: z.string(),
  adapter: z.string().nullable(),
  bytes: z.number().int(),
  files: z.array(z.string()),
});
export type ExportHfResult = z.infer<typeof ExportHfResultSchema>;
export const EmptyResultSchema = z.object({}).passthrough();

/** Each op: its params schema and its result schema — the one table both the client and its tests go by. */
export const OPS = {
  init: { params: InitParamsSchema, result: DescribeSchema },
  /** reset_peak: restart the CUDA peak-memory count after reporting it (cuda_memory appears on CUDA only). */
  info: { params: z.object({ reset_peak: z.boolean().optional() }), result: z.object({ initialized: z.boolean() }).passthrough() },
  generate: { params: GenerateParamsSchema, result: GenerateResultSchema },
  encode: { params: EncodeParamsSchema, result: EncodeResultSchema },
  train_step: { params: TrainStepParamsSchema, result: TrainStepResultSchema },
  sft_step: { params: SftStepParamsSchema, result: SftStepResultSchema },
  save: { params: SaveParamsSchema, result: SaveResultSchema },
  load: { params: LoadParamsSchema, result: LoadResultSchema },
  export_onnx: { params: ExportOnnxParamsSchema, result: ExportOnnxResultSchema },
  export_hf: { params: ExportHfParamsSchema, result: ExportHfResultSchema },
  shutdown: { params: z.object({}), result: EmptyResultSchema },
} as const;
export type Op = keyof typeof OPS;
export type OpParams<O extends Op> = z.input<(typeof OPS)[O]['params']>;
export type OpResult<O extends Op> = z.output<(typeof OPS)[O]['result']>;

export const ReplySchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.number().int(),
    ok: z.literal(false),
    error: z.object({ type: z.string(), message: z.string(), path: z.string().optional() }),
  }),
]);
export type Reply = z.infer<typeof ReplySchema>;
