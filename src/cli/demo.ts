// `swe-srl demo`: the whole pipeline on its embedded defaults (bundled tasks, CPU only):
// grade gold and empty predictions -> record a scripted expert's trajectories in the sandboxes -> replay them ->
// build step-wise SRL examples from them -> a short SFT warm-up and GRPO steps of the tiny CPU policy on them ->
// oracle examples, the reference edits graded by the outcome reward, oracle and agent evaluations of the tiny policy.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadEnvRegistry } from '../config/envs.ts';
import { LocalImages } from '../harness/image-provider.ts';
import { DockerSandboxProvider } from '../harness/sandbox-provider.ts';
import { DockerEngine } from '../sandbox/docker-engine.ts';
import { loadBundledTasks } from '../tasks/bundled.ts';
import { recordExpertTrajectories } from '../testing/record-expert.ts';
import { loadExamples } from '../train/examples.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { main } from './main.ts';

const TINY_CONFIG = fileURLToPath(new URL('../../configs/tiny-cpu.yaml', import.meta.url));

export interface DemoOptions {
  out: string;
  workers: string;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('the pipeline on the bundled tasks: grade gold/empty, record + replay expert trajectories, build SRL data, train a tiny policy')
    .option('--out <dir>', 'output folder', join('runs', 'demo'))
    .option('--workers <n>', 'sandboxes in parallel', '2')
    .action(async (o: DemoOptions) => {
      process.exitCode = await demo(o);
    });
}

// Each stage is the CLI command a user would type, so the demo exercises the same paths.
async function stage(title: string, argv: string[]): Promise<number> {
  console.log(`\n== ${title}\n$ swe-srl ${argv.join(' ')}`);
  return main(argv);
}

/** Runs the demo; returns the first non-zero exit code of a stage, or 0. */
export async function demo(o: DemoOptions): Promise<number> {
  const out = resolve(o.out);
  for (const pred of ['gold', 'empty']) {
    const rc = await stage(`grade ${pred} predictions of the bundled tasks`, [
      'eval', '--tasks', 'bundled', '--predictions', pred, '--workers', o.workers, '--run-id', pred, '--out', join(out, 'eval', pred),
    ]);
    if (rc !== 0) return rc;
  }

  console.log('\n== record a scripted expert (gold fix as editor calls, a test run, submit) in each sandbox');
  const engine = new DockerEngine();
  const trajDir = join(out, 'trajectories');
  await recordExpertTrajectories({
    tasks: await loadBundledTasks(),
    sandboxes: new DockerSandboxProvider({ engine, images: new LocalImages({ engine, envs: await loadEnvRegistry() }) }),
    outDir: trajDir,
    onDone: (r) => console.log(`recorded ${r.instanceId}: ${r.steps} steps -> ${r.file}`),
  });

  const steps = [
    ['replay the recorded trajectories in fresh sandboxes', ['replay', trajDir, '--tasks', 'bundled', '--workers', o.workers, '--out', join(out, 'replay')]],
    ['build step-wise SRL examples', ['srl', 'build', '--trajectories', trajDir, '--tasks', 'bundled', '--out', join(out, 'srl', 'steps.jsonl'), '--val-fraction', '0.34']],
    // The tiny byte model (160-byte context, a few dozen examples) only shows the loop running: metrics,
    // checkpoints, dynamic sampling. Evidence that GRPO learns is in test/train/learning.test.ts and bench/.
    ['SFT warm-up of the tiny CPU policy', ['train', '--config', TINY_CONFIG, '--train', join(out, 'srl', 'steps.jsonl'), '--val', join(out, 'srl', 'steps.val.jsonl'), '--out', join(out, 'train', 'sft'), 'mode=sft', 'train.steps=30', 'train.val_every=15', 'train.batch_size=8', 'optimizer.lr=6e-3']],
    ['GRPO with the SRL reward and dynamic sampling', ['train', '--config', TINY_CONFIG, '--train', join(out, 'srl', 'steps.jsonl'), '--val', join(out, 'srl', 'steps.val.jsonl'), '--out', join(out, 'train', 'grpo'), `init_from=${join(out, 'train', 'sft')}`, 'train.steps=3', 'train.val_every=3', 'train.batch_size=4', 'rollout.n=4', 'dynamic_sampling.max_tries=2']],
  ] as const;
  for (const [title, argv] of steps) {
    const rc = await stage(title, [...argv]);
    if (rc !== 0) return rc;
  }

  // The oracle setting: examples for RLVR and the oracle evaluation, graded by the tests in the sandboxes.
  const oracle = join(out, 'oracle');
  let rc = await stage('build oracle examples (issue + the files to edit -> the reference edits)', [
    'oracle', 'build', '--tasks', 'bundled', '--workers', o.workers, '--out', join(oracle, 'oracle.jsonl'),
  ]);
  if (rc !== 0) return rc;
  const examples = await loadExamples(join(oracle, 'oracle.jsonl'));
  const reference = examples.map((e) => JSON.stringify({ id: e.id, response: `<think>The reference fix.</think>\n${e.target}` }));
  await writeFileAtomic(join(oracle, 'reference.jsonl'), `${reference.join('\n')}\n`);
  rc = await stage('grade the reference edits with the outcome reward (the RLVR reward)', [
    'oracle', 'grade', '--tasks', 'bundled', '--workers', o.workers, '--examples', join(oracle, 'oracle.jsonl'),
    '--completions', join(oracle, 'reference.jsonl'), '--out', join(oracle, 'reference'),
  ]);
  if (rc !== 0) return rc;
  // The tiny byte model cannot fix anything: these show the evaluations running, not a result.
  rc = await stage('oracle evaluation of the tiny GRPO policy (resolve rate)', [
    'evaluate', '--mode', 'oracle', '--config', TINY_CONFIG, '--checkpoint', join(out, 'train', 'grpo'), '--tasks', 'bundled',
    '--workers', o.workers, '--examples', join(oracle, 'oracle.jsonl'), '--out', join(out, 'evaluate', 'oracle'), 'rollout.max_new_tokens=64',
  ]);
  if (rc !== 0) return rc;
  rc = await stage('end-to-end (agent) evaluation of the tiny GRPO policy', [
    'evaluate', '--mode', 'agent', '--config', TINY_CONFIG, '--checkpoint', join(out, 'train', 'grpo'), '--tasks', 'bundled',
    '--workers', o.workers, '--max-steps', '4', '--parallel', '6', '--out', join(out, 'evaluate', 'agent'), 'rollout.max_new_tokens=64',
  ]);
  if (rc !== 0) return rc;
  const runs = ['eval/gold', 'eval/empty', 'trajectories', 'replay', 'srl', 'train/sft', 'train/grpo', 'oracle/reference', 'evaluate/oracle', 'evaluate/agent'];
  rc = await stage('one HTML report over the run folders', ['report', ...runs.map((r) => join(out, r)), '--out', join(out, 'report.html')]);
  if (rc !== 0) return rc;
  console.log(`\nDemo outputs are under ${out}; the report: ${join(out, 'report.html')}`);
  return 0;
}
