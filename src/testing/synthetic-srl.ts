// Synthetic SRL step examples for tests, the demo and benchmarks: short shell chores whose expert action is one
// bash call, so a tiny byte model can learn the format and partly the mapping on a CPU in seconds.
import { renderCall } from '../srl/action-xml.ts';
import { mulberry32 } from '../util/random.ts';
import type { SrlExample } from '../train/examples.ts';

const FILES = ['a.py', 'b.txt', 'main.c', 'util.py', 'setup.cfg', 'app.js', 'x.md', 'io.rs', 'lib.go', 'run.sh'];
const DIRS = ['src', 'tests', 'docs', 'lib', 'bin', 'tmp'];
const WORDS = ['foo', 'bar', 'init', 'main', 'todo', 'err'];

const CHORES: Array<{ ask: (a: string, b: string) => string; cmd: (a: string, b: string) => string; args: 'f' | 'd' | 'wf' }> = [
  { ask: (f) => `show ${f}`, cmd: (f) => `cat ${f}`, args: 'f' },
  { ask: (f) => `count lines of ${f}`, cmd: (f) => `wc -l ${f}`, args: 'f' },
  { ask: (d) => `list ${d}`, cmd: (d) => `ls ${d}`, args: 'd' },
  { ask: (w, f) => `find ${w} in ${f}`, cmd: (w, f) => `grep -n ${w} ${f}`, args: 'wf' },
  { ask: (f) => `head of ${f}`, cmd: (f) => `head ${f}`, args: 'f' },
];

/** count examples drawn with seed (ids unique; a different seed gives a different, overlapping set). */
export function syntheticExamples(o: { count: number; seed: number; prefix?: string }): SrlExample[] {
  const rand = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: SrlExample[] = [];
  for (let i = 0; i < o.count; i++) {
    const chore = pick(CHORES);
    const a = chore.args === 'd' ? pick(DIRS) : chore.args === 'wf' ? pick(WORDS) : pick(FILES);
    const b = chore.args === 'wf' ? pick(FILES) : '';
    out.push({
      id: `${o.prefix ?? 'syn'}-${o.seed}-${i}`,
      instance_id: `synthetic__chores-${i % 7}`,
      step: i % 5,
      prompt: [{ role: 'user', content: chore.ask(a, b) }],
      target: renderCall({ tool: 'bash', args: { command: chore.cmd(a, b) } }),
    });
  }
  return out;
}

/** Examples as JSONL text. */
export function toJsonl(examples: SrlExample[]): string {
  return examples.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

/**
 * The examples with their targets rotated by shift (prompt i gets the target of example i + shift): an SFT set that
 * teaches the response format and the action vocabulary but not which action answers which prompt, so that a
 * policy warmed up on it emits well-formed calls whose content RL still has to learn.
 */
export function shuffledTargets(examples: SrlExample[], shift = 1): SrlExample[] {
  return examples.map((e, i) => ({ ...e, target: examples[(i + shift) % examples.length]!.target }));
}
