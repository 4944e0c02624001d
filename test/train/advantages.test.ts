import { describe, expect, it } from 'vitest';
import { computeAdvantagesFlat, computeGroupAdvantages, getAdvantageEstimator, meanStd } from '../../src/train/advantages.ts';

const opts = { estimator: 'grpo', scaleByStd: true, eps: 1e-6 };

describe('advantages', () => {
  it('grpo is (r - mean) / (population std + eps)', () => {
    const [a] = computeGroupAdvantages([[1, 0, 0, 1]], opts);
    expect(a!.map((x) => Number(x.toFixed(4)))).toEqual([1, -1, -1, 1]);
  });
  it('drops the std scaling on request', () => {
    expect(computeGroupAdvantages([[1, 0]], { ...opts, scaleByStd: false })[0]).toEqual([0.5, -0.5]);
  });
  it('degenerate groups give zeros, never NaN: one sample, all equal, all format errors', () => {
    for (const g of [[0.7], [0.3, 0.3, 0.3], [-1, -1, -1, -1]]) {
      for (const est of ['grpo', 'rloo'])
        expect(computeGroupAdvantages([g], { ...opts, estimator: est })[0]).toEqual(g.map(() => 0));
    }
  });
  it('the batched version agrees with the plain loop on random groups', () => {
    let s = 7;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    for (const est of ['grpo', 'rloo'] as const)
      for (const scaleByStd of [true, false]) {
        const groups = Array.from({ length: 20 }, (_, i) => Array.from({ length: 1 + (i % 8) }, () => (rnd() < 0.2 ? -1 : rnd())));
        const plain = computeGroupAdvantages(groups, { estimator: est, scaleByStd, eps: 1e-6 }).flat();
        const flat = computeAdvantagesFlat(Float64Array.from(groups.flat()), Int32Array.from(groups.flatMap((g, i) => g.map(() => i))), { estimator: est, scaleByStd, eps: 1e-6 });
        plain.forEach((v, i) => expect(flat[i]).toBeCloseTo(v, 10));
      }
  });
  it('meanStd is the population std', () => {
    expect(meanStd([1, 3]).std).toBe(1);
  });
  it('an unknown estimator lists the valid ones', () => {
    expect(() => getAdvantageEstimator('ppo')).toThrow(/Valid: grpo, rloo/);
  });
});
