// SWE-RL's answer format: `<think>...</think><solution>...</solution>`, the solution holding SEARCH/REPLACE edits,
// each headed by a `### path` line (optionally inside a ``` fence):
//
//   ### src/pkg/mod.py
//   <<<<<<< SEARCH
//   lines to find (whole lines, exactly)
//   =======
//   lines to put there instead
//   >>>>>>> REPLACE
//
// Parsing, applying and rendering are pure: the agentless pipeline, the oracle grader and the gold policy share them.
import { TESTBED } from '../../srl/paths.ts';
import type { PatchEdit } from '../../oracle/patch-edits.ts';

export interface SearchReplaceEdit {
  /** Relative to the repository root. */
  path: string;
  /** Whole lines to find, each ending in a newline; empty: a new file (or an empty one). */
  search: string;
  /** The lines to put there, each ending in a newline; empty: the lines are removed. */
  replace: string;
}

export type SolutionErrorReason = 'missing_think' | 'missing_solution' | 'no_edits' | 'malformed_block' | 'too_many_edits';

export type ParsedSolution =
  | { ok: true; thinking: string; edits: SearchReplaceEdit[] }
  | { ok: false; reason: SolutionErrorReason; detail: string };

/** How SEARCH/REPLACE edits and the reply are written (shared with the oracle prompt's search-replace format). */
export const SEARCH_REPLACE_FORMAT = [
  '# Response format',
  '',
  'First reason inside <think>...</think>, then give the edits inside <solution>...</solution>:',
  '',
  '<think>',
  'What causes the issue and how to fix it.',
  '</think>',
  '<solution>',
  '```python',
  '### pkg/mod.py',
  '<<<<<<< SEARCH',
  'def add(a, b):',
  '    return a - b',
  '=======',
  'def add(a, b):',
  '    return a + b',
  '>>>>>>> REPLACE',
  '```',
  '</solution>',
  '',
  'Each edit is one fenced block: a `### path` line (relative to the repository root), the line `<<<<<<< SEARCH`,',
  'whole lines copied exactly from the file (indentation included), the line `=======`, the lines that replace',
  'them, and the line `>>>>>>> REPLACE`. Edits apply in order; the SEARCH lines must occur in the file (the first',
  'occurrence is replaced), so include enough lines to make them unique. An empty SEARCH creates a new file.',
].join('\n');

const SEARCH = '<<<<<<< SEARCH';
const DIVIDER = '=======';
const REPLACE = '>>>>>>> REPLACE';

/** Parses a whole reply: one think block, one solution block, one or more edits in the solution. */
export function parseSolutionResponse(response: string, opts: { maxEdits?: number } = {}): ParsedSolution {
  const think = /<think>([\s\S]*?)<\/think>/.exec(response);
  if (!think) return { ok: false, reason: 'missing_think', detail: 'no <think>...</think> block' };
  const rest = response.slice(think.index + think[0].length);
  const open = rest.indexOf('<solution>');
  const close = rest.lastIndexOf('</solution>');
  if (open < 0 || close < open) return { ok: false, reason: 'missing_solution', detail: 'no <solution>...</solution> block after </think>' };
  const blocks = parseSearchReplaceBlocks(rest.slice(open + '<solution>'.length, close));
  if (!blocks.ok) return blocks;
  const max = opts.maxEdits ?? 32;
  if (blocks.edits.length > max) return { ok: false, reason: 'too_many_edits', detail: `${blocks.edits.length} edits; at most ${max}` };
  return { ok: true, thinking: think[1]!.trim(), edits: blocks.edits };
}

/** The SEARCH/REPLACE edits of a text, in order; a block without its `### path` header or its end is malformed. */
export function parseSearchReplaceBlocks(text: string): { ok: true; edits: SearchReplaceEdit[] } | { ok: false; reason: SolutionErrorReason; detail: string } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const edits: SearchReplaceEdit[] = [];
  let path: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^###\s+(\S.*?)\s*$/.exec(line);
    if (header) {
      path = normalizeEditPath(header[1]!);
      continue;
    }
    if (line.trimEnd() !== SEARCH) {
      // Fences and prose between blocks are allowed; a path header applies to the block right after it only.
      if (!line.startsWith('```') && line.trim()) path = undefined;
      continue;
    }
    const n = edits.length + 1;
    if (!path) return { ok: false, reason: 'malformed_block', detail: `block ${n} has no "### path" line right before ${SEARCH}` };
    const divider = indexFrom(lines, i + 1, DIVIDER);
    const end = divider < 0 ? -1 : indexFrom(lines, divider + 1, REPLACE);
    if (divider < 0 || end < 0) return { ok: false, reason: 'malformed_block', detail: `block ${n} (${path}) has no ${divider < 0 ? DIVIDER : REPLACE} line` };
    const block = (a: number, b: number) => lines.slice(a, b).map((l) => `${l}\n`).join('');
    edits.push({ path, search: block(i + 1, divider), replace: block(divider + 1, end) });
    path = undefined;
    i = end;
  }
  if (!edits.length) return { ok: false, reason: 'no_edits', detail: 'no SEARCH/REPLACE block' };
  return { ok: true, edits };
}

function indexFrom(lines: readonly string[], from: number, marker: string): number {
  for (let i = from; i < lines.length; i++) if (lines[i]!.trimEnd() === marker) return i;
  return -1;
}

/** A path as the repository knows it: without the /testbed/ root, ./ or a leading slash. */
export function normalizeEditPath(p: string): string {
  let s = p.trim().replace(/^`|`$/g, '');
  if (s.startsWith(`${TESTBED}/`)) s = s.slice(TESTBED.length + 1);
  return s.replace(/^\.\//, '').replace(/^\/+/, '');
}

export interface EditFailure {
  /** 1-based index of the edit in the reply. */
  edit: number;
  path: string;
  reason: 'not_found' | 'no_file' | 'identical';
}

export interface ApplyResult {
  /** New contents of the files the applied edits changed (or created). */
  files: Map<string, string>;
  applied: number;
  failures: EditFailure[];
  /** Edits whose SEARCH occurs more than once (the first occurrence was replaced). */
  ambiguous: number[];
}

/**
 * Applies edits in order to files (path -> content; a missing path is a file that does not exist). SEARCH matches
 * whole lines exactly, first occurrence; an empty SEARCH creates a missing or empty file. An edit that cannot apply
 * is recorded and skipped; the others still apply.
 */
export function applySearchReplace(files: ReadonlyMap<string, string>, edits: readonly SearchReplaceEdit[]): ApplyResult {
  const out = new Map<string, string>();
  const failures: EditFailure[] = [];
  const ambiguous: number[] = [];
  let applied = 0;
  edits.forEach((e, k) => {
    const fail = (reason: EditFailure['reason']) => failures.push({ edit: k + 1, path: e.path, reason });
    if (e.search === e.replace) return fail('identical');
    const content = out.get(e.path) ?? files.get(e.path);
    if (e.search === '') {
      if (content) return fail('not_found');
      out.set(e.path, e.replace);
      applied++;
      return;
    }
    if (content === undefined) return fail('no_file');
    // A last line without its newline still matches as a whole line; the file keeps ending without one.
    const noEol = content !== '' && !content.endsWith('\n');
    const text = noEol ? `${content}\n` : content;
    const at = findLines(text, e.search);
    if (at.length === 0) return fail('not_found');
    if (at.length > 1) ambiguous.push(k + 1);
    const i = at[0]!;
    const next = text.slice(0, i) + e.replace + text.slice(i + e.search.length);
    out.set(e.path, noEol && next.endsWith('\n') ? next.slice(0, -1) : next);
    applied++;
  });
  return { files: out, applied, failures, ambiguous };
}

// Offsets where `lines` (ending in a newline) occurs as whole lines of `content`.
function findLines(content: string, lines: string): number[] {
  const found: number[] = [];
  for (let i = content.indexOf(lines); i >= 0; i = content.indexOf(lines, i + 1)) if (i === 0 || content[i - 1] === '\n') found.push(i);
  return found;
}

/** Edits as SWE-RL writes them: each block in a fence, headed by its path. */
export function renderSearchReplace(edits: readonly SearchReplaceEdit[]): string {
  const body = (s: string) => (s === '' ? [] : [s.replace(/\n$/, '')]);
  return edits.map((e) => ['```python', `### ${e.path}`, SEARCH, ...body(e.search), DIVIDER, ...body(e.replace), REPLACE, '```'].join('\n')).join('\n\n');
}

/** A full reply in SWE-RL's format. */
export function renderSolution(thinking: string, edits: readonly SearchReplaceEdit[]): string {
  return `<think>\n${thinking}\n</think>\n<solution>\n${renderSearchReplace(edits)}\n</solution>`;
}

/**
 * Patch edits (patch-edits.ts) as SEARCH/REPLACE edits; undefined for an insert without context (a -U0 hunk), which
 * SEARCH/REPLACE cannot say without the file.
 */
export function patchEditToSearchReplace(e: PatchEdit): SearchReplaceEdit | undefined {
  if (e.insertLine !== undefined) return undefined;
  const eol = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);
  return { path: e.path, search: eol(e.oldStr ?? ''), replace: eol(e.newStr) };
}
