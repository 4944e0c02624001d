// Deterministic data order: epoch e visits the examples in a permutation seeded by (seed, e), so the prompt at any
// cursor is a pure function of seed and cursor — which is what lets a resumed run continue identically.
import { mulberry32 } from '../util/random.ts';

/** A Fisher-Yates permutation of 0..n-1 from seed. */
export function permutation(n: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/** Example indices for cursors [from, from + count) with n examples (epochs reshuffled). */
export function indicesAt(o: { n: number; seed: number; from: number; count: number }): number[] {
  const out: number[] = [];
  let cachedEpoch = -1;
  let perm: number[] = [];
  for (let c = o.from; c < o.from + o.count; c++) {
    const epoch = Math.floor(c / o.n);
    if (epoch !== cachedEpoch) {
      perm = permutation(o.n, mix(o.seed, epoch));
      cachedEpoch = epoch;
    }
    out.push(perm[c % o.n]!);
  }
  return out;
}

/** Mixes integers into one 31-bit seed (for per-epoch, per-step and per-try seeds). */
export function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h ^= x >>> 0;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= h >>> 13;
  }
  return h & 0x7fffffff;
}
