// Agentless-mini end to end on the bundled tasks in real sandboxes, driven by the gold policy: localization names the
// gold files, repair answers with the gold patch as SEARCH/REPLACE blocks, and every task resolves; a re-run reuses
// what was generated. The oracle's search-replace format is graded through the same edits.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { runAgentlessEvaluation, type AgentlessRow } from '../../src/evaluate/agentless/pipeline.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { buildOracleExamples } from '../../src/oracle/build.ts';
import { OutcomeGrader } from '../../src/oracle/outcome.ts';
import { createOutcomeReward } from '../../src/oracle/outcome-reward.ts';
import { GoldPolicy } from '../../src/policy/gold-policy.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

describe.skipIf(dockerSkipReason)('agentless evaluation with the gold policy (bundled tasks, real containers)', () => {
  const engine = new DockerEngine();
  let tasks: BundledTask[];
  let images: LocalImages;

  beforeAll(async () => {
    tasks = await loadBundledTasks();
    images = new LocalImages({ engine, envs: await loadEnvRegistry() });
  });

  it('localizes the gold files and resolves every task; a re-run reuses the generation', async () => {
    const outDir = await tempDir('agentless');
    let started = 0;
    const run = () =>
      runAgentlessEvaluation({
        policy: async () => {
          started++;
          return new GoldPolicy(tasks);
        },
        tasks,
        sandboxes: new DockerSandboxProvider({ engine, images }),
        outDir,
        sampling: { n: 2, temperature: 0, topP: 1, maxNewTokens: 64, stop: [], seed: 0 },
        parallel: 3,
        workers: 2,
        model: 'gold',
      });
    const summary = await run();
    expect(summary).toMatchObject({
      tasks: tasks.length,
      resolved: tasks.length,
      resolve_rate: 1,
      infra_failures: 0,
      localization: { recall: 1, all_gold_rate: 1, fallback: 0 },
      format_errors: 0,
      failed_edits: 0,
      empty_patches: 0,
    });
    const rows = (await readFile(join(outDir, 'rows.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AgentlessRow);
    expect(rows.map((r) => r.verdict)).toEqual(tasks.map(() => 'resolved'));
    expect(rows[0]).toMatchObject({ votes: 2, distinct: 1, selected: 0 });
    expect(rows[0]!.samples[0]!.reply).toContain('<<<<<<< SEARCH');
    const again = await run();
    expect(started).toBe(1);
    expect(again.resolved).toBe(tasks.length);
  }, 900_000);

  it('grades the oracle in the search-replace format', async () => {
    const some = tasks.slice(0, 2);
    const built = await buildOracleExamples({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks: some, prompt: { format: 'search-replace' } });
    expect(built.warnings).toEqual([]);
    const gold = new GoldPolicy(some);
    const reward = createOutcomeReward(new OutcomeGrader({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks: some }), { format: 'search-replace' });
    for (const e of built.examples) {
      const answer = gold.answer(e.prompt);
      expect(answer).toContain(e.target);
      expect(await reward(answer, e)).toMatchObject({ reward: 1, detail: 'resolved' });
      expect(await reward('<think>x</think><solution>\n### README.md\n<<<<<<< SEARCH\nnowhere\n=======\ny\n>>>>>>> REPLACE\n</solution>', e)).toMatchObject({ reward: 0, detail: 'edit_failed' });
    }
  }, 600_000);
});
