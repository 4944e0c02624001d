// Maps a `swe-srl train` config onto verl's trainer config (pure): the SRL stage (single-turn GRPO on the step
// Parquet with our reward module and DAPO-style group filtering) and the multi-turn RLVR stage (verl's agent loop
// in `swe-srl serve` sandboxes, reward = the graded outcome). The results are Hydra primary configs that compose
// verl's ppo_trainer.yaml (defaults: [ppo_trainer, _self_]) and set only keys that exist there or in the DAPO
// recipe's additions (test/fixtures/verl/ holds both key lists).
import type { TrainConfig } from '../../config/train.ts';
import { SweSrlError } from '../../util/errors.ts';

/** verl's advantage estimator for each of ours. */
const ADV_ESTIMATORS: Readonly<Record<string, string>> = { grpo: 'grpo', rloo: 'rloo' };
/** verl's loss_agg_mode for each of our aggregations. */
const LOSS_AGG: Readonly<Record<string, string>> = { 'token-mean': 'token-mean', 'seq-mean': 'seq-mean-token-mean' };

export const AGENT_LOOP_NAME = 'swe_srl_env';
export const REWARD_FILE = 'swe_srl_reward.py';
export const AGENT_LOOP_FILE = 'swe_srl_agent_loop.py';
export const AGENT_LOOPS_FILE = 'agent_loops.yaml';

export interface VerlPlanOptions {
  /** Absolute folder the export is written to (the reward module and agent loop live there). */
  dir: string;
  /** Absolute Parquet paths of the SRL stage (train; val may be absent). */
  trainFiles: string;
  valFiles?: string;
  /** Absolute Parquet of the RLVR stage's rows (one opening prompt per episode). */
  rlvrFiles?: string;
  /** Absolute checkpoint folder (the config's out). */
  out: string;
  gpus: number;
  maxPromptLength: number;
  /** Tokens of a whole multi-turn episode (policy replies and tool output). */
  rlvrResponseLength: number;
  maxTurns: number;
}

export interface VerlPlan {
  /** Hydra configs by file name (srl.yaml, rlvr.yaml): what `--config-name` picks. */
  configs: Record<string, Record<string, unknown>>;
  /** Settings of ours verl has no counterpart for, said once each. */
  notes: string[];
}

/** The verl configs of a train config; a setting verl cannot express fails with the fix. */
export function planVerl(c: TrainConfig, o: VerlPlanOptions): VerlPlan {
  const problems: string[] = [];
  if (c.mode !== 'srl') problems.push('mode: verl\'s ppo_trainer runs RL; export an srl-mode config (SFT runs with verl\'s fsdp_sft_trainer)');
  if (!['srl', 'outcome'].includes(c.reward.name))
    problems.push(`reward.name: ${c.reward.name} has no verl module; use srl (the SRL stage) or outcome (the RLVR stage only)`);
  if (!ADV_ESTIMATORS[c.advantage.estimator]) problems.push(`advantage.estimator: ${c.advantage.estimator} has no verl counterpart; use grpo or rloo`);
  if (c.policy.backend !== 'hf' || !c.policy.model)
    problems.push('policy: verl trains a Hugging Face model: set policy.backend=hf and policy.model=<local model folder>');
  if (problems.length)
    throw new SweSrlError({ code: 'bad_export_config', message: `cannot export to verl:\n  ${problems.join('\n  ')}`, fault: 'user', hint: 'Fix the config (or override with key.path=value) and export again.' });

  const notes: string[] = [];
  if (c.optimizer.schedule === 'linear') notes.push('optimizer.schedule=linear: verl has constant and cosine schedules; the export keeps a constant lr');
  if (c.rollout.stop.length) notes.push(`rollout.stop ${JSON.stringify(c.rollout.stop)}: verl samples to EOS; text after the call is a format error (-1), as in our parser`);
  if (c.dynamic_sampling.enabled && c.dynamic_sampling.epsilon > 0)
    notes.push(`dynamic_sampling.epsilon=${c.dynamic_sampling.epsilon}: verl's filter keeps groups whose reward std is > 0 (epsilon 0)`);
  if (c.policy.lora && c.policy.lora.dropout > 0) notes.push('policy.lora.dropout: verl\'s LoRA has no dropout setting');

  const ds = c.dynamic_sampling;
  const valEvery = c.train.val_every > 0 && o.valFiles ? c.train.val_every : -1;
  const base = {
    hydra: { searchpath: ['pkg://verl.trainer.config'] },
    defaults: ['ppo_trainer', '_self_'],
    data: {
      train_files: o.trainFiles,
      val_files: o.valFiles ?? o.trainFiles,
      prompt_key: 'prompt',
      max_prompt_length: o.maxPromptLength,
      max_response_length: c.rollout.max_new_tokens,
      train_batch_size: c.train.batch_size,
      // DAPO: prompts generated per round; filtered groups are topped up from the next round.
      gen_batch_size: Math.ceil(c.train.batch_size * ds.oversample),
      filter_overlong_prompts: true,
      truncation: 'error',
      return_raw_chat: true,
      shuffle: true,
      seed: c.seed,
      ...(c.data.val_limit ? { val_max_samples: c.data.val_limit } : {}),
    },
    algorithm: {
      adv_estimator: ADV_ESTIMATORS[c.advantage.estimator]!,
      norm_adv_by_std_in_grpo: c.advantage.scale_by_std,
      use_kl_in_reward: false,
      filter_groups: {
        _target_: 'verl.trainer.config.FilterGroupsConfig',
        enable: ds.enabled,
        // The sum of token-level scores: the sample's reward (no overlong penalty here).
        metric: 'seq_reward',
        max_num_gen_batches: ds.max_tries,
      },
    },
    actor_rollout_ref: {
      model: {
        path: c.policy.model!,
        enable_gradient_checkpointing: c.policy.gradient_checkpointing,
        use_remove_padding: true,
        ...(c.policy.lora ? { lora_rank: c.policy.lora.r, lora_alpha: c.policy.lora.alpha, target_modules: c.policy.lora.target_modules } : {}),
      },
      actor: {
        optim: {
          lr: c.optimizer.lr,
          betas: c.optimizer.betas,
          weight_decay: c.optimizer.weight_decay,
          lr_scheduler_type: 'constant',
          ...(c.optimizer.grad_clip === null ? {} : { clip_grad: c.optimizer.grad_clip }),
        },
        ...(c.optimizer.grad_clip === null ? {} : { grad_clip: c.optimizer.grad_clip }),
        // One optimizer step per batch of prompts, as `swe-srl train` does.
        ppo_mini_batch_size: c.train.batch_size,
        ppo_epochs: 1,
        ppo_micro_batch_size_per_gpu: c.policy.micro_batch_size,
        clip_ratio_low: c.loss.clip_low,
        clip_ratio_high: c.loss.clip_high,
        loss_agg_mode: LOSS_AGG[c.loss.aggregation]!,
        use_kl_loss: c.loss.kl_coef > 0,
        kl_loss_coef: c.loss.kl_coef,
        // Our KL term is the k3 estimator, verl's low_var_kl.
        kl_loss_type: 'low_var_kl',
        entropy_coeff: 0,
        fsdp_config: { dtype: c.policy.dtype ?? 'bfloat16' },
      },
      ref: { log_prob_micro_batch_size_per_gpu: c.policy.micro_batch_size },
      rollout: {
        name: 'vllm',
        mode: 'async',
        n: c.rollout.n,
        temperature: c.rollout.temperature,
        top_p: c.rollout.top_p,
        tensor_model_parallel_size: 1,
        log_prob_micro_batch_size_per_gpu: c.policy.micro_batch_size,
        val_kwargs: { n: c.val.n, temperature: c.val.temperature, do_sample: c.val.temperature > 0 },
      },
    },
    custom_reward_function: { path: `${o.dir}/${REWARD_FILE}`, name: 'compute_score' },
    trainer: {
      project_name: 'swe-srl',
      experiment_name: 'srl',
      logger: ['console'],
      nnodes: 1,
      n_gpus_per_node: o.gpus,
      total_epochs: 1000,
      total_training_steps: c.train.steps,
      test_freq: valEvery,
      val_before_train: valEvery > 0 && c.train.val_at_start,
      save_freq: c.train.checkpoint_every,
      max_actor_ckpt_to_keep: c.train.keep_checkpoints,
      default_local_dir: `${o.out}/srl`,
      resume_mode: c.resume ? 'auto' : 'disable',
    },
  };

  const rlvr = structuredClone(base);
  rlvr.data.train_files = o.rlvrFiles ?? o.trainFiles;
  rlvr.data.val_files = o.rlvrFiles ?? o.valFiles ?? o.trainFiles;
  rlvr.data.max_response_length = o.rlvrResponseLength;
  Object.assign(rlvr.actor_rollout_ref.rollout, {
    multi_turn: { enable: true, max_assistant_turns: o.maxTurns },
    agent: { default_agent_loop: AGENT_LOOP_NAME, agent_loop_config_path: `${o.dir}/${AGENT_LOOPS_FILE}` },
  });
  rlvr.trainer.experiment_name = 'rlvr';
  rlvr.trainer.default_local_dir = `${o.out}/rlvr`;
  // Episodes end in a graded sandbox, and the rows are the training tasks: no validation passes.
  rlvr.trainer.val_before_train = false;
  rlvr.trainer.test_freq = -1;

  const configs: Record<string, Record<string, unknown>> = { 'rlvr.yaml': rlvr };
  if (c.reward.name === 'srl') configs['srl.yaml'] = base;
  return { configs, notes };
}

/** Every dotted key path a config sets (lists are values; the hydra and defaults entries are Hydra's, not verl's). */
export function keyPaths(obj: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (prefix === '' && (k === 'hydra' || k === 'defaults')) continue;
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...keyPaths(v as Record<string, unknown>, path));
    else out.push(path);
  }
  return out;
}
