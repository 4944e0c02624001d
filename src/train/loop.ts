// The training loop: wires data order, sampling, rewards, advantages, dynamic sampling, the policy's update,
// validation, metrics and checkpoints. The math lives in the modules it imports; this file only sequences them.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainConfig } from '../config/train.ts';
import type { TrainablePolicy } from '../policy/types.ts';
import { createTrainablePolicy, policyOptionsFromConfig } from '../policy/create.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { SweSrlError } from '../util/errors.ts';
import { appendMetrics, readLatest, saveCheckpoint, truncateMetrics, type RunState } from './checkpoint.ts';
import { indicesAt } from './data-order.ts';
import { loadExamples, renderSftResponse, type SrlExample } from './examples.ts';
import { collectBatch, toTrainSamples } from './grpo-batch.ts';
import { lrAt } from './lr-schedule.ts';
import { type RewardFn } from '../reward/types.ts';
import { createReward } from '../reward/registry.ts';
import { validate, type ValidationResult } from './validate.ts';

export interface RunOptions {
  config: TrainConfig;
  /** Defaults to the trainable policy built from config.policy (src/policy/create.ts). */
  createPolicy?: (config: TrainConfig) => Promise<TrainablePolicy>;
  /** Defaults to the registry's config.reward.name. */
  reward?: RewardFn;
  /** Examples given directly instead of data.train / data.val files. */
  trainExamples?: SrlExample[];
  valExamples?: SrlExample[];
  log?: (msg: string) => void;
  /** Stop after this step without the final checkpoint, as a killed run would (for resume tests). */
  stopAfterStep?: number;
}

/** Validation replies kept per validation step in DIR/samples/ (for the report's reasoning analysis). */
const SAMPLES_KEPT = 64;

export interface RunSummary {
  out: string;
  steps: number;
  resumedFrom: number | null;
  bestValReward: number | null;
  bestStep: number | null;
  lastVal: { reward: number; formatErrorRate: number } | null;
}

/** The trainable policy a config describes (tiny or hf, in the PyTorch worker). */
export function createConfiguredPolicy(c: TrainConfig): Promise<TrainablePolicy> {
  return createTrainablePolicy(policyOptionsFromConfig(c));
}

/** A checkpoint folder (with policy.pt) or a run folder (its latest checkpoint). */
export async function resolveCheckpoint(path: string): Promise<string> {
  if (existsSync(join(path, 'policy.pt'))) return path;
  const latest = await readLatest(path);
  if (latest) return latest.dir;
  throw new SweSrlError({
    code: 'no_checkpoint',
    message: 'no policy.pt and no latest.json here',
    fault: 'user',
    file: path,
    hint: 'Point init_from at a checkpoint folder (with policy.pt) or at a run folder.',
  });
}

/** Runs (or resumes) training as configured; returns where it ended. */
export async function runTraining(o: RunOptions): Promise<RunSummary> {
  const c = o.config;
  const out = c.out!;
  const log = o.log ?? (() => undefined);
  const train = o.trainExamples ?? (await loadExamples(c.data.train!));
  let val = o.valExamples ?? (c.data.val ? await loadExamples(c.data.val) : []);
  if (c.data.val_limit) val = val.slice(0, c.data.val_limit);
  const reward = o.reward ?? (await createReward(c.reward.name, c.reward));
  const valReward = c.val.reward ? await createReward(c.val.reward, c.reward) : reward;
  await mkdir(out, { recursive: true });
  const metricsFile = join(out, 'metrics.jsonl');
  const policy = await (o.createPolicy ?? createConfiguredPolicy)(c);
  try {
    let state: RunState = { version: 1, step: 0, cursor: 0, bestValReward: null, bestStep: null };
    const latest = c.resume ? await readLatest(out) : undefined;
    if (latest) {
      // The KL reference is the run's start: a resumed run re-establishes it from init_from before its own weights.
      if (c.init_from) await policy.load(await resolveCheckpoint(c.init_from), { optimizer: false, rng: false, reference: true });
      await policy.load(latest.dir);
      state = latest.state;
      await truncateMetrics(metricsFile, state.step);
      log(`resumed from ${latest.dir} (step ${state.step})`);
    } else {
      await truncateMetrics(metricsFile, -1);
      if (c.init_from) {
        const from = await resolveCheckpoint(c.init_from);
        await policy.load(from, { optimizer: false, rng: false, reference: true });
        log(`initialised from ${from}`);
      }
    }
    await writeJsonAtomic(join(out, 'config.json'), c);
    const doVal = async (step: number) => {
      const v = await validate({
        policy,
        examples: val,
        reward: valReward,
        settings: {
          n: c.val.n,
          temperature: c.val.temperature,
          topP: c.rollout.top_p,
          maxNewTokens: c.rollout.max_new_tokens,
          stop: c.rollout.stop,
          seed: c.val.seed,
        },
      });
      // The replies themselves, so the report can follow the policy's reasoning over training (overwritten, not
      // appended, when a resumed run validates the same step again).
      await writeFileAtomic(
        join(out, 'samples', `step-${String(step).padStart(6, '0')}.jsonl`),
        v.responses.slice(0, SAMPLES_KEPT).map((r) => `${JSON.stringify({ step, ...r })}\n`).join(''),
      );
      if (state.bestValReward === null || v.reward > state.bestValReward) {
        state = { ...state, bestValReward: v.reward, bestStep: step };
        await policy.save(join(out, 'best'), { optimizer: false });
        await writeJsonAtomic(join(out, 'best', 'state.json'), { step, val_reward: v.reward });
      }
      return v;
    };
    let lastVal: RunSummary['lastVal'] = null;
    const resumedFrom = latest ? state.step : null;
    if (!latest && val.length && c.train.val_every > 0 && c.train.val_at_start) {
      const v = await doVal(0);
      lastVal = { reward: v.reward, formatErrorRate: v.formatErrorRate };
      await appendMetrics(metricsFile, { step: 0, ...valFields(v) });
      log(`step 0 val_reward=${v.reward.toFixed(4)} format_errors=${v.formatErrorRate.toFixed(3)}`);
    }
    for (let step = state.step + 1; step <= c.train.steps; step++) {
      const t0 = Date.now();
      const lr = lrAt({ lr: c.optimizer.lr, schedule: c.optimizer.schedule, step, total: c.train.steps, finalRatio: c.optimizer.final_lr_ratio });
      const line: Record<string, unknown> = { step, mode: c.mode, lr };
      if (c.mode === 'srl') {
        const { kept, cursor, stats } = await collectBatch({ policy, examples: train, reward, config: c, step, cursor: state.cursor });
        state = { ...state, cursor };
        Object.assign(line, {
          reward_mean: stats.rewardMean,
          reward_std: stats.rewardStd,
          format_error_rate: stats.formatErrorRate,
          infra_errors: stats.infraErrors,
          kept_fraction: stats.keptFraction,
          groups_generated: stats.groupsGenerated,
          groups_kept: stats.groupsKept,
          tries: stats.tries,
          gen_seconds: stats.genSeconds,
          gen_tokens: stats.genTokens,
          ...(Object.keys(stats.details).length ? { reward_details: stats.details } : {}),
        });
        const samples = toTrainSamples(kept, c);
        if (samples.length) {
          const r = await policy.trainStep({
            samples,
            clipLow: c.loss.clip_low,
            clipHigh: c.loss.clip_high,
            klCoef: c.loss.kl_coef,
            lossAgg: c.loss.aggregation,
            gradClip: c.optimizer.grad_clip,
            temperature: c.rollout.temperature,
            lr,
          });
          Object.assign(line, {
            loss: r.loss,
            kl: r.kl,
            clip_frac: r.clip_frac,
            grad_norm: r.grad_norm,
            tokens: r.tokens,
            ratio_mean: r.ratio_mean,
            train_seconds: r.seconds,
          });
        } else Object.assign(line, { skipped: 'no group with a reward signal' });
      } else {
        const idx = indicesAt({ n: train.length, seed: c.seed, from: state.cursor, count: c.train.batch_size });
        state = { ...state, cursor: state.cursor + idx.length };
        const exs = idx.map((i) => train[i]!);
        const enc = await policy.encode(
          exs.map((e) => e.prompt),
          exs.map((e) => renderSftResponse(e, c.sft.response_template)),
          { promptRoom: c.rollout.max_new_tokens },
        );
        const samples = enc.prompt_ids.map((p, i) => ({ prompt_ids: p, completion_ids: enc.target_ids![i]! }));
        const r = await policy.sftStep(samples, { gradClip: c.optimizer.grad_clip, lr });
        Object.assign(line, { loss: r.loss, grad_norm: r.grad_norm, tokens: r.tokens, train_seconds: r.seconds });
      }
      const seconds = (Date.now() - t0) / 1000;
      const tokens = ((line.gen_tokens as number | undefined) ?? 0) + ((line.tokens as number | undefined) ?? 0);
      Object.assign(line, { seconds, tokens_per_s: seconds > 0 ? tokens / seconds : 0 });
      state = { ...state, step };
      const last = step === c.train.steps;
      if (val.length && c.train.val_every > 0 && (step % c.train.val_every === 0 || last)) {
        const v = await doVal(step);
        lastVal = { reward: v.reward, formatErrorRate: v.formatErrorRate };
        Object.assign(line, valFields(v));
      }
      await appendMetrics(metricsFile, line);
      log(summarize(line));
      if (o.stopAfterStep === step) break;
      if (step % c.train.checkpoint_every === 0 || last)
        await saveCheckpoint({ out, policy, state, keep: c.train.keep_checkpoints });
    }
    return { out, steps: state.step, resumedFrom, bestValReward: state.bestValReward, bestStep: state.bestStep, lastVal };
  } finally {
    await policy.close();
  }
}

// The validation fields of a metrics line; reward details (the outcome reward's resolved count, ...) when given.
function valFields(v: ValidationResult): Record<string, unknown> {
  return {
    val_reward: v.reward,
    val_format_error_rate: v.formatErrorRate,
    val_infra_errors: v.infraErrors,
    ...(Object.keys(v.details).length ? { val_reward_details: v.details } : {}),
  };
}

function summarize(line: Record<string, unknown>): string {
  return Object.entries(line)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}
