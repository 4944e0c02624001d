// The local sandbox fake drives the real loops with no Docker engine: the harness grades gold and empty patches in
// temp folders, and agent episodes run a scripted policy's bash calls in a persistent session, submit, and have
// their patches graded. The tests themselves run on the host (the bundled tasks need python3 with pytest).
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { runAgentEvaluation } from '../../src/evaluate/agent.ts';
import { DEFAULT_EPISODE } from '../../src/evaluate/episode.ts';
import { runEvaluation } from '../../src/harness/run-evaluation.ts';
import { renderCall } from '../../src/srl/action-xml.ts';
import { loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { LocalSandboxProvider } from '../../src/testing/local-sandbox.ts';
import { askedStep, ScriptedPolicy } from '../../src/testing/scripted-policy.ts';
import { hostPytestSkipReason } from '../helpers/host.ts';
import { tempDir } from '../helpers/tmp.ts';

const IDS = ['swe-srl__jsonptr-1', 'swe-srl__textkit-1'];

const noPytest = hostPytestSkipReason;
if (noPytest) console.warn(`[skip] grading in local sandboxes: ${noPytest}`);

describe('LocalSandboxProvider', () => {
  let tasks: BundledTask[];
  let provider: LocalSandboxProvider;

  beforeAll(async () => {
    tasks = (await loadBundledTasks()).filter((t) => IDS.includes(t.instance_id));
    const envs = await loadEnvRegistry();
    provider = new LocalSandboxProvider({ spec: (t) => envs.resolve(t.repo, t.version) });
  });

  it('opens a git repository of the task at its base commit, with a session that keeps its directory and variables', async () => {
    const { sandbox, image } = await provider.open(tasks[0]!);
    try {
      expect(image.workdir).toBe(sandbox.workdir);
      expect((await sandbox.exec('git rev-parse HEAD')).output.trim()).toBe(tasks[0]!.base_commit);
      const s = await sandbox.openSession();
      await s.run('mkdir -p sub && cd sub && export GREETING=hello');
      const r = await s.run('pwd; echo $GREETING; false');
      expect(r.output.trim().split('\n')).toEqual([`${sandbox.workdir}/sub`, 'hello']);
      expect(r.exitCode).toBe(1);
      await sandbox.writeFile('sub/new.txt', 'x\n');
      expect(await sandbox.diff()).toContain('+++ b/sub/new.txt');
      expect((await sandbox.applyPatch(tasks[0]!.patch)).applied).toBe(true);
      expect((await sandbox.exec('sleep 5', { timeoutMs: 300 })).timedOut).toBe(true);
    } finally {
      await sandbox.close();
    }
    expect(existsSync(sandbox.workdir)).toBe(false);
    expect(provider.live.size).toBe(0);
  });

  it.skipIf(noPytest)('lets the harness grade gold as resolved and empty as not', async () => {
    const outDir = await tempDir('local-eval');
    const predictions = tasks.map((t) => ({ instance_id: t.instance_id, model_patch: t.patch, model_name_or_path: 'gold' }));
    const { summary } = await runEvaluation({ tasks, predictions, sandboxes: provider, outDir, runId: 'gold', workers: 2 });
    expect(summary.resolved_instances).toBe(2);
    const empty = await runEvaluation({ tasks, predictions: predictions.map((p) => ({ ...p, model_patch: '' })), sandboxes: provider, outDir: await tempDir('local-empty'), runId: 'empty' });
    expect(empty.summary.resolved_instances).toBe(0);
    expect(provider.live.size).toBe(0);
  });

  it.skipIf(noPytest)('runs agent episodes: bash calls in a session, a submit, graded patches', async () => {
    // Each episode applies the gold patch with one bash call, then submits.
    const policy = new ScriptedPolicy((p) => {
      const task = tasks.find((t) => p[1]!.content.includes(t.problem_statement.trim().slice(0, 200)))!;
      const apply = renderCall({ tool: 'bash', args: { command: `git apply - <<'SWE_SRL_EOF'\n${task.patch}SWE_SRL_EOF` } });
      return askedStep(p) === 1 ? `<think>apply the fix</think>\n${apply}` : '<think>done</think>\n<function=submit>\n</function>';
    });
    const summary = await runAgentEvaluation({
      policy,
      tasks,
      sandboxes: provider,
      outDir: await tempDir('local-agent'),
      sampling: { temperature: 0, topP: 1, maxNewTokens: 64, stop: [], seed: 0 },
      episode: DEFAULT_EPISODE,
      parallel: 2,
      workers: 2,
      model: 'scripted',
    });
    expect(summary).toMatchObject({ tasks: 2, resolved: 2, exits: { submitted: 2 }, format_errors: 0 });
    expect(provider.live.size).toBe(0);
  });
});
