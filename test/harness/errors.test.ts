// How instance errors surface: a repository that cannot be cloned is a source_unavailable error with a one-line cause
// and its fix (not a sandbox_error), a bug in the program propagates instead of being filed as an environment fault,
// and the eval command's closing table and exit code say what failed.
import { describe, expect, it } from 'vitest';
import { describeOutcome, environmentErrors, formatErrorTable } from '../../src/cli/eval.ts';
import type { EvalTask } from '../../src/harness/image-provider.ts';
import { infraFailure } from '../../src/harness/outcome.ts';
import { runInstance, type RunInstanceContext } from '../../src/harness/run-instance.ts';
import type { SandboxProvider } from '../../src/harness/sandbox-provider.ts';
import { summarizeRun } from '../../src/harness/summary.ts';
import { RepoSources } from '../../src/sandbox/sources.ts';
import { tempDir } from '../helpers/tmp.ts';

const task = { instance_id: 'acme__widget-1', repo: 'acme/widget', base_commit: 'a'.repeat(40), version: '1.0' } as EvalTask;
const pred = { instance_id: task.instance_id, model_patch: 'diff --git a/x b/x\n', model_name_or_path: 'm' };

async function context(prepare: SandboxProvider['prepare']): Promise<RunInstanceContext> {
  // No sandbox is reached: every case fails while preparing the image.
  const sandboxes: SandboxProvider = {
    spec: () => ({}) as ReturnType<SandboxProvider['spec']>,
    prepare,
    open: () => Promise.reject(new Error('not reached')),
    reap: async () => 0,
  };
  return { sandboxes, outDir: await tempDir('errors'), runId: 'errors' };
}

describe('instance errors', () => {
  it('a repository that cannot be cloned is source_unavailable, with a one-line cause naming the fix', async () => {
    const root = await tempDir('errors-src');
    const sources = new RepoSources({ remoteTemplate: `${root}/mirrors/{owner}+{name}`, cacheDir: `${root}/cache` });
    const r = await runInstance(task, pred, await context(async (t) => {
      await sources.ensureCommit(t.repo, t.base_commit);
      throw new Error('unreachable');
    }));
    const o = r.extras.outcome;
    expect(o).toMatchObject({ kind: 'infra_failure', failure: 'source_unavailable', fault: 'environment' });
    const line = describeOutcome(o);
    expect(line).toMatch(/^error: source_unavailable: cannot clone acme\/widget from .*mirrors\/acme\+widget: fatal: .*Set --git-remote/);
    expect(line).not.toContain('\n');
  });

  it('a bug in the program propagates instead of becoming a sandbox_error', async () => {
    const ctx = await context(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'image')");
    });
    await expect(runInstance(task, pred, ctx)).rejects.toThrow(TypeError);
    const other = await runInstance(task, pred, await context(async () => Promise.reject(new Error('connect ENOENT /var/run/docker.sock'))));
    expect(other.extras.outcome).toMatchObject({ kind: 'infra_failure', failure: 'sandbox_error' });
  });

  it('the closing table lists error classes with fault, retry and fix; only environment errors fail the run', () => {
    const summary = summarizeRun({
      instanceIds: ['a', 'b', 'c', 'd'],
      predictions: ['a', 'b', 'c', 'd'].map((id) => ({ instance_id: id, model_patch: 'diff' })),
      results: [
        { instanceId: 'a', outcome: infraFailure('source_unavailable', 'cannot clone') },
        { instanceId: 'b', outcome: infraFailure('source_unavailable', 'cannot clone') },
        { instanceId: 'c', outcome: infraFailure('patch_apply_failed', 'does not apply') },
      ],
    });
    const table = formatErrorTable(summary).split('\n');
    expect(table[0]).toMatch(/^error\s+instances\s+fault\s+re-run helps\s+what to do$/);
    expect(table.find((l) => l.startsWith('source_unavailable'))).toMatch(/source_unavailable\s+2\s+environment\s+yes\s+set --git-remote.*\(a, b\)/);
    expect(table.find((l) => l.startsWith('patch_apply_failed'))).toMatch(/1\s+model\s+no/);
    expect(environmentErrors(summary)).toBe(2);
    const clean = summarizeRun({ instanceIds: ['c'], predictions: [{ instance_id: 'c', model_patch: 'diff' }], results: [{ instanceId: 'c', outcome: infraFailure('patch_apply_failed', 'x') }] });
    expect(environmentErrors(clean)).toBe(0);
    expect(formatErrorTable(summarizeRun({ instanceIds: [], predictions: [], results: [] }))).toBe('');
  });
});
