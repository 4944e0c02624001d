// Evaluates many predictions in parallel sandboxes; resumable: an instance whose report.json already holds the
// same evaluation key (patch + task) is not run again. Writes DIR/summary.json at the end.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/atomic.ts';
import { SweSrlError } from '../util/errors.ts';
import { mapPool } from '../util/pool.ts';
import type { EvalTask, ImageChoice } from './image-provider.ts';
import type { SandboxProvider } from './sandbox-provider.ts';
import { INFRA_FAILURE_ADVICE, type EvalOutcome } from './outcome.ts';
import type { InfraFailureKeys } from './infra-failure.ts';
import { REPORT_EXTRAS_KEY, reportInfraKeys, type InstanceReportExtras, type SwebenchInstanceReport } from './report.ts';
import { evalKey, runInstance, type Prediction } from './run-instance.ts';
import { summarizeRun, type RunSummary } from './summary.ts';

export interface ProgressEvent {
  instanceId: string;
  done: number;
  total: number;
  outcome: EvalOutcome;
  /** True when the result was taken from an earlier run. */
  reused: boolean;
  /** The image the instance ran in, when one was prepared. */
  image?: ImageChoice;
}

export interface RunEvaluationOptions {
  tasks: EvalTask[];
  predictions: Prediction[];
  sandboxes: SandboxProvider;
  outDir: string;
  runId: string;
  workers?: number;
  timeoutS?: number;
  /** Re-run instances even when a matching report exists. */
  force?: boolean;
  onProgress?: (e: ProgressEvent) => void;
  onPhase?: (instanceId: string, phase: string) => void;
}

export interface EvaluationResult {
  summary: RunSummary & { swe_srl: RunSummary['swe_srl'] & RunTimings };
  outcomes: Map<string, EvalOutcome>;
}

export interface RunTimings {
  run_id: string;
  workers: number;
  wall_s: number;
  /** Sum over instances run now (not reused) of the eval script's wall time. */
  tests_s: number;
  /** wall time x workers / time in test commands: what the harness adds around the tests (1 = nothing). */
  overhead_ratio: number | null;
  reused_instances: number;
}


/** Reads a finished report for resuming; undefined when absent, unreadable, for another key, or retryable. */
async function finishedReport(dir: string, key: string): Promise<(InstanceReportExtras & { infra?: InfraFailureKeys }) | undefined> {
  try {
    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
    const extras = json[REPORT_EXTRAS_KEY] as InstanceReportExtras | undefined;
    if (!extras || extras.eval_key !== key) return undefined;
    const o = extras.outcome;
    // Environment trouble that may pass is run again (a patch that does not apply will not).
    if (o.kind === 'infra_failure' && INFRA_FAILURE_ADVICE[o.failure].retry) return undefined;
    const sb = json[extras.instance_id] as Partial<SwebenchInstanceReport> | undefined;
    const infra = sb ? reportInfraKeys(sb) : undefined;
    return { ...extras, ...(infra ? { infra } : {}) };
  } catch {
    return undefined;
  }
}

/** Runs the evaluation and writes the summary; returns it with every outcome. */
export async function runEvaluation(opts: RunEvaluationOptions): Promise<EvaluationResult> {
  const byId = new Map(opts.tasks.map((t) => [t.instance_id, t]));
  const unknown = opts.predictions.filter((p) => !byId.has(p.instance_id)).map((p) => p.instance_id);
  if (unknown.length) {
    throw new SweSrlError({
      code: 'unknown_instances',
      message: `${unknown.length} prediction(s) name instances that are not in the task set: ${unknown.slice(0, 10).join(', ')}`,
      fault: 'user',
      hint: 'Check --tasks / --instances, or the instance_id fields of the predictions.',
    });
  }
  await opts.sandboxes.reap();
  const t0 = performance.now();
  const workers = Math.max(1, opts.workers ?? 1);
  let done = 0;
  let testsMs = 0;
  let reused = 0;
  const results = await mapPool(opts.predictions, workers, async (pred) => {
    const task = byId.get(pred.instance_id)!;
    const key = evalKey(task, pred.model_patch);
    const prior = opts.force ? undefined : await finishedReport(join(opts.outDir, task.instance_id), key);
    let outcome: EvalOutcome;
    let durationMs: number | undefined;
    let infra: InfraFailureKeys | undefined;
    let image: ImageChoice | undefined;
    if (prior) {
      outcome = prior.outcome;
      durationMs = prior.duration_ms;
      infra = prior.infra;
      image = prior.image as ImageChoice | undefined;
      reused++;
    } else {
      const report = await runInstance(task, pred, {
        sandboxes: opts.sandboxes,
        outDir: opts.outDir,
        runId: opts.runId,
        timeoutS: opts.timeoutS,
        onPhase: opts.onPhase,
      });
      outcome = report.extras.outcome;
      durationMs = report.extras.duration_ms;
      infra = reportInfraKeys(report.swebench);
      image = report.extras.image as ImageChoice | undefined;
      testsMs += (report.extras.timings as { tests_ms?: number } | undefined)?.tests_ms ?? 0;
    }
    done++;
    opts.onProgress?.({ instanceId: task.instance_id, done, total: opts.predictions.length, outcome, reused: !!prior, image });
    return { instanceId: task.instance_id, outcome, durationMs, infra, image };
  });
  const wallS = (performance.now() - t0) / 1000;
  const base = summarizeRun({ instanceIds: opts.tasks.map((t) => t.instance_id), predictions: opts.predictions, results });
  const summary = {
    ...base,
    swe_srl: {
      ...base.swe_srl,
      run_id: opts.runId,
      workers,
      wall_s: round(wallS),
      tests_s: round(testsMs / 1000),
      overhead_ratio: testsMs > 0 && reused < results.length ? round((wallS * workers * 1000) / testsMs) : null,
      reused_instances: reused,
    },
  };
  await writeJsonAtomic(join(opts.outDir, 'summary.json'), summary);
  return { summary, outcomes: new Map(results.map((r) => [r.instanceId, r.outcome])) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
