// Every path a unified diff touches (git and plain diffs, renames, C-quoted names), read from its headers.

/** Every path a patch touches, old and new names, without /dev/null, deduplicated in first-seen order. */
export function filesTouchedByPatch(patch: string): string[] {
  const seen = new Set<string>();
  const add = (p: string | undefined) => {
    if (p !== undefined && p !== '' && p !== '/dev/null') seen.add(p);
  };
  for (const section of splitFileSections(patch)) {
    const lines = section.split('\n');
    let fromBody = false;
    for (const line of lines) {
      const minus = /^--- (.*)$/.exec(line);
      const plus = /^\+\+\+ (.*)$/.exec(line);
      const other = /^(?:rename|copy) (?:from|to) (.*)$/.exec(line);
      if (minus || plus) {
        add(stripPrefix(unquote(dropTimestamp((minus ?? plus)![1]!))));
        fromBody = true;
      } else if (other) {
        add(unquote(other[1]!));
        fromBody = true;
      }
      // hunks begin: header lines are over (a "--- x" inside a hunk is content)
      if (line.startsWith('@@')) break;
    }
    if (!fromBody) for (const p of headerPaths(lines[0] ?? '')) add(p);
  }
  return [...seen];
}

// A section starts at each `diff --git` line; a plain unified diff without them is one section.
function splitFileSections(patch: string): string[] {
  const parts = patch.split(/^(?=diff --git )/m);
  return parts.filter((p) => p.startsWith('diff --git ') || /^--- /m.test(p));
}

// `diff --git a/P b/P` for a binary or mode-only change: the two halves name the same file.
function headerPaths(header: string): string[] {
  const m = /^diff --git (.*)$/.exec(header);
  if (!m) return [];
  const rest = m[1]!;
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (quoted && (quoted[1]!.startsWith('"') || quoted[2]!.startsWith('"'))) {
    return [stripPrefix(unquote(quoted[1]!)), stripPrefix(unquote(quoted[2]!))];
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ' && rest.slice(2, half) === rest.slice(half + 3)) {
    return [rest.slice(2, half)];
  }
  const greedy = /^a\/(.*) b\/(.*)$/.exec(rest);
  return greedy ? [greedy[1]!, greedy[2]!] : [];
}

function dropTimestamp(s: string): string {
  const tab = s.indexOf('\t');
  return tab < 0 ? s : s.slice(0, tab);
}

function stripPrefix(p: string): string {
  return p.startsWith('a/') || p.startsWith('b/') ? p.slice(2) : p;
}

/** A header path as git writes it, C-quoted when it has special characters ("a/sp\303\251cial\tname"), unquoted. */
export function unquote(s: string): string {
  if (!(s.length >= 2 && s.startsWith('"') && s.endsWith('"'))) return s;
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[i + 1] ?? '';
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
