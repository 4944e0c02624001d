// Replays recorded trajectories in fresh sandboxes: every action run in turn with the recording's shell semantics,
// each observation compared with the recorded one, then the final diff compared with the recorded submission and
// graded by the harness. Writes DIR/<instance>.<n>.json per trajectory and DIR/summary.json.
import { join } from 'node:path';
import type { EvalTask } from '../harness/image-provider.ts';
import type { EvalOutcome } from '../harness/outcome.ts';
import { runEvaluation } from '../harness/run-evaluation.ts';
import type { SandboxProvider } from '../harness/sandbox-provider.ts';
import type { Sandbox, SandboxLimits } from '../sandbox/types.ts';
import { createToolContext } from '../tools/context.ts';
import { runToolCall } from '../tools/registry.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { mapPool } from '../util/pool.ts';
import {
  DEFAULT_REPRODUCED_THRESHOLD,
  mapRoots,
  normalizeObservation,
  normalizePatch,
  recordedRoots,
  renderObservation,
  shellOf,
  textSimilarity,
} from './replay-compare.ts';
import type { Trajectory } from './types.ts';

export const REPLAY_VERSION = 1;

export interface ReplayedStep {
  index: number;
  tool: string | null;
  /** The command (or editor call) as run, recorded roots mapped; abridged. */
  action: string;
  /** The replayed observation, as the recording tool would have shown it (abridged past 4000 characters). */
  observation: string;
  similarity: number | null;
  reproduced: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Why the step was not run (no executable call). */
  skipped?: string;
}

export interface ReplayResult {
  version: typeof REPLAY_VERSION;
  instance_id: string;
  source_file: string;
  source_index?: number;
  format: string;
  shell: 'session' | 'subshell';
  steps_total: number;
  steps_skipped: number;
  steps_reproduced: number;
  /** Index of the first executed step that was not reproduced; null when every one was. */
  first_divergence: number | null;
  mean_similarity: number | null;
  patch: string;
  recorded_patch: string | null;
  patch_identical: boolean | null;
  patch_similarity: number | null;
  resolved: boolean | null;
  verdict: string;
  recorded_resolved: boolean | null;
  threshold: number;
  duration_s: number;
  error?: string;
  steps: ReplayedStep[];
}

export interface ReplayOptions {
  sandboxes: SandboxProvider;
  /** Where the harness's grading reports go. */
  outDir: string;
  threshold?: number;
  stepTimeoutMs?: number;
  limits?: SandboxLimits;
  /** Skip grading (the verdict is then 'not_graded'). */
  grade?: boolean;
  onStep?: (instanceId: string, done: number, total: number) => void;
}

const clip = (s: string, n = 4000) => (s.length <= n ? s : `${s.slice(0, n)}\n[... ${s.length - n} more characters]`);

/** Replays one trajectory against its task; never throws for what happens inside the sandbox. */
export async function replayTrajectory(t: Trajectory, task: EvalTask, o: ReplayOptions & { name: string }): Promise<ReplayResult> {
  const t0 = performance.now();
  const threshold = o.threshold ?? DEFAULT_REPRODUCED_THRESHOLD;
  const roots = recordedRoots({ repoRoot: t.meta.repoRoot, repo: task.repo, version: task.version });
  const shell = shellOf(t);
  const steps: ReplayedStep[] = [];
  let patch = '';
  let error: string | undefined;
  let sandbox: Sandbox | undefined;
  try {
    ({ sandbox } = await o.sandboxes.open(task, { labels: { 'swe-srl.replay': t.instanceId } }));
    const session = shell === 'session' ? await sandbox.openSession() : undefined;
    const ctx = createToolContext({ sandbox, session, timeoutMs: o.stepTimeoutMs ?? 120_000 });
    for (const [index, step] of t.steps.entries()) {
      o.onStep?.(t.instanceId, index, t.steps.length);
      const call = step.action.call;
      if (!call) {
        steps.push({ index, tool: null, action: clip(step.action.raw, 500), observation: '', similarity: null, reproduced: false, exitCode: null, timedOut: false, durationMs: 0, skipped: 'no executable call' });
        continue;
      }
      const args = Object.fromEntries(Object.entries(call.args).map(([k, v]) => [k, mapRoots(v, roots)]));
      const r = await runToolCall(ctx, { tool: call.tool, args });
      const replayed = normalizeObservation(renderObservation({ recorded: step.observation, output: r.output, exitCode: r.exitCode }));
      const recorded = normalizeObservation(mapRoots(step.observation, roots));
      const sim = textSimilarity(replayed, recorded);
      steps.push({
        index,
        tool: call.tool,
        action: clip(call.tool === 'bash' ? (args.command ?? '') : JSON.stringify(args), 500),
        observation: clip(replayed),
        similarity: round(sim),
        reproduced: replayed === recorded || sim >= threshold,
        exitCode: r.exitCode,
        timedOut: r.timedOut,
        durationMs: r.durationMs,
      });
      if (call.tool === 'submit') break;
    }
    patch = await sandbox.diff();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    await sandbox?.close().catch(() => undefined);
  }
  const executed = steps.filter((s) => !s.skipped);
  const firstBad = executed.find((s) => !s.reproduced);
  const recordedPatch = t.submission ?? null;
  let outcome: EvalOutcome | undefined;
  if (!error && o.grade !== false) {
    try {
      const r = await runEvaluation({
        tasks: [task],
        predictions: [{ instance_id: task.instance_id, model_patch: patch, model_name_or_path: 'replay' }],
        sandboxes: o.sandboxes,
        outDir: join(o.outDir, 'eval', o.name),
        runId: `replay-${o.name}`,
        force: true,
      });
      outcome = r.outcomes.get(task.instance_id);
    } catch (e) {
      error = `grading failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const sims = executed.map((s) => s.similarity ?? 0);
  return {
    version: REPLAY_VERSION,
    instance_id: t.instanceId,
    source_file: t.source.file,
    ...(t.source.index !== undefined ? { source_index: t.source.index } : {}),
    format: t.format,
    shell,
    steps_total: executed.length,
    steps_skipped: steps.length - executed.length,
    steps_reproduced: executed.filter((s) => s.reproduced).length,
    first_divergence: firstBad ? firstBad.index : null,
    mean_similarity: sims.length ? round(sims.reduce((a, b) => a + b, 0) / sims.length) : null,
    patch,
    recorded_patch: recordedPatch,
    patch_identical: recordedPatch === null || error ? null : normalizePatch(patch) === normalizePatch(mapRoots(recordedPatch, roots)),
    patch_similarity:
      recordedPatch === null || error ? null : round(textSimilarity(normalizePatch(patch), normalizePatch(mapRoots(recordedPatch, roots)))),
    resolved: outcome ? outcome.kind === 'graded' && outcome.resolved : null,
    verdict: verdictOf(outcome, error, o.grade),
    recorded_resolved: t.resolved ?? null,
    threshold,
    duration_s: round((performance.now() - t0) / 1000),
    ...(error ? { error } : {}),
    steps,
  };
}

function verdictOf(o: EvalOutcome | undefined, error: string | undefined, grade: boolean | undefined): string {
  if (error) return 'replay_error';
  if (!o) return grade === false ? 'not_graded' : 'replay_error';
  if (o.kind === 'graded') return o.resolved ? 'resolved' : 'unresolved';
  if (o.kind === 'infra_failure') return o.failure;
  return o.kind;
}

export interface ReplaySummary {
  version: typeof REPLAY_VERSION;
  trajectories: number;
  replayed: number;
  missing_tasks: Array<{ instance_id: string; source_file: string }>;
  errors: Array<{ instance_id: string; error: string }>;
  steps_total: number;
  steps_reproduced: number;
  patches_identical: number;
  resolved: number;
  threshold: number;
  results: Array<Pick<ReplayResult, 'instance_id' | 'source_file' | 'steps_total' | 'steps_reproduced' | 'first_divergence' | 'patch_identical' | 'patch_similarity' | 'resolved' | 'verdict'> & { file: string }>;
}

export interface ReplayAllOptions extends ReplayOptions {
  trajectories: Trajectory[];
  tasks: EvalTask[];
  workers?: number;
  onDone?: (r: ReplayResult | { instance_id: string; missing: true }) => void;
}

/** Replays every trajectory (in parallel), writing one JSON per trajectory and the summary. */
export async function replayAll(o: ReplayAllOptions): Promise<ReplaySummary> {
  const byId = new Map(o.tasks.map((t) => [t.instance_id, t]));
  const seen = new Map<string, number>();
  const named = o.trajectories.map((t) => {
    const n = seen.get(t.instanceId) ?? 0;
    seen.set(t.instanceId, n + 1);
    return { t, name: `${t.instanceId.replace(/[^A-Za-z0-9._-]+/g, '_')}.${n}` };
  });
  const missing: ReplaySummary['missing_tasks'] = [];
  const results = await mapPool(named, Math.max(1, o.workers ?? 1), async ({ t, name }) => {
    const task = byId.get(t.instanceId);
    if (!task) {
      missing.push({ instance_id: t.instanceId, source_file: t.source.file });
      o.onDone?.({ instance_id: t.instanceId, missing: true });
      return undefined;
    }
    const r = await replayTrajectory(t, task, { ...o, name });
    await writeJsonAtomic(join(o.outDir, `${name}.json`), r);
    o.onDone?.(r);
    return { r, file: `${name}.json` };
  });
  const done = results.filter((x): x is { r: ReplayResult; file: string } => !!x);
  const summary: ReplaySummary = {
    version: REPLAY_VERSION,
    trajectories: o.trajectories.length,
    replayed: done.length,
    missing_tasks: missing,
    errors: done.filter((x) => x.r.error).map((x) => ({ instance_id: x.r.instance_id, error: x.r.error! })),
    steps_total: done.reduce((a, x) => a + x.r.steps_total, 0),
    steps_reproduced: done.reduce((a, x) => a + x.r.steps_reproduced, 0),
    patches_identical: done.filter((x) => x.r.patch_identical).length,
    resolved: done.filter((x) => x.r.resolved).length,
    threshold: o.threshold ?? DEFAULT_REPRODUCED_THRESHOLD,
    results: done.map(({ r, file }) => ({
      instance_id: r.instance_id,
      source_file: r.source_file,
      file,
      steps_total: r.steps_total,
      steps_reproduced: r.steps_reproduced,
      first_divergence: r.first_divergence,
      patch_identical: r.patch_identical,
      patch_similarity: r.patch_similarity,
      resolved: r.resolved,
      verdict: r.verdict,
    })),
  };
  await writeJsonAtomic(join(o.outDir, 'summary.json'), summary);
  return summary;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
