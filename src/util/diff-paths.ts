// Paths a unified diff touches, read from its headers (git and plain unified diffs).

/** Every path a patch touches (old and new sides, /dev/null and a/ b/ prefixes removed), in first-seen order. */
export function patchPaths(patch: string): string[] {
  const seen = new Set<string>();
  const add = (p: string | undefined) => {
    if (!p || p === '/dev/null') return;
    seen.add(p.replace(/^[ab]\//, ''));
  };
  for (const line of patch.split('\n')) {
    const git = /^diff --git ("?)a\/(.+?)\1 ("?)b\/(.+?)\3\s*$/.exec(line);
    if (git) {
      add(git[2]);
      add(git[4]);
      continue;
    }
    const hdr = /^(?:---|\+\+\+) ("?)(.+?)\1(?:\t.*)?$/.exec(line);
    if (hdr) add(hdr[2]);
  }
  return [...seen];
}
