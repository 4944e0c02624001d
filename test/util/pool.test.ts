import { describe, expect, it } from 'vitest';
import { limiter, mapPool } from '../../src/util/pool.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('pool', () => {
  it('mapPool keeps input order with bounded concurrency', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapPool([5, 1, 4, 2, 3], 2, async (x) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, x));
      active--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('limiter never runs more than its concurrency, even when newcomers arrive as a slot frees', async () => {
    const gate = limiter(2);
    let active = 0;
    let peak = 0;
    const job = async () => {
      active++;
      peak = Math.max(peak, active);
      await tick();
      active--;
    };
    const first = Array.from({ length: 5 }, () => gate(job));
    // Newcomers queued while the first jobs finish.
    const late = first.map((p) => p.then(() => gate(job)));
    await Promise.all([...first, ...late]);
    expect(peak).toBe(2);
  });

  it('limiter passes results and errors through and frees the slot on error', async () => {
    const gate = limiter(1);
    await expect(gate(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await gate(async () => 7)).toBe(7);
  });
});
