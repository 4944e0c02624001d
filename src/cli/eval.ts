// `swe-srl eval`: grade predictions as the SWE-bench harness does, in parallel sandboxes, resumably.
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { INFRA_FAILURE_ADVICE, INFRA_FAILURE_FAULT, INFRA_FAILURE_KINDS, type EvalOutcome } from '../harness/outcome.ts';
import { resolvePredictions } from '../harness/predictions.ts';
import { runEvaluation } from '../harness/run-evaluation.ts';
import type { RunSummary } from '../harness/summary.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import { createProgress } from './progress.ts';
import { openSandboxes, positiveOption, sandboxOptions, type SandboxFlags } from './sandbox-options.ts';

export interface EvalCliOptions extends SandboxFlags {
  instances?: string;
  predictions: string;
  runId?: string;
  out?: string;
  timeout?: string;
  force?: boolean;
  exitZero?: boolean;
}

export function register(program: Command): void {
  sandboxOptions(program.command('eval'), { workers: '1' })
    .description('grade predicted patches exactly as the SWE-bench harness does')
    .option('--instances <ids>', 'comma-separated instance ids to evaluate (default: all with a prediction)')
    .option('--predictions <file|gold|empty>', 'predictions file (SWE-bench shape), or gold / empty', 'gold')
    .option('--run-id <id>', 'run id (default: from the predictions)')
    .option('--out <dir>', 'output folder (default runs/eval/<run-id>)')
    .option('--timeout <s>', 'test-command time limit in seconds (default: the env spec\'s)')
    .option('--force', 're-run instances that already have a matching report')
    .option('--exit-zero', "exit 0 even when instances ended in an environment error (SWE-bench's behaviour)")
    .action(async (o: EvalCliOptions) => {
      process.exitCode = await evalCommand(o);
    });
}

/** Runs the eval command; returns the exit code (0 when the run completed, whatever the verdicts; 1 on environment errors). */
export async function evalCommand(o: EvalCliOptions): Promise<number> {
  const instances = o.instances?.split(',').map((s) => s.trim()).filter(Boolean);
  const tasks = await loadTaskSet(o.tasks, instances);
  let predictions = await resolvePredictions(o.predictions, tasks);
  if (instances) predictions = predictions.filter((p) => instances.includes(p.instance_id));
  const runId = o.runId ?? (['gold', 'empty'].includes(o.predictions) ? o.predictions : basename(o.predictions).replace(/\.[^.]+$/, ''));
  const outDir = resolve(o.out ?? join('runs', 'eval', runId));
  const { sandboxes, workers } = await openSandboxes(o);
  console.error(`eval ${runId}: ${predictions.length} prediction(s) over ${tasks.length} task(s), ${workers} worker(s) -> ${outDir}`);
  const progress = createProgress({ total: predictions.length, title: 'eval' });
  const { summary } = await runEvaluation({
    tasks,
    predictions,
    sandboxes,
    outDir,
    runId,
    workers,
    timeoutS: o.timeout ? positiveOption('timeout', o.timeout, { fraction: true }) : undefined,
    force: o.force,
    onProgress: (e) => progress.tick(`${e.instanceId}: ${describeOutcome(e.outcome)}${e.image ? ` [${e.image.source} image]` : ''}${e.reused ? ' (reused)' : ''}`),
  });
  progress.stop();
  console.log(formatSummary(summary, outDir));
  const table = formatErrorTable(summary);
  if (table) console.log(`\n${table}`);
  const envErrors = environmentErrors(summary);
  if (envErrors && !o.exitZero) {
    console.error(`${envErrors} instance(s) ended in an environment error (not graded); a re-run retries them. --exit-zero keeps exit code 0.`);
    return 1;
  }
  return 0;
}

/** Instances that ended in an infrastructure failure the environment is at fault for. */
export function environmentErrors(s: RunSummary): number {
  return INFRA_FAILURE_KINDS.filter((k) => INFRA_FAILURE_FAULT[k] === 'environment').reduce((n, k) => n + s.swe_srl.infra_failures[k], 0);
}

/** The error classes of a run: kind, count, who is at fault, whether a re-run helps, the fix, the first ids. */
export function formatErrorTable(s: RunSummary): string {
  const rows = INFRA_FAILURE_KINDS.filter((k) => s.swe_srl.infra_failures[k] > 0).map((k) => {
    const ids = s.swe_srl.infra_failure_ids_by_kind[k];
    const more = ids.length > 3 ? `, +${ids.length - 3} more` : '';
    return [k, String(ids.length), INFRA_FAILURE_FAULT[k], INFRA_FAILURE_ADVICE[k].retry ? 'yes' : 'no', `${INFRA_FAILURE_ADVICE[k].fix} (${ids.slice(0, 3).join(', ')}${more})`];
  });
  if (!rows.length) return '';
  const head = ['error', 'instances', 'fault', 're-run helps', 'what to do'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** A short human label for an outcome. */
export function describeOutcome(o: EvalOutcome): string {
  switch (o.kind) {
    case 'graded':
      return o.resolved ? 'RESOLVED' : `unresolved (${o.resolution})`;
    case 'empty_patch':
      return 'empty patch';
    case 'rejected':
      return `unresolved (output rejected: ${o.reason})`;
    case 'infra_failure': {
      // The class and a one-line cause (the full text is in the instance's run_instance.log).
      const first = o.detail.split('\n').find((l) => l.trim())?.trim() ?? '';
      const cause = first.startsWith(`${o.failure}: `) ? first.slice(o.failure.length + 2) : first;
      return `error: ${o.failure}${cause ? `: ${cause.length > 240 ? `${cause.slice(0, 237)}...` : cause}` : ''}`;
    }
  }
}

/** The readable summary printed at the end of a run. */
export function formatSummary(s: RunSummary & { swe_srl: { wall_s?: number; overhead_ratio?: number | null } }, outDir: string): string {
  const pct = (n: number) => `${((100 * n) / Math.max(1, s.total_instances)).toFixed(1)}%`;
  return [
    `Total instances:      ${s.total_instances}`,
    `Instances submitted:  ${s.submitted_instances}`,
    `Instances completed:  ${s.completed_instances}`,
    `Instances resolved:   ${s.resolved_instances} (${pct(s.resolved_instances)})`,
    `Instances unresolved: ${s.unresolved_instances}`,
    `Empty patches:        ${s.empty_patch_instances}`,
    `Errors:               ${s.error_instances}${s.error_ids.length ? ` (${s.error_ids.join(', ')})` : ''}`,
    `Wall time:            ${s.swe_srl.wall_s ?? '?'} s`,
    `Summary:              ${join(outDir, 'summary.json')}`,
  ].join('\n');
}
