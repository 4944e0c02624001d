// What a load brought in, per repository and per model: trajectories, resolved ones, steps (pure).
import type { LoadResult } from '../load.ts';
import type { Trajectory } from '../types.ts';

export const INPUT_SUMMARY_VERSION = 1;

export interface GroupCounts {
  key: string;
  trajectories: number;
  resolved: number;
  steps: number;
}

export interface InputSummary {
  version: typeof INPUT_SUMMARY_VERSION;
  trajectories: number;
  resolved: number;
  /** Recorded as not resolved. */
  unresolved: number;
  /** No grading recorded. */
  resolutionUnknown: number;
  steps: number;
  errors: number;
  filteredOut: number;
  /** Per source file: the format it parsed as and, for Parquet, the dataset its columns matched. */
  files: Array<{ file: string; format?: string; dataset?: string; trajectories: number; errors: number }>;
  byRepo: GroupCounts[];
  byModel: GroupCounts[];
  companions: Array<{ file: string; agent: string; kind: string }>;
}

/** `owner/name` from what the run recorded, else from a SWE-bench-style id (`owner__name-123`, SWE-smith's `owner__name.hash.kind`). */
export function repoOf(t: Trajectory): string {
  if (typeof t.meta.repo === 'string' && t.meta.repo) return t.meta.repo;
  const i = t.instanceId.indexOf('__');
  if (i <= 0) return '(unknown)';
  const name = t.instanceId.slice(i + 2).split('.')[0]!.replace(/-\d+$/, '');
  return name ? `${t.instanceId.slice(0, i)}/${name}` : '(unknown)';
}

/** The model the run recorded, if any. */
export function modelOf(t: Trajectory): string {
  return typeof t.meta.model === 'string' && t.meta.model ? t.meta.model : '(not recorded)';
}

function group(ts: Trajectory[], keyOf: (t: Trajectory) => string): GroupCounts[] {
  const m = new Map<string, GroupCounts>();
  for (const t of ts) {
    const key = keyOf(t);
    const g = m.get(key) ?? { key, trajectories: 0, resolved: 0, steps: 0 };
    g.trajectories++;
    if (t.resolved === true) g.resolved++;
    g.steps += t.steps.length;
    m.set(key, g);
  }
  return [...m.values()].sort((a, b) => b.trajectories - a.trajectories || a.key.localeCompare(b.key));
}

/** The summary of a load. */
export function summarizeInputs(r: LoadResult): InputSummary {
  const ts = r.trajectories;
  return {
    version: INPUT_SUMMARY_VERSION,
    trajectories: ts.length,
    resolved: ts.filter((t) => t.resolved === true).length,
    unresolved: ts.filter((t) => t.resolved === false).length,
    resolutionUnknown: ts.filter((t) => t.resolved === undefined).length,
    steps: ts.reduce((n, t) => n + t.steps.length, 0),
    errors: r.errors.length,
    filteredOut: r.filteredOut,
    files: r.files.map((f) => ({
      file: f.file,
      ...(f.format ? { format: f.format } : {}),
      ...(f.dataset ? { dataset: f.dataset } : {}),
      trajectories: f.trajectories.length,
      errors: f.errors.length,
    })),
    byRepo: group(ts, repoOf),
    byModel: group(ts, modelOf),
    companions: r.companions.map((c) => ({ file: c.file, agent: c.agent, kind: c.kind })),
  };
}

/** The summary as text: totals, then the repositories (the largest `maxRows`) and the models. */
export function formatInputSummary(s: InputSummary, maxRows = 15): string {
  const lines = [
    `inputs: ${s.trajectories} trajectories (${s.resolved} resolved, ${s.unresolved} unresolved, ${s.resolutionUnknown} unknown), ` +
      `${s.steps} steps, ${s.errors} error(s)${s.filteredOut ? `, ${s.filteredOut} left out by the filter` : ''}`,
  ];
  for (const [title, groups] of [
    ['repository', s.byRepo],
    ['model', s.byModel],
  ] as const) {
    if (!groups.length) continue;
    const rows = [[title, 'trajectories', 'resolved', 'steps'], ...groups.slice(0, maxRows).map((g) => [g.key, String(g.trajectories), String(g.resolved), String(g.steps)])];
    if (groups.length > maxRows) {
      const rest = groups.slice(maxRows);
      const sum = (k: 'trajectories' | 'resolved' | 'steps') => String(rest.reduce((n, g) => n + g[k], 0));
      rows.push([`(${rest.length} more)`, sum('trajectories'), sum('resolved'), sum('steps')]);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    lines.push('', ...rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')));
  }
  return lines.join('\n');
}
