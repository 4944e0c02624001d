// One way to build a policy from its config: a registry keyed by policy.backend. tiny and hf run in the PyTorch
// worker and train; openai (an OpenAI-compatible server) and onnx (onnxruntime-node, in-process) only sample; gold
// answers evaluation prompts with the tasks' reference answers (a plumbing check).
// Each backend's module is imported when that backend is chosen, so optional heavy parts load lazily.
import type { PolicyBackend, PolicyConfig, PolicyRunConfig } from '../config/policy.ts';
import type { TrainConfig } from '../config/train.ts';
import { SweSrlError } from '../util/errors.ts';
import type { Policy, TrainablePolicy } from './types.ts';

/** What building a policy needs: the policy section plus the run's optimizer, KL and seed (worker backends). */
export interface PolicyBuildOptions {
  policy: PolicyConfig;
  optimizer?: TrainConfig['optimizer'];
  /** The worker keeps a frozen reference for the KL penalty. */
  reference?: boolean;
  seed?: number;
}

interface BackendEntry {
  trainable: boolean;
  create(o: PolicyBuildOptions): Promise<Policy>;
}

async function startWorker(o: PolicyBuildOptions): Promise<TrainablePolicy> {
  const { WorkerPolicy } = await import('./worker-policy.ts');
  const p = o.policy;
  const opt = o.optimizer;
  return WorkerPolicy.start({
    python: p.python,
    timeoutMs: p.request_timeout_s * 1000,
    init: {
      backend: p.backend as 'tiny' | 'hf',
      model: p.model,
      tiny: p.tiny,
      dtype: p.dtype,
      device: p.device,
      lora: p.lora,
      gradient_checkpointing: p.gradient_checkpointing,
      optimizer: opt && { lr: opt.lr, betas: opt.betas, weight_decay: opt.weight_decay, eps: opt.eps },
      reference: o.reference ?? false,
      threads: p.threads,
      seed: o.seed ?? 0,
      micro_batch_size: p.micro_batch_size,
    },
  });
}

const BACKENDS: Record<PolicyBackend, BackendEntry> = {
  tiny: { trainable: true, create: startWorker },
  hf: { trainable: true, create: startWorker },
  openai: {
    trainable: false,
    create: async (o) => (await import('./openai-policy.ts')).OpenAIPolicy.create(o.policy),
  },
  onnx: {
    trainable: false,
    create: async (o) => (await import('./onnx-policy.ts')).OnnxPolicy.load(o.policy),
  },
  gold: {
    trainable: false,
    create: async (o) => (await import('./gold-policy.ts')).GoldPolicy.create(o.policy),
  },
};

/** Whether a backend can take optimizer steps (train, init_from, checkpoints). */
export function isTrainableBackend(name: PolicyBackend): boolean {
  return BACKENDS[name].trainable;
}

/** A sampling policy of any backend (evaluate, validation, policy serve). */
export function createPolicy(o: PolicyBuildOptions): Promise<Policy> {
  return BACKENDS[o.policy.backend].create(o);
}

/** A policy that trains: tiny or hf; other backends fail with the fix. */
export async function createTrainablePolicy(o: PolicyBuildOptions): Promise<TrainablePolicy> {
  if (!isTrainableBackend(o.policy.backend))
    throw new SweSrlError({
      code: 'bad_config',
      message: `policy.backend=${o.policy.backend} samples only; it cannot train or load checkpoints`,
      fault: 'user',
      field: 'policy.backend',
      value: o.policy.backend,
      hint: 'Train with policy.backend=tiny or hf; use openai/onnx with swe-srl evaluate or policy serve.',
    });
  return (await BACKENDS[o.policy.backend].create(o)) as TrainablePolicy;
}

/** The build options a config implies: a train config's (optimizer, KL reference) or a sampling-only one's. */
export function policyOptionsFromConfig(c: TrainConfig | PolicyRunConfig): PolicyBuildOptions {
  if (!('optimizer' in c)) return { policy: c.policy, seed: c.seed };
  return { policy: c.policy, optimizer: c.optimizer, reference: c.loss.kl_coef > 0, seed: c.seed };
}
