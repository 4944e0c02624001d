// String pairs for checking the difflib port against CPython (test) and timing both (bench), plus the CPython runner.
//
// Pairs: real actions from the shared trajectories, mutations of them, random strings over small alphabets
// (popular elements, autojunk thresholds around 200), long strings (> 200, > 2,000), empty strings, and unicode
// with astral characters and lone surrogates. Deterministic (seeded), so a failure reproduces.
import { mulberry32 } from '../../src/util/random.ts';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sharedPath } from '../helpers/shared.ts';

export const PYTHON = '/usr/bin/python3';
/** The real trajectories the actions come from, relative to ../shared. */
export const TRAJECTORY_REL = 'data/trajectories';
export const TRAJECTORY_DIR = sharedPath(TRAJECTORY_REL);

export type Pair = [string, string];

/** A small seeded PRNG (mulberry32). */
export const rng = mulberry32;

const ACTION_KEYS = new Set(['action', 'command', 'arguments', 'content', 'text', 'thought', 'code', 'new_content']);
const TRAJECTORY_FILE = /(\.traj|\.traj\.json|\.json|\.jsonl)$/;

/** Command- and action-like strings found in the shared trajectory files (deduplicated, in file order). */
export function collectActions(dir = TRAJECTORY_DIR): string[] {
  if (!existsSync(dir)) throw new Error(`the action pairs need the real trajectories in ${dir} (absent in a public clone)`);
  const out = new Set<string>();
  const add = (s: string): void => {
    if (s.length > 0 && s.length <= 4000) out.add(s);
  };
  const walk = (v: unknown, key: string | undefined): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/<function=[\s\S]*?<\/function>/g)) add(m[0]);
      for (const m of v.matchAll(/```(?:bash|sh)?\n([\s\S]*?)```/g)) add(m[1] ?? '');
      if (key !== undefined && ACTION_KEYS.has(key) && v.length <= 1500) add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  for (const file of listFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const docs = file.endsWith('.jsonl') ? text.split('\n').filter((l) => l.trim() !== '') : [text];
    for (const doc of docs) {
      try {
        walk(JSON.parse(doc), undefined);
      } catch {
        // a file that is not JSON (none today) holds no actions for us
      }
    }
  }
  return [...out];
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else if (TRAJECTORY_FILE.test(name)) out.push(p);
  }
  return out;
}

const UNICODE = ['é', 'ü', '中', '文', '😀', '🚀', '𝔘', '\u0301', 'a', ' ', '\n', '\ud800', '\udfff', '👍🏽'];

/** A random edit of s: delete, insert, replace, duplicate or move a span, or change case. */
export function mutate(s: string, next: () => number): string {
  const cps = Array.from(s);
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (cps.length + 1));
    const len = 1 + Math.floor(next() * 12);
    const op = Math.floor(next() * 6);
    if (op === 0) cps.splice(at, len);
    else if (op === 1) cps.splice(at, 0, ...randomString(next, len, 'abc /._-"\n').split(''));
    else if (op === 2) cps.splice(at, len, ...Array.from(randomString(next, len, 'xyz0123😀')));
    else if (op === 3) cps.splice(at, 0, ...cps.slice(at, at + len));
    else if (op === 4) cps.splice(Math.floor(next() * (cps.length + 1)), 0, ...cps.splice(at, len));
    else for (let i = at; i < Math.min(cps.length, at + len); i++) cps[i] = cps[i]!.toUpperCase();
  }
  return cps.join('');
}

/** A random string of n code points over the given alphabet (an array or the code points of a string). */
export function randomString(next: () => number, n: number, alphabet: string | readonly string[]): string {
  const letters = typeof alphabet === 'string' ? Array.from(alphabet) : alphabet;
  let s = '';
  for (let i = 0; i < n; i++) s += letters[Math.floor(next() * letters.length)]!;
  return s;
}

// A string where one letter takes a chosen share, to land popular counts right around floor(n/100)+1.
function skewed(next: () => number, n: number): string {
  const common = 'e';
  const share = next() * 0.05;
  let s = '';
  for (let i = 0; i < n; i++) s += next() < share ? common : randomString(next, 1, 'abcdfghijklmnopqrstuvwxyz ');
  return s;
}

/** The deterministic pair set: at least `count` pairs covering every family listed in the file header. */
export function buildPairs(count = 10_500, seed = 20240611): Pair[] {
  const next = rng(seed);
  const actions = collectActions();
  // Random picks favour the common, short actions so that CPython's side of the test stays within seconds;
  // every action, long ones included, is still paired once with a mutation of itself below.
  const short = actions.filter((a) => a.length <= 600);
  const pick = (): string => short[Math.floor(next() * short.length)] ?? '';
  const pairs: Pair[] = [
    ['', ''],
    ['', 'abc'],
    ['abc', ''],
    ['a'.repeat(300), 'a'.repeat(300)],
    ['a'.repeat(199), 'a'.repeat(199)],
    ['ab'.repeat(150), 'ba'.repeat(150)],
  ];
  // The popular threshold exactly: len(b) = 200 gives ntest = 3, so 'q' x3 stays in b2j and 'q' x4 is dropped.
  for (const qs of [3, 4]) {
    const b = `${'q'.repeat(qs)}${randomString(next, 200 - qs, 'abcdefghijklmnoprstuvwxyz0123456789 ,.')}`;
    pairs.push([`${b.slice(qs)}${'q'.repeat(qs)}`, b], [`x${b}`, b]);
  }
  const push = (a: string, b: string): void => {
    pairs.push(next() < 0.5 ? [a, b] : [b, a]);
  };
  for (const a of actions) push(a, mutate(a, next));
  while (pairs.length < count) {
    const kind = Math.floor(next() * 10);
    if (kind <= 2) {
      const a = pick();
      push(a, mutate(a, next));
    } else if (kind === 3) {
      push(pick(), pick());
    } else if (kind === 4) {
      const alpha = 'abcdef'.slice(0, 1 + Math.floor(next() * 6));
      push(randomString(next, Math.floor(next() * 60), alpha), randomString(next, Math.floor(next() * 60), alpha));
    } else if (kind === 5) {
      // around the autojunk threshold of len(b) == 200
      const n = 190 + Math.floor(next() * 25);
      const b = skewed(next, n);
      push(mutate(b, next), b);
    } else if (kind === 6) {
      const n = 200 + Math.floor(next() * 250);
      const b = skewed(next, n);
      pairs.push([mutate(b, next), b]);
    } else if (kind === 7) {
      push(randomString(next, Math.floor(next() * 40), UNICODE), randomString(next, Math.floor(next() * 40), UNICODE));
    } else if (kind === 8) {
      const a = pick();
      pairs.push([a, a]);
      pairs.push([mutate(a, next), mutate(a, next)]);
    } else if (next() < 0.02) {
      // long: over 2,000 code points, built from real actions so the work stays realistic
      let a = '';
      while (a.length < 2100) a += `${pick()}\n`;
      push(a, mutate(mutate(a, next), next));
    } else {
      const n = Math.floor(next() * 400);
      const u = randomString(next, n, 'ab😀 \n');
      push(u, mutate(u, next));
    }
  }
  return pairs;
}

export interface CPythonResult {
  ratios: number[];
  /** get_matching_blocks() as [a, b, size] triples for the requested indices, in request order. */
  blocks: Array<Array<[number, number, number]>>;
  /** Seconds CPython spent in the ratio loop alone (construction + ratio per pair). */
  seconds: number;
}

const SCRIPT = `
import json, sys, time
from difflib import SequenceMatcher
data = json.load(open(sys.argv[1], encoding='utf-8'))
pairs, autojunk, idx = data['pairs'], data['autojunk'], data['blocks']
t0 = time.perf_counter()
ratios = [SequenceMatcher(None, a, b, autojunk=autojunk).ratio() for a, b in pairs]
seconds = time.perf_counter() - t0
blocks = [[list(m) for m in SequenceMatcher(None, pairs[i][0], pairs[i][1], autojunk=autojunk).get_matching_blocks()] for i in idx]
json.dump({'ratios': ratios, 'blocks': blocks, 'seconds': seconds}, sys.stdout)
`;

/** Whether the CPython reference is installed. */
export function hasPython(): boolean {
  return existsSync(PYTHON);
}

/** Runs CPython's SequenceMatcher once over all pairs (JSON floats are repr, so they round-trip exactly). */
export function runCPython(pairs: readonly Pair[], opts: { autojunk: boolean; blockIndices?: readonly number[] }): CPythonResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'swe-srl-difflib-'));
  try {
    const file = path.join(dir, 'pairs.json');
    writeFileSync(file, JSON.stringify({ pairs, autojunk: opts.autojunk, blocks: opts.blockIndices ?? [] }));
    const out = execFileSync(PYTHON, ['-c', SCRIPT, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return JSON.parse(out) as CPythonResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** runCPython without blocking, so that both autojunk modes can run side by side in a test (not for timing). */
export async function runCPythonAsync(
  pairs: readonly Pair[],
  opts: { autojunk: boolean; blockIndices?: readonly number[] },
): Promise<CPythonResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'swe-srl-difflib-'));
  try {
    const file = path.join(dir, 'pairs.json');
    writeFileSync(file, JSON.stringify({ pairs, autojunk: opts.autojunk, blocks: opts.blockIndices ?? [] }));
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', SCRIPT, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return JSON.parse(stdout) as CPythonResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
