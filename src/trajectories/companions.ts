// The files agents write next to their trajectories (predictions, patches, reports, logs, configs), known by name,
// so that walking a run folder skips them with a note instead of failing on them.

export interface Companion {
  /** Who writes it. */
  agent: string;
  /** What it is, for the note. */
  kind: string;
}

interface Rule extends Companion {
  test: RegExp;
}

// Names only (no folders); matched against the file's base name.
const RULES: readonly Rule[] = [
  { agent: 'SWE-agent / mini-swe-agent', kind: 'predictions', test: /^(all_)?preds\.jsonl?$/ },
  { agent: 'SWE-agent', kind: 'prediction', test: /\.pred$/ },
  { agent: 'SWE-agent', kind: 'patch', test: /\.patch$/ },
  { agent: 'SWE-agent', kind: 'run report', test: /^final_report\.json$/ },
  { agent: 'SWE-agent', kind: 'batch log', test: /^run_batch.*\.log$/ },
  { agent: 'SWE-agent', kind: 'exit statuses', test: /^run_batch_exit_statuses\.ya?ml$/ },
  { agent: 'SWE-agent', kind: 'config', test: /\.config\.ya?ml$/ },
  { agent: 'SWE-agent', kind: 'log', test: /\.(debug|info|trace)\.log$/ },
  { agent: 'mini-swe-agent', kind: 'exit statuses', test: /^exit_statuses_.*\.ya?ml$/ },
  { agent: 'mini-swe-agent', kind: 'harness report', test: /\.report\.json$/ },
  { agent: 'mini-swe-agent', kind: 'results summary', test: /^results_summary\.json$/ },
  { agent: 'mini-swe-agent', kind: 'log', test: /^minisweagent\.log$/ },
  { agent: 'OpenHands', kind: 'run metadata', test: /^metadata\.json$/ },
  { agent: 'OpenHands', kind: 'harness report', test: /^report\.json$/ },
  { agent: 'OpenHands', kind: 'converted output', test: /^output\..+\.jsonl$/ },
  { agent: 'swe-srl', kind: 'summary', test: /\.summary\.json$/ },
];

/** Folders agents fill with non-trajectory files (OpenHands' raw LLM calls): skipped whole. */
const COMPANION_DIRS: Record<string, Companion> = {
  llm_completions: { agent: 'OpenHands', kind: 'LLM completion logs' },
};

/** The companion a file of that base name is, if it is one. */
export function companionByName(name: string): Companion | undefined {
  const r = RULES.find((x) => x.test.test(name));
  return r ? { agent: r.agent, kind: r.kind } : undefined;
}

/** The companion folder of that name, if it is one. */
export function companionDir(name: string): Companion | undefined {
  return COMPANION_DIRS[name];
}

/** One line per agent and kind, "SWE-agent patch (3)", for the note printed after a load. */
export function companionNote(found: ReadonlyArray<Companion & { file: string }>): string[] {
  const counts = new Map<string, number>();
  for (const c of found) {
    const key = `${c.agent} ${c.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} (${n})`);
}
