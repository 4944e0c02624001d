// The reward seam's types: a reward maps (response, example) to a number, null when an infrastructure fault kept it
// from being computed (that sample is left out, never scored 0).
import type { RewardConfig } from '../config/reward.ts';

/** What a reward reads of an example: the expert target and the task it belongs to. */
export interface RewardExample {
  instance_id: string;
  target: string;
}

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

export type RewardFn = (response: string, example: RewardExample) => Promise<RewardResult> | RewardResult;

/** What a reward is built from: the config's reward section (name, autojunk, outcome settings). */
export type RewardOptions = Partial<RewardConfig> & { autojunk: boolean };

export type RewardFactory = (opts: RewardOptions) => RewardFn | Promise<RewardFn>;

/** `text` rewards read only the response and the target; `sandbox` rewards run the task's tests. */
export type RewardKind = 'text' | 'sandbox';
