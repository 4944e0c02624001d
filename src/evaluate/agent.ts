// End-to-end evaluation of a policy as an agent: one episode per task in its own sandbox, all live episodes
// advanced together (one generate request per round, so a GPU policy batches them; a finished episode's place is
// taken by the next task at once), then the final patches graded by the harness as SWE-bench grades predictions.
// Each episode is saved as a normalized trajectory (swe-srl replay / srl build read it back), as a partial one after
// every step; a re-run skips the episodes already saved and the gradings already done, and resumes a partial episode
// mid-way (its calls run again in a fresh sandbox) or restarts it when they cannot be. One episode's fault ends
// that episode only.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalTask } from '../harness/image-provider.ts';
import type { RunSummary } from '../harness/summary.ts';
import type { SandboxProvider, TaskSandbox } from '../harness/sandbox-provider.ts';
import type { Policy } from '../policy/types.ts';
import { createToolContext, type ToolContext } from '../tools/context.ts';
import { runToolCall } from '../tools/registry.ts';
import { serializeTrajectory, TrajectorySchema } from '../trajectories/schema.ts';
import { makeTrajectory } from '../trajectories/steps.ts';
import type { Step, Trajectory } from '../trajectories/types.ts';
import type { SampleSettings } from '../train/sample.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { Episode, type EpisodeSettings, type ExitStatus } from './episode.ts';
import { gradePatches } from './grade-patches.ts';

export interface AgentEvalOptions {
  policy: Policy;
  tasks: readonly EvalTask[];
  sandboxes: SandboxProvider;
  outDir: string;
  /** Sampling of each step (n is 1). */
  sampling: Omit<SampleSettings, 'n'>;
  episode: EpisodeSettings;
  /** Episodes live at once (the generate batch). */
  parallel: number;
  /** Sandboxes grading at once. */
  workers: number;
  stepTimeoutMs?: number;
  /** Name of the policy in trajectories and predictions. */
  model: string;
  onEpisode?: (e: EpisodeRecord) => void;
  /** A partial episode of a killed run: resumed at a step, or restarted (its calls could not be run again). */
  onResume?: (r: { instance_id: string; how: 'resumed' | 'restarted'; steps: number; reason?: string }) => void;
  onStep?: (round: number, live: number) => void;
}

export interface EpisodeRecord {
  instance_id: string;
  exit: ExitStatus;
  steps: number;
  format_errors: number;
  patch: string;
  /** Saved by an earlier run. */
  reused?: boolean;
  /** Why the episode could not start or go on (exit `error`). */
  error?: string;
  /** A killed run's episode taken up again: at this step (its calls run again), or restarted (and why). */
  resumed_at_step?: number;
  restarted?: string;
}

export interface AgentEvalSummary {
  tasks: number;
  resolved: number;
  resolve_rate: number;
  exits: Record<string, number>;
  steps_mean: number;
  format_errors: number;
  /** Episodes of a killed run taken up mid-episode, and those started again. */
  resumed: number;
  restarted: number;
  /** The harness's run summary of the final patches. */
  harness: RunSummary;
}

/** Runs (or finishes) the evaluation; writes trajectories/, eval/, predictions.jsonl and summary.json under outDir. */
export async function runAgentEvaluation(o: AgentEvalOptions): Promise<AgentEvalSummary> {
  const trajDir = join(o.outDir, 'trajectories');
  const records = new Map<string, EpisodeRecord>();
  const pending: EvalTask[] = [];
  for (const t of o.tasks) {
    const saved = await savedEpisode(join(trajDir, `${t.instance_id}.json`));
    if (saved) {
      records.set(t.instance_id, saved);
      o.onEpisode?.(saved);
    } else pending.push(t);
  }
  type Live = { task: EvalTask; box: TaskSandbox; episode: Episode; error?: string };
  const live: Live[] = [];
  const open = async (task: EvalTask) => {
    const box = await o.sandboxes.open(task, { labels: { 'swe-srl.agent': task.instance_id } });
    try {
      return { box, ctx: createToolContext({ sandbox: box.sandbox, session: await box.sandbox.openSession(), timeoutMs: o.stepTimeoutMs }) };
    } catch (e) {
      await box.sandbox.close().catch(() => undefined);
      throw e;
    }
  };
  // A task with a partial trajectory (a killed run) resumes mid-episode: its recorded calls are run again in a fresh
  // sandbox to rebuild the state, then the policy goes on; when a call cannot be run again, the episode restarts.
  const start = async (task: EvalTask): Promise<Live> => {
    const partial = await savedPartial(partialFile(trajDir, task.instance_id));
    let { box, ctx } = await open(task);
    const settings = { instanceId: task.instance_id, issue: task.problem_statement, repo: task.repo, settings: o.episode };
    if (partial) {
      try {
        const submission = await replayCalls(ctx, partial.steps);
        const episode = new Episode({ ...settings, ctx, resume: partial });
        if (submission !== undefined) [episode.submission, episode.exit] = [submission, 'submitted'];
        o.onResume?.({ instance_id: task.instance_id, how: 'resumed', steps: partial.steps.length });
        resumedIds.set(task.instance_id, { resumed_at_step: partial.steps.length });
        return { task, box, episode };
      } catch (e) {
        await box.sandbox.close().catch(() => undefined);
        ({ box, ctx } = await open(task));
        const reason = (e as Error).message;
        o.onResume?.({ instance_id: task.instance_id, how: 'restarted', steps: 0, reason });
        resumedIds.set(task.instance_id, { restarted: reason });
      }
    }
    return { task, box, episode: new Episode({ ...settings, ctx }) };
  };
  const resumedIds = new Map<string, Pick<EpisodeRecord, 'resumed_at_step' | 'restarted'>>();
  const record = (r: EpisodeRecord) => {
    const rec = { ...r, ...resumedIds.get(r.instance_id) };
    records.set(rec.instance_id, rec);
    o.onEpisode?.(rec);
  };
  const finish = async (l: Live) => {
    try {
      if (l.episode.exit === 'error') {
        // Kept as a partial trajectory: a re-run resumes it.
        record({ instance_id: l.task.instance_id, exit: 'error', steps: l.episode.steps.length, format_errors: l.episode.formatErrors, patch: '', error: l.error });
        return;
      }
      // Like SWE-agent's autosubmission: an episode that ends without submitting is graded on its working tree.
      const patch = l.episode.submission ?? (await l.box.sandbox.diff());
      const t = episodeTrajectory(l, patch, o.model);
      await writeFileAtomic(join(trajDir, `${l.task.instance_id}.json`), serializeTrajectory(t));
      await rm(partialFile(trajDir, l.task.instance_id), { force: true });
      record({ instance_id: l.task.instance_id, exit: l.episode.exit!, steps: l.episode.steps.length, format_errors: l.episode.formatErrors, patch });
    } catch (e) {
      record({ instance_id: l.task.instance_id, exit: 'error', steps: l.episode.steps.length, format_errors: l.episode.formatErrors, patch: '', error: (e as Error).message });
    } finally {
      await l.box.sandbox.close().catch(() => undefined);
    }
  };
  // A task whose sandbox cannot start (its image does not build, say) is an episode that ended in `error`, graded
  // as an empty patch; the others go on.
  const tryStart = async (task: EvalTask): Promise<Live | undefined> => {
    try {
      return await start(task);
    } catch (e) {
      record({ instance_id: task.instance_id, exit: 'error', steps: 0, format_errors: 0, patch: '', error: (e as Error).message });
      return undefined;
    }
  };
  try {
    for (let round = 0; pending.length || live.length; round++) {
      const starting = pending.splice(0, Math.max(0, o.parallel - live.length));
      for (const l of await Promise.all(starting.map(tryStart))) if (l) live.push(l);
      const prompts = live.map((l) => l.episode.prompt());
      const asking = live.filter((_, i) => prompts[i] !== undefined);
      if (asking.length) {
        o.onStep?.(round, asking.length);
        const r = await o.policy.sample(
          prompts.filter((p) => p !== undefined),
          { ...o.sampling, n: 1, seed: o.sampling.seed + round },
        );
        // One episode's fault (its sandbox died, a tool broke) ends that episode only.
        const acted = await Promise.allSettled(asking.map((l, j) => l.episode.act(r.completions[j]?.[0]?.text ?? '')));
        acted.forEach((a, j) => {
          if (a.status === 'rejected') [asking[j]!.episode.exit, asking[j]!.error] = ['error', (a.reason as Error).message];
        });
        // Saved after every step, so a killed run loses no step.
        await Promise.all(asking.filter((l) => !l.episode.exit).map((l) => savePartial(trajDir, l, o.model)));
      }
      const done = live.filter((l) => l.episode.exit);
      await Promise.all(done.map(finish));
      for (const d of done) live.splice(live.indexOf(d), 1);
    }
  } finally {
    await Promise.all(live.map((l) => l.box.sandbox.close().catch(() => undefined)));
  }
  const graded = await gradePatches({ ...o, patchOf: (id) => records.get(id)!.patch });
  const all = [...records.values()];
  const exits: Record<string, number> = {};
  for (const r of all) exits[r.exit] = (exits[r.exit] ?? 0) + 1;
  const resolved = graded.summary.resolved_instances;
  const summary: AgentEvalSummary = {
    tasks: o.tasks.length,
    resolved,
    resolve_rate: o.tasks.length ? resolved / o.tasks.length : 0,
    exits,
    steps_mean: all.length ? all.reduce((n, r) => n + r.steps, 0) / all.length : 0,
    format_errors: all.reduce((n, r) => n + r.format_errors, 0),
    resumed: all.filter((r) => r.resumed_at_step !== undefined).length,
    restarted: all.filter((r) => r.restarted !== undefined).length,
    harness: graded.summary,
  };
  await writeJsonAtomic(join(o.outDir, 'summary.json'), summary);
  return summary;
}

function partialFile(trajDir: string, instanceId: string): string {
  return join(trajDir, `${instanceId}.partial.json`);
}

/** The episode so far, as a trajectory marked partial (with what resuming needs: the malformed answers in a row). */
async function savePartial(trajDir: string, l: { task: EvalTask; episode: Episode }, model: string): Promise<void> {
  const t = episodeTrajectory(l, '', model);
  t.meta = { ...t.meta, partial: true, formatErrorsInRow: l.episode.malformedInRow };
  await writeFileAtomic(partialFile(trajDir, l.task.instance_id), serializeTrajectory(t));
}

/** A partial trajectory saved by a killed run; undefined when absent or unreadable (then the episode starts afresh). */
async function savedPartial(file: string): Promise<{ steps: Step[]; formatErrors: number; errorsInRow: number } | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    const t = TrajectorySchema.parse(JSON.parse(await readFile(file, 'utf8'))) as Trajectory;
    if (t.meta.partial !== true) return undefined;
    return { steps: t.steps, formatErrors: Number(t.meta.formatErrors ?? 0), errorsInRow: Number(t.meta.formatErrorsInRow ?? 0) };
  } catch {
    return undefined;
  }
}

/** Runs recorded tool calls again (state only; their outputs are the recorded ones); returns a submission if one ran. */
async function replayCalls(ctx: ToolContext, steps: readonly Step[]): Promise<string | undefined> {
  let submission: string | undefined;
  for (const [i, s] of steps.entries()) {
    if (!s.action.call) continue;
    const r = await runToolCall(ctx, s.action.call).catch((e: unknown) => {
      throw new Error(`step ${i + 1} could not be run again: ${(e as Error).message}`);
    });
    if (r.submission !== undefined) submission = r.submission;
  }
  return submission;
}

function episodeTrajectory(l: { task: EvalTask; episode: Episode }, patch: string, model: string): Trajectory {
  return makeTrajectory({
    format: 'swe-srl',
    instanceId: l.task.instance_id,
    source: { file: `agent:${model}` },
    problemStatement: l.task.problem_statement,
    steps: l.episode.steps,
    submission: patch,
    meta: { shell: 'session', repoRoot: '/testbed', model, exit: l.episode.exit, formatErrors: l.episode.formatErrors, submitted: l.episode.exit === 'submitted' },
  });
}

// An episode saved by an earlier run, as a record; undefined when absent or unreadable (then it runs again).
async function savedEpisode(file: string): Promise<EpisodeRecord | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    // Validated as the trajectory loaders validate saved trajectories: a damaged file is run again.
    const t = TrajectorySchema.parse(JSON.parse(await readFile(file, 'utf8'))) as Trajectory;
    const exit = t.meta.exit as ExitStatus;
    return { instance_id: t.instanceId, exit, steps: t.steps.length, format_errors: Number(t.meta.formatErrors ?? 0), patch: t.submission ?? '', reused: true };
  } catch {
    return undefined;
  }
}
