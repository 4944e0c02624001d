// Selection by regression tests, the other reranker of the Agentless scaffold: each distinct candidate patch is
// applied in a fresh sandbox and the task's PASS_TO_PASS tests run on it, as they are at the base commit (no test
// patch, so the issue's own tests stay unseen); candidates that keep the most of them passing go on to the vote.
import type { EvalTask } from '../../harness/image-provider.ts';
import { runTestsInSandbox } from '../../harness/run-instance.ts';
import type { SandboxProvider } from '../../harness/sandbox-provider.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { normalizePatch } from './vote.ts';

/** One candidate's regression run: PASS_TO_PASS tests passing after its patch, of how many; or why it did not run. */
export type RegressionResult = { passed: number; total: number } | { error: string };

/**
 * Runs the regression tests once per distinct (normalized) non-empty patch; results per patch, null for empty
 * patches and for every patch when the task has no PASS_TO_PASS tests.
 */
export async function regressionResults(o: {
  sandboxes: SandboxProvider;
  task: EvalTask;
  patches: readonly string[];
  timeoutS?: number;
}): Promise<Array<RegressionResult | null>> {
  if (!o.task.PASS_TO_PASS.length) return o.patches.map(() => null);
  const byChange = new Map<string, RegressionResult>();
  for (const patch of o.patches) {
    if (!patch.trim()) continue;
    const key = normalizePatch(patch);
    if (!byChange.has(key)) byChange.set(key, await runOne(o, patch));
  }
  return o.patches.map((p) => (p.trim() ? byChange.get(normalizePatch(p))! : null));
}

async function runOne(o: { sandboxes: SandboxProvider; task: EvalTask; timeoutS?: number }, patch: string): Promise<RegressionResult> {
  let sandbox: Sandbox | undefined;
  try {
    const opened = await o.sandboxes.open(o.task, { labels: { 'swe-srl.regression': o.task.instance_id } });
    sandbox = opened.sandbox;
    const applied = await sandbox.applyPatch(patch);
    if (!applied.applied) return { error: 'the patch does not apply' };
    const run = await runTestsInSandbox({ sandbox, task: o.task, spec: opened.spec, image: opened.image, timeoutS: o.timeoutS, regression: true });
    if (run.outcome.kind !== 'graded') return { error: run.outcome.kind === 'infra_failure' ? run.outcome.failure : run.outcome.kind };
    return { passed: run.outcome.testsStatus.PASS_TO_PASS.success.length, total: o.task.PASS_TO_PASS.length };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    await sandbox?.close().catch(() => undefined);
  }
}

/** Which samples may vote: those whose regression run kept the most tests passing (all of them when none ran). */
export function regressionEligible(results: ReadonlyArray<RegressionResult | null>): boolean[] {
  const passed = results.map((r) => (r && 'passed' in r ? r.passed : -1));
  const best = Math.max(-1, ...passed);
  return best < 0 ? results.map(() => true) : passed.map((p) => p === best);
}
