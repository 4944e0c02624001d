// The `swe-srl train` config: one typed section per concern, every field documented, unknown keys rejected, and
// combinations that cannot work rejected with the fix in the message. Defaults are the SRL paper's SWE settings
// where they apply (8 rollouts, temperature 1.0, lr 5e-7, KL 0, grad clip 1.0). The policy and rollout sections are
// src/config/policy.ts's, shared with the commands that only sample (evaluate, policy serve).
import { z } from 'zod';
import { ADVANTAGE_ESTIMATORS } from '../train/advantages.ts';
import { rewardNames } from '../reward/registry.ts';
import { checkPolicy, CONFIG_VERSION, PolicySchema, resolveRollout, RolloutSchema } from './policy.ts';
import { RewardSchema } from './reward.ts';

const OptimizerSchema = z
  .object({
    /** AdamW learning rate (paper: 5e-7 for a 7B model; a tiny model needs ~1e-4..1e-3). */
    lr: z.number().nonnegative().default(5e-7),
    betas: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).default([0.9, 0.999]),
    weight_decay: z.number().nonnegative().default(0),
    eps: z.number().positive().default(1e-8),
    /** constant, or linear decay from lr to lr * final_lr_ratio at train.steps (a short SFT warm-up needs it). */
    schedule: z.enum(['constant', 'linear']).default('constant'),
    final_lr_ratio: z.number().min(0).max(1).default(0.1),
    /** Clip the global gradient norm to this (null: no clipping). */
    grad_clip: z.number().positive().nullable().default(1.0),
  })
  .strict();

const AdvantageSchema = z
  .object({
    /** Registry name: grpo (group mean baseline) or rloo (leave-one-out baseline). */
    estimator: z.string().min(1).default('grpo'),
    /** Divide by the group's std + eps; false gives Dr. GRPO's r - mean. */
    scale_by_std: z.boolean().default(true),
    eps: z.number().positive().default(1e-6),
  })
  .strict();

const LossSchema = z
  .object({
    /** PPO ratio clip below 1 (1 - clip_low). */
    clip_low: z.number().min(0).max(1).default(0.2),
    /** PPO ratio clip above 1 (1 + clip_high; DAPO's clip-higher uses 0.28). */
    clip_high: z.number().min(0).default(0.2),
    /** token-mean (DAPO: every token weighs the same) or seq-mean (GRPO: every sequence weighs the same). */
    aggregation: z.enum(['token-mean', 'seq-mean']).default('token-mean'),
    /** Weight of the k3 KL penalty to the frozen starting policy (paper: 0). */
    kl_coef: z.number().min(0).default(0),
  })
  .strict();

const DynamicSamplingSchema = z
  .object({
    /** Keep only groups whose reward population std exceeds epsilon, and resample until the batch is full. */
    enabled: z.boolean().default(true),
    epsilon: z.number().min(0).default(1e-6),
    /** Generation rounds per step at most; the step trains on what it has when the cap is hit. */
    max_tries: z.number().int().min(1).default(8),
    /** Extra prompts drawn per round, as a factor of the groups still missing (scaled by the keep rate). */
    oversample: z.number().min(1).default(1),
  })
  .strict();

const DataSchema = z
  .object({
    /** Training examples (JSONL of SRL step examples). */
    train: z.string().min(1).optional(),
    /** Held-out examples for validation. */
    val: z.string().min(1).optional(),
    /** Use only the first val_limit validation examples. */
    val_limit: z.number().int().min(1).optional(),
  })
  .strict();

const TrainLoopSchema = z
  .object({
    /** Optimizer steps to run (a resumed run continues up to this). */
    steps: z.number().int().min(1).default(100),
    /** Prompts (groups) per step. */
    batch_size: z.number().int().min(1).default(16),
    /** Validate every K steps (and at the last step); 0 turns validation off. */
    val_every: z.number().int().min(0).default(10),
    /** Also validate before the first step (the step 0 line of metrics.jsonl). */
    val_at_start: z.boolean().default(true),
    /** Checkpoint every K steps (and at the last step). */
    checkpoint_every: z.number().int().min(1).default(10),
    /** Step checkpoints kept on disk (the best one is kept apart). */
    keep_checkpoints: z.number().int().min(1).default(2),
  })
  .strict();

const ValSchema = z
  .object({
    /** Samples per validation prompt. */
    n: z.number().int().min(1).default(1),
    /** 0 is greedy. */
    temperature: z.number().min(0).default(0),
    /** Reward for validation (default: the training reward); e.g. srl to compare an exact-reward run on dense reward. */
    reward: z.string().min(1).optional(),
    seed: z.number().int().nonnegative().default(1234),
  })
  .strict();

const SftSchema = z
  .object({
    /** The SFT completion: {thought} and {target} are filled from the example. */
    response_template: z.string().min(1).default('<think>{thought}</think>\n{target}'),
  })
  .strict();

export const TrainConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION).default(CONFIG_VERSION),
    /** srl: GRPO on the reward; sft: cross-entropy on the expert responses (the baseline, or a format warm-up). */
    mode: z.enum(['srl', 'sft']).default('srl'),
    seed: z.number().int().nonnegative().default(0),
    /** Output folder: metrics.jsonl, checkpoints/, best/, config.json. */
    out: z.string().min(1).optional(),
    /** Start from another run's checkpoint folder (weights only; optimizer fresh). */
    init_from: z.string().min(1).optional(),
    /** Continue from out/latest.json when it exists. */
    resume: z.boolean().default(true),
    data: DataSchema.default({}),
    policy: PolicySchema.default({}),
    optimizer: OptimizerSchema.default({}),
    rollout: RolloutSchema.default({}),
    reward: RewardSchema.default({}),
    advantage: AdvantageSchema.default({}),
    loss: LossSchema.default({}),
    dynamic_sampling: DynamicSamplingSchema.default({}),
    train: TrainLoopSchema.default({}),
    val: ValSchema.default({}),
    sft: SftSchema.default({}),
  })
  .strict()
  .transform((c) => ({ ...c, rollout: resolveRollout(c, c.reward.name === 'outcome' ? [] : undefined) }))
  .superRefine((c, ctx) => {
    const bad = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (!c.data.train) bad(['data', 'train'], 'no training data: pass --train FILE or set data.train');
    if (!c.out) bad(['out'], 'no output folder: pass --out DIR or set out');
    if (c.mode === 'srl' && c.rollout.n < 2)
      bad(['rollout', 'n'], 'group advantages need at least 2 samples per prompt: set rollout.n >= 2 (paper: 8)');
    checkPolicy(c, bad);
    if (c.train.val_every > 0 && !c.data.val)
      bad(['data', 'val'], 'validation is on (train.val_every > 0) but no data.val is given: pass --val FILE or set train.val_every=0');
    if ((c.reward.name === 'outcome' || c.val.reward === 'outcome') && !c.reward.outcome.tasks)
      bad(['reward', 'outcome', 'tasks'], 'the outcome reward grades in the tasks\' sandboxes: set reward.outcome.tasks (e.g. bundled, or a rows file)');
    if (c.loss.clip_low >= 1) bad(['loss', 'clip_low'], 'must be below 1 (the ratio floor is 1 - clip_low)');
    // Registry names are checked here, before any worker starts.
    if (!Object.hasOwn(ADVANTAGE_ESTIMATORS, c.advantage.estimator))
      bad(['advantage', 'estimator'], `unknown estimator ${JSON.stringify(c.advantage.estimator)}; valid: ${Object.keys(ADVANTAGE_ESTIMATORS).join(', ')}`);
    for (const [path, name] of [[['reward', 'name'], c.reward.name], [['val', 'reward'], c.val.reward]] as const)
      if (name !== undefined && !rewardNames().includes(name))
        bad([...path], `unknown reward ${JSON.stringify(name)}; valid: ${rewardNames().join(', ')}`);
  });

export type TrainConfig = z.output<typeof TrainConfigSchema>;
