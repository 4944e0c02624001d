// Group advantage estimators, pure and registered by name. Each maps the rewards of one prompt's group of samples
// to one advantage per sample; `computeAdvantagesFlat` is the batched form over a flat reward array.
import { SweSrlError } from '../util/errors.ts';

export interface AdvantageOptions {
  /** Divide by the group's population std (GRPO); false keeps r - mean only (Dr. GRPO). */
  scaleByStd: boolean;
  /** Added to the std before dividing, so an all-equal group gives zeros, not NaN. */
  eps: number;
}

export type AdvantageEstimator = (rewards: readonly number[], opts: AdvantageOptions) => number[];

/** Mean and population std (divide by n) of a list; a list of one has std 0. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: 0, std: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
}

// GRPO: (r - mean) / (std + eps). A group of one or of equal rewards gets all-zero advantages.
const grpo: AdvantageEstimator = (rewards, o) => {
  if (allEqual(rewards)) return rewards.map(() => 0); // exact zeros: rounding in the mean must not leak a signal
  const { mean, std } = meanStd(rewards);
  return rewards.map((r) => (o.scaleByStd ? (r - mean) / (std + o.eps) : r - mean));
};

// RLOO: r_i minus the mean of the other samples; a group of one has no baseline and gets 0.
const rloo: AdvantageEstimator = (rewards, o) => {
  const n = rewards.length;
  if (n < 2 || allEqual(rewards)) return rewards.map(() => 0);
  const sum = rewards.reduce((a, b) => a + b, 0);
  const adv = rewards.map((r) => r - (sum - r) / (n - 1));
  if (!o.scaleByStd) return adv;
  const { std } = meanStd(rewards);
  return adv.map((a) => a / (std + o.eps));
};

function allEqual(xs: readonly number[]): boolean {
  return xs.every((x) => x === xs[0]);
}

export const ADVANTAGE_ESTIMATORS: Readonly<Record<string, AdvantageEstimator>> = { grpo, rloo };

/** The estimator registered under name; an unknown name fails listing the valid ones. */
export function getAdvantageEstimator(name: string): AdvantageEstimator {
  const est = Object.hasOwn(ADVANTAGE_ESTIMATORS, name) ? ADVANTAGE_ESTIMATORS[name] : undefined;
  if (!est)
    throw new SweSrlError({
      code: 'unknown_advantage_estimator',
      message: `no advantage estimator named ${JSON.stringify(name)}`,
      fault: 'user',
      field: 'advantage.estimator',
      value: name,
      hint: `Valid: ${Object.keys(ADVANTAGE_ESTIMATORS).join(', ')}.`,
    });
  return est;
}

/** Advantages of each group, in order (the plain loop). */
export function computeGroupAdvantages(
  groups: readonly (readonly number[])[],
  opts: AdvantageOptions & { estimator: string },
): number[][] {
  const est = getAdvantageEstimator(opts.estimator);
  return groups.map((g) => est(g, opts));
}

/**
 * Batched GRPO over a flat reward array with a group id per sample (groups need not be contiguous): two passes
 * of running sums instead of per-group arrays. Must agree with computeGroupAdvantages (a test checks it).
 */
export function computeAdvantagesFlat(
  rewards: Float64Array,
  groupIds: Int32Array,
  opts: AdvantageOptions & { estimator: 'grpo' | 'rloo' },
): Float64Array {
  let groups = 0;
  for (const g of groupIds) groups = Math.max(groups, g + 1);
  const count = new Float64Array(groups);
  const sum = new Float64Array(groups);
  const sq = new Float64Array(groups);
  const lo = new Float64Array(groups).fill(Infinity);
  const hi = new Float64Array(groups).fill(-Infinity);
  for (let i = 0; i < rewards.length; i++) {
    const g = groupIds[i]!;
    count[g]! += 1;
    lo[g] = Math.min(lo[g]!, rewards[i]!);
    hi[g] = Math.max(hi[g]!, rewards[i]!);
    sum[g]! += rewards[i]!;
  }
  for (let i = 0; i < rewards.length; i++) {
    const g = groupIds[i]!;
    sq[g]! += (rewards[i]! - sum[g]! / count[g]!) ** 2;
  }
  const out = new Float64Array(rewards.length);
  for (let i = 0; i < rewards.length; i++) {
    const g = groupIds[i]!;
    const n = count[g]!;
    if (lo[g] === hi[g]) continue; // all-equal group (or a group of one): exact zeros, as the plain estimators give
    const std = Math.sqrt(sq[g]! / n);
    let a: number;
    if (opts.estimator === 'grpo') a = rewards[i]! - sum[g]! / n;
    else a = n < 2 ? 0 : rewards[i]! - (sum[g]! - rewards[i]!) / (n - 1);
    out[i] = opts.scaleByStd && !(opts.estimator === 'rloo' && n < 2) ? a / (std + opts.eps) : a;
  }
  return out;
}
