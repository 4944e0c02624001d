// Agent evaluation under faults, in real sandboxes: one episode's sandbox removed under it ends that episode only, and
// a run killed mid-episode (the policy dies) resumes from the steps saved after every step, its calls run again in
// a fresh sandbox, to the same resolved patch.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { runAgentEvaluation, type AgentEvalOptions } from '../../src/evaluate/agent.ts';
import { DEFAULT_EPISODE } from '../../src/evaluate/episode.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { renderCall } from '../../src/srl/action-xml.ts';
import { loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { EXPERT_TEST_COMMAND } from '../../src/testing/record-expert.ts';
import { expertCalls } from '../../src/testing/scripted-expert.ts';
import { askedStep, ScriptedPolicy } from '../../src/testing/scripted-policy.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

const IDS = ['swe-srl__jsonptr-1', 'swe-srl__textkit-1'];

describe.skipIf(dockerSkipReason)('agent evaluation under faults (bundled tasks, real containers)', () => {
  const engine = new DockerEngine();
  let tasks: BundledTask[];
  let images: LocalImages;
  let answers: Map<string, string[]>;

  beforeAll(async () => {
    tasks = (await loadBundledTasks()).filter((t) => IDS.includes(t.instance_id));
    images = new LocalImages({ engine, envs: await loadEnvRegistry() });
    answers = new Map(
      tasks.map((t) => [
        t.problem_statement.trim().slice(0, 200),
        expertCalls({ patch: t.patch, root: '/testbed', testCommand: EXPERT_TEST_COMMAND }).map((c) => `<think>${c.thought}</think>\n${renderCall(c.call)}`),
      ]),
    );
  });

  /** The expert's answer for the step the prompt asks (die: throw instead at that step of that task). */
  const expert = (die?: { issue: string; step: number }) =>
    new ScriptedPolicy((p) => {
      const user = p.at(-1)!.content;
      const step = askedStep(p)!;
      const [issue, list] = [...answers].find(([k]) => user.includes(k))!;
      if (die && issue === die.issue && step === die.step) throw new Error('the policy server went away');
      return list[step - 1] ?? '<think>done</think>\n<function=submit>\n</function>';
    });

  const options = (outDir: string, over: Partial<AgentEvalOptions>): AgentEvalOptions => ({
    policy: expert(),
    tasks,
    sandboxes: new DockerSandboxProvider({ engine, images }),
    outDir,
    sampling: { temperature: 0, topP: 1, maxNewTokens: 64, stop: [], seed: 0 },
    episode: DEFAULT_EPISODE,
    parallel: 2,
    workers: 2,
    model: 'scripted',
    ...over,
  });

  it("one episode's sandbox dying ends that episode only", async () => {
    const victim = tasks.find((t) => t.instance_id === 'swe-srl__textkit-1')!;
    const policy = expert();
    const inner = policy.sample.bind(policy);
    let rounds = 0;
    // After two rounds, the victim's container is removed from outside, as a crashed engine node would.
    policy.sample = async (prompts, o) => {
      if (++rounds === 3)
        for (const id of execFileSync('docker', ['ps', '-q', '--filter', `label=swe-srl.agent=${victim.instance_id}`]).toString().split('\n').filter(Boolean))
          execFileSync('docker', ['rm', '-f', id]);
      return inner(prompts, o);
    };
    const summary = await runAgentEvaluation(options(await tempDir('agent-fault'), { policy }));
    expect(summary.exits).toEqual({ error: 1, submitted: 1 });
    expect(summary.resolved).toBe(1);
    expect(summary.harness.resolved_ids).toEqual(['swe-srl__jsonptr-1']);
  }, 300_000);

  it('a killed run resumes mid-episode from the saved steps and resolves', async () => {
    const victim = tasks.find((t) => t.instance_id === 'swe-srl__textkit-1')!;
    const steps = answers.get(victim.problem_statement.trim().slice(0, 200))!;
    // Die when the victim is asked for its last step (submit): its edits are done and saved.
    const outDir = await tempDir('agent-resume');
    await expect(
      runAgentEvaluation(options(outDir, { policy: expert({ issue: victim.problem_statement.trim().slice(0, 200), step: steps.length }), parallel: 1, tasks: [victim] })),
    ).rejects.toThrow(/went away/);
    expect(existsSync(join(outDir, 'trajectories', `${victim.instance_id}.partial.json`))).toBe(true);
    const resumed: Array<{ how: string; steps: number }> = [];
    const summary = await runAgentEvaluation(options(outDir, { tasks: [victim], onResume: (r) => resumed.push(r) }));
    expect(resumed).toEqual([{ instance_id: victim.instance_id, how: 'resumed', steps: steps.length - 1 }]);
    expect(summary).toMatchObject({ tasks: 1, resolved: 1, resumed: 1, restarted: 0, exits: { submitted: 1 } });
    expect(existsSync(join(outDir, 'trajectories', `${victim.instance_id}.partial.json`))).toBe(false);
  }, 300_000);
});
