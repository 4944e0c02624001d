// Python's difflib.SequenceMatcher with isjunk=None over Unicode code points, equal to CPython bit for bit.
//
// Python strings are sequences of code points while JS strings are UTF-16, so both inputs are first turned into
// Int32Arrays of code points (an emoji is one element, as in Python). Semantics follow CPython 3.11
// Lib/difflib.py exactly: b2j in increasing index order; with autojunk and len(b) >= 200, elements occurring more
// than floor(len(b)/100)+1 times are "popular" and dropped from b2j (but, as isjunk is None, they are not junk,
// so the extension loops still grow a match across them); find_longest_match keeps the first strictly longer
// match (earliest i, then earliest j); the block search is the same LIFO queue; blocks are sorted and adjacent
// ones merged; ratio is 2.0*M/T (1.0 when T == 0), a single IEEE division as in Python.
//
// Speed: b2j is a CSR table (element id -> slice of sorted positions) instead of a Map of arrays, a[i] is
// mapped to its id once, and the j2len dictionaries are two reusable Int32Arrays cleared through a list of the
// entries each row touched, so a comparison allocates O(len(a) + len(b)) and nothing per row.

/** A matching block: a[a .. a+size) equals b[b .. b+size). */
export interface Match {
  a: number;
  b: number;
  size: number;
}

export interface SequenceMatcherOptions {
  /** Python's autojunk flag (Python's default is true; SWE-RL's reward uses false). Required here on purpose. */
  autojunk: boolean;
}

/** Half-open ranges a[alo, ahi) and b[blo, bhi) for findLongestMatch. */
export interface MatchRange {
  alo: number;
  ahi: number;
  blo: number;
  bhi: number;
}

/** The code points of a string, as Python sees its elements (lone surrogates stay single elements). */
export function codePoints(s: string): Int32Array {
  const out = new Int32Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out[n++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    out[n++] = c;
  }
  return n === s.length ? out : out.slice(0, n);
}

// Scratch rows for find_longest_match, shared by all matchers: JS runs one at a time and each call leaves them zeroed.
let rowA = new Int32Array(0);
let rowB = new Int32Array(0);
let touchedA = new Int32Array(0);
let touchedB = new Int32Array(0);

// BMP code point -> element id while a matcher is being built; always all -1 between constructions.
const bmpIds = new Int32Array(0x10000).fill(-1);

// Elements given as Int32Arrays may be any int32; only 0..0xFFFF go through the flat table.
function isBmp(e: number): boolean {
  return e >= 0 && e < 0x10000;
}

function ensureScratch(lb: number): void {
  if (rowA.length >= lb + 1) return;
  const size = Math.max(lb + 1, rowA.length * 2, 64);
  rowA = new Int32Array(size);
  rowB = new Int32Array(size);
  touchedA = new Int32Array(size);
  touchedB = new Int32Array(size);
}

/** difflib.SequenceMatcher(None, a, b, autojunk) on code points: ratio() and get_matching_blocks(). */
export class SequenceMatcher {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  /** Element id of each a[i] in b2j, or -1 when a[i] is absent from b or popular. */
  private readonly aIds: Int32Array;
  /** CSR b2j: positions of element id are pos[start[id] .. start[id+1]), ascending. */
  private readonly start: Int32Array;
  private readonly pos: Int32Array;
  private blocks: Match[] | undefined;

  constructor(a: string | Int32Array, b: string | Int32Array, opts: SequenceMatcherOptions) {
    this.a = typeof a === 'string' ? codePoints(a) : a;
    this.b = typeof b === 'string' ? codePoints(b) : b;
    const bs = this.b;
    const n = bs.length;
    // Element -> id: a flat table for the BMP (no hashing; reset below), a Map for astral code points.
    const astral = new Map<number, number>();
    const elems: number[] = [];
    const bIds = new Int32Array(n);
    let counts = new Int32Array(Math.min(n, 1024));
    for (let j = 0; j < n; j++) {
      const e = bs[j]!;
      let id = isBmp(e) ? bmpIds[e]! : (astral.get(e) ?? -1);
      if (id < 0) {
        id = elems.length;
        elems.push(e);
        if (isBmp(e)) bmpIds[e] = id;
        else astral.set(e, id);
        if (id >= counts.length) {
          const grown = new Int32Array(Math.min(n, counts.length * 2));
          grown.set(counts);
          counts = grown;
        }
      }
      bIds[j] = id;
      counts[id]!++;
    }
    const nIds = elems.length;
    if (opts.autojunk && n >= 200) {
      const ntest = Math.floor(n / 100) + 1;
      // A popular element keeps its id but gets an empty position list, exactly like `del b2j[elt]`.
      for (let id = 0; id < nIds; id++) if (counts[id]! > ntest) counts[id] = 0;
    }
    const start = new Int32Array(nIds + 1);
    for (let id = 0; id < nIds; id++) start[id + 1] = start[id]! + counts[id]!;
    const fill = start.slice(0, nIds);
    const pos = new Int32Array(start[nIds]!);
    for (let j = 0; j < n; j++) {
      const id = bIds[j]!;
      if (counts[id]! > 0) pos[fill[id]!++] = j;
    }
    const as = this.a;
    const aIds = new Int32Array(as.length);
    for (let i = 0; i < as.length; i++) {
      const e = as[i]!;
      const id = isBmp(e) ? bmpIds[e]! : (astral.get(e) ?? -1);
      aIds[i] = id >= 0 && counts[id]! > 0 ? id : -1;
    }
    for (const e of elems) if (isBmp(e)) bmpIds[e] = -1;
    this.start = start;
    this.pos = pos;
    this.aIds = aIds;
  }

  /** Python's find_longest_match(alo, ahi, blo, bhi): longest block, earliest in a, then earliest in b. */
  findLongestMatch(range: MatchRange): Match {
    return this.longest(range.alo, range.ahi, range.blo, range.bhi);
  }

  private longest(alo: number, ahi: number, blo: number, bhi: number): Match {
    const { a, b, aIds, start, pos } = this;
    ensureScratch(b.length);
    let prev = rowA;
    let cur = rowB;
    let prevTouched = touchedA;
    let curTouched = touchedB;
    let nPrev = 0;
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    // prev[j + 1] holds j2len[j] of the previous row; prev[blo] (j2len[blo - 1]) is never written, so stays 0.
    for (let i = alo; i < ahi; i++) {
      let nCur = 0;
      const id = aIds[i]!;
      if (id >= 0) {
        const end = start[id + 1]!;
        // First position >= blo (Python skips them one by one; the result is the same).
        let lo = start[id]!;
        let hi = end;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (pos[mid]! < blo) lo = mid + 1;
          else hi = mid;
        }
        for (let p = lo; p < end; p++) {
          const j = pos[p]!;
          if (j >= bhi) break;
          const k = prev[j]! + 1;
          cur[j + 1] = k;
          curTouched[nCur++] = j + 1;
          if (k > bestsize) {
            besti = i - k + 1;
            bestj = j - k + 1;
            bestsize = k;
          }
        }
      }
      for (let t = 0; t < nPrev; t++) prev[prevTouched[t]!] = 0;
      const r = prev;
      prev = cur;
      cur = r;
      const tt = prevTouched;
      prevTouched = curTouched;
      curTouched = tt;
      nPrev = nCur;
    }
    for (let t = 0; t < nPrev; t++) prev[prevTouched[t]!] = 0;
    // isjunk is None, so no element is junk: only the two non-junk extension loops of CPython can move.
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) {
      bestsize++;
    }
    return { a: besti, b: bestj, size: bestsize };
  }

  /** Python's get_matching_blocks(): merged blocks in order, ending with the dummy (len(a), len(b), 0). */
  getMatchingBlocks(): Match[] {
    if (this.blocks) return this.blocks;
    const la = this.a.length;
    const lb = this.b.length;
    const found: Match[] = [];
    const queue: number[] = [0, la, 0, lb];
    while (queue.length > 0) {
      const bhi = queue.pop()!;
      const blo = queue.pop()!;
      const ahi = queue.pop()!;
      const alo = queue.pop()!;
      const m = this.longest(alo, ahi, blo, bhi);
      if (m.size > 0) {
        found.push(m);
        if (alo < m.a && blo < m.b) queue.push(alo, m.a, blo, m.b);
        if (m.a + m.size < ahi && m.b + m.size < bhi) queue.push(m.a + m.size, ahi, m.b + m.size, bhi);
      }
    }
    // Blocks are disjoint in a with size > 0, so ordering by a equals Python's tuple sort.
    found.sort((x, y) => x.a - y.a);
    const merged: Match[] = [];
    let i1 = 0;
    let j1 = 0;
    let k1 = 0;
    for (const m of found) {
      if (i1 + k1 === m.a && j1 + k1 === m.b) {
        k1 += m.size;
      } else {
        if (k1 > 0) merged.push({ a: i1, b: j1, size: k1 });
        i1 = m.a;
        j1 = m.b;
        k1 = m.size;
      }
    }
    if (k1 > 0) merged.push({ a: i1, b: j1, size: k1 });
    merged.push({ a: la, b: lb, size: 0 });
    this.blocks = merged;
    return merged;
  }

  /** Python's ratio(): 2.0 * matches / (len(a) + len(b)), 1.0 when both are empty. */
  ratio(): number {
    const total = this.a.length + this.b.length;
    if (total === 0) return 1.0;
    let matches = 0;
    for (const m of this.getMatchingBlocks()) matches += m.size;
    return (2.0 * matches) / total;
  }
}

/** SequenceMatcher(None, a, b, autojunk).ratio() on two strings. */
export function sequenceRatio(a: string, b: string, opts: SequenceMatcherOptions): number {
  if (!opts.autojunk && a === b) return 1.0; // without popular elements the whole string is the one longest match
  return new SequenceMatcher(a, b, opts).ratio();
}
