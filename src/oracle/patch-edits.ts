// A unified diff as editor edits: one str_replace per hunk (its context and removed lines as old_str, its context
// and added lines as new_str), an insert for a hunk with nothing to match (a -U0 addition), or a create for a new
// file. The scripted expert applies patches this way, and the oracle examples use the gold patch's edits as target.
import type { ToolCall } from '../trajectories/types.ts';
import { unquote } from '../util/patch-paths.ts';

export interface PatchEdit {
  path: string;
  /** Absent for a new file and for an insert. */
  oldStr?: string;
  newStr: string;
  /** Insert newStr after this line (0: at the top) instead of replacing. */
  insertLine?: number;
  /** 1-based line where the hunk starts in the file as patched so far (its new-side start). */
  line?: number;
}

/** What the editor cannot express: renames, deletions, binary changes (their edits are left out). */
export interface PatchEditsResult {
  edits: PatchEdit[];
  unsupported: string[];
}

/**
 * The edits that apply a unified diff, in patch order. Hunk bodies are read by the line counts of their `@@` headers,
 * so a removed line that looks like a file header (`--- x`) is still content.
 */
export function patchToEditsWithNotes(patch: string): PatchEditsResult {
  const edits: PatchEdit[] = [];
  const unsupported: string[] = [];
  let path: string | undefined;
  let isNew = false;
  let sawHunk = false;
  let cur: { old: string[]; new: string[]; oldNoEol: boolean; newNoEol: boolean; newStart: number } | undefined;
  // Lines of the current hunk still to read, per side.
  let oldLeft = 0;
  let newLeft = 0;
  // Which side the last hunk line belonged to, for "\ No newline at end of file".
  let lastSide: 'both' | 'old' | 'new' = 'both';
  let gitHeader: { from?: string; newFile: boolean; rename: boolean; deleted: boolean; binary: boolean } | undefined;
  const flush = () => {
    if (cur && path) {
      const text = (xs: string[], noEol: boolean) => {
        const s = xs.map((l) => `${l}\n`).join('');
        return noEol && s.endsWith('\n') ? s.slice(0, -1) : s;
      };
      const newStr = text(cur.new, cur.newNoEol);
      const oldStr = text(cur.old, cur.oldNoEol);
      if (isNew) edits.push({ path, newStr });
      else if (oldStr === '') edits.push({ path, newStr, insertLine: Math.max(0, cur.newStart - 1), line: cur.newStart });
      else edits.push({ path, oldStr, newStr, line: cur.newStart });
    }
    cur = undefined;
  };
  // The end of one file's section: an empty new file has no hunk but is still a create; what the editor cannot do
  // is noted.
  const endFile = () => {
    flush();
    const g = gitHeader;
    if (g) {
      const name = path ?? g.from ?? '?';
      if (g.rename) unsupported.push(`rename of ${g.from ?? name}`);
      else if (g.deleted) unsupported.push(`deletion of ${g.from ?? name}`);
      else if (g.binary) unsupported.push(`binary change of ${name}`);
      else if (g.newFile && !sawHunk && g.from) edits.push({ path: g.from, newStr: '' });
    }
    gitHeader = undefined;
    sawHunk = false;
  };
  for (const line of patch.split('\n')) {
    if (cur && (oldLeft > 0 || newLeft > 0)) {
      const side = line.startsWith(' ') || line === '' ? 'both' : line.startsWith('-') ? 'old' : line.startsWith('+') ? 'new' : null;
      if (side) {
        if (side !== 'new') {
          cur.old.push(line.slice(1));
          oldLeft--;
        }
        if (side !== 'old') {
          cur.new.push(line.slice(1));
          newLeft--;
        }
        lastSide = side;
        continue;
      }
      // A hunk shorter than its header says: it ends here, and this line is read as what it is.
      if (!line.startsWith('\\')) oldLeft = newLeft = 0;
    }
    if (cur && line.startsWith('\\')) {
      markNoEol(cur, lastSide);
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      flush();
      sawHunk = true;
      cur = { old: [], new: [], oldNoEol: false, newNoEol: false, newStart: Number(hunk[2]) };
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    } else if (line.startsWith('diff --git ')) {
      endFile();
      path = undefined;
      isNew = false;
      const halves = /^diff --git ("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(line);
      gitHeader = { from: halves ? headerPath(halves[2]!) : undefined, newFile: false, rename: false, deleted: false, binary: false };
    } else if (gitHeader && !sawHunk && /^new file mode /.test(line)) {
      gitHeader.newFile = true;
    } else if (gitHeader && !sawHunk && /^deleted file mode /.test(line)) {
      gitHeader.deleted = true;
    } else if (gitHeader && !sawHunk && /^rename (from|to) /.test(line)) {
      gitHeader.rename = true;
    } else if (gitHeader && !sawHunk && /^(Binary files |GIT binary patch)/.test(line)) {
      gitHeader.binary = true;
    } else if (line.startsWith('--- ')) {
      if (!gitHeader || sawHunk) endFile();
      isNew = headerPath(line.slice(4)) === '/dev/null';
    } else if (line.startsWith('+++ ')) {
      const p = headerPath(line.slice(4));
      path = p === '/dev/null' || gitHeader?.rename ? undefined : p;
    }
  }
  endFile();
  return { edits, unsupported };
}

/** The edits of a unified diff (what the editor cannot express is left out: see patchToEditsWithNotes). */
export function patchToEdits(patch: string): PatchEdit[] {
  return patchToEditsWithNotes(patch).edits;
}

/** The old-side line ranges (1-based, inclusive) each file's hunks cover: where a patch changes a file. */
export function hunkRanges(patch: string): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  let oldPath: string | undefined;
  for (const line of patch.split('\n')) {
    if (line.startsWith('--- ')) {
      const p = headerPath(line.slice(4));
      oldPath = p === '/dev/null' ? undefined : p;
      continue;
    }
    const h = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    if (h && oldPath) {
      const start = Number(h[1]);
      const len = h[2] === undefined ? 1 : Number(h[2]);
      const list = out.get(oldPath) ?? [];
      list.push([Math.max(1, start), Math.max(start, start + len - 1)]);
      out.set(oldPath, list);
    }
  }
  return out;
}

// A path from a ---/+++ or diff --git header: timestamp dropped, C-quoting undone, a/ or b/ prefix removed.
function headerPath(raw: string): string {
  const p = unquote(raw.split('\t')[0]!.trim());
  return p === '/dev/null' ? p : p.replace(/^[ab]\//, '');
}

function markNoEol(cur: { oldNoEol: boolean; newNoEol: boolean }, side: 'both' | 'old' | 'new'): void {
  if (side !== 'new') cur.oldNoEol = true;
  if (side !== 'old') cur.newNoEol = true;
}

/**
 * Edits made applicable one after another on the given files: a str_replace whose old_str does not occur exactly
 * once is widened with the neighbouring lines of the occurrence nearest its hunk's line until it is unique. Files
 * not given are left as they are.
 */
export function disambiguateEdits(edits: readonly PatchEdit[], files: ReadonlyMap<string, string>): PatchEdit[] {
  const content = new Map(files);
  return edits.map((e) => {
    const text = content.get(e.path);
    if (text === undefined) return e;
    let out = e;
    if (e.oldStr !== undefined && count(text, e.oldStr) > 1) out = widen(text, e);
    content.set(e.path, applyEdit(text, out));
    return out;
  });
}

function count(text: string, s: string): number {
  let n = 0;
  for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) n++;
  return n;
}

// The occurrence nearest the hunk's line, grown a line at a time on both sides until it is unique.
function widen(text: string, e: PatchEdit): PatchEdit {
  const old = e.oldStr!;
  const starts: number[] = [];
  for (let at = text.indexOf(old); at >= 0; at = text.indexOf(old, at + 1)) starts.push(at);
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const target = e.line ?? 1;
  const at = starts.reduce((best, s) => (Math.abs(lineOf(s) - target) < Math.abs(lineOf(best) - target) ? s : best), starts[0]!);
  let from = at;
  let to = at + old.length;
  for (let i = 0; i < 200 && count(text, text.slice(from, to)) > 1; i++) {
    if (from > 0) from = text.lastIndexOf('\n', from - 2) + 1;
    if (to < text.length) {
      const nl = text.indexOf('\n', to);
      to = nl < 0 ? text.length : nl + 1;
    }
  }
  const before = text.slice(from, at);
  const after = text.slice(at + old.length, to);
  return { ...e, oldStr: before + old + after, newStr: before + e.newStr + after };
}

function applyEdit(text: string, e: PatchEdit): string {
  if (e.oldStr === undefined && e.insertLine === undefined) return e.newStr;
  if (e.insertLine !== undefined) {
    const lines = text.split('\n');
    const head = lines.slice(0, e.insertLine).join('\n');
    const rest = lines.slice(e.insertLine).join('\n');
    return `${head}${e.insertLine > 0 ? '\n' : ''}${e.newStr}${rest}`;
  }
  const i = text.indexOf(e.oldStr!);
  return i < 0 ? text : text.slice(0, i) + e.newStr + text.slice(i + e.oldStr!.length);
}

/** The str_replace_editor call of an edit, its path under `root`. */
export function editCall(e: PatchEdit, root: string): ToolCall {
  const path = `${root}/${e.path}`;
  if (e.insertLine !== undefined)
    return { tool: 'str_replace_editor', args: { command: 'insert', path, insert_line: String(e.insertLine), new_str: e.newStr } };
  return e.oldStr === undefined
    ? { tool: 'str_replace_editor', args: { command: 'create', path, file_text: e.newStr } }
    : { tool: 'str_replace_editor', args: { command: 'str_replace', path, old_str: e.oldStr, new_str: e.newStr } };
}
