// Selection among repair samples by majority vote, as Agentless-mini's reranker does without tests: samples whose
// patches are the same change (after normalization) vote together; the largest group wins, ties going to the group
// whose first sample came first. Empty patches do not vote unless nothing else is there.

/**
 * A patch reduced to what it changes: per file, its removed and added lines with surrounding whitespace trimmed,
 * blank lines, context, hunk positions and headers other than the file names dropped.
 */
export function normalizePatch(patch: string): string {
  const out: string[] = [];
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) out.push(line.replace(/^diff --git a\/(\S+) b\/.*$/, 'file $1'));
    else if (line.startsWith('--- ') || line.startsWith('+++ ') || line.startsWith('@@') || line.startsWith('index ')) continue;
    else if ((line.startsWith('+') || line.startsWith('-')) && line.slice(1).trim()) out.push(`${line[0]}${line.slice(1).trim()}`);
  }
  return out.join('\n');
}

/**
 * The index of the selected sample, the size of its group and the number of distinct normalized changes. When
 * `eligible` is given (selection by regression tests), only those samples vote.
 */
export function majorityVote(patches: readonly string[], eligible?: readonly boolean[]): { index: number; votes: number; distinct: number } {
  if (!patches.length) return { index: -1, votes: 0, distinct: 0 };
  const groups = new Map<string, number[]>();
  patches.forEach((p, i) => {
    if (!p.trim() || (eligible && !eligible[i])) return;
    const key = normalizePatch(p);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  if (!groups.size) return { index: 0, votes: patches.length, distinct: 0 };
  let best: number[] = [];
  for (const g of groups.values()) if (g.length > best.length || (g.length === best.length && g[0]! < best[0]!)) best = g;
  return { index: best[0]!, votes: best.length, distinct: groups.size };
}
