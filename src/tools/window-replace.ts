// Pure parts of SWE-agent 1.x's windowed_edit_replace tools: `edit SEARCH REPLACE [REPLACE_ALL]` (search and replace
// in the lines on screen, or everywhere) and `insert TEXT [LINE]`, with the window moved to the change as SWE-agent
// moves it, and the observations it prints.
import { constrainLine, renderWindow, splitLines } from './window.ts';

/** The lines on screen (0-based, end exclusive) for the viewer's centre line, as renderWindow draws them. */
export function shownRange(total: number, o: { line: number; window: number }): { first: number; last: number } {
  const line = constrainLine(o.line, { total, window: o.window });
  const last = Math.min(Math.floor(Math.max(line + o.window / 2, o.window / 2)), total);
  return { first: Math.max(0, last - o.window), last };
}

/** The viewer's centre line that puts 0-based line `first` at the top (kept inside the file). */
export function centreForTop(first: number, o: { total: number; window: number }): number {
  return Math.max(0, Math.min(first, o.total - o.window)) + o.window / 2;
}

/** SWE-agent's `goto(line, mode="top")`: the line a sixth of the window below the top. */
export function topFor(line: number, window: number): number {
  return Math.floor(line - window / 6);
}

/** The window with its status line and the counts above and below, for top line `first` (0-based). */
export function renderAt(o: { path: string; text: string; first: number; window: number }): string {
  const lines = splitLines(o.text);
  return renderWindow({ path: o.path, lines, window: o.window, line: centreForTop(o.first, { total: lines.length, window: o.window }) });
}

export type ReplaceOutcome =
  | { ok: false; message: string }
  | {
      ok: true;
      text: string;
      /** 1-based line where the (first) replacement starts. */
      line: number;
      searchLines: number;
      replaceLines: number;
      replacements: number;
    };

export const MSG = {
  noFile: 'No file opened. Either `open` or `create` a file first.\n',
  insertNoFile: 'No file opened. Use the `create` or `open` command first.\n',
  emptySearch: 'Search text must not be empty. Use insert to add new text.\n',
  same: 'Your search and replace strings are the same. No changes were made. Please modify your search or replace strings.\n',
  replaced: 'Text replaced. Please review the changes and make sure they are correct\n(correct indentation, no duplicate lines, etc). Edit the file again if necessary.\n',
  replacedAll: (n: number) =>
    `Replaced ${n} occurrences. Please review the changes and make sure they are correct\n(correct indentation, no duplicate lines, etc). Edit the file again if necessary.\n`,
};

const py = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

// 1-based lines of every occurrence in the file (non-overlapping, as str.find steps).
function occurrences(text: string, search: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(search); i >= 0; i = text.indexOf(search, i + search.length)) out.push(text.slice(0, i).split('\n').length);
  return out;
}

/** `edit SEARCH REPLACE [REPLACE_ALL]` on a file's text viewed at centre line `line`. */
export function replaceInView(o: { text: string; line: number; window: number; search: string; replace: string; all: boolean }): ReplaceOutcome {
  if (!o.search) return { ok: false, message: MSG.emptySearch };
  if (o.search === o.replace) return { ok: false, message: MSG.same };
  const counts = { searchLines: o.search.split('\n').length, replaceLines: o.replace.split('\n').length };
  if (o.all) {
    const found = occurrences(o.text, o.search);
    if (!found.length) return { ok: false, message: notFound(o.search, []) };
    return { ok: true, text: o.text.split(o.search).join(o.replace), line: found[0]!, replacements: found.length, ...counts };
  }
  const raw = o.text.split('\n');
  const { first, last } = shownRange(splitLines(o.text).length, o);
  const windowText = raw.slice(first, last).join('\n');
  const at = windowText.indexOf(o.search);
  if (at < 0) return { ok: false, message: notFound(o.search, occurrences(o.text, o.search)) };
  if (windowText.indexOf(o.search, at + o.search.length) >= 0) {
    return {
      ok: false,
      message: `Your edit was not applied (file not modified): Found more than one occurrence of ${py(o.search)} in the currently displayed lines.\nPlease make your search string more specific (for example, by including more lines of context).\n`,
    };
  }
  const replaced = windowText.replace(o.search, () => o.replace);
  raw.splice(first, last - first, ...replaced.split('\n'));
  return { ok: true, text: raw.join('\n'), line: first + windowText.slice(0, at).split('\n').length, replacements: 1, ...counts };
}

function notFound(search: string, lines: number[]): string {
  if (!lines.length) {
    return (
      `Your edit was not applied (file not modified): Text ${py(search)} not found in displayed lines (or anywhere in the file).\n` +
      'Please modify your search string. Did you forget to properly handle whitespace/indentation?\n' +
      'You can also call `open` again to re-display the file with the correct context.\n'
    );
  }
  return (
    `Your edit was not applied (file not modified): Text ${py(search)} not found in displayed lines.\n\n` +
    `However, we found the following occurrences of your search string in the file:\n\n${lines.map((n) => `- line ${n}`).join('\n')}\n\n` +
    'You can use the `goto` command to navigate to these locations before running the edit command again.\n'
  );
}

/** `insert TEXT [LINE]`: after line LINE (1-based; 0 or less: at the top), else at the end of the file. */
export function insertText(o: { text: string; insert: string; line?: number }): { text: string; line: number; added: number } {
  const total = splitLines(o.text).length;
  if (!o.insert) return { text: o.text, line: o.line ?? total, added: 0 };
  const body = o.insert.endsWith('\n') ? o.insert.slice(0, -1) : o.insert;
  const added = body.split('\n').length;
  if (o.line === undefined) {
    const current = o.text.endsWith('\n') ? o.text.slice(0, -1) : o.text;
    return { text: o.text ? `${current}\n${body}` : body, line: total, added };
  }
  if (o.line < 0) {
    const current = o.text.startsWith('\n') ? o.text.slice(1) : o.text;
    return { text: o.text ? `${body}\n${current}` : body, line: 0, added };
  }
  const raw = o.text.split('\n');
  raw.splice(o.line, 0, body);
  return { text: raw.join('\n'), line: o.line, added };
}

/** The observation of a change the linter refused (SWE-agent 1.x wording): the change as applied, then the original. */
export function renderRefusedReplace(o: { errors: string; applied: string; original: string }): string {
  const rule = '-'.repeat(48);
  return [
    'Your proposed edit has introduced new syntax error(s). Please read this error message carefully and then retry editing the file.',
    '',
    'ERRORS:',
    '',
    o.errors,
    'This is how your edit would have looked if applied',
    rule,
    o.applied.replace(/\n$/, ''),
    rule,
    '',
    'This is the original code before your edit',
    rule,
    o.original.replace(/\n$/, ''),
    rule,
    '',
    'Your changes have NOT been applied. Please fix your edit command and try again.',
    'DO NOT re-run the same failed edit command. Running it again will lead to the same error.',
    '',
  ].join('\n');
}
