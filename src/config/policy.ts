// The policy and sampling sections every command that runs a policy shares: `train` embeds them in its config, and
// `evaluate` / `policy serve` read them alone (PolicyRunConfigSchema) from the same file, so they never need
// training fields. Combinations that cannot work are rejected with the fix in the message.
import { z } from 'zod';
import { LoraSchema, TinyModelSchema } from '../policy/protocol.ts';

/** The policy backends by name (src/policy/create.ts builds them). */
export const POLICY_BACKENDS = ['tiny', 'hf', 'openai', 'onnx', 'gold'] as const;
export type PolicyBackend = (typeof POLICY_BACKENDS)[number];

export const CONFIG_VERSION = 1;

export const PolicySchema = z
  .object({
    /**
     * tiny: the built-in byte-level transformer (CPU); hf: a Hugging Face causal LM from a local folder (both run in
     * the PyTorch worker and train); openai: any OpenAI-compatible chat-completions server (evaluation and
     * validation only); onnx: a policy exported with export_onnx, run in-process by onnxruntime-node (no Python);
     * gold: answers every evaluation prompt with the task's reference answer (checks the plumbing; needs policy.tasks).
     */
    backend: z.enum(POLICY_BACKENDS).default('tiny'),
    /** Python interpreter for the worker (default $SWE_SRL_PYTHON, else the project's venv from npm run setup). */
    python: z.string().min(1).optional(),
    /**
     * hf: folder with config.json, weights and tokenizer (with a chat template); openai: the served model's name;
     * onnx: the export folder (model.onnx, tokenizer).
     */
    model: z.string().min(1).optional(),
    /** openai: the server's base URL, e.g. http://localhost:8000/v1. */
    base_url: z.string().url().optional(),
    /** openai: the environment variable holding the API key (unset or empty: no Authorization header). */
    api_key_env: z.string().min(1).default('OPENAI_API_KEY'),
    /** openai: requests in flight at once. */
    concurrency: z.number().int().min(1).default(8),
    /** openai: retries of a request that failed with 429, 5xx or a network error (exponential backoff). */
    max_retries: z.number().int().min(0).default(4),
    /** tiny: architecture. */
    tiny: TinyModelSchema.default({}),
    /** Weights dtype (hf default: bfloat16 on CUDA, float32 on CPU; tiny: float32). */
    dtype: z.enum(['float32', 'bfloat16', 'float16']).optional(),
    /** torch device (default cuda when present for hf, else cpu). */
    device: z.string().min(1).optional(),
    /** LoRA adapter (hf only). */
    lora: LoraSchema.optional(),
    /** Recompute activations in backward to save memory (hf only). */
    gradient_checkpointing: z.boolean().default(false),
    /** torch CPU threads (1 is fastest for the tiny model on a small machine). */
    threads: z.number().int().min(1).default(1),
    /** Sequences per forward/backward chunk; gradients accumulate over the whole step. */
    micro_batch_size: z.number().int().min(1).default(16),
    /**
     * gold: the task set whose reference patches it answers with ("bundled", a folder of task folders, or a rows
     * file); swe-srl evaluate fills it from --tasks when unset.
     */
    tasks: z.string().min(1).optional(),
    /** Seconds one worker request (openai: one HTTP request) may take before it is declared hung. */
    request_timeout_s: z.number().positive().default(1800),
  })
  .strict();

/** A checked policy section (train, evaluate and policy serve read the same one). */
export type PolicyConfig = z.output<typeof PolicySchema>;

export const RolloutSchema = z
  .object({
    /** Samples per prompt: the GRPO group size. */
    n: z.number().int().min(1).default(8),
    temperature: z.number().min(0).default(1.0),
    top_p: z.number().gt(0).max(1).default(1.0),
    /** Tokens generated per sample at most (default: 1024 for hf; half the context for tiny). */
    max_new_tokens: z.number().int().min(1).optional(),
    /**
     * Generation stops after the first of these. Default: the call's closing tag (one action per step), or none for
     * the outcome reward (an oracle response holds several edits).
     */
    stop: z.array(z.string().min(1)).optional(),
  })
  .strict();

type Bad = (path: (string | number)[], message: string) => void;
type PolicySections = { policy: z.output<typeof PolicySchema>; rollout: z.output<typeof RolloutSchema> & { max_new_tokens: number } };

/** The rollout section with its defaults filled: max_new_tokens from the backend, stop from the reward (default one action). */
export function resolveRollout<C extends { policy: z.output<typeof PolicySchema>; rollout: z.output<typeof RolloutSchema> }>(
  c: C,
  defaultStop: string[] = ['</function>'],
): z.output<typeof RolloutSchema> & { max_new_tokens: number; stop: string[] } {
  const fallback = c.policy.backend === 'tiny' ? Math.floor(c.policy.tiny.max_seq_len / 2) : 1024;
  return { ...c.rollout, max_new_tokens: c.rollout.max_new_tokens ?? fallback, stop: c.rollout.stop ?? defaultStop };
}

/** Checks of the policy and rollout sections that no field schema can make alone. */
export function checkPolicy(c: PolicySections, bad: Bad): void {
  if (c.policy.backend === 'hf' && !c.policy.model) bad(['policy', 'model'], 'the hf backend needs policy.model: a local model folder');
  if (c.policy.backend === 'openai' && !c.policy.base_url)
    bad(['policy', 'base_url'], "the openai backend needs policy.base_url: the server's URL, e.g. http://localhost:8000/v1");
  if (c.policy.backend === 'openai' && !c.policy.model)
    bad(['policy', 'model'], "the openai backend needs policy.model: the served model's name (GET /v1/models lists them)");
  if (c.policy.backend === 'onnx' && !c.policy.model)
    bad(['policy', 'model'], 'the onnx backend needs policy.model: a folder written by swe-srl policy export --format onnx');
  if (c.policy.lora && c.policy.backend !== 'hf')
    bad(['policy', 'lora'], 'LoRA applies to the hf backend only: remove policy.lora or set policy.backend=hf');
  if (c.policy.backend === 'tiny' && c.policy.tiny.d_model % c.policy.tiny.n_heads !== 0)
    bad(['policy', 'tiny', 'd_model'], 'must be a multiple of policy.tiny.n_heads');
  if (c.policy.backend === 'tiny' && c.rollout.max_new_tokens >= c.policy.tiny.max_seq_len)
    bad(['rollout', 'max_new_tokens'], `must be below policy.tiny.max_seq_len (${c.policy.tiny.max_seq_len}) to leave room for the prompt`);
}

/**
 * A config file read by a command that only samples (evaluate, policy serve): its version, seed, policy and rollout
 * sections, checked as `train` checks them; the file's training sections (data, optimizer, reward, ...) are left to
 * `train` and not required.
 */
export const PolicyRunConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION).default(CONFIG_VERSION),
    seed: z.number().int().nonnegative().default(0),
    policy: PolicySchema.default({}),
    rollout: RolloutSchema.default({}),
  })
  .passthrough()
  .transform((c) => ({ version: c.version, seed: c.seed, policy: c.policy, rollout: resolveRollout(c) }))
  .superRefine((c, ctx) => checkPolicy(c, (path, message) => ctx.addIssue({ code: 'custom', path, message })));

export type PolicyRunConfig = z.output<typeof PolicyRunConfigSchema>;
