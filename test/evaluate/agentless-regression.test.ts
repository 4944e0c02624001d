// Selection by regression tests in Agentless-mini, on bundled tasks in local sandboxes: two of three repair samples
// add a conftest.py that makes every test error, one is the gold fix. The majority vote picks the broken change;
// selection by regression tests (PASS_TO_PASS, no test patch) keeps only the gold sample and resolves the task.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { runAgentlessEvaluation, type AgentlessSelection } from '../../src/evaluate/agentless/pipeline.ts';
import { regressionEligible } from '../../src/evaluate/agentless/regression.ts';
import { renderSolution } from '../../src/evaluate/agentless/search-replace.ts';
import { majorityVote } from '../../src/evaluate/agentless/vote.ts';
import { planEval } from '../../src/harness/eval-plan.ts';
import { filesCreatedByPatch } from '../../src/harness/test-spec.ts';
import { GoldPolicy } from '../../src/policy/gold-policy.ts';
import type { ChatMessage, Policy, SampleOptions, SampleResult } from '../../src/policy/types.ts';
import { loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { LocalSandboxProvider } from '../../src/testing/local-sandbox.ts';
import { hostPytestSkipReason } from '../helpers/host.ts';
import { tempDir } from '../helpers/tmp.ts';

const BROKEN = renderSolution('break every test', [
  { path: 'conftest.py', search: '', replace: 'import pytest\n\n\n@pytest.fixture(autouse=True)\ndef _broken():\n    raise RuntimeError("broken")\n' },
]);

/** The gold policy's answers, except that repair prompts get [broken, broken, gold]. */
class SplitPolicy implements Policy {
  readonly info = { backend: 'scripted', parameters: null, vocab: null, max_seq_len: null, device: 'scripted' } as unknown as Policy['info'];
  constructor(private readonly gold: GoldPolicy) {}
  async sample(prompts: ChatMessage[][], o: SampleOptions): Promise<SampleResult> {
    const completions = prompts.map((p) => {
      const answer = this.gold.answer(p);
      const texts = o.n === 1 ? [answer] : [BROKEN, BROKEN, answer];
      return texts.map((text) => ({ text, token_ids: [], logprobs: [], finish_reason: 'stop' as const }));
    });
    return { promptIds: prompts.map(() => []), completions, tokens: 0, seconds: 0 };
  }
  async close(): Promise<void> {}
}

const noPytest = hostPytestSkipReason;
if (noPytest) console.warn(`[skip] agentless regression selection: ${noPytest}`);

describe('agentless selection by regression tests', () => {
  it('votes only among the samples that keep the most regression tests passing', () => {
    const results = [{ passed: 1, total: 3 }, { passed: 1, total: 3 }, { passed: 3, total: 3 }, null];
    expect(regressionEligible(results)).toEqual([false, false, true, false]);
    expect(regressionEligible([null, { error: 'x' }])).toEqual([true, true]);
    const patches = ['diff --git a/a b/a\n-x\n+y\n', 'diff --git a/a b/a\n-x\n+y\n', 'diff --git a/a b/a\n-x\n+z\n', ''];
    expect(majorityVote(patches).index).toBe(0);
    expect(majorityVote(patches, regressionEligible(results))).toMatchObject({ index: 2, votes: 1 });
  });

  it('plans a regression run without the test patch, its new files or FAIL_TO_PASS', () => {
    const testPatch = 'diff --git a/t/test_a.py b/t/test_a.py\n--- a/t/test_a.py\n+++ b/t/test_a.py\n@@ -1 +1 @@\n-x\n+y\n' +
      'diff --git a/t/test_new.py b/t/test_new.py\nnew file mode 100644\n--- /dev/null\n+++ b/t/test_new.py\n@@ -0,0 +1 @@\n+z\n';
    expect(filesCreatedByPatch(testPatch)).toEqual(['t/test_new.py']);
    const task = { instance_id: 'o__r-1', repo: 'o/r', version: '1', base_commit: 'b', patch: '', test_patch: testPatch, problem_statement: '', FAIL_TO_PASS: ['t/test_new.py::f'], PASS_TO_PASS: ['t/test_a.py::g'] };
    const spec = { test_cmd: 'pytest -rA', log_parser: 'pytest', directives: 'paths' as const, env: {}, timeout_s: 60 };
    const plan = planEval({ task, spec, testPatchPath: '/s/test.patch', regression: true });
    expect(plan).toMatchObject({ testPatch: '', testTargets: ['t/test_a.py'], directives: ['t/test_a.py'], failToPass: [], passToPass: ['t/test_a.py::g'] });
    expect(planEval({ task, spec, testPatchPath: '/s/test.patch' }).testTargets).toEqual(['t/test_a.py', 't/test_new.py']);
  });

  describe.skipIf(noPytest)('end to end in local sandboxes', () => {
    let tasks: BundledTask[];
    let provider: LocalSandboxProvider;
    beforeAll(async () => {
      tasks = (await loadBundledTasks()).filter((t) => t.instance_id === 'swe-srl__textkit-1');
      const envs = await loadEnvRegistry();
      provider = new LocalSandboxProvider({ spec: (t) => envs.resolve(t.repo, t.version) });
    });
    const run = async (selection: AgentlessSelection) =>
      runAgentlessEvaluation({
        policy: async () => new SplitPolicy(new GoldPolicy(tasks)),
        tasks,
        sandboxes: provider,
        outDir: await tempDir(`agentless-${selection}`),
        sampling: { n: 3, temperature: 0, topP: 1, maxNewTokens: 64, stop: [], seed: 0 },
        parallel: 1,
        workers: 1,
        selection,
        model: 'split',
      });

    it('the vote picks the broken majority; regression tests pick the gold sample', async () => {
      expect((await run('vote')).resolved).toBe(0);
      const r = await run('regression');
      expect(r.resolved).toBe(1);
    }, 300_000);
  });
});
