// A unified diff as editor edits: one str_replace per hunk (its context and removed lines as old_str, its context
// and added lines as new_str) or a create for a new file. The scripted expert applies patches this way, and the
// oracle examples use the gold patch's edits as their target.
import type { ToolCall } from '../trajectories/types.ts';

export interface PatchEdit {
  path: string;
  /** Absent for a new file. */
  oldStr?: string;
  newStr: string;
}

/**
 * The edits that apply a unified diff, in patch order. Hunk bodies are read by the line counts of their `@@` headers,
 * so a removed line that looks like a file header (`--- x`) is still content. Deleted files have no edit (the editor
 * cannot delete).
 */
export function patchToEdits(patch: string): PatchEdit[] {
  const edits: PatchEdit[] = [];
  let path: string | undefined;
  let isNew = false;
  let cur: { old: string[]; new: string[]; oldNoEol: boolean; newNoEol: boolean } | undefined;
  // Lines of the current hunk still to read, per side.
  let oldLeft = 0;
  let newLeft = 0;
  // Which side the last hunk line belonged to, for "\ No newline at end of file".
  let lastSide: 'both' | 'old' | 'new' = 'both';
  const flush = () => {
    if (cur && path) {
      const text = (xs: string[], noEol: boolean) => {
        const s = xs.map((l) => `${l}\n`).join('');
        return noEol && s.endsWith('\n') ? s.slice(0, -1) : s;
      };
      const newStr = text(cur.new, cur.newNoEol);
      edits.push(isNew ? { path, newStr } : { path, oldStr: text(cur.old, cur.oldNoEol), newStr });
    }
    cur = undefined;
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
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      flush();
      cur = { old: [], new: [], oldNoEol: false, newNoEol: false };
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
    } else if (line.startsWith('diff --git ')) {
      flush();
      path = undefined;
      isNew = false;
    } else if (line.startsWith('--- ')) {
      flush();
      isNew = line.trim() === '--- /dev/null';
    } else if (line.startsWith('+++ ')) {
      const p = line.slice(4).split('\t')[0]!.trim();
      path = p === '/dev/null' ? undefined : p.replace(/^b\//, '');
    }
  }
  flush();
  return edits;
}

function markNoEol(cur: { oldNoEol: boolean; newNoEol: boolean }, side: 'both' | 'old' | 'new'): void {
  if (side !== 'new') cur.oldNoEol = true;
  if (side !== 'old') cur.newNoEol = true;
}

/** The str_replace_editor call of an edit, its path under `root`. */
export function editCall(e: PatchEdit, root: string): ToolCall {
  const path = `${root}/${e.path}`;
  return e.oldStr === undefined
    ? { tool: 'str_replace_editor', args: { command: 'create', path, file_text: e.newStr } }
    : { tool: 'str_replace_editor', args: { command: 'str_replace', path, old_str: e.oldStr, new_str: e.newStr } };
}

/** The old-side line ranges (1-based, inclusive) each file's hunks cover: where a patch changes a file. */
export function hunkRanges(patch: string): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  let oldPath: string | undefined;
  for (const line of patch.split('\n')) {
    if (line.startsWith('--- ')) {
      const p = line.slice(4).split('\t')[0]!.trim();
      oldPath = p === '/dev/null' ? undefined : p.replace(/^a\//, '');
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
