// Evaluates one (task, prediction) in a fresh sandbox, as SWE-bench does, and writes its files:
// DIR/<id>/report.json, test_output.txt (the eval log), patch.diff, run_instance.log.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PreparedImage } from '../sandbox/images.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { EnvSpec } from '../config/env-spec.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { isSweSrlError } from '../util/errors.ts';
import { shellQuote } from '../util/shell.ts';
import { planEval } from './eval-plan.ts';
import { gradeLog } from './grade-log.ts';
import { imageChoice, type EvalTask, type ImageChoice } from './image-provider.ts';
import type { SandboxProvider } from './sandbox-provider.ts';
import { infraFailure, type EvalOutcome } from './outcome.ts';
import type { Prediction } from './predictions.ts';
import { buildInstanceReport, reportFileContent, type InstanceReport } from './report.ts';

export type { Prediction };

export interface RunInstanceContext {
  sandboxes: SandboxProvider;
  /** The run's output folder; this instance writes under DIR/<instance_id>/. */
  outDir: string;
  runId: string;
  /** Test-command time limit override (seconds); default the env spec's timeout_s. */
  timeoutS?: number;
  onPhase?: (instanceId: string, phase: 'image' | 'patch' | 'tests' | 'done') => void;
}

export interface InstanceTimings {
  image_ms: number;
  patch_ms: number;
  /** Wall time of the eval script (test-file reset, test patch, test command): the work the harness wraps. */
  tests_ms: number;
  total_ms: number;
}

/** The key a finished evaluation is stored under: what was evaluated, so a changed patch or task re-runs it. */
export function evalKey(task: EvalTask, patch: string | null): string {
  return createHash('sha256')
    .update(JSON.stringify([patch, task.test_patch, task.FAIL_TO_PASS, task.PASS_TO_PASS, task.base_commit]))
    .digest('hex');
}

/** What the eval script made of a sandbox's current tree. */
export interface TestRun {
  outcome: EvalOutcome;
  /** The eval script's output. */
  log: string;
  testsMs: number;
  /** One line for the instance log. */
  note: string;
}

/**
 * Runs the task's eval script (test files reset to base, test patch, test command) in a sandbox whose tree holds the
 * change under test, and grades its log. The harness and the outcome reward share it.
 */
export async function runTestsInSandbox(o: {
  sandbox: Sandbox;
  task: EvalTask;
  spec: EnvSpec;
  image: Pick<PreparedImage, 'workdir' | 'baseRef'>;
  /** Test-command time limit (seconds); default the env spec's. */
  timeoutS?: number;
  /** A regression run: no test patch, graded on PASS_TO_PASS alone (see PlanEvalOptions.regression). */
  regression?: boolean;
}): Promise<TestRun> {
  const timeoutS = o.timeoutS ?? o.spec.timeout_s;
  const plan = planEval({
    task: o.task,
    spec: { ...o.spec, timeout_s: timeoutS },
    testPatchPath: `${o.sandbox.scratchDir}/test.patch`,
    workdir: o.image.workdir,
    baseRef: o.image.baseRef,
    regression: o.regression,
  });
  const tp = plan.testPatch;
  await o.sandbox.writeFile(plan.testPatchPath, tp.endsWith('\n') || tp === '' ? tp : `${tp}\n`);
  await o.sandbox.writeFile(`${o.sandbox.scratchDir}/eval.sh`, plan.script, { mode: 0o755 });
  const t = performance.now();
  const r = await o.sandbox.exec(`bash ${shellQuote(`${o.sandbox.scratchDir}/eval.sh`)}`, { timeoutMs: (timeoutS + 60) * 1000, maxOutputBytes: 64 << 20 });
  const testsMs = performance.now() - t;
  const outcome = r.timedOut
    ? infraFailure('timeout', `the eval script ran past ${timeoutS + 60} s`)
    : gradeLog({ log: r.output, markers: plan.markers, logParser: plan.logParser, failToPass: plan.failToPass, passToPass: plan.passToPass });
  const note = `eval script exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''}, ${r.outputBytes} bytes of output`;
  return { outcome, log: r.output, testsMs, note };
}

/** Runs one evaluation; never throws for a task-level failure: failures become outcomes. */
export async function runInstance(task: EvalTask, pred: Prediction, ctx: RunInstanceContext): Promise<InstanceReport> {
  const t0 = performance.now();
  const dir = join(ctx.outDir, task.instance_id);
  const log: string[] = [];
  const note = (s: string) => log.push(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${s}`);
  const timings: InstanceTimings = { image_ms: 0, patch_ms: 0, tests_ms: 0, total_ms: 0 };
  let outcome: EvalOutcome;
  let evalLog = '';
  let sandbox: Sandbox | undefined;
  let chosen: ImageChoice | undefined;
  try {
    if (!pred.model_patch?.trim()) {
      outcome = { kind: 'empty_patch' };
    } else {
      const spec = ctx.sandboxes.spec(task);
      ctx.onPhase?.(task.instance_id, 'image');
      let t = performance.now();
      const image = await ctx.sandboxes.prepare(task);
      timings.image_ms = performance.now() - t;
      chosen = imageChoice(image);
      note(`image ${image.image}${chosen ? ` (${chosen.source}, ${chosen.origin}${chosen.official_unavailable ? `; official image not used: ${chosen.official_unavailable}` : ''})` : image.built ? ' (built)' : ''}`);
      // The image is ready, so opening only starts the sandbox.
      const opened = await ctx.sandboxes.open(task, { image, labels: { 'swe-srl.run': ctx.runId, 'swe-srl.instance': task.instance_id } });
      sandbox = opened.sandbox;
      ctx.onPhase?.(task.instance_id, 'patch');
      t = performance.now();
      const applied = await sandbox.applyPatch(pred.model_patch);
      timings.patch_ms = performance.now() - t;
      note(`patch ${applied.applied ? `applied with ${applied.method}` : 'did not apply'}\n${applied.log}`);
      if (!applied.applied) {
        outcome = infraFailure('patch_apply_failed', applied.log.slice(-2000));
      } else {
        ctx.onPhase?.(task.instance_id, 'tests');
        const r = await runTestsInSandbox({ sandbox, task, spec, image: opened.image, timeoutS: ctx.timeoutS });
        timings.tests_ms = r.testsMs;
        evalLog = r.log;
        note(r.note);
        outcome = r.outcome;
      }
    }
  } catch (e) {
    // A bug in this program is no environment fault: it propagates instead of being filed (and retried) as one.
    if (isProgrammingError(e)) throw e;
    const kind = isSweSrlError(e) && (e.code === 'image_build_failed' || e.code === 'image_unavailable' || e.code === 'source_unavailable') ? e.code : 'sandbox_error';
    const msg = e instanceof Error ? e.message : String(e);
    note(`error: ${msg}`);
    outcome = infraFailure(kind, msg.slice(0, 4000));
  } finally {
    await sandbox?.close().catch(() => undefined);
  }
  timings.total_ms = performance.now() - t0;
  note(`outcome ${outcome.kind}${outcome.kind === 'graded' ? ` resolved=${outcome.resolved}` : ''}`);
  const report = buildInstanceReport({
    instanceId: task.instance_id,
    modelNameOrPath: pred.model_name_or_path,
    modelPatch: pred.model_patch,
    outcome,
    log: evalLog,
    durationMs: Math.round(timings.total_ms),
    extra: {
      eval_key: evalKey(task, pred.model_patch),
      run_id: ctx.runId,
      ...(chosen ? { image: chosen } : {}),
      timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])),
    },
  });
  await writeFileAtomic(join(dir, 'patch.diff'), pred.model_patch ?? '');
  await writeFileAtomic(join(dir, 'test_output.txt'), evalLog);
  await writeFileAtomic(join(dir, 'run_instance.log'), `${log.join('\n')}\n`);
  // report.json last: its presence marks the instance finished (for resuming).
  await writeJsonAtomic(join(dir, 'report.json'), reportFileContent(report));
  ctx.onPhase?.(task.instance_id, 'done');
  return report;
}

/** JavaScript's own error types thrown by code mistakes (never by an engine, a network or a file system). */
export function isProgrammingError(e: unknown): boolean {
  return e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError || e instanceof SyntaxError;
}
