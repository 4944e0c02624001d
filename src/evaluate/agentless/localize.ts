// Localization answers: the files a reply names (kept only when the repository has them, at most K), and the
// fallback when it names none: the files whose path shares the most words with the issue.
import { normalizeEditPath } from './search-replace.ts';

export interface Localization {
  /** The files to repair, most important first. */
  files: string[];
  /** How they were chosen: the policy's answer, or the word-overlap fallback (the answer named no existing file). */
  source: 'policy' | 'fallback';
  /** Names in the answer that are no file of the repository. */
  unknown: string[];
}

/**
 * The files a localization reply names: the first word of each line of its last ``` block (or of the whole reply
 * when it has none) that looks like a path, bullets, numbering, quotes and a /testbed/ root stripped; a bare name that ends exactly one file's path counts as
 * that file. At most maxFiles, in the reply's order, without repeats.
 */
export function parseLocalization(reply: string, repoFiles: readonly string[], maxFiles: number): { files: string[]; unknown: string[] } {
  const known = new Set(repoFiles);
  const text = reply.replace(/<think>[\s\S]*?<\/think>/g, '');
  const fences = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)];
  const body = fences.length ? fences.at(-1)![1]! : text;
  const files: string[] = [];
  const unknown: string[] = [];
  for (const raw of body.split('\n')) {
    // The line's first word, when it looks like a path ("pkg/a.py: the parser" names pkg/a.py).
    const first = raw.trim().replace(/^(?:[-*+]|\d+[.)])\s+/, '').split(/\s+/)[0] ?? '';
    const name = normalizeEditPath(first.replace(/^["'`*]+|["'`*:,;.]+$/g, ''));
    if (!name || !/[./]/.test(name)) continue;
    const path = known.has(name) ? name : uniqueSuffix(name, repoFiles);
    if (!path) unknown.push(name);
    else if (!files.includes(path)) files.push(path);
    if (files.length === maxFiles) break;
  }
  return { files, unknown };
}

function uniqueSuffix(name: string, repoFiles: readonly string[]): string | undefined {
  const hits = repoFiles.filter((f) => f.endsWith(`/${name}`));
  return hits.length === 1 ? hits[0] : undefined;
}

/** The reply's files, or the fallback when it names no existing file. */
export function localize(o: { reply: string; issue: string; repoFiles: readonly string[]; maxFiles: number }): Localization {
  const parsed = parseLocalization(o.reply, o.repoFiles, o.maxFiles);
  if (parsed.files.length) return { files: parsed.files, source: 'policy', unknown: parsed.unknown };
  return { files: fallbackFiles(o.issue, o.repoFiles, o.maxFiles), source: 'fallback', unknown: parsed.unknown };
}

/** Lower-case words of a text: split on non-letters/digits and on camelCase humps; short and common words dropped. */
export function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/)) if (w.length >= 3 && !STOP.has(w)) out.add(w);
  return out;
}

const STOP = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'not', 'are', 'was', 'but', 'when', 'should', 'py', 'src', 'lib', 'init', 'main', 'test', 'tests']);

/**
 * The files whose path shares the most words with the issue (ties: source files before tests, then shorter paths),
 * at most maxFiles; none when no path shares a word.
 */
export function fallbackFiles(issue: string, repoFiles: readonly string[], maxFiles: number): string[] {
  const issueWords = words(issue);
  const scored = repoFiles
    .map((f) => ({ f, score: [...words(f)].filter((w) => issueWords.has(w)).length, test: /(^|\/)tests?\/|(^|\/)test_|_test\./.test(f) }))
    .filter((x) => x.score > 0);
  scored.sort((a, b) => b.score - a.score || Number(a.test) - Number(b.test) || a.f.length - b.f.length || (a.f < b.f ? -1 : 1));
  return scored.slice(0, maxFiles).map((x) => x.f);
}

/** Share of the gold files among the localized ones (1 when the gold patch edits no existing file). */
export function localizationRecall(localized: readonly string[], gold: readonly string[]): number {
  if (!gold.length) return 1;
  const got = new Set(localized);
  return gold.filter((g) => got.has(g)).length / gold.length;
}
