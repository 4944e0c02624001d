// Scoring many responses with one reward, pure apart from the reward itself: infrastructure faults become null
// rewards (left out of baselines and statistics), bugs propagate.
import { isSweSrlError } from '../util/errors.ts';
import { INFRA_ERROR_STATUS, isScored, type RewardExample, type RewardFn, type RewardResult, type ScoredResult } from './types.ts';

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
export async function scoreOne(reward: RewardFn, response: string, example: RewardExample): Promise<RewardResult> {
  try {
    return await reward(response, example);
  } catch (e) {
    if (isSweSrlError(e) && e.fault === 'environment')
      return { reward: null, status: INFRA_ERROR_STATUS, detail: INFRA_ERROR_STATUS, error: e.message };
    throw e;
  }
}

/** Scores responses concurrently (a sandbox-backed reward grades in parallel), results in input order. */
export function scoreAll(reward: RewardFn, items: ReadonlyArray<{ response: string; example: RewardExample }>): Promise<RewardResult[]> {
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
