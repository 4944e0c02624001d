// Reward registry: a reward maps (response, example) to a number; a format error scores FORMAT_ERROR_REWARD.
// `srl` is the dense similarity reward (SRL); `exact` is the sparse RLVR-like check on the same parse. An outcome
// reward (the tests pass in the sandbox) registers here under its own name, so a run switches SRL -> RLVR by config.
import { FORMAT_ERROR_REWARD, scoreResponse } from '../srl/reward.ts';
import { SweSrlError } from '../util/errors.ts';
import type { SrlExample } from './examples.ts';

export interface RewardResult {
  reward: number;
  /** 'ok' or the reason code of a format error. */
  status: string;
}

export type RewardFn = (response: string, example: SrlExample) => Promise<RewardResult> | RewardResult;

export interface RewardOptions {
  autojunk: boolean;
}

export type RewardFactory = (opts: RewardOptions) => RewardFn;

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
]);

/** Adds a reward under a new name (an outcome reward backed by the sandbox, say). */
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
export function createReward(name: string, opts: RewardOptions): RewardFn {
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
