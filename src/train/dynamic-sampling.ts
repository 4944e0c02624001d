// Dynamic sampling (DAPO): keep only groups whose rewards differ, and keep drawing prompts until the batch is full
// or the try cap is reached. Pure planning functions; the loop does the sampling they ask for.
import { meanStd } from './advantages.ts';

export interface ScoredGroup<T> {
  /** Rewards of the group's samples, in sample order. */
  rewards: number[];
  item: T;
}

/** Whether a group carries a learning signal: population std of its rewards above epsilon (a group of one never does). */
export function keepGroup(rewards: readonly number[], epsilon: number): boolean {
  return rewards.length >= 2 && meanStd(rewards).std > epsilon;
}

export interface FilterResult<T> {
  kept: ScoredGroup<T>[];
  dropped: ScoredGroup<T>[];
}

/** Splits groups into kept and dropped; with the filter off every group is kept. */
export function filterGroups<T>(groups: ScoredGroup<T>[], o: { enabled: boolean; epsilon: number }): FilterResult<T> {
  if (!o.enabled) return { kept: groups.slice(), dropped: [] };
  const kept: ScoredGroup<T>[] = [];
  const dropped: ScoredGroup<T>[] = [];
  for (const g of groups) (keepGroup(g.rewards, o.epsilon) ? kept : dropped).push(g);
  return { kept, dropped };
}

/** Running state of one batch being filled. */
export interface FillState<T> {
  kept: ScoredGroup<T>[];
  /** Groups generated so far (kept or not) in this batch. */
  generated: number;
  /** Groups that passed the filter, including surplus ones cut from a full batch. */
  passed: number;
  tries: number;
}

export function emptyFill<T>(): FillState<T> {
  return { kept: [], generated: 0, passed: 0, tries: 0 };
}

/** How many prompts the next try should sample: the missing groups, scaled up by the observed keep rate. */
export function nextRequest(
  s: FillState<unknown>,
  o: { batchSize: number; maxTries: number; oversample: number },
): number {
  const missing = o.batchSize - s.kept.length;
  if (missing <= 0 || s.tries >= o.maxTries) return 0;
  const rate = s.generated > 0 ? Math.max(s.kept.length / s.generated, 1 / o.batchSize) : 1;
  return Math.min(Math.ceil((missing * o.oversample) / rate), o.batchSize * o.oversample * 4);
}

/** Adds one try's groups; keeps at most batchSize groups in total (surplus kept groups are discarded, in order). */
export function addTry<T>(
  s: FillState<T>,
  groups: ScoredGroup<T>[],
  o: { batchSize: number; enabled: boolean; epsilon: number },
): FillState<T> {
  const { kept } = filterGroups(groups, o);
  return {
    kept: [...s.kept, ...kept].slice(0, o.batchSize),
    generated: s.generated + groups.length,
    passed: s.passed + kept.length,
    tries: s.tries + 1,
  };
}

/** Share of generated groups that the filter kept (before the batch cut); 0 when nothing was generated. */
export function keptFraction(s: { generated: number; passed: number }): number {
  return s.generated === 0 ? 0 : s.passed / s.generated;
}
