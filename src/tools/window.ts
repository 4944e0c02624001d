// Pure parts of SWE-agent's windowed file viewer (its `defaults.sh` / `edit_linting.sh` shell functions): the window
// arithmetic (jq's floor/round included), the rendering, line-range edits and the lint comparison, so that replayed
// observations read exactly as recorded ones.

/** The viewer's state, as SWE-agent keeps it in CURRENT_FILE / CURRENT_LINE / WINDOW / OVERLAP. */
export interface WindowState {
  file?: string;
  line: number;
  window: number;
  overlap: number;
}

export const DEFAULT_WINDOW = 100;
export const DEFAULT_OVERLAP = 2;

/** A fresh viewer state with SWE-agent's defaults. */
export function newWindowState(): WindowState {
  return { line: 0, window: DEFAULT_WINDOW, overlap: DEFAULT_OVERLAP };
}

/** The file's lines as `awk`/`grep -n` count them: a final newline ends the last line, it does not start one. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** `_constrain_line`: keeps the window's centre inside the file. */
export function constrainLine(line: number, o: { total: number; window: number }): number {
  const half = Math.floor(o.window / 2);
  return Math.max(Math.min(line, o.total - half), half);
}

/** The centre line `open F N` and `goto N` aim at: N shown a sixth of the window below the top. */
export function centreFor(target: number, window: number): number {
  return Math.floor(Math.max(target + window / 2 - Math.floor(window / 6), 1));
}

/** `_print`: the header, the lines around `line`, and the counts of lines above and below. */
export function renderWindow(o: { path: string; lines: string[]; line: number; window: number }): string {
  const total = o.lines.length;
  const above = Math.floor(Math.max(0, o.line - o.window / 2));
  const below = jqRound(Math.max(0, total - o.line - o.window / 2));
  const headN = Math.floor(Math.max(o.line + o.window / 2, o.window / 2));
  const last = Math.min(headN, total);
  // head -n headN | tail -n window
  const first = Math.max(0, last - o.window);
  const out = [`[File: ${o.path} (${total} lines total)]`];
  if (above > 0) out.push(`(${above} more lines above)`);
  for (let i = first; i < last; i++) out.push(`${i + 1}:${o.lines[i]}`);
  if (below > 0) out.push(`(${below} more lines below)`);
  return `${out.join('\n')}\n`;
}

// jq's round: half away from zero (Math.round rounds -0.5 up; only non-negative values reach here).
function jqRound(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** `edit L:M`: lines L..M (1-based, inclusive) replaced; the file is rewritten as `printf "%s\n"` would. */
export function applyLineEdit(text: string, o: { start: number; end: number; replacement: string[] }): string {
  const lines = splitLines(text);
  const next = [...lines.slice(0, o.start - 1), ...o.replacement, ...lines.slice(o.end)];
  // printf "%s\n" with no arguments still prints one newline.
  return next.length ? `${next.join('\n')}\n` : '\n';
}

/** Parses `edit L:M\n<text>\nend_of_edit` into its range and replacement lines; undefined when it is not one. */
export function parseEditBlock(command: string): { range: string; replacement: string[] } | undefined {
  const m = /^edit[ \t]+([^\n]*)\n([\s\S]*?)\n?end_of_edit[ \t]*\n?$/.exec(command.replace(/\s+$/, '') + '\n');
  if (!m) return undefined;
  const body = m[2]!;
  return { range: m[1]!.trim(), replacement: body === '' ? [] : body.split('\n') };
}

export interface LintError {
  line: number;
  col: number;
  problem: string;
}

/** Parses flake8's `file:line:col: CODE message` lines. */
export function parseLint(output: string): LintError[] {
  const out: LintError[] = [];
  for (const raw of output.split('\n')) {
    const m = /^.*?:(\d+):(\d+):\s*(.*)$/.exec(raw.trim());
    if (m) out.push({ line: Number(m[1]), col: Number(m[2]), problem: m[3]!.trim() });
  }
  return out;
}

/** SWE-agent's `_split_string`: the errors after an edit that were not there before (shifted past the edit). */
export function newLintErrors(o: { before: LintError[]; after: LintError[]; start: number; end: number; newLines: number }): string {
  const added = o.newLines - (o.end - o.start + 1);
  const previous = o.before
    .filter((e) => e.line < o.start || e.line > o.end)
    .map((e) => (e.line < o.start ? e : { ...e, line: e.line + added }));
  const fresh = o.after.filter((e) => !previous.some((p) => p.line === e.line && p.col === e.col && p.problem === e.problem));
  return fresh
    .sort((a, b) => a.line - b.line)
    .map((e) => `- ${e.problem}`)
    .join('\n');
}

/** The observation of an edit the linter refused: the edit as it would have been, then the original. */
export function renderRefusedEdit(o: {
  path: string;
  errors: string;
  edited: string[];
  original: string[];
  start: number;
  end: number;
  newLines: number;
}): string {
  const start0 = o.start - 1;
  const show = (lines: string[], centre: number, window: number) =>
    renderWindow({ path: o.path, lines, window, line: constrainLine(centre, { total: lines.length, window }) });
  return [
    'Your proposed edit has introduced new syntax error(s). Please understand the fixes and retry your edit commmand.',
    '',
    'ERRORS:',
    o.errors,
    '',
    'This is how your edit would have looked if applied',
    '-------------------------------------------------',
    show(o.edited, Math.floor(o.newLines / 2) + start0, o.newLines + 10) + '-------------------------------------------------',
    '',
    'This is the original code before your edit',
    '-------------------------------------------------',
    show(o.original, Math.floor((o.end - start0 + 1) / 2) + start0, o.end - start0 + 10) + '-------------------------------------------------',
    'Your changes have NOT been applied. Please fix your edit command and try again.',
    'You either need to 1) Specify the correct start/end line arguments or 2) Correct your edit code.',
    'DO NOT re-run the same failed edit command. Running it again will lead to the same error.',
    '',
  ].join('\n');
}

export const EDIT_APPLIED =
  'File updated. Please review the changes and make sure they are correct (correct indentation, no duplicate lines, etc). Edit the file again if necessary.';
