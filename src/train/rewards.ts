// Reward registry: a reward maps (response, example) to a number; a format error scores FORMAT_ERROR_REWARD.
// `srl` is the dense similarity reward (SRL); `exact` is the sparse RLVR-like check on the same parse; `outcome`
// applies the response's edits in the task's sandbox and runs its tests (RLVR on oracle examples). A run switches
// SRL -> RLVR by config: another reward name, other examples, init_from the SRL run.
import type { RewardConfig } from '../config/train.ts';
import { FORMAT_ERROR_REWARD, scoreResponse } from '../srl/reward.ts';
import { SweSrlError } from '../util/errors.ts';
import type { SrlExample } from './examples.ts';

export interface RewardResult {
  reward: number;
  /** 'ok' or the reason code of a format error. */
  status: string;
  /** A finer label, from rewards that give one (the outcome reward: resolved, unresolved, edit_failed, ..., format_error). */
  detail?: string;
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

/** Scores responses concurrently (a sandbox-backed reward grades in parallel), results in input order. */
export function scoreAll(reward: RewardFn, items: ReadonlyArray<{ response: string; example: SrlExample }>): Promise<RewardResult[]> {
  return Promise.all(items.map(async (it) => reward(it.response, it.example)));
}
