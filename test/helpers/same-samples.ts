// Compares two sampling results: the same prompts and tokens, and log-probs equal within a float tolerance.
import { expect } from 'vitest';
import type { SampleResult } from '../../src/policy/types.ts';

/** The same samples (token for token) with log-probs equal within tol. */
export function expectSameSamples(a: SampleResult, b: SampleResult, tol = 1e-4): void {
  expect(b.promptIds).toEqual(a.promptIds);
  expect(b.completions.map((g) => g.map((c) => c.token_ids))).toEqual(a.completions.map((g) => g.map((c) => c.token_ids)));
  const la = a.completions.flat().flatMap((c) => c.logprobs);
  const lb = b.completions.flat().flatMap((c) => c.logprobs);
  expect(lb).toHaveLength(la.length);
  expect(Math.max(0, ...la.map((x, i) => Math.abs(x - lb[i]!)))).toBeLessThan(tol);
}
