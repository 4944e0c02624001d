// The outcome of a proposed change: apply the policy's edits in a fresh sandbox of the task, take the diff and run
// the task's tests exactly as the harness does. Resolved is the verifiable reward of RLVR and the oracle
// evaluation's verdict. Identical changes (edit lists or patches), and changes that give the same diff, are graded once.
import type { EvalTask } from '../harness/image-provider.ts';
import { runTestsInSandbox } from '../harness/run-instance.ts';
import type { SandboxProvider } from '../harness/sandbox-provider.ts';
import type { Sandbox, SandboxLimits } from '../sandbox/types.ts';
import { createToolContext } from '../tools/context.ts';
import { tryEditor } from '../tools/editor.ts';
import type { ToolCall } from '../trajectories/types.ts';
import { SweSrlError } from '../util/errors.ts';
import { limiter } from '../util/pool.ts';
import { shellQuote } from '../util/shell.ts';
import { applySearchReplace, type SearchReplaceEdit } from '../evaluate/agentless/search-replace.ts';

export type OutcomeStatus =
  /** The tests pass: FAIL_TO_PASS now pass and PASS_TO_PASS still pass. */
  | 'resolved'
  /** The tests ran and the issue is not resolved. */
  | 'unresolved'
  /** The editor refused an edit (old_str not found or not unique, a bad path, ...), or the patch does not apply. */
  | 'edit_failed'
  /** The edits left the repository as it was. */
  | 'no_change'
  /** The tests ran past their time limit. */
  | 'timeout'
  /** The test output could not be trusted (markers missing or repeated). */
  | 'rejected';

export interface OutcomeVerdict {
  status: OutcomeStatus;
  resolved: boolean;
  /** The diff the edits made (empty when an edit failed). */
  patch: string;
  /** Why an edit failed, or the resolution (FULL / PARTIAL / NO) of graded runs. */
  detail: string;
  seconds: number;
  /** Served from the cache. */
  cached?: boolean;
}

/** What is graded: editor edits, SEARCH/REPLACE edits, or a patch. */
type Change = { calls: readonly ToolCall[] } | { blocks: readonly SearchReplaceEdit[] } | { patch: string };

export interface OutcomeGraderOptions {
  sandboxes: SandboxProvider;
  tasks: readonly EvalTask[];
  /** Sandboxes grading at once. */
  workers?: number;
  /** Test-command time limit (seconds); default the env spec's. */
  timeoutS?: number;
  limits?: SandboxLimits;
  /** Cached verdicts kept at most (oldest dropped first). */
  cacheSize?: number;
}

export class OutcomeGrader {
  private readonly tasks: Map<string, EvalTask>;
  private readonly gate: <R>(job: () => Promise<R>) => Promise<R>;
  private readonly byChange = new Map<string, Promise<OutcomeVerdict>>();
  private readonly byPatch = new Map<string, Promise<OutcomeVerdict>>();
  /** Sandboxes started and test runs made, for reports. */
  readonly stats = { graded: 0, cached: 0, testRuns: 0 };

  constructor(private readonly o: OutcomeGraderOptions) {
    this.tasks = new Map(o.tasks.map((t) => [t.instance_id, t]));
    this.gate = limiter(o.workers ?? 2);
  }

  /** Whether the grader knows this instance. */
  has(instanceId: string): boolean {
    return this.tasks.has(instanceId);
  }

  /** Applies the edits to the task's base tree and grades the result. */
  grade(instanceId: string, calls: readonly ToolCall[]): Promise<OutcomeVerdict> {
    return this.submit(instanceId, { calls });
  }

  /** Applies SEARCH/REPLACE edits (all must apply) to the task's base tree and grades the result. */
  gradeSearchReplace(instanceId: string, blocks: readonly SearchReplaceEdit[]): Promise<OutcomeVerdict> {
    return this.submit(instanceId, { blocks });
  }

  /** Applies a patch (git apply, then patch --fuzz, as the harness does) to the task's base tree and grades it. */
  gradePatch(instanceId: string, patch: string): Promise<OutcomeVerdict> {
    return this.submit(instanceId, { patch });
  }

  private submit(instanceId: string, change: Change): Promise<OutcomeVerdict> {
    const task = this.tasks.get(instanceId);
    if (!task) {
      return Promise.reject(
        new SweSrlError({
          code: 'unknown_instance',
          message: `no task ${instanceId} in the outcome reward's task set`,
          fault: 'user',
          field: 'instance_id',
          value: instanceId,
          hint: 'reward.tasks must hold every instance the examples name.',
        }),
      );
    }
    const key = `${instanceId}\0${JSON.stringify(change)}`;
    const hit = this.byChange.get(key);
    if (hit) {
      this.stats.cached++;
      return hit.then((v) => ({ ...v, cached: true }));
    }
    const run = this.gate(() => this.run(task, change));
    this.remember(this.byChange, key, run);
    return run;
  }

  private async run(task: EvalTask, change: Change): Promise<OutcomeVerdict> {
    const t0 = performance.now();
    const seconds = () => (performance.now() - t0) / 1000;
    this.stats.graded++;
    let sandbox: Sandbox | undefined;
    try {
      const opened = await this.o.sandboxes.open(task, { labels: { 'swe-srl.outcome': task.instance_id } });
      sandbox = opened.sandbox;
      if ('patch' in change) {
        const applied = await sandbox.applyPatch(change.patch);
        if (!applied.applied) return { status: 'edit_failed', resolved: false, patch: '', detail: `the patch does not apply: ${applied.log.slice(-500)}`, seconds: seconds() };
      } else if ('blocks' in change) {
        const failed = await applyBlocksInSandbox(sandbox, change.blocks);
        if (failed) return { status: 'edit_failed', resolved: false, patch: '', detail: failed, seconds: seconds() };
      } else {
        const ctx = createToolContext({ sandbox });
        for (const [i, call] of change.calls.entries()) {
          const r = await tryEditor(ctx, call.args);
          if (!r.ok) return { status: 'edit_failed', resolved: false, patch: '', detail: `edit ${i + 1}: ${r.output}`, seconds: seconds() };
        }
      }
      const patch = await sandbox.diff();
      if (!patch.trim()) return { status: 'no_change', resolved: false, patch, detail: 'the edits changed nothing', seconds: seconds() };
      const patchKey = `${task.instance_id}\0${patch}`;
      const same = this.byPatch.get(patchKey);
      if (same) {
        this.stats.cached++;
        return { ...(await same), seconds: seconds(), cached: true };
      }
      const tests = (async (): Promise<OutcomeVerdict> => {
        this.stats.testRuns++;
        const r = await runTestsInSandbox({ sandbox: sandbox!, task, spec: opened.spec, image: opened.image, timeoutS: this.o.timeoutS });
        const o = r.outcome;
        if (o.kind === 'graded')
          return { status: o.resolved ? 'resolved' : 'unresolved', resolved: o.resolved, patch, detail: o.resolution, seconds: seconds() };
        if (o.kind === 'rejected') return { status: 'rejected', resolved: false, patch, detail: o.reason, seconds: seconds() };
        if (o.kind === 'infra_failure' && o.failure === 'timeout') return { status: 'timeout', resolved: false, patch, detail: o.detail, seconds: seconds() };
        throw new SweSrlError({
          code: 'outcome_failed',
          message: `grading ${task.instance_id} failed: ${o.kind === 'infra_failure' ? `${o.failure}: ${o.detail}` : o.kind}`,
          fault: 'environment',
        });
      })();
      this.remember(this.byPatch, patchKey, tests);
      return await tests;
    } finally {
      await sandbox?.close().catch(() => undefined);
    }
  }

  // A failed grading is not cached: the next request tries again.
  private remember(map: Map<string, Promise<OutcomeVerdict>>, key: string, p: Promise<OutcomeVerdict>): void {
    map.set(key, p);
    p.catch(() => map.delete(key));
    const cap = this.o.cacheSize ?? 20_000;
    while (map.size > cap) map.delete(map.keys().next().value!);
  }
}

/**
 * Applies SEARCH/REPLACE edits to the files of a sandbox's repository, all or nothing: returns why one failed, or
 * undefined when all applied and were written.
 */
export async function applyBlocksInSandbox(sandbox: Sandbox, blocks: readonly SearchReplaceEdit[]): Promise<string | undefined> {
  const files = new Map<string, string>();
  for (const path of new Set(blocks.map((b) => b.path))) {
    if (path.split('/').includes('..')) return `the path ${path} leaves the repository`;
    const abs = `${sandbox.workdir}/${path}`;
    if ((await sandbox.exec(`test -f ${shellQuote(abs)}`)).exitCode === 0) files.set(path, await sandbox.readFile(abs));
  }
  const r = applySearchReplace(files, blocks);
  const f = r.failures[0];
  if (f) return `edit ${f.edit} (${f.path}): ${FAILURE_TEXT[f.reason]}`;
  for (const [path, content] of r.files) {
    const abs = `${sandbox.workdir}/${path}`;
    await sandbox.exec(`mkdir -p "$(dirname ${shellQuote(abs)})"`);
    await sandbox.writeFile(abs, content);
  }
  return undefined;
}

export const FAILURE_TEXT = {
  not_found: 'the SEARCH lines are not in the file',
  no_file: 'no such file',
  identical: 'SEARCH and REPLACE are the same',
} as const;
