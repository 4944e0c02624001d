import { beforeAll, describe, expect, it } from 'vitest';
import { SequenceMatcher, codePoints, sequenceRatio } from '../../src/srl/difflib.ts';
import { missingShared } from '../helpers/shared.ts';
import { buildPairs, collectActions, hasPython, PYTHON, runCPythonAsync, TRAJECTORY_REL, type CPythonResult, type Pair } from './similarity-pairs.ts';

const triples = (m: SequenceMatcher): number[][] => m.getMatchingBlocks().map((b) => [b.a, b.b, b.size]);

describe('SequenceMatcher: known values (from CPython 3.11)', () => {
  it('matches the documented examples', () => {
    expect(new SequenceMatcher('abcd', 'bcde', { autojunk: true }).ratio()).toBe(0.75);
    expect(new SequenceMatcher(' abcd', 'abcd abcd', { autojunk: true }).findLongestMatch({ alo: 0, ahi: 5, blo: 0, bhi: 9 })).toEqual({
      a: 0,
      b: 4,
      size: 5,
    });
    expect(triples(new SequenceMatcher('abxcd', 'abcd', { autojunk: false }))).toEqual([
      [0, 0, 2],
      [3, 2, 2],
      [5, 4, 0],
    ]);
    expect(triples(new SequenceMatcher('qabxcd', 'abycdf', { autojunk: false }))).toEqual([
      [1, 0, 2],
      [4, 3, 2],
      [6, 6, 0],
    ]);
  });

  it('returns 1.0 for two empty strings and 0.0 against an empty string', () => {
    expect(sequenceRatio('', '', { autojunk: false })).toBe(1.0);
    expect(sequenceRatio('', 'abc', { autojunk: true })).toBe(0);
    expect(triples(new SequenceMatcher('', '', { autojunk: true }))).toEqual([[0, 0, 0]]);
  });

  it('drops popular elements of b only with autojunk and len(b) >= 200', () => {
    const a = `b${'a'.repeat(300)}`;
    const b = `${'a'.repeat(300)}b`;
    expect(sequenceRatio(a, b, { autojunk: true })).toBe(0.0033222591362126247);
    expect(sequenceRatio(a, b, { autojunk: false })).toBe(0.9966777408637874);
    expect(sequenceRatio(`z${'xy'.repeat(100)}`, `${'xy'.repeat(100)}z`, { autojunk: true })).toBe(0.004975124378109453);
    expect(sequenceRatio(`z${'xy'.repeat(100)}`, `${'xy'.repeat(100)}z`, { autojunk: false })).toBe(0.9950248756218906);
    // Below 200 elements nothing is popular: both modes agree.
    const c = `${'xy'.repeat(99)}z`;
    expect(sequenceRatio(`z${'xy'.repeat(99)}`, c, { autojunk: true })).toBe(sequenceRatio(`z${'xy'.repeat(99)}`, c, { autojunk: false }));
  });

  it('extends a match across popular elements (they are not junk when isjunk is None)', () => {
    // Every element of b is popular, so b2j is empty, yet the extension loops match the whole string.
    expect(triples(new SequenceMatcher('a'.repeat(300), 'a'.repeat(300), { autojunk: true }))).toEqual([
      [0, 0, 300],
      [300, 300, 0],
    ]);
  });

  it('counts astral characters as one element, as Python does', () => {
    expect(Array.from(codePoints('a😀b'))).toEqual([0x61, 0x1f600, 0x62]);
    expect(Array.from(codePoints('\ud800x'))).toEqual([0xd800, 0x78]);
    expect(sequenceRatio('😀ab', 'ab😀', { autojunk: false })).toBe(0.6666666666666666);
    expect(triples(new SequenceMatcher('😀ab', 'ab😀', { autojunk: false }))).toEqual([
      [1, 0, 2],
      [3, 3, 0],
    ]);
  });

  it('gives the same answer when called again (cached blocks, scratch rows left clean)', () => {
    const m = new SequenceMatcher('private Thread currentThread;', 'private volatile Thread currentThread;', { autojunk: true });
    expect(m.ratio()).toBe(0.8656716417910447);
    expect(m.ratio()).toBe(0.8656716417910447);
    expect(sequenceRatio('abxcd', 'abcd', { autojunk: false })).toBe(0.8888888888888888);
  });
});

const COMPARISON = `SequenceMatcher equals CPython (${PYTHON}) bit for bit`;
// The pairs come from the real trajectories (looked for only when Python is there: one reason to skip at a time).
const noActions = hasPython() && missingShared(COMPARISON, TRAJECTORY_REL);

describe.skipIf(!hasPython() || noActions)(COMPARISON, () => {
  // Built in beforeAll: vitest runs this body even when the block is skipped.
  let pairs: Pair[] = [];
  let blockIndices: number[] = [];
  // One CPython run per mode, both started at once so the slow autojunk=false run overlaps the other.
  const runs = new Map<boolean, Promise<CPythonResult>>();
  beforeAll(() => {
    pairs = buildPairs();
    blockIndices = pairs.map((_, i) => i).filter((i) => i % 10 === 0);
    for (const autojunk of [false, true]) {
      const run = runCPythonAsync(pairs, { autojunk, blockIndices });
      run.catch(() => {}); // awaited (and reported) by its test
      runs.set(autojunk, run);
    }
  });

  it('uses a pair set with every required family', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(10_000);
    expect(collectActions().length).toBeGreaterThan(100);
    const longest = (p: Pair): number => Math.max(Array.from(p[0]).length, Array.from(p[1]).length);
    expect(pairs.filter((p) => longest(p) > 200).length).toBeGreaterThan(500);
    expect(pairs.filter((p) => longest(p) > 2000).length).toBeGreaterThan(5);
    expect(pairs.filter(([a, b]) => a === '' || b === '').length).toBeGreaterThan(3);
    expect(pairs.filter(([a, b]) => /[\u{10000}-\u{10ffff}]/u.test(a + b)).length).toBeGreaterThan(100);
  });

  for (const autojunk of [false, true]) {
    // CPython's autojunk=false run takes about a minute on a quiet 2-core machine and over two on a busy one.
    it(`ratio() and get_matching_blocks() are identical with autojunk=${autojunk}`, async () => {
      const py = await runs.get(autojunk)!;
      expect(py.ratios.length).toBe(pairs.length);
      const mismatches: string[] = [];
      pairs.forEach(([a, b], i) => {
        const ours = new SequenceMatcher(a, b, { autojunk }).ratio();
        if (!Object.is(ours, py.ratios[i])) {
          mismatches.push(`pair ${i}: ours ${ours} vs CPython ${py.ratios[i]} for ${JSON.stringify([a, b]).slice(0, 200)}`);
        }
      });
      expect(mismatches.slice(0, 5)).toEqual([]);
      blockIndices.forEach((i, k) => {
        const [a, b] = pairs[i]!;
        expect(triples(new SequenceMatcher(a, b, { autojunk }))).toEqual(py.blocks[k]);
      });
      // sequenceRatio's shortcut for equal strings must agree too.
      pairs.forEach(([a, b], i) => {
        if (!Object.is(sequenceRatio(a, b, { autojunk }), py.ratios[i])) mismatches.push(`sequenceRatio pair ${i}`);
      });
      expect(mismatches.slice(0, 5)).toEqual([]);
    }, 300_000);
  }
});

if (!hasPython()) {
  describe('CPython comparison', () => {
    it.skip(`skipped: ${PYTHON} is missing, so the bit-for-bit comparison with CPython cannot run`, () => {});
  });
}

describe('SequenceMatcher on element arrays', () => {
  it('accepts Int32Array sequences with any int32 elements (e.g. token ids)', () => {
    const a = Int32Array.from([-5, 7, 70000, 7, 2 ** 31 - 1]);
    const b = Int32Array.from([7, 70000, 7, -5]);
    const m = new SequenceMatcher(a, b, { autojunk: false });
    expect(triples(m)).toEqual([
      [1, 0, 3],
      [5, 4, 0],
    ]);
    expect(m.ratio()).toBe(6 / 9);
  });
});
