// Builds the SRL dataset from many trajectories (pure): finds each one's issue and repository, applies the
// trajectory-level filters (no issue, unresolved, duplicate), builds its examples and assigns a split by instance.
import { createHash } from 'node:crypto';
import type { Trajectory } from '../trajectories/types.ts';
import { SweSrlError } from '../util/errors.ts';
import { buildExamples, trajectoryHash, type BuildOptions, type SrlExample, type StepSkipReason } from './steps.ts';

/** What a task row contributes: the issue and the repository. */
export interface TaskInfo {
  problem_statement: string;
  repo: string;
}

export type Split = 'train' | 'val';

export interface DatasetOptions extends Omit<BuildOptions, 'issue' | 'repo'> {
  /** Keep only trajectories recorded as resolved (unknown resolution is dropped too). */
  dropUnresolved: boolean;
  /** Fraction of instances (by a hash of the instance id) that go to the val split; none when absent or 0. */
  valFraction?: number;
}

export type TrajectorySkipReason = 'no_issue' | 'unresolved' | 'resolution_unknown' | 'duplicate';

export interface TrajectoryReport {
  instanceId: string;
  format: string;
  source: { file: string; index?: number };
  hash: string;
  /** 'used' even when no step made an example (then skippedSteps says why). */
  status: 'used' | TrajectorySkipReason;
  issueFrom?: 'tasks' | 'trajectory';
  steps: number;
  examples: number;
  skippedSteps: Partial<Record<StepSkipReason, number>>;
}

export type DatasetExample = SrlExample & { split: Split };

export interface DatasetResult {
  examples: DatasetExample[];
  trajectories: TrajectoryReport[];
}

/** Builds the examples of every trajectory, with a report per trajectory of what was used and why not. */
export function buildDataset(o: {
  trajectories: readonly Trajectory[];
  tasks?: ReadonlyMap<string, TaskInfo>;
  options: DatasetOptions;
}): DatasetResult {
  const frac = o.options.valFraction ?? 0;
  if (!(frac >= 0 && frac < 1)) {
    throw new SweSrlError({
      code: 'bad_build_option',
      message: 'invalid valFraction',
      fault: 'user',
      field: 'valFraction',
      value: frac,
      hint: 'Give a fraction in [0, 1), e.g. 0.05.',
    });
  }
  const out: DatasetResult = { examples: [], trajectories: [] };
  const seen = new Set<string>();
  for (const t of o.trajectories) {
    const hash = trajectoryHash(t);
    const report: TrajectoryReport = {
      instanceId: t.instanceId,
      format: t.format,
      source: t.source,
      hash,
      status: 'used',
      steps: t.steps.length,
      examples: 0,
      skippedSteps: {},
    };
    out.trajectories.push(report);
    const task = o.tasks?.get(t.instanceId);
    // Surrounding blank lines of exported issue texts carry nothing and would only pad every prompt.
    const fromTask = task?.problem_statement.trim() || undefined;
    const issue = fromTask ?? (t.problemStatement?.trim() || undefined);
    const key = `${t.instanceId}/${hash}`;
    if (seen.has(key)) report.status = 'duplicate';
    else if (issue === undefined) report.status = 'no_issue';
    else if (o.options.dropUnresolved && t.resolved !== true) {
      report.status = t.resolved === false ? 'unresolved' : 'resolution_unknown';
    }
    seen.add(key);
    if (report.status !== 'used' || issue === undefined) continue;
    report.issueFrom = fromTask ? 'tasks' : 'trajectory';
    const built = buildExamples(t, { ...o.options, issue, repo: task?.repo ?? repoOf(t.instanceId) });
    for (const s of built.skipped) report.skippedSteps[s.reason] = (report.skippedSteps[s.reason] ?? 0) + 1;
    report.examples = built.examples.length;
    const split = splitOf(t.instanceId, frac);
    for (const e of built.examples) out.examples.push({ ...e, split });
  }
  return out;
}

/**
 * `owner/name` from an instance id: SWE-bench / SWE-Gym `owner__name-123`, SWE-smith `owner__name.1a2b3c4d.kind__x`;
 * 'unknown' when the id follows neither pattern.
 */
export function repoOf(instanceId: string): string {
  const m = /^([^/\s]+?)__([^/\s]+?)(?:-\d+|\.[0-9a-f]{8}\.[^/\s]+)$/.exec(instanceId);
  return m ? `${m[1]}/${m[2]}` : 'unknown';
}

/** The split of an instance: a hash of its id against the val fraction, so all steps of an instance stay together. */
export function splitOf(instanceId: string, valFraction: number): Split {
  if (valFraction <= 0) return 'train';
  const u = createHash('sha256').update(instanceId).digest().readUInt32BE(0) / 2 ** 32;
  return u < valFraction ? 'val' : 'train';
}
