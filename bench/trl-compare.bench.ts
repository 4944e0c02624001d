// swe-srl train vs TRL's GRPOTrainer, side by side in one run: the same small Hugging Face model (the CPU test model
// after a short SFT format warm-up, exported with `swe-srl policy export`), the same SRL step examples, the same SRL
// reward (TRL scores through bench/srl-reward-lines.ts, this project's scorer), the same group size, prompts per
// step, steps, lr and loss settings (token-mean, clip 0.2, no KL, group-std advantages, no dynamic sampling, one
// update per generation, no stop strings: EOS or the token limit ends a sample in both).
// Prints one JSON document: {config, warmup, swe_srl: {steps: [{step, seconds, reward_mean, reward_std}], ...},
// trl: {...}, summary}. Step 1 of each holds its start-up costs; summary.mean_step_seconds leaves it out.
// Run: node bin/run-ts.js bench/trl-compare.bench.ts [--steps 30] [--batch 4] [--n 8] [--max-new-tokens 48]
//   [--lr 5e-4] [--warmup-steps 60] [--warmup-lr 3e-3] [--examples 32] [--seed 0] [--model DIR] [--out FILE]
import { execa } from 'execa';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultPython } from '../src/policy/python-env.ts';
import { syntheticExamples, toJsonl } from '../src/testing/synthetic-srl.ts';
import { hfTestModel } from '../test/helpers/hf-model.ts';

Object.assign(process.env, { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' });
const { values: a } = parseArgs({
  options: {
    steps: { type: 'string', default: '30' },
    batch: { type: 'string', default: '4' },
    n: { type: 'string', default: '8' },
    'max-new-tokens': { type: 'string', default: '48' },
    lr: { type: 'string', default: '5e-4' },
    'warmup-steps': { type: 'string', default: '60' },
    'warmup-lr': { type: 'string', default: '3e-3' },
    examples: { type: 'string', default: '32' },
    seed: { type: 'string', default: '0' },
    model: { type: 'string' },
    out: { type: 'string' },
  },
});
const S = { steps: Number(a.steps), batch: Number(a.batch), n: Number(a.n), maxNew: Number(a['max-new-tokens']), lr: Number(a.lr), seed: Number(a.seed) };
const dir = await mkdtemp(join(tmpdir(), 'swe-srl-trl-compare-'));
const base = a.model ?? (await hfTestModel());
const examples = syntheticExamples({ count: Number(a.examples), seed: 2 });
const trainFile = join(dir, 'steps.jsonl');
const trlFile = join(dir, 'steps.trl.jsonl');
await writeFile(trainFile, toJsonl(examples));
await writeFile(trlFile, examples.map((e) => JSON.stringify({ prompt: e.prompt, target: e.target, id: e.id })).join('\n') + '\n');

// `swe-srl ARGS...` as a user runs it; its stdout's last line is the command's JSON summary.
async function swesrl(args: string[]): Promise<unknown> {
  const r = await execa('node', ['bin/swe-srl.js', ...args], { stderr: 'inherit' });
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}
async function configFile(name: string, c: Record<string, unknown>): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, JSON.stringify(c, null, 1)); // JSON is YAML
  return file;
}
const policy = (model: string) => ({ backend: 'hf', model, threads: 1, micro_batch_size: S.batch * S.n, dtype: 'float32', device: 'cpu' });

// 1. The format warm-up (SFT), exported as a plain HF folder both trainers start from.
let t = Date.now();
const warmRun = join(dir, 'warmup');
await swesrl(['train', '-q', '--config', await configFile('warmup', {
  mode: 'sft', seed: S.seed, out: warmRun, data: { train: trainFile }, policy: policy(base),
  optimizer: { lr: Number(a['warmup-lr']) }, rollout: { max_new_tokens: S.maxNew }, train: { steps: Number(a['warmup-steps']), batch_size: 16, val_every: 0 },
})]);
const warm = join(dir, 'warm-model');
const exported = await swesrl(['policy', 'export', '--checkpoint', warmRun, '--out', warm, '--format', 'hf']);
const warmup = { steps: Number(a['warmup-steps']), seconds: (Date.now() - t) / 1000, export: exported };

// 2. swe-srl train (GRPO, policy.backend=hf) from the warm model.
const ours = join(dir, 'swe-srl');
t = Date.now();
await swesrl(['train', '-q', '--config', await configFile('srl', {
  mode: 'srl', seed: S.seed, out: ours, data: { train: trainFile }, policy: policy(warm),
  optimizer: { lr: S.lr, schedule: 'constant', grad_clip: 1 },
  rollout: { n: S.n, temperature: 1, top_p: 1, max_new_tokens: S.maxNew, stop: [] },
  advantage: { estimator: 'grpo', scale_by_std: true }, loss: { clip_low: 0.2, clip_high: 0.2, aggregation: 'token-mean', kl_coef: 0 },
  dynamic_sampling: { enabled: false }, train: { steps: S.steps, batch_size: S.batch, val_every: 0, checkpoint_every: S.steps },
})]);
interface MetricsLine { step: number; seconds: number; reward_mean: number; reward_std: number; gen_tokens: number; gen_seconds: number; train_seconds: number }
const oursTotal = (Date.now() - t) / 1000;
const lines = (await readFile(join(ours, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as MetricsLine);
const oursSteps = lines.filter((l) => l.step > 0).map((l) => ({ step: l.step, seconds: l.seconds, reward_mean: l.reward_mean, reward_std: l.reward_std, completion_tokens: l.gen_tokens, gen_seconds: l.gen_seconds, train_seconds: l.train_seconds }));

// 3. TRL's GRPOTrainer, same model, data, reward and settings.
const trlOut = join(dir, 'trl.json');
t = Date.now();
await execa(defaultPython(), [
  'bench/trl-grpo.py', '--model', warm, '--data', trlFile, '--out', trlOut, '--steps', String(S.steps), '--batch', String(S.batch),
  '--n', String(S.n), '--max-new-tokens', String(S.maxNew), '--lr', String(S.lr), '--seed', String(S.seed),
  '--reward-cmd', JSON.stringify(['node', 'bin/run-ts.js', 'bench/srl-reward-lines.ts']),
], { stderr: 'inherit', env: { OMP_NUM_THREADS: '1' } });
const trlTotal = (Date.now() - t) / 1000;
const trl = JSON.parse(await readFile(trlOut, 'utf8')) as { trl_version: string; steps: { step: number; seconds: number; reward_mean: number; reward_std: number; completion_tokens: number }[]; total_seconds: number };

const meanAfterFirst = (xs: { step: number; seconds: number }[]) => {
  const rest = xs.filter((x) => x.step > 1);
  return rest.length ? Number((rest.reduce((s, x) => s + x.seconds, 0) / rest.length).toFixed(3)) : null;
};
// The mean of a field over the first (third 0) or the last (third 2) third of the steps.
const thirdMean = <K extends string>(xs: Record<K, number>[], third: number, key: K) => {
  const k = Math.max(1, Math.floor(xs.length / 3));
  const part = third === 0 ? xs.slice(0, k) : xs.slice(xs.length - k);
  return Number((part.reduce((s, x) => s + x[key], 0) / part.length).toFixed(4));
};
// Seconds per 1000 completion tokens over steps 2.. (samples that stop early make a step cheaper in both).
const secondsPerKtok = (xs: { step: number; seconds: number; completion_tokens: number }[]) => {
  const rest = xs.filter((x) => x.step > 1);
  const tok = rest.reduce((s, x) => s + x.completion_tokens, 0);
  return tok ? Number(((1000 * rest.reduce((s, x) => s + x.seconds, 0)) / tok).toFixed(3)) : null;
};
const report = {
  config: { ...S, examples: examples.length, warmup_steps: warmup.steps, warmup_lr: Number(a['warmup-lr']), base_model: base, dir },
  host: { cpus: cpus().length, loadavg_1m_at_end: Number(loadavg()[0]!.toFixed(2)) },
  warmup,
  swe_srl: { steps: oursSteps, wall_seconds_with_startup: oursTotal },
  trl: { version: trl.trl_version, steps: trl.steps, train_seconds: trl.total_seconds, wall_seconds_with_startup: trlTotal },
  summary: {
    mean_step_seconds: { swe_srl: meanAfterFirst(oursSteps), trl: meanAfterFirst(trl.steps) },
    reward_curve: { swe_srl: oursSteps.map((s) => s.reward_mean), trl: trl.steps.map((s) => s.reward_mean) },
    // Per-step rewards of a few groups are noisy: the mean over the first and the last third of the steps.
    mean_step_seconds_last_third: { swe_srl: thirdMean(oursSteps, 2, 'seconds'), trl: thirdMean(trl.steps, 2, 'seconds') },
    seconds_per_1k_completion_tokens: { swe_srl: secondsPerKtok(oursSteps), trl: secondsPerKtok(trl.steps) },
    reward_first_third: { swe_srl: thirdMean(oursSteps, 0, 'reward_mean'), trl: thirdMean(trl.steps, 0, 'reward_mean') },
    reward_last_third: { swe_srl: thirdMean(oursSteps, 2, 'reward_mean'), trl: thirdMean(trl.steps, 2, 'reward_mean') },
  },
};
const text = JSON.stringify(report, null, 1);
if (a.out) await writeFile(a.out, `${text}\n`);
console.log(text);
