// The tool mix of actions: bash, str_replace_editor:<command> (view, create, str_replace, insert, undo_edit), submit.

/** The tool label of a call in the XML call format (`<function=NAME>` + `<parameter=command>`); "other" when none. */
export function toolOfCallText(text: string): string {
  const fn = /<function=([\w.-]+)>/.exec(text)?.[1];
  if (!fn) return 'other';
  if (fn !== 'str_replace_editor') return fn;
  const cmd = /<parameter=command>\s*([\w-]+)/.exec(text)?.[1];
  return cmd ? `${fn}:${cmd}` : fn;
}

/** The tool label of a parsed call ({tool, args}). */
export function toolOfCall(call: { tool: string; args: Record<string, string> } | undefined): string {
  if (!call) return 'other';
  return call.tool === 'str_replace_editor' && call.args.command ? `str_replace_editor:${call.args.command}` : call.tool;
}

/** Counts by label, most frequent first. */
export function countLabels(labels: readonly string[]): Record<string, number> {
  const m = new Map<string, number>();
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
  return Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}
