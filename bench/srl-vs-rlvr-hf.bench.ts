// SRL (dense similarity reward) vs RLVR-like (sparse exact match) vs SFT-only on the hf backend with REAL step
// examples: the comparison of bench/srl-vs-rlvr.bench.ts (shared parts in bench/srl-vs-rlvr-lib.ts) on the small
// Qwen2 test model (swe-srl policy make-test-model) instead of the tiny byte-level policy.
//
// Data: every trajectory under ../shared/data/trajectories (all formats that load) built into step examples as
// `swe-srl srl build` does, with issue texts from ../shared/data/swe-bench-{verified,lite}.json; held out BY INSTANCE
// (--val-fraction, srl build's id hash), so held-out prompts are issues the policy never trained on. Prompts are kept
// short for CPU: a short system message (role and response format, no tool table), --context-steps previous steps,
// each output cut to --max-observation-chars, the whole prompt to --max-prompt-chars; steps whose expert call is longer
// than --max-target-chars are left out (a call longer than max_new_tokens cannot be produced). Needs ../shared: it
// exits 2 saying so when the folder is absent.
//
// Method: an SFT warm-up on the training prompts paired with other steps' calls (shuffledTargets: the call format and
// action vocabulary, not which call answers which prompt), checkpoint at --init-step; from it, per seed, GRPO on the
// dense SRL reward, GRPO on exact match (one sampling round per step for both: equal generation), and continued SFT
// on the same examples with their real targets; all validated on the held-out steps with the dense reward.
// Writes --out/srl-vs-rlvr-hf.json (per method, seed, validation step: val reward, format-error rate, exact-match
// rate; kept fraction, generation counts, seconds) and --out/srl-vs-rlvr-hf.md (the tables; the committed one in
// bench/results adds a reading by hand).
// Run (CPU: 868 s with these defaults on 2 cores shared with other work):
//   node bin/run-ts.js bench/srl-vs-rlvr-hf.bench.ts [--seeds 0,1,2] [--steps 45] [--val-every 15] [--out bench/results]
//   [the sizes below, in parseArgs]
// Larger, on a GPU: point --model at a real coder model folder (e.g. Qwen2.5-Coder-0.5B/7B-Instruct downloaded
//   beforehand) and raise the sizes, e.g. --model DIR --device cuda --dtype bfloat16 --system full --context-steps 2
//   --max-observation-chars 4000 --max-prompt-chars 24000 --max-target-chars 4000 --max-new-tokens 1024 --n 8
//   --batch-size 16 --steps 200 --val-every 20 --held-out 200 --grpo-lr 1e-6 --sft-lr 1e-5 --warmup-steps 0 (a real
//   instruct model already emits calls: --warmup-steps 0 starts every method from the model itself). Budget the
//   prompt in tokens of that model: rollout prompts longer than its context are cut from the front by the worker.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { validateConfig } from '../src/config/load.ts';
import { TrainConfigSchema } from '../src/config/train.ts';
import { buildDataset, type TaskInfo } from '../src/srl/dataset.ts';
import { renderCall } from '../src/srl/action-xml.ts';
import { TESTBED } from '../src/srl/paths.ts';
import { loadTaskSet } from '../src/tasks/task-set.ts';
import { shuffledTargets } from '../src/testing/synthetic-srl.ts';
import type { SrlExample } from '../src/train/examples.ts';
import { loadTrajectories } from '../src/trajectories/load.ts';
import { hfTestModel } from '../test/helpers/hf-model.ts';
import { compareMethods, LABELLED_SRL, markdownTables, methods, summarize, warmUp } from './srl-vs-rlvr-lib.ts';

Object.assign(process.env, { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' });
const SHARED = resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const { values: a } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0,1,2' },
    steps: { type: 'string', default: '45' },
    'val-every': { type: 'string', default: '15' },
    'batch-size': { type: 'string', default: '4' },
    /** Samples per prompt (the GRPO group). */
    n: { type: 'string', default: '4' },
    'max-new-tokens': { type: 'string', default: '64' },
    'warmup-steps': { type: 'string', default: '120' },
    /** Start from the warm-up's checkpoint at this step (default: its last step). */
    'init-step': { type: 'string' },
    'warmup-lr': { type: 'string', default: '6e-3' },
    'grpo-lr': { type: 'string', default: '1e-3' },
    'sft-lr': { type: 'string', default: '1e-3' },
    /** Held-out steps validated (an even spread over the held-out instances' steps), and samples per step. */
    'held-out': { type: 'string', default: '32' },
    'val-n': { type: 'string', default: '4' },
    'val-fraction': { type: 'string', default: '0.25' },
    'context-steps': { type: 'string', default: '1' },
    'max-observation-chars': { type: 'string', default: '200' },
    'max-prompt-chars': { type: 'string', default: '900' },
    'max-target-chars': { type: 'string', default: '200' },
    /** short: role and response format only; full: the default system message with the tool table. */
    system: { type: 'string', default: 'short' },
    model: { type: 'string' },
    layers: { type: 'string', default: '2' },
    hidden: { type: 'string', default: '64' },
    device: { type: 'string', default: 'cpu' },
    dtype: { type: 'string', default: 'float32' },
    trajectories: { type: 'string', default: join(SHARED, 'trajectories') },
    tasks: { type: 'string', default: [join(SHARED, 'swe-bench-verified.json'), join(SHARED, 'swe-bench-lite.json')].join(',') },
    /** Where the JSON and Markdown results go (none: print the JSON only). */
    out: { type: 'string' },
    /** Where the runs go (default: a temporary folder). */
    work: { type: 'string' },
  },
});
if (!existsSync(a.trajectories)) {
  console.error(`srl-vs-rlvr-hf: no trajectories at ${a.trajectories}: this bench needs the shared data (../shared/data next to the project) or --trajectories DIR and --tasks FILES`);
  process.exit(2);
}
const num = (k: keyof typeof a) => Number(a[k]);
const seeds = a.seeds!.split(',').map(Number);
const initStep = Number(a['init-step'] ?? num('warmup-steps'));
const dir = a.work ?? (await mkdtemp(join(tmpdir(), 'swe-srl-bench-hf-')));
// The role and the response format in a few lines (the default system message is ~1000 tokens of this tokenizer).
const SHORT_SYSTEM = [
  `You resolve an issue in the repository at ${TESTBED}, one tool call per reply (tools: bash, str_replace_editor, submit).`,
  'Reply <think>why</think> then exactly one call:',
  renderCall({ tool: 'bash', args: { command: 'ls /testbed' } }),
].join('\n');

// ---- data ---------------------------------------------------------------------------------------------------------
const t0 = Date.now();
const loaded = await loadTrajectories([a.trajectories!]);
const tasks = new Map<string, TaskInfo>();
for (const f of a.tasks!.split(',').filter((f) => existsSync(f)))
  for (const t of await loadTaskSet(f)) if (!tasks.has(t.instance_id)) tasks.set(t.instance_id, { problem_statement: t.problem_statement, repo: t.repo });
const built = buildDataset({
  trajectories: loaded.trajectories,
  tasks,
  options: {
    contextSteps: a['context-steps'] === 'all' ? 'all' : num('context-steps'),
    maxObservationChars: num('max-observation-chars'),
    maxPromptChars: num('max-prompt-chars'),
    dropSubmit: false,
    dropUnresolved: false,
    valFraction: num('val-fraction'),
    ...(a.system === 'short' ? { systemPrompt: SHORT_SYSTEM } : {}),
  },
});
const fits = built.examples.filter((e) => e.target.length <= num('max-target-chars'));
const asExample = (e: (typeof fits)[number]): SrlExample => ({ id: e.id, instance_id: e.instanceId, step: e.step, prompt: e.prompt, target: e.target });
const train = fits.filter((e) => e.split === 'train').map(asExample);
const allHeldOut = fits.filter((e) => e.split === 'val').map(asExample);
const heldOut = spread(allHeldOut, num('held-out'));
const formats = (split: string) => countBy(fits.filter((e) => e.split === split), (e) => e.format);
const data = {
  trajectories: loaded.trajectories.length,
  load_errors: loaded.errors.length,
  examples_built: built.examples.length,
  target_too_long: built.examples.length - fits.length,
  train: { examples: train.length, instances: new Set(train.map((e) => e.instance_id)).size, formats: formats('train') },
  held_out: {
    examples: allHeldOut.length,
    validated: heldOut.length,
    instances: new Set(allHeldOut.map((e) => e.instance_id)).size,
    formats: formats('val'),
    unseen: allHeldOut.every((e) => !train.some((t) => t.instance_id === e.instance_id)),
  },
  prompt_chars_p50: median(fits.map((e) => e.prompt.reduce((n, m) => n + m.content.length, 0))),
  target_chars_p50: median(fits.map((e) => e.target.length)),
};
console.error(`data: ${JSON.stringify(data)}`);

// ---- runs ---------------------------------------------------------------------------------------------------------
const model = a.model ?? (await hfTestModel({ layers: num('layers'), hidden: num('hidden') }));
const ROLLOUT = { n: num('n'), temperature: 1, top_p: 0.95, max_new_tokens: num('max-new-tokens'), stop: ['</function>'] };
function config(o: Record<string, unknown>) {
  return validateConfig(TrainConfigSchema, {
    data: { train: 'given', val: 'given' },
    policy: { backend: 'hf', model, dtype: a.dtype, device: a.device, threads: 1, micro_batch_size: 32 },
    rollout: ROLLOUT,
    val: { n: num('val-n'), temperature: 1, seed: 11, reward: LABELLED_SRL },
    // One sampling round per step: both RL methods generate exactly batch_size groups per step.
    dynamic_sampling: { max_tries: 1 },
    ...o,
  });
}
const log = (m: string) => console.error(m);
const warmup =
  num('warmup-steps') > 0
    ? await warmUp({ config, out: join(dir, 'warmup'), examples: shuffledTargets(train), steps: num('warmup-steps'), initStep, lr: num('warmup-lr'), batchSize: 8, log })
    : undefined;
const warmupSeconds = (Date.now() - t0) / 1000;
console.error(`warm-up: ${warmupSeconds.toFixed(0)} s`);
const runs = await compareMethods({
  config,
  dir,
  init: warmup,
  seeds,
  methods: methods({ grpoLr: num('grpo-lr'), sftLr: num('sft-lr') }),
  steps: num('steps'),
  batchSize: num('batch-size'),
  valEvery: num('val-every'),
  train,
  heldOut,
  shareStartVal: true,
  log,
});

// ---- results ------------------------------------------------------------------------------------------------------
const summary = summarize(runs);
const result = {
  version: 1,
  config: { ...a, seeds, init_step: initStep, model, rollout: ROLLOUT, max_tries: 1 },
  data,
  warmup: { seconds: warmupSeconds, start: runs[0]!.val[0] },
  runs,
  summary,
  total_seconds: (Date.now() - t0) / 1000,
  dir,
};
console.log(JSON.stringify(result, null, 1));
if (a.out) {
  await mkdir(a.out, { recursive: true });
  await writeFile(join(a.out, 'srl-vs-rlvr-hf.json'), `${JSON.stringify(result, null, 1)}\n`);
  await writeFile(join(a.out, 'srl-vs-rlvr-hf.md'), markdownTables(runs));
}

/** n examples spread evenly over the list (every instance's steps are contiguous in it). */
function spread<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

function median(xs: number[]): number {
  return [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
}
