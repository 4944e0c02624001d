import { describe, expect, it } from 'vitest';
import { addTry, emptyFill, filterGroups, keepGroup, keptFraction, nextRequest } from '../../src/train/dynamic-sampling.ts';

const g = (rewards: number[], item = 0) => ({ rewards, item });

describe('dynamic sampling', () => {
  it('keeps a group only when its population std exceeds epsilon', () => {
    expect(keepGroup([0.2, 0.4], 1e-6)).toBe(true);
    expect(keepGroup([0.5, 0.5, 0.5], 1e-6)).toBe(false);
    expect(keepGroup([-1, -1], 1e-6)).toBe(false); // all format errors
    expect(keepGroup([1], 1e-6)).toBe(false); // a group of one carries no signal
    expect(keepGroup([0.5, 0.5001], 0.01)).toBe(false);
  });
  it('with the filter off every group is kept', () => {
    expect(filterGroups([g([1, 1]), g([0, 1])], { enabled: false, epsilon: 1e-6 }).kept).toHaveLength(2);
  });
  it('refills until the batch is full and cuts the surplus', () => {
    const o = { batchSize: 3, enabled: true, epsilon: 1e-6 };
    let s = emptyFill<number>();
    expect(nextRequest(s, { batchSize: 3, maxTries: 5, oversample: 1 })).toBe(3);
    s = addTry(s, [g([0, 1], 1), g([1, 1], 2), g([0, 0], 3)], o);
    expect(s.kept.map((k) => k.item)).toEqual([1]);
    // 1 of 3 kept: ask for 2 missing / (1/3) = 6 prompts next
    expect(nextRequest(s, { batchSize: 3, maxTries: 5, oversample: 1 })).toBe(6);
    s = addTry(s, [g([0, 1], 4), g([0, 1], 5), g([0, 1], 6)], o);
    expect(s.kept.map((k) => k.item)).toEqual([1, 4, 5]);
    expect(nextRequest(s, { batchSize: 3, maxTries: 5, oversample: 1 })).toBe(0);
    expect(keptFraction(s)).toBeCloseTo(4 / 6);
  });
  it('stops at the try cap with a partial batch', () => {
    let s = emptyFill<number>();
    s = addTry(s, [g([1, 1])], { batchSize: 2, enabled: true, epsilon: 1e-6 });
    expect(nextRequest(s, { batchSize: 2, maxTries: 1, oversample: 1 })).toBe(0);
    expect(keptFraction(s)).toBe(0);
  });
});
