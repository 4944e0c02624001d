// Reward registry: a reward maps (response, example) to a number; a format error scores FORMAT_ERROR_REWARD.
// `srl` is the dense similarity reward (SRL); `exact` is the sparse RLVR-like check on the same parse; `outcome`
// applies the response's edits in the task's sandbox and runs its tests (RLVR on oracle examples). A run switches
// SRL -> RLVR by config: another reward name, other examples, init_from the SRL run.
import type { RewardConfig } from '../config/train.ts';
import { FORMAT_ERROR_REWARD, scoreResponse } from '../srl/reward.ts';
import { isSweSrlError, SweSrlError } from '../util/errors.ts';
import type { SrlExample } from './examples.ts';

export interface RewardResult {
  /** null: the reward could not be computed (an infrastructure fault); the sample is left out, never scored 0. */
  reward: number | null;
  /** 'ok', the reason code of a format error, or INFRA_ERROR_STATUS. */
  status: string;
  /** A finer label, from rewards that give one (the outcome reward: resolved, unresolved, edit_failed, ..., format_error). */
  detail?: string;
  /** The fault's message when reward is null. */
  error?: string;
}

/** The status (and detail) of a reward that an infrastructure fault kept from being computed. */
export const INFRA_ERROR_STATUS = 'infra_error';

/** A computed reward (not null). */
export type ScoredResult = RewardResult & { reward: number };

export function isScored(r: RewardResult): r is ScoredResult {
  return r.reward !== null;
}

export type RewardFn = (response: string, example: SrlExample) => Promise<RewardResult> | RewardResult;

/** What a reward is built from: the config's reward section (name, autojunk, outcome settings). */
export type RewardOptions = Partial<RewardConfig> & { autojunk: boolean };

export type RewardFactory = (opts: RewardOptions) => RewardFn | Promise<RewardFn>;

const registry = new Map<string, RewardFactory>([
  ['srl', (o) => (response, ex) => scoreResponse(response, ex.target, { autojunk: o.autojunk })],
  [
    'exact',
    () => (response, ex) => {
      const s = scoreResponse(response, ex.target);
      if (s.status !== 'ok') return { reward: FORMAT_ERROR_REWARD, status: s.status };
      return { reward: s.action === ex.target.trim() ? 1 : 0, status: 'ok' };
    },
  ],
  // Loaded on use: it brings the sandbox and the harness.
  ['outcome', async (o) => (await import('../oracle/outcome-reward.ts')).createOutcomeRewardFromConfig(o)],
]);

/** Adds a reward under a new name. */
export function registerReward(name: string, factory: RewardFactory): void {
  if (registry.has(name))
    throw new SweSrlError({ code: 'REWARD_EXISTS', message: `a reward named ${name} is registered`, fault: 'internal' });
  registry.set(name, factory);
}

/** Names of the registered rewards. */
export function rewardNames(): string[] {
  return [...registry.keys()];
}

/** Builds the reward registered as name; an unknown name fails listing the valid ones. */
export async function createReward(name: string, opts: RewardOptions): Promise<RewardFn> {
  const factory = registry.get(name);
  if (!factory)
    throw new SweSrlError({
      code: 'UNKNOWN_REWARD',
      message: `no reward named ${JSON.stringify(name)}`,
      fault: 'user',
      field: 'reward.name',
      value: name,
      hint: `Valid: ${rewardNames().join(', ')}.`,
    });
  return factory(opts);
}

/** Responses per reward label (the outcome reward's resolved / unresolved / ... / format_error); empty for rewards without labels. */
export function tallyDetails(results: readonly RewardResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) if (r.detail) out[r.detail] = (out[r.detail] ?? 0) + 1;
  return out;
}

/**
 * Scores one response. An infrastructure fault (an environment-side SweSrlError: an image that does not build, a
 * sandbox that dies) gives reward null, so one unscorable sample never ends a run nor becomes a reward-0 sample; any
 * other error (a bug) propagates.
 */
export async function scoreOne(reward: RewardFn, response: string, example: SrlExample): Promise<RewardResult> {
  try {
    return await reward(response, example);
  } catch (e) {
    if (isSweSrlError(e) && e.fault === 'environment')
      return { reward: null, status: INFRA_ERROR_STATUS, detail: INFRA_ERROR_STATUS, error: e.message };
    throw e;
  }
}

/** Scores responses concurrently (a sandbox-backed reward grades in parallel), results in input order. */
export function scoreAll(reward: RewardFn, items: ReadonlyArray<{ response: string; example: SrlExample }>): Promise<RewardResult[]> {
  return Promise.all(items.map((it) => scoreOne(reward, it.response, it.example)));
}

/** Mean reward and format-error rate over the computed rewards, and how many could not be computed. */
export function summarizeScores(results: readonly RewardResult[]): {
  scored: ScoredResult[];
  infraErrors: number;
  formatErrorRate: number;
} {
  const scored = results.filter(isScored);
  const formatErrors = scored.filter((s) => s.status !== 'ok').length;
  return { scored, infraErrors: results.length - scored.length, formatErrorRate: scored.length ? formatErrors / scored.length : 0 };
}
