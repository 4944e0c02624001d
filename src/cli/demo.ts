// `swe-srl demo`: the whole pipeline on its embedded defaults (bundled tasks, CPU only):
// grade gold and empty predictions -> record a scripted expert's trajectories in the sandboxes -> replay them ->
// build step-wise SRL examples from them -> oracle examples -> a short SFT warm-up (SRL steps and oracle examples) and
// GRPO steps of the tiny CPU policy -> the reference edits graded by the outcome reward -> oracle and agent
// evaluations of the trained policy -> report -> a summary of what training changed.
import { readFile } from 'node:fs/promises';
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
import { readMetrics, renderDemoSummary, summarizeDemo } from './demo-summary.ts';

const DEMO_CONFIG = fileURLToPath(new URL('../../configs/demo.yaml', import.meta.url));
// The tiny policy's starting weights: SFT on the bundled tasks' oracle examples (scripts/demo-warmstart.sh).
const WARM_START = fileURLToPath(new URL('../../configs/demo-warmstart', import.meta.url));
/** SFT warm-up steps of the demo (batches of 8 over the SRL steps and the oracle examples). */
const SFT_STEPS = 100;
/** Copies of the oracle examples in the SFT data: fewer, and learning the step format overwrites the warm start's edits. */
const ORACLE_COPIES = 4;

export interface DemoOptions {
  out: string;
  workers: string;
}

/** Runs one swe-srl command line and gives its exit code (the CLI's main, passed in by the CLI). */
export type RunCli = (argv: string[]) => Promise<number>;

export function register(program: Command, run: RunCli): void {
  program
    .command('demo')
    .description('the pipeline on the bundled tasks: grade gold/empty, record + replay expert trajectories, build SRL data, train a tiny policy')
    .option('--out <dir>', 'output folder', join('runs', 'demo'))
    .option('--workers <n>', 'sandboxes in parallel', '2')
    .action(async (o: DemoOptions) => {
      process.exitCode = await demo(o, run);
    });
}

/** Runs the demo; returns the first non-zero exit code of a stage, or 0. */
export async function demo(o: DemoOptions, run: RunCli): Promise<number> {
  // Each stage is the CLI command a user would type, so the demo exercises the same paths.
  const stage = (title: string, argv: string[]): Promise<number> => {
    console.log(`\n== ${title}\n$ swe-srl ${argv.join(' ')}`);
    return run(argv);
  };
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

  const srl = join(out, 'srl');
  for (const [title, argv] of [
    ['replay the recorded trajectories in fresh sandboxes', ['replay', trajDir, '--tasks', 'bundled', '--workers', o.workers, '--out', join(out, 'replay')]],
    ['build step-wise SRL examples', ['srl', 'build', '--trajectories', trajDir, '--tasks', 'bundled', '--out', join(srl, 'steps.jsonl'), '--val-fraction', '0.34']],
  ] as const) {
    const rc = await stage(title, [...argv]);
    if (rc !== 0) return rc;
  }

  // The oracle setting: examples for RLVR and the oracle evaluation, graded by the tests in the sandboxes.
  const oracle = join(out, 'oracle');
  let rc = await stage('build oracle examples (issue + the files to edit -> the reference edits)', [
    'oracle', 'build', '--tasks', 'bundled', '--workers', o.workers, '--out', join(oracle, 'oracle.jsonl'),
  ]);
  if (rc !== 0) return rc;

  // The tiny policy starts from the shipped warm start (it knows the bundled tasks' reference edits, not the step
  // format); the SFT warm-up teaches the one-call-per-step format on the SRL steps while the oracle examples keep
  // the edits, then GRPO trains on the SRL reward (configs/demo.yaml). Validation is on the held-out task's steps.
  const sftData = join(out, 'train', 'sft-data.jsonl');
  const [steps, oracleLines] = await Promise.all([join(srl, 'steps.jsonl'), join(oracle, 'oracle.jsonl')].map(async (f) => (await readFile(f, 'utf8')).trimEnd()));
  await writeFileAtomic(sftData, `${[steps!, ...Array<string>(ORACLE_COPIES).fill(oracleLines!)].join('\n')}\n`);
  for (const [title, argv] of [
    ['SFT warm-up of the tiny CPU policy (SRL steps + oracle examples)', ['train', '--config', DEMO_CONFIG, '--train', sftData, '--val', join(srl, 'steps.val.jsonl'), '--out', join(out, 'train', 'sft'), `init_from=${WARM_START}`, 'mode=sft', `train.steps=${SFT_STEPS}`, `train.val_every=${SFT_STEPS}`, 'train.batch_size=8', 'optimizer.lr=2e-3', 'optimizer.schedule=linear']],
    ['GRPO with the SRL reward and dynamic sampling', ['train', '--config', DEMO_CONFIG, '--train', join(srl, 'steps.jsonl'), '--val', join(srl, 'steps.val.jsonl'), '--out', join(out, 'train', 'grpo'), `init_from=${join(out, 'train', 'sft')}`]],
  ] as const) {
    rc = await stage(title, [...argv]);
    if (rc !== 0) return rc;
  }

  const examples = await loadExamples(join(oracle, 'oracle.jsonl'));
  const reference = examples.map((e) => JSON.stringify({ id: e.id, response: `<think>The reference fix.</think>\n${e.target}` }));
  await writeFileAtomic(join(oracle, 'reference.jsonl'), `${reference.join('\n')}\n`);
  rc = await stage('grade the reference edits with the outcome reward (the RLVR reward)', [
    'oracle', 'grade', '--tasks', 'bundled', '--workers', o.workers, '--examples', join(oracle, 'oracle.jsonl'),
    '--completions', join(oracle, 'reference.jsonl'), '--out', join(oracle, 'reference'),
  ]);
  if (rc !== 0) return rc;
  // Greedy decoding; the tasks are the training set, so a resolve is an edit the policy learned and reproduces.
  rc = await stage('oracle evaluation of the tiny GRPO policy (resolve rate)', [
    'evaluate', '--mode', 'oracle', '--config', DEMO_CONFIG, '--checkpoint', join(out, 'train', 'grpo'), '--tasks', 'bundled',
    '--workers', o.workers, '--examples', join(oracle, 'oracle.jsonl'), '--out', join(out, 'evaluate', 'oracle'),
  ]);
  if (rc !== 0) return rc;
  rc = await stage('end-to-end (agent) evaluation of the tiny GRPO policy', [
    'evaluate', '--mode', 'agent', '--config', DEMO_CONFIG, '--checkpoint', join(out, 'train', 'grpo'), '--tasks', 'bundled',
    '--workers', o.workers, '--max-steps', '5', '--parallel', '6', '--out', join(out, 'evaluate', 'agent'),
  ]);
  if (rc !== 0) return rc;
  const runs = ['eval/gold', 'eval/empty', 'trajectories', 'replay', 'srl', 'train/sft', 'train/grpo', 'oracle/reference', 'evaluate/oracle', 'evaluate/agent'];
  rc = await stage('one HTML report over the run folders', ['report', ...runs.map((r) => join(out, r)), '--out', join(out, 'report.html')]);
  if (rc !== 0) return rc;
  const readJson = async (f: string) => JSON.parse(await readFile(f, 'utf8'));
  const summary = summarizeDemo({
    sft: await readMetrics(join(out, 'train', 'sft')),
    grpo: await readMetrics(join(out, 'train', 'grpo')),
    oracle: await readJson(join(out, 'evaluate', 'oracle', 'summary.json')),
    agent: await readJson(join(out, 'evaluate', 'agent', 'summary.json')),
  });
  await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\n== summary (${join(out, 'summary.json')})\n${renderDemoSummary(summary, join(out, 'report.html'))}`);
  console.log(`\nDemo outputs are under ${out}.`);
  return 0;
}
