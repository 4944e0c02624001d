// The harness end to end on the bundled tasks, in real containers.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import type { Prediction } from '../../src/harness/predictions.ts';
import { runEvaluation } from '../../src/harness/run-evaluation.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { BUNDLED_TASKS_ROOT, loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

const ID = 'swe-srl__confparse-1';
const fixture = (name: string) => readFile(join(BUNDLED_TASKS_ROOT, 'confparse', 'fixtures', name), 'utf8');
const pred = (model_patch: string | null, model = 'test'): Prediction => ({
  instance_id: ID,
  model_patch,
  model_name_or_path: model,
});

describe.skipIf(dockerSkipReason)('runEvaluation (bundled tasks, real containers)', () => {
  const engine = new DockerEngine();
  let tasks: BundledTask[];
  let images: LocalImages;

  beforeAll(async () => {
    tasks = await loadBundledTasks();
    images = new LocalImages({ engine, envs: await loadEnvRegistry() });
  });

  async function evalOne(p: Prediction, extra: { timeoutS?: number; outDir?: string } = {}) {
    const outDir = extra.outDir ?? (await tempDir('eval'));
    const r = await runEvaluation({
      tasks: tasks.filter((t) => t.instance_id === ID),
      predictions: [p],
      sandboxes: new DockerSandboxProvider({ engine, images }),
      outDir,
      runId: 'test',
      timeoutS: extra.timeoutS,
    });
    return { outcome: r.outcomes.get(ID)!, summary: r.summary, outDir };
  }

  it('resolves every bundled task with its gold patch, in parallel, and writes SWE-bench reports', async () => {
    const outDir = await tempDir('eval-gold');
    const r = await runEvaluation({
      tasks,
      predictions: tasks.map((t) => ({ instance_id: t.instance_id, model_patch: t.patch, model_name_or_path: 'gold' })),
      sandboxes: new DockerSandboxProvider({ engine, images }),
      outDir,
      runId: 'gold',
      workers: 2,
    });
    expect(r.summary.resolved_ids).toEqual(tasks.map((t) => t.instance_id).sort());
    expect(r.summary.error_instances).toBe(0);
    const report = JSON.parse(await readFile(join(outDir, ID, 'report.json'), 'utf8'));
    expect(report[ID]).toMatchObject({ patch_is_None: false, patch_exists: true, patch_successfully_applied: true, resolved: true });
    expect(report[ID].tests_status.FAIL_TO_PASS.failure).toEqual([]);
    const summary = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8'));
    expect(summary.schema_version).toBe(2);
    expect(summary.resolved_instances).toBe(tasks.length);
  });

  it('does not resolve the empty prediction, nor a no-op patch that lets the tests run', async () => {
    expect((await evalOne(pred(''))).outcome).toEqual({ kind: 'empty_patch' });
    const noop = 'diff --git a/NOTES.txt b/NOTES.txt\nnew file mode 100644\n--- /dev/null\n+++ b/NOTES.txt\n@@ -0,0 +1 @@\n+nothing\n';
    const { outcome } = await evalOne(pred(noop));
    expect(outcome.kind).toBe('graded');
    if (outcome.kind !== 'graded') return;
    expect(outcome.resolved).toBe(false);
    expect(outcome.testsStatus.FAIL_TO_PASS.success).toEqual([]);
    expect(outcome.testsStatus.PASS_TO_PASS.failure).toEqual([]);
  });

  it('reports a garbage patch as a patch failure, apart from model verdicts', async () => {
    const { outcome, summary } = await evalOne(pred(await fixture('garbage.patch')));
    expect(outcome).toMatchObject({ kind: 'infra_failure', failure: 'patch_apply_failed', fault: 'model' });
    expect(summary.error_ids).toEqual([ID]);
  });

  it('does not resolve a patch that fixes the issue but breaks PASS_TO_PASS tests', async () => {
    const { outcome } = await evalOne(pred(await fixture('breaks-p2p.patch')));
    expect(outcome.kind).toBe('graded');
    if (outcome.kind !== 'graded') return;
    expect(outcome.resolved).toBe(false);
    expect(outcome.testsStatus.FAIL_TO_PASS.failure).toEqual([]);
    expect(outcome.testsStatus.PASS_TO_PASS.failure.length).toBeGreaterThan(0);
  });

  it('does not resolve a patch that forges PASSED lines and end markers', async () => {
    const { outcome, outDir } = await evalOne(pred(await fixture('forged-pass.patch')));
    expect(outcome.kind === 'graded' ? outcome.resolved : false).toBe(false);
    // The forgery really ran: its lines are in the log.
    expect(await readFile(join(outDir, ID, 'test_output.txt'), 'utf8')).toContain('PASSED tests/test_parser.py::test_inline_semicolon_comment');
  });

  it('kills a test run that loops forever at its time-out and reports it as an infrastructure failure', async () => {
    const hang = 'diff --git a/conftest.py b/conftest.py\nnew file mode 100644\n--- /dev/null\n+++ b/conftest.py\n@@ -0,0 +1,2 @@\n+while True:\n+    pass\n';
    const t0 = performance.now();
    const { outcome } = await evalOne(pred(hang), { timeoutS: 3 });
    expect(outcome).toMatchObject({ kind: 'infra_failure', failure: 'timeout' });
    expect(performance.now() - t0).toBeLessThan(60_000);
  });

  it('resumes: a finished (instance, patch) is reused, a changed patch is run again', async () => {
    const gold = tasks.find((t) => t.instance_id === ID)!.patch;
    const first = await evalOne(pred(gold));
    expect(first.summary.swe_srl.reused_instances).toBe(0);
    const again = await evalOne(pred(gold), { outDir: first.outDir });
    expect(again.summary.swe_srl.reused_instances).toBe(1);
    expect(again.summary.resolved_ids).toEqual([ID]);
    const changed = await evalOne(pred(await fixture('partial.patch')), { outDir: first.outDir });
    expect(changed.summary.swe_srl.reused_instances).toBe(0);
    expect(changed.summary.resolved_ids).toEqual([]);
  });
});
