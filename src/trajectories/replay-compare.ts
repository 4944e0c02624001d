// Pure parts of replay: mapping recorded repository roots to /testbed, normalizing observations before they are
// compared, rendering replayed output the way the recording tool did, and the per-step verdict.
import { similarity } from '../srl/reward.ts';
import type { Trajectory } from './types.ts';

export const SANDBOX_ROOT = '/testbed';
/** A step is reproduced when its normalized observation is this similar to the recorded one (or identical). */
export const DEFAULT_REPRODUCED_THRESHOLD = 0.9;
// difflib is quadratic in the worst case: similarity is taken on at most this many characters of each side.
const MAX_COMPARED_CHARS = 20_000;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The roots a recording may have used for the repository: its meta.repoRoot and SWE-agent / SWE-Gym conventions. */
export function recordedRoots(o: { repoRoot?: unknown; repo?: string; version?: string }): string[] {
  const roots = new Set<string>();
  if (typeof o.repoRoot === 'string' && o.repoRoot.startsWith('/')) roots.add(o.repoRoot.replace(/\/+$/, ''));
  if (o.repo) {
    const slug = o.repo.replace('/', '__');
    roots.add(`/${slug}`);
    if (o.version) roots.add(`/workspace/${slug}__${o.version}`);
  }
  roots.delete(SANDBOX_ROOT);
  roots.delete('');
  // Longest first, so that /workspace/x__y__1.0 is not half-mapped by /x__y.
  return [...roots].sort((a, b) => b.length - a.length);
}

/** Replaces every recorded root (as a whole path component) by /testbed. */
export function mapRoots(text: string, roots: string[]): string {
  let out = text;
  for (const r of roots) out = out.replace(new RegExp(`${escapeRe(r)}(?![\\w.-])`, 'g'), SANDBOX_ROOT);
  return out;
}

/** What is compared: line ends trimmed, CRLF folded, leading and trailing blank lines dropped. */
export function normalizeObservation(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

const MINI_WRAPPED = /^<returncode>-?\d+<\/returncode>\n(<output>|<warning>)/;

/** Renders a replayed output in the recording tool's format (mini-swe-agent's returncode/output template). */
export function renderObservation(o: { recorded: string; output: string; exitCode: number }): string {
  if (!MINI_WRAPPED.test(o.recorded)) return o.output;
  if (o.output.length < 10000) return `<returncode>${o.exitCode}</returncode>\n<output>\n${o.output}</output>`;
  const elided = o.output.length - 10000;
  return (
    `<returncode>${o.exitCode}</returncode>\n<warning>\nThe output of your last command was too long.\n` +
    `Please try a different command that produces less output.\n` +
    `If you're looking at a file you can try use head, tail or sed to view a smaller number of lines selectively.\n` +
    `If you're using grep or find and it produced too much output, you can use a more selective search pattern.\n` +
    `If you really need to see something from the full command's output, you can redirect output to a file and then search in that file.\n` +
    `</warning><output_head>\n${o.output.slice(0, 5000)}\n</output_head>\n<elided_chars>\n${elided} characters elided\n</elided_chars>\n` +
    `<output_tail>\n${o.output.slice(-5000)}\n</output_tail>`
  );
}

/** Similarity of two normalized texts: 1 when identical, difflib's ratio otherwise. */
export function textSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return similarity(a.slice(0, MAX_COMPARED_CHARS), b.slice(0, MAX_COMPARED_CHARS));
}

/** A patch as compared: normalized text, without the `index` lines whose abbreviations vary with git's settings. */
export function normalizePatch(p: string): string {
  return normalizeObservation(
    p
      .split('\n')
      .filter((l) => !/^index [0-9a-f]+\.\.[0-9a-f]+/.test(l))
      .join('\n'),
  );
}

/** The shell semantics a trajectory was recorded with: a persistent session unless it says subshell. */
export function shellOf(t: Trajectory): 'session' | 'subshell' {
  return t.meta.shell === 'subshell' ? 'subshell' : 'session';
}
