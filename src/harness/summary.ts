// The run summary: SWE-bench's make_run_report fields (schema_version 2) computed from outcomes, plus ours under
// `swe_srl` (infrastructure failures by kind, rejected outputs by reason, durations). Pure.
import type { ImageChoice } from './image-provider.ts';
import { infraFailureKeys, type InfraFailureKeys } from './infra-failure.ts';
import { INFRA_FAILURE_KINDS, REJECT_REASONS, SWEBENCH_ERROR_KINDS, type EvalOutcome, type InfraFailureKind, type RejectReason } from './outcome.ts';

export const SUMMARY_VERSION = 1;

export interface RunResult {
  instanceId: string;
  outcome: EvalOutcome;
  durationMs?: number;
  /** The report's 5.x infra-failure keys (they read the log); computed from the outcome alone when absent. */
  infra?: InfraFailureKeys;
  /** The image the instance ran in, when one was prepared. */
  image?: ImageChoice;
}

export interface SummarizeRunOptions {
  /** Every instance of the task set being evaluated (SWE-bench's full_dataset). */
  instanceIds: readonly string[];
  /** The predictions submitted (SWE-bench counts them all as submitted). */
  predictions: ReadonlyArray<{ instance_id: string; model_patch: string | null }>;
  /** Outcomes recorded so far; an instance with a prediction but no result counts as an error. */
  results: readonly RunResult[];
}

export interface DurationStats {
  count: number;
  total_s: number;
  mean_s: number;
  p50_s: number;
  p90_s: number;
  max_s: number;
}

export interface RunSummary {
  total_instances: number;
  submitted_instances: number;
  completed_instances: number;
  resolved_instances: number;
  unresolved_instances: number;
  empty_patch_instances: number;
  error_instances: number;
  /** SWE-bench 5.x: likely environment-caused failures (advisory; also counted in unresolved or error). */
  infra_failure_instances: number;
  /** SWE-bench 5.x: failures with a known cause that may be the environment or the patch (time-outs...). */
  ambiguous_failure_instances: number;
  completed_ids: string[];
  incomplete_ids: string[];
  empty_patch_ids: string[];
  submitted_ids: string[];
  resolved_ids: string[];
  unresolved_ids: string[];
  error_ids: string[];
  infra_failure_ids: string[];
  ambiguous_failure_ids: string[];
  /** SWE-bench 5.x: instance id -> infra_failure_reason, for unresolved and error instances. */
  failure_reasons: Record<string, string>;
  schema_version: 2;
  swe_srl: {
    summary_version: typeof SUMMARY_VERSION;
    infra_failures: Record<InfraFailureKind, number>;
    infra_failure_ids_by_kind: Record<InfraFailureKind, string[]>;
    rejected: Record<RejectReason, number>;
    rejected_ids: string[];
    /** How many instances ran in an official SWE-bench image and how many in one built here. */
    image_sources: { official: number; local: number };
    resolve_rate: number;
    durations: DurationStats | null;
  };
}

/** Summarises a run with SWE-bench's counting rules (see make_run_report). */
export function summarizeRun(opts: SummarizeRunOptions): RunSummary {
  const preds = new Map(opts.predictions.map((p) => [p.instance_id, p]));
  const results = new Map(opts.results.map((r) => [r.instanceId, r]));
  const ids = {
    completed: [] as string[],
    incomplete: [] as string[],
    empty: [] as string[],
    resolved: [] as string[],
    unresolved: [] as string[],
    error: [] as string[],
    infra: [] as string[],
    ambiguous: [] as string[],
    rejected: [] as string[],
  };
  const byKind = Object.fromEntries(INFRA_FAILURE_KINDS.map((k) => [k, [] as string[]])) as Record<InfraFailureKind, string[]>;
  const rejected = Object.fromEntries(REJECT_REASONS.map((k) => [k, 0])) as Record<RejectReason, number>;
  const reasons: Record<string, string> = {};

  for (const id of opts.instanceIds) {
    const pred = preds.get(id);
    if (!pred) {
      ids.incomplete.push(id);
      continue;
    }
    if (pred.model_patch === '' || pred.model_patch === null) {
      ids.empty.push(id);
      continue;
    }
    const o = results.get(id)?.outcome;
    if (!o || o.kind === 'empty_patch') {
      ids.error.push(id);
      continue;
    }
    const keys = results.get(id)?.infra ?? infraFailureKeys(o, '');
    if (keys.infra_failure_reason !== undefined && !(o.kind === 'graded' && o.resolved)) {
      reasons[id] = keys.infra_failure_reason;
      (keys.infra_failure ? ids.infra : ids.ambiguous).push(id);
    }
    if (o.kind === 'infra_failure') {
      byKind[o.failure].push(id);
      if (SWEBENCH_ERROR_KINDS.has(o.failure)) {
        ids.error.push(id);
        continue;
      }
    }
    if (o.kind === 'rejected') {
      rejected[o.reason]++;
      ids.rejected.push(id);
    }
    ids.completed.push(id);
    (o.kind === 'graded' && o.resolved ? ids.resolved : ids.unresolved).push(id);
  }

  const sorted = (a: string[]) => [...a].sort();
  const durations = opts.results.flatMap((r) => (r.durationMs === undefined ? [] : [r.durationMs / 1000]));
  return {
    total_instances: opts.instanceIds.length,
    submitted_instances: preds.size,
    completed_instances: ids.completed.length,
    resolved_instances: ids.resolved.length,
    unresolved_instances: ids.unresolved.length,
    empty_patch_instances: ids.empty.length,
    error_instances: ids.error.length,
    infra_failure_instances: ids.infra.length,
    ambiguous_failure_instances: ids.ambiguous.length,
    completed_ids: sorted(ids.completed),
    incomplete_ids: sorted(ids.incomplete),
    empty_patch_ids: sorted(ids.empty),
    submitted_ids: sorted([...preds.keys()]),
    resolved_ids: sorted(ids.resolved),
    unresolved_ids: sorted(ids.unresolved),
    error_ids: sorted(ids.error),
    infra_failure_ids: sorted(ids.infra),
    ambiguous_failure_ids: sorted(ids.ambiguous),
    failure_reasons: Object.fromEntries(Object.entries(reasons).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    schema_version: 2,
    swe_srl: {
      summary_version: SUMMARY_VERSION,
      infra_failures: Object.fromEntries(INFRA_FAILURE_KINDS.map((k) => [k, byKind[k].length])) as Record<InfraFailureKind, number>,
      infra_failure_ids_by_kind: Object.fromEntries(INFRA_FAILURE_KINDS.map((k) => [k, sorted(byKind[k])])) as Record<InfraFailureKind, string[]>,
      rejected,
      rejected_ids: sorted(ids.rejected),
      image_sources: {
        official: opts.results.filter((r) => r.image?.source === 'official').length,
        local: opts.results.filter((r) => r.image?.source === 'local').length,
      },
      resolve_rate: opts.instanceIds.length ? ids.resolved.length / opts.instanceIds.length : 0,
      durations: durationStats(durations),
    },
  };
}

/** Count, total, mean, median, 90th percentile (nearest rank) and max of durations in seconds; null if none. */
export function durationStats(seconds: readonly number[]): DurationStats | null {
  if (seconds.length === 0) return null;
  const s = [...seconds].sort((a, b) => a - b);
  const total = s.reduce((a, b) => a + b, 0);
  const rank = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { count: s.length, total_s: total, mean_s: total / s.length, p50_s: rank(0.5), p90_s: rank(0.9), max_s: s.at(-1)! };
}
