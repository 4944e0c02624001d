// The outcome reward in real sandboxes on the bundled tasks: oracle examples read from the task's image, responses
// applied with the editor and graded by the tests, and an RLVR run of the training loop on that reward.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { validateConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { buildOracleExamples } from '../../src/oracle/build.ts';
import { OutcomeGrader } from '../../src/oracle/outcome.ts';
import { createOutcomeReward } from '../../src/oracle/outcome-reward.ts';
import { editCall, patchToEdits } from '../../src/oracle/patch-edits.ts';
import type { PolicyInfo, SampleOptions, TrainablePolicy, TrainStepOptions } from '../../src/policy/types.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { renderCall } from '../../src/srl/action-xml.ts';
import { BUNDLED_TASKS_ROOT, loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import type { SrlExample } from '../../src/train/examples.ts';
import { runTraining } from '../../src/train/loop.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

const IDS = ['swe-srl__confparse-1', 'swe-srl__textkit-1'];
const edits = (patch: string) => patchToEdits(patch).map((e) => renderCall(editCall(e, '/testbed'))).join('\n');
const respond = (body: string) => `<think>Fix it.</think>\n${body}`;
const failing = respond(
  '<function=str_replace_editor>\n<parameter=command>str_replace</parameter>\n<parameter=path>/testbed/README.md</parameter>\n' +
    '<parameter=old_str>text that is nowhere</parameter>\n<parameter=new_str>x</parameter>\n</function>',
);

/** A policy that answers from a script (one list of responses per example id) and records the updates it gets. */
class ScriptedPolicy implements TrainablePolicy {
  readonly info = { backend: 'scripted' } as unknown as PolicyInfo;
  readonly updates: TrainStepOptions[] = [];
  constructor(private readonly script: Map<string, string[]>) {}
  async sample(prompts: { role: string; content: string }[][], o: SampleOptions) {
    const completions = prompts.map((p) => {
      const answers = this.script.get(p[1]!.content)!;
      return Array.from({ length: o.n }, (_, i) => ({ text: answers[i % answers.length]!, token_ids: [1, 2], logprobs: [-0.5, -0.5], finish_reason: 'stop' as const }));
    });
    return { promptIds: prompts.map(() => [0]), completions, tokens: 2 * o.n * prompts.length, seconds: 0 };
  }
  async trainStep(o: TrainStepOptions) {
    this.updates.push(o);
    return { loss: 0, kl: 0, clip_frac: 0, grad_norm: 0, tokens: o.samples.length * 2, ratio_mean: 1, max_abs_log_ratio: 0, seconds: 0 };
  }
  async encode() {
    return { prompt_ids: [] };
  }
  async sftStep() {
    return { loss: 0, grad_norm: 0, tokens: 0, seconds: 0 };
  }
  async save(dir: string) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'policy.pt'), 'scripted');
  }
  async load() {}
  async exportOnnx() {
    return { bytes: 0 };
  }
  async close() {}
}

describe.skipIf(dockerSkipReason)('outcome reward (bundled tasks, real containers)', () => {
  const engine = new DockerEngine();
  let tasks: BundledTask[];
  let images: LocalImages;
  let examples: SrlExample[];
  let grader: OutcomeGrader;

  beforeAll(async () => {
    tasks = (await loadBundledTasks()).filter((t) => IDS.includes(t.instance_id));
    images = new LocalImages({ engine, envs: await loadEnvRegistry() });
    ({ examples } = await buildOracleExamples({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks }));
    grader = new OutcomeGrader({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks, workers: 2 });
  }, 300_000);

  it('oracle examples show the issue and the edited files as they are at the base commit', async () => {
    const ex = examples.find((e) => e.instance_id === 'swe-srl__confparse-1')!;
    const user = ex.prompt[1]!.content;
    const parser = await readFile(join(BUNDLED_TASKS_ROOT, 'confparse', 'repo', 'confparse', 'parser.py'), 'utf8');
    expect(user).toContain(`[start of /testbed/confparse/parser.py]\n${parser.replace(/\n$/, '')}\n[end of /testbed/confparse/parser.py]`);
    expect(user).toContain(tasks.find((t) => t.instance_id === ex.instance_id)!.problem_statement.trim().slice(0, 80));
    expect(user).not.toContain('tests/test_parser.py]');
    expect(ex.target).toBe(edits(tasks.find((t) => t.instance_id === ex.instance_id)!.patch));
  });

  it('gives 1 to edits that resolve, 0 to edits that break PASS_TO_PASS or are refused, -1 to malformed ones', async () => {
    const reward = createOutcomeReward(grader);
    const ex = examples.find((e) => e.instance_id === 'swe-srl__confparse-1')!;
    const breaks = await readFile(join(BUNDLED_TASKS_ROOT, 'confparse', 'fixtures', 'breaks-p2p.patch'), 'utf8');
    const [gold, wrong, refused, malformed] = await Promise.all([
      reward(respond(ex.target), ex),
      reward(respond(edits(breaks)), ex),
      reward(failing, ex),
      reward('<think>no edit</think> just words', ex),
    ]);
    expect(gold).toEqual({ reward: 1, status: 'ok', detail: 'resolved' });
    expect(wrong).toEqual({ reward: 0, status: 'ok', detail: 'unresolved' });
    expect(refused).toEqual({ reward: 0, status: 'ok', detail: 'edit_failed' });
    expect(malformed).toMatchObject({ reward: -1, status: 'no_call' });
    const runs = grader.stats.testRuns;
    const again = await reward(`<think>Other words, same edits.</think>\n${ex.target}`, ex);
    expect(again).toEqual({ reward: 1, status: 'ok', detail: 'resolved' });
    expect(grader.stats.testRuns).toBe(runs);
  }, 300_000);

  it('an RLVR run scores groups in the sandbox, keeps the mixed ones and gives resolving samples the positive advantages', async () => {
    const out = await tempDir('rlvr');
    const script = new Map<string, string[]>(
      examples.map((e) => [e.prompt[1]!.content, [respond(e.target), failing, 'not a response', respond(e.target)]]),
    );
    const policy = new ScriptedPolicy(script);
    const config = validateConfig(TrainConfigSchema, {
      out,
      data: { train: 'given', val: 'given' },
      reward: { name: 'outcome', outcome: { tasks: 'bundled', workers: 2 } },
      rollout: { n: 4 },
      train: { steps: 2, batch_size: 2, val_every: 2, checkpoint_every: 2 },
      val: { n: 1 },
    });
    await runTraining({ config, createPolicy: async () => policy, trainExamples: examples, valExamples: examples });
    const lines = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const step1 = lines.find((l) => l.step === 1)!;
    expect(step1.reward_details).toEqual({ resolved: 4, edit_failed: 2, format_error: 2 });
    expect(step1.kept_fraction).toBe(1);
    expect(lines.find((l) => l.step === 2)!.val_reward_details).toEqual({ resolved: 2 });
    const adv = policy.updates[0]!.samples.map((s) => Math.sign(s.advantage));
    expect(adv).toEqual([1, -1, -1, 1, 1, -1, -1, 1]);
  }, 300_000);
});
