import { describe, expect, it } from 'vitest';
import { lrAt } from '../../src/train/lr-schedule.ts';

describe('lr schedule', () => {
  it('linear decays from lr at step 1 to lr * finalRatio at the last step; constant stays', () => {
    const o = { lr: 1e-3, schedule: 'linear' as const, total: 11, finalRatio: 0.1 };
    expect(lrAt({ ...o, step: 1 })).toBeCloseTo(1e-3, 12);
    expect(lrAt({ ...o, step: 6 })).toBeCloseTo(5.5e-4, 12);
    expect(lrAt({ ...o, step: 11 })).toBeCloseTo(1e-4, 12);
    expect(lrAt({ ...o, step: 50 })).toBeCloseTo(1e-4, 12);
    expect(lrAt({ ...o, schedule: 'constant', step: 6 })).toBe(1e-3);
  });
});
