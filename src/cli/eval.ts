// `swe-srl eval`: grade predictions as the SWE-bench harness does, in parallel sandboxes, resumably.
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { EvalOutcome } from '../harness/outcome.ts';
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
    .action(async (o: EvalCliOptions) => {
      process.exitCode = await evalCommand(o);
    });
}

/** Runs the eval command; returns the exit code (0 when the run completed, whatever the verdicts). */
export async function evalCommand(o: EvalCliOptions): Promise<number> {
  const instances = o.instances?.split(',').map((s) => s.trim()).filter(Boolean);
  const tasks = await loadTaskSet(o.tasks, instances);
  let predictions = await resolvePredictions(o.predictions, tasks);
  if (instances) predictions = predictions.filter((p) => instances.includes(p.instance_id));
  const runId = o.runId ?? (['gold', 'empty'].includes(o.predictions) ? o.predictions : basename(o.predictions).replace(/\.[^.]+$/, ''));
  const outDir = resolve(o.out ?? join('runs', 'eval', runId));
  const { engine, images, limits, workers } = await openSandboxes(o);
  console.error(`eval ${runId}: ${predictions.length} prediction(s) over ${tasks.length} task(s), ${workers} worker(s) -> ${outDir}`);
  const progress = createProgress({ total: predictions.length, title: 'eval' });
  const { summary } = await runEvaluation({
    tasks,
    predictions,
    engine,
    images,
    outDir,
    runId,
    workers,
    timeoutS: o.timeout ? positiveOption('timeout', o.timeout, { fraction: true }) : undefined,
    limits,
    force: o.force,
    onProgress: (e) => progress.tick(`${e.instanceId}: ${describeOutcome(e.outcome)}${e.reused ? ' (reused)' : ''}`),
  });
  progress.stop();
  console.log(formatSummary(summary, outDir));
  return 0;
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
    case 'infra_failure':
      return `error: ${o.failure}`;
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
