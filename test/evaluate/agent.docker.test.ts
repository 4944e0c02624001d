// End-to-end agent evaluation on bundled tasks in real sandboxes, driven by a scripted policy that answers each
// step with the scripted expert's next call (and one malformed answer first): the episodes submit, the harness
// grades their patches, trajectories are saved in the normalized format, and a re-run reuses them.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { runAgentEvaluation, type EpisodeRecord } from '../../src/evaluate/agent.ts';
import { DEFAULT_EPISODE } from '../../src/evaluate/episode.ts';
import { LocalImages, type ImageProvider } from '../../src/harness/image-provider.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { renderCall } from '../../src/srl/action-xml.ts';
import { buildExamples } from '../../src/srl/steps.ts';
import { loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { EXPERT_TEST_COMMAND } from '../../src/testing/record-expert.ts';
import { expertCalls } from '../../src/testing/scripted-expert.ts';
import { askedStep, ScriptedPolicy } from '../../src/testing/scripted-policy.ts';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

const IDS = ['swe-srl__jsonptr-1', 'swe-srl__textkit-1'];

/** Answers "Give step N" of the task whose issue the prompt shows with answers[N - 1], then submits. */
function scriptedAgent(script: Array<{ issue: string; answers: string[] }>): ScriptedPolicy {
  return new ScriptedPolicy((p) => {
    const user = p[1]!.content;
    const s = script.find((x) => user.includes(x.issue.trim().slice(0, 200)))!;
    return s.answers[askedStep(p)! - 1] ?? '<think>done</think>\n<function=submit>\n</function>';
  });
}

describe.skipIf(dockerSkipReason)('agent evaluation (bundled tasks, real containers)', () => {
  const engine = new DockerEngine();
  let tasks: BundledTask[];
  let images: LocalImages;

  beforeAll(async () => {
    tasks = (await loadBundledTasks()).filter((t) => IDS.includes(t.instance_id));
    images = new LocalImages({ engine, envs: await loadEnvRegistry() });
  });

  it('runs episodes to submission, grades their patches, saves trajectories and resumes', async () => {
    const script = tasks.map((t) => ({
      issue: t.problem_statement,
      answers: [
        'I will just edit the file.',
        ...expertCalls({ patch: t.patch, root: '/testbed', testCommand: EXPERT_TEST_COMMAND }).map((c) => `<think>${c.thought}</think>\n${renderCall(c.call)}`),
      ],
    }));
    const policy = scriptedAgent(script);
    const outDir = await tempDir('agent');
    const run = (onEpisode?: (e: EpisodeRecord) => void) =>
      runAgentEvaluation({
        policy,
        tasks,
        sandboxes: new DockerSandboxProvider({ engine, images }),
        outDir,
        sampling: { temperature: 0, topP: 1, maxNewTokens: 64, stop: [], seed: 0 },
        episode: DEFAULT_EPISODE,
        parallel: 2,
        workers: 2,
        model: 'scripted',
        onEpisode,
      });
    const summary = await run();
    expect(summary).toMatchObject({ tasks: 2, resolved: 2, resolve_rate: 1, exits: { submitted: 2 }, format_errors: 2 });
    // Both episodes advanced together: one generate request per round for both.
    expect(policy.batches[0]).toBe(2);
    const loaded = await loadTrajectories([join(outDir, 'trajectories')]);
    expect(loaded.errors).toEqual([]);
    const t = loaded.trajectories.find((x) => x.instanceId === 'swe-srl__textkit-1')!;
    expect(t.steps[0]!.action.call).toBeUndefined();
    expect(t.steps[0]!.observation).toMatch(/could not be run \(missing_think/);
    expect(t.steps.at(-1)!.action.call?.tool).toBe('submit');
    expect(t.submission).toContain('diff --git');
    expect(t.meta).toMatchObject({ exit: 'submitted', formatErrors: 1 });
    // The saved episodes are SRL data: every step with a call becomes an example.
    const built = buildExamples(t, { issue: t.problemStatement!, repo: 'swe-srl/textkit', contextSteps: 2, maxObservationChars: 4000, dropSubmit: false });
    expect(built.examples.length).toBe(t.steps.length - 1);
    const batches = policy.batches.length;
    const reused: EpisodeRecord[] = [];
    expect(await run((e) => reused.push(e))).toMatchObject({ resolved: 2, exits: { submitted: 2 } });
    expect(reused.every((e) => e.reused)).toBe(true);
    expect(policy.batches.length).toBe(batches);
  }, 300_000);

  it('records a task whose sandbox cannot start as an error episode and runs the others', async () => {
    const task = tasks.find((t) => t.instance_id === 'swe-srl__textkit-1')!;
    const broken = { ...task, instance_id: 'swe-srl__broken-1' };
    const failing: ImageProvider = {
      spec: (t) => images.spec(t),
      prepare: (t) => (t.instance_id === broken.instance_id ? Promise.reject(new Error('image build failed: no such base')) : images.prepare(t)),
    };
    const edits = expertCalls({ patch: task.patch, root: '/testbed', testCommand: EXPERT_TEST_COMMAND }).map((c) => `<think>${c.thought}</think>\n${renderCall(c.call)}`);
    const seen: EpisodeRecord[] = [];
    const summary = await runAgentEvaluation({
      policy: scriptedAgent([{ issue: task.problem_statement, answers: edits }]),
      tasks: [broken, task],
      sandboxes: new DockerSandboxProvider({ engine, images: failing }),
      outDir: await tempDir('agent-err'),
      sampling: { temperature: 0, topP: 1, maxNewTokens: 64, stop: [], seed: 0 },
      episode: DEFAULT_EPISODE,
      parallel: 2,
      workers: 1,
      model: 'scripted',
      onEpisode: (e) => seen.push(e),
    });
    expect(seen.find((e) => e.instance_id === broken.instance_id)).toMatchObject({ exit: 'error', error: /no such base/ });
    expect(summary).toMatchObject({ tasks: 2, exits: { error: 1, submitted: 1 } });
  }, 300_000);

  it('ends an episode at the step cap and grades the working tree it left', async () => {
    const task = tasks.find((t) => t.instance_id === 'swe-srl__textkit-1')!;
    const calls = expertCalls({ patch: task.patch, root: '/testbed', testCommand: EXPERT_TEST_COMMAND });
    const edits = calls.filter((c) => c.call.args.command === 'str_replace' || c.call.args.command === 'create');
    const policy = scriptedAgent([{ issue: task.problem_statement, answers: edits.map((c) => `<think>${c.thought}</think>\n${renderCall(c.call)}`) }]);
    const summary = await runAgentEvaluation({
      policy,
      tasks: [task],
      sandboxes: new DockerSandboxProvider({ engine, images }),
      outDir: await tempDir('agent-cap'),
      sampling: { temperature: 0, topP: 1, maxNewTokens: 64, stop: [], seed: 0 },
      episode: { ...DEFAULT_EPISODE, maxSteps: edits.length },
      parallel: 1,
      workers: 1,
      model: 'scripted',
    });
    // The edits are the whole fix: graded from the working tree without a submit.
    expect(summary).toMatchObject({ tasks: 1, resolved: 1, exits: { max_steps: 1 } });
  }, 300_000);
});
