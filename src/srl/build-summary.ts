// The summary of a build (pure): examples per format, repo and split, trajectories used and skipped with reasons,
// steps skipped with reasons, and the length distributions of prompts and targets.
import type { DatasetResult } from './dataset.ts';
import { promptChars } from './steps.ts';

export const SUMMARY_VERSION = 1;

export interface Distribution {
  min: number;
  p50: number;
  p90: number;
  max: number;
}

export interface BuildSummary {
  version: typeof SUMMARY_VERSION;
  examples: number;
  splits: Record<string, number>;
  /** Per format: trajectories used, their steps, and examples made. */
  formats: Record<string, { trajectories: number; steps: number; examples: number }>;
  repos: Record<string, number>;
  tools: Record<string, number>;
  trajectories: { total: number; used: number; skipped: Record<string, number> };
  skippedSteps: Record<string, number>;
  /** Characters of all prompt messages together, and of targets; null when there are no examples. */
  promptChars: Distribution | null;
  targetChars: Distribution | null;
  /** Trajectory files or rows that failed to load. */
  loadErrors: number;
}

/** Counts and distributions of a built dataset. */
export function summarizeBuild(d: DatasetResult, loadErrors = 0): BuildSummary {
  const s: BuildSummary = {
    version: SUMMARY_VERSION,
    examples: d.examples.length,
    splits: {},
    formats: {},
    repos: {},
    tools: {},
    trajectories: { total: d.trajectories.length, used: 0, skipped: {} },
    skippedSteps: {},
    promptChars: distribution(d.examples.map((e) => promptChars(e.prompt))),
    targetChars: distribution(d.examples.map((e) => e.target.length)),
    loadErrors,
  };
  for (const t of d.trajectories) {
    if (t.status !== 'used') {
      bump(s.trajectories.skipped, t.status);
      continue;
    }
    s.trajectories.used++;
    const f = (s.formats[t.format] ??= { trajectories: 0, steps: 0, examples: 0 });
    f.trajectories++;
    f.steps += t.steps;
    f.examples += t.examples;
    for (const [reason, n] of Object.entries(t.skippedSteps)) bump(s.skippedSteps, reason, n);
  }
  for (const e of d.examples) {
    bump(s.splits, e.split);
    bump(s.repos, e.repo);
    bump(s.tools, e.tool);
  }
  return s;
}

/** min, p50, p90, max (nearest rank) of a list; null when empty. */
export function distribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))]!;
  return { min: v[0]!, p50: rank(0.5), p90: rank(0.9), max: v[v.length - 1]! };
}

/** The summary as a few readable lines. */
export function formatBuildSummary(s: BuildSummary): string {
  const counts = (r: Record<string, number>): string =>
    Object.entries(r)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '-';
  const dist = (d: Distribution | null): string => (d ? `min ${d.min}, p50 ${d.p50}, p90 ${d.p90}, max ${d.max}` : 'n/a');
  const lines = [`examples: ${s.examples} (${counts(s.splits)})`, 'per format (trajectories / steps / examples):'];
  for (const [name, f] of Object.entries(s.formats).sort()) {
    lines.push(`  ${name}: ${f.trajectories} / ${f.steps} / ${f.examples}`);
  }
  lines.push(
    `per repo: ${counts(s.repos)}`,
    `per tool: ${counts(s.tools)}`,
    `trajectories: ${s.trajectories.used} used of ${s.trajectories.total}; skipped: ${counts(s.trajectories.skipped)}`,
    `steps without an example: ${counts(s.skippedSteps)}`,
    `prompt chars: ${dist(s.promptChars)}`,
    `target chars: ${dist(s.targetChars)}`,
  );
  if (s.loadErrors) lines.push(`trajectory load errors: ${s.loadErrors}`);
  return lines.join('\n');
}

function bump(r: Record<string, number>, key: string, n = 1): void {
  r[key] = (r[key] ?? 0) + n;
}
