// Pure parts of `str_replace_editor` with SWE-agent's (Anthropic's) semantics and messages: `cat -n` rendering,
// view ranges, unique-match replacement with its snippet, insertion. File I/O lives in editor.ts.

/** A refusal the tool reports to the agent as its observation (not a failure of ours). */
export class EditorError extends Error {}

export const SNIPPET_LINES = 4;
export const MAX_RESPONSE_LEN = 16000;
export const TRUNCATED_MESSAGE =
  '<response clipped><NOTE>To save on context only part of this file has been shown to you. You should retry this tool after you have searched inside the file with `grep -n` in order to find the line numbers of what you are looking for.</NOTE>';

/** Python's str.expandtabs() (tab stops every 8 columns, reset at line breaks). */
export function expandTabs(s: string, tab = 8): string {
  if (!s.includes('\t')) return s;
  let out = '';
  let col = 0;
  for (const ch of s) {
    if (ch === '\t') {
      const n = tab - (col % tab);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col = ch === '\n' || ch === '\r' ? 0 : col + 1;
    }
  }
  return out;
}

/** `_make_output`: the content, clipped, numbered as `cat -n` does (6-wide number, a tab). */
export function makeOutput(content: string, descriptor: string, initLine = 1): string {
  const clipped = content.length <= MAX_RESPONSE_LEN ? content : content.slice(0, MAX_RESPONSE_LEN) + TRUNCATED_MESSAGE;
  const numbered = expandTabs(clipped)
    .split('\n')
    .map((line, i) => `${String(i + initLine).padStart(6)}\t${line}`)
    .join('\n');
  return `Here's the result of running \`cat -n\` on ${descriptor}:\n${numbered}\n`;
}

/** Python's repr of a list of ints. */
const pyList = (xs: number[]) => `[${xs.join(', ')}]`;

/** Parses `view_range` as the XML form carries it ("[1, 20]"); throws the tool's message when it is not two ints. */
export function parseViewRange(raw: string | undefined): [number, number] | undefined {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'null') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x))) {
    throw new EditorError('Invalid `view_range`. It should be a list of two integers.');
  }
  return [v[0] as number, v[1] as number];
}

/** `view` of a file, whole or a line range. */
export function viewFile(o: { content: string; path: string; range?: [number, number] }): string {
  if (!o.range) return makeOutput(o.content, o.path);
  const lines = o.content.split('\n');
  const n = lines.length;
  const [init, final] = o.range;
  const shown = pyList(o.range);
  if (init < 1 || init > n) {
    throw new EditorError(
      `Invalid \`view_range\`: ${shown}. Its first element \`${init}\` should be within the range of lines of the file: ${pyList([1, n])}`,
    );
  }
  if (final > n) {
    throw new EditorError(
      `Invalid \`view_range\`: ${shown}. Its second element \`${final}\` should be smaller than the number of lines in the file: \`${n}\``,
    );
  }
  if (final !== -1 && final < init) {
    throw new EditorError(`Invalid \`view_range\`: ${shown}. Its second element \`${final}\` should be larger or equal than its first \`${init}\``);
  }
  const body = final === -1 ? lines.slice(init - 1) : lines.slice(init - 1, final);
  return makeOutput(body.join('\n'), o.path, init);
}

function countOccurrences(haystack: string, needle: string): number {
  if (needle === '') return haystack.length + 1;
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** `str_replace`: the one occurrence of old_str replaced (tabs expanded, as the tool writes them). */
export function strReplace(o: { content: string; path: string; oldStr: string; newStr?: string }): { content: string; message: string } {
  const file = expandTabs(o.content);
  const oldStr = expandTabs(o.oldStr);
  const newStr = expandTabs(o.newStr ?? '');
  const n = countOccurrences(file, oldStr);
  if (n === 0) throw new EditorError(`No replacement was performed, old_str \`${oldStr}\` did not appear verbatim in ${o.path}.`);
  if (n > 1) {
    const lines = file
      .split('\n')
      .flatMap((line, i) => (line.includes(oldStr) ? [i + 1] : []));
    throw new EditorError(
      `No replacement was performed. Multiple occurrences of old_str \`${oldStr}\` in lines ${pyList(lines)}. Please ensure it is unique`,
    );
  }
  if (newStr === oldStr) {
    throw new EditorError(`No replacement was performed, old_str \`${oldStr}\` is the same as new_str \`${newStr}\`.`);
  }
  const at = file.indexOf(oldStr);
  const content = file.slice(0, at) + newStr + file.slice(at + oldStr.length);
  const replacementLine = file.slice(0, at).split('\n').length - 1;
  const start = Math.max(0, replacementLine - SNIPPET_LINES);
  const end = replacementLine + SNIPPET_LINES + (newStr.split('\n').length - 1);
  const snippet = content.split('\n').slice(start, end + 1).join('\n');
  const message =
    `The file ${o.path} has been edited. ` +
    makeOutput(snippet, `a snippet of ${o.path}`, start + 1) +
    'Review the changes and make sure they are as expected. Edit the file again if necessary.';
  return { content, message };
}

/** `insert`: new_str placed after line `line` (0 = at the top). */
export function insertText(o: { content: string; path: string; line: number; newStr: string }): { content: string; message: string } {
  const lines = expandTabs(o.content).split('\n');
  const n = lines.length;
  if (!Number.isInteger(o.line) || o.line < 0 || o.line > n) {
    throw new EditorError(
      `Invalid \`insert_line\` parameter: ${o.line}. It should be within the range of lines of the file: ${pyList([0, n])}`,
    );
  }
  const added = expandTabs(o.newStr).split('\n');
  const next = [...lines.slice(0, o.line), ...added, ...lines.slice(o.line)];
  const snippet = [...lines.slice(Math.max(0, o.line - SNIPPET_LINES), o.line), ...added, ...lines.slice(o.line, o.line + SNIPPET_LINES)];
  const message =
    `The file ${o.path} has been edited. ` +
    makeOutput(snippet.join('\n'), 'a snippet of the edited file', Math.max(1, o.line - SNIPPET_LINES + 1)) +
    'Review the changes and make sure they are as expected (correct indentation, no duplicate lines, etc). Edit the file again if necessary.';
  return { content: next.join('\n'), message };
}

export const EDITOR_COMMANDS = ['view', 'create', 'str_replace', 'insert', 'undo_edit'] as const;
