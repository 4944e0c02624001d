// The SRL -> RLVR curriculum end to end on CPU with the tiny policy and REAL sandboxes. Oracle examples of a few
// bundled tasks (issue + files -> the reference patch as editor edits); stage 1 is an SFT warm-up on those targets,
// validated with the outcome reward every few steps; the checkpoint where temperature-1 sampling resolves a MIX of
// the time (partial memorisation) starts stage 2: GRPO with the outcome reward (the responses' edits applied in a
// Docker sandbox of the task and graded by its tests: 1 resolved / 0 not / -1 malformed), against continued SFT from
// the same checkpoint for the same number of steps, both validated the same way on the same tasks. The tasks are
// trained and validated on: this is memorisation scale, a check that the curriculum's machinery works and what the
// verifiable reward does, not generalisation. GRPO's lr is the touchy knob: from a checkpoint at ~40% resolved, 5e-4
// collapses the memorised edits within 2 steps (Adam moves every weight by ~lr on a 16-sample gradient) and 2e-4
// erodes them; 5e-5 (the default) holds them. Continued SFT starts a fresh Adam too (init_from loads weights only):
// at the warm-up's 5e-3 it collapses to 0% at once, so its default is GRPO's 5e-5 (same step size); 5e-4 also holds.
// Prints one JSON document on stdout (progress on stderr): {config, warmup, runs: [{seed, method, val: [{step,
// resolve_rate, reward, format_error_rate, details, per_task}], train: {...}, grading, seconds}], summary}.
// Run: node bin/run-ts.js bench/rlvr-curriculum.bench.ts [--ids swe-srl__jsonptr-1,swe-srl__textkit-1] [--seeds 0]
//   [--warmup-steps 150] [--warmup-val-from 90] [--warmup-val-every 10] [--init-step N] [--steps 10] [--val-every 5]
//   [--val-n 8] [--grpo-lr 5e-5] [--sft-lr 5e-5] [--max-tries 3] [--out DIR]
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvRegistry } from '../src/config/envs.ts';
import { validateConfig } from '../src/config/load.ts';
import { TrainConfigSchema } from '../src/config/train.ts';
import { LocalImages } from '../src/harness/image-provider.ts';
import { buildOracleExamples } from '../src/oracle/build.ts';
import { OutcomeGrader } from '../src/oracle/outcome.ts';
import { createOutcomeReward } from '../src/oracle/outcome-reward.ts';
import { DockerEngine } from '../src/sandbox/docker-engine.ts';
import { loadBundledTasks } from '../src/tasks/bundled.ts';
import { checkpointDir } from '../src/train/checkpoint.ts';
import { runTraining } from '../src/train/loop.ts';
import { type RewardFn, type RewardResult } from '../src/reward/types.ts';
import { registerReward } from '../src/reward/registry.ts';
import { DockerSandboxProvider } from '../src/harness/sandbox-provider.ts';

Object.assign(process.env, { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' });
const { values: a } = parseArgs({
  options: {
    /** Bundled tasks with short reference patches (the tiny model must emit every byte of the edits). */
    ids: { type: 'string', default: 'swe-srl__jsonptr-1,swe-srl__textkit-1' },
    seeds: { type: 'string', default: '0' },
    methods: { type: 'string', default: 'rlvr,sft' },
    'warmup-steps': { type: 'string', default: '150' },
    'warmup-lr': { type: 'string', default: '5e-3' },
    /** Validate (and checkpoint) the warm-up every K steps from this step on: the candidate starting points. */
    'warmup-val-from': { type: 'string', default: '90' },
    'warmup-val-every': { type: 'string', default: '10' },
    /** Start stage 2 from this warm-up step (default: the candidate with the most mixed resolve rate). */
    'init-step': { type: 'string' },
    /** Skip stage 1 and start stage 2 from this checkpoint folder (e.g. a previous run's warmup/checkpoints/step-N). */
    'init-from': { type: 'string' },
    /** The resolve-rate window a starting point must fall in. */
    'mix-low': { type: 'string', default: '0.1' },
    'mix-high': { type: 'string', default: '0.7' },
    steps: { type: 'string', default: '10' },
    'val-every': { type: 'string', default: '5' },
    'val-n': { type: 'string', default: '8' },
    'grpo-lr': { type: 'string', default: '5e-5' },
    'sft-lr': { type: 'string', default: '5e-5' },
    'sft-batch': { type: 'string', default: '4' },
    'max-tries': { type: 'string', default: '3' },
    'd-model': { type: 'string', default: '128' },
    'max-seq-len': { type: 'string', default: '832' },
    'max-new-tokens': { type: 'string', default: '720' },
    'top-p': { type: 'string', default: '0.95' },
    workers: { type: 'string', default: '2' },
    out: { type: 'string' },
  },
});
const ids = a.ids.split(',');
const seeds = a.seeds.split(',').map(Number);
const steps = Number(a.steps);
const valN = Number(a['val-n']);
const dir = a.out ?? (await mkdtemp(join(tmpdir(), 'swe-srl-rlvr-bench-')));
const log = (m: string) => console.error(m);
const t0 = Date.now();
const since = (t: number) => (Date.now() - t) / 1000;

const TINY = { d_model: Number(a['d-model']), n_layers: 2, n_heads: 4, max_seq_len: Number(a['max-seq-len']), init_seed: 0 };
const ROLLOUT = { n: 8, temperature: 1, top_p: Number(a['top-p']), max_new_tokens: Number(a['max-new-tokens']) };
// Small prompt budgets: the tiny worker keeps the prompt's tail (max_seq_len - max_new_tokens tokens), which must
// still say which task it is (the end of the task's file and the closing instruction).
const PROMPT = { maxFilesChars: 1500, maxFileChars: 1500, maxIssueChars: 400 };

// ---- the tasks, their oracle examples, one grader for every run ------------------------------------------------
const engine = new DockerEngine();
await engine.ping();
const tasks = (await loadBundledTasks()).filter((t) => ids.includes(t.instance_id));
if (tasks.length !== ids.length) throw new Error(`unknown task ids: ${ids.filter((i) => !tasks.some((t) => t.instance_id === i)).join(', ')}`);
const images = new LocalImages({ engine, envs: await loadEnvRegistry() });
const tb = Date.now();
const { examples, warnings } = await buildOracleExamples({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks, prompt: PROMPT });
const buildSeconds = since(tb);
for (const w of warnings) log(`warning: ${w}`);
log(`oracle examples: ${examples.map((e) => `${e.instance_id} target=${e.target.length} chars`).join(', ')} (${buildSeconds.toFixed(1)} s)`);
const grader = new OutcomeGrader({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks, workers: Number(a.workers) });
const outcome = createOutcomeReward(grader);

interface Scored {
  instance_id: string;
  result: RewardResult;
}
/** The outcome reward, timed and recorded: one wrapper for training rollouts, one (registered) for validation. */
function recorded(sink: Scored[], time: { calls: number; seconds: number }): RewardFn {
  return async (response, example) => {
    const t = performance.now();
    const result = await outcome(response, example);
    time.calls++;
    time.seconds += (performance.now() - t) / 1000;
    sink.push({ instance_id: example.instance_id, result });
    return result;
  };
}
const valLog: Scored[] = [];
const trainLog: Scored[] = [];
const gradeTime = { calls: 0, seconds: 0 };
registerReward('outcome-bench-val', () => recorded(valLog, gradeTime));
const trainReward = recorded(trainLog, gradeTime);

function config(o: Record<string, unknown>) {
  return validateConfig(TrainConfigSchema, {
    data: { train: 'given', val: 'given' },
    policy: { backend: 'tiny', tiny: TINY, threads: 1, micro_batch_size: 16 },
    rollout: ROLLOUT,
    reward: { name: 'outcome', outcome: { tasks: 'bundled', workers: Number(a.workers) } },
    val: { n: valN, temperature: 1, seed: 11, reward: 'outcome-bench-val' },
    resume: false,
    ...o,
  });
}

async function metrics(out: string): Promise<Record<string, unknown>[]> {
  return (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

const rate = (xs: Scored[], p: (s: Scored) => boolean) => (xs.length ? xs.filter(p).length / xs.length : 0);
const resolved = (s: Scored) => s.result.detail === 'resolved';
function perTask(xs: Scored[]): Record<string, number> {
  return Object.fromEntries(ids.map((id) => [id, rate(xs.filter((s) => s.instance_id === id), resolved)]));
}

interface ValPoint {
  step: number;
  resolve_rate: number;
  reward: number;
  format_error_rate: number;
  details: Record<string, number>;
  per_task: Record<string, number>;
}
/** The run's validation curve: metrics lines with val_reward, each matched with its slice of the validation log. */
async function valCurve(out: string, from: number): Promise<ValPoint[]> {
  const size = examples.length * valN;
  const lines = (await metrics(out)).filter((l) => typeof l.val_reward === 'number');
  return lines.map((l, i) => {
    const chunk = valLog.slice(from + i * size, from + (i + 1) * size);
    return {
      step: l.step as number,
      resolve_rate: rate(chunk, resolved),
      reward: l.val_reward as number,
      format_error_rate: l.val_format_error_rate as number,
      details: (l.val_reward_details as Record<string, number> | undefined) ?? {},
      per_task: perTask(chunk),
    };
  });
}

// ---- stage 1: SFT warm-up on the oracle targets, candidate checkpoints validated with the outcome reward --------
const warmupSteps = Number(a['warmup-steps']);
const valFrom = Number(a['warmup-val-from']);
const valEvery = Number(a['warmup-val-every']);
const low = Number(a['mix-low']);
const high = Number(a['mix-high']);

/** Stage 1: the warm-up, its candidate curve, and the step whose checkpoint starts stage 2. */
async function warmUp(): Promise<{ curve: ValPoint[]; initStep: number; init: string; seconds: number }> {
  const warmOut = join(dir, 'warmup');
  const tw = Date.now();
  // Validation runs at multiples of val_every; the early ones (nothing resolves yet) are skipped by a first run up
  // to valFrom without validation, then a resumed run validating every valEvery steps.
  await runTraining({
    config: config({
      mode: 'sft',
      seed: 0,
      out: warmOut,
      optimizer: { lr: Number(a['warmup-lr']) },
      train: { steps: valFrom, batch_size: Number(a['sft-batch']), val_every: 0, checkpoint_every: valFrom, keep_checkpoints: 1000 },
    }),
    reward: trainReward,
    trainExamples: examples,
    valExamples: [],
  });
  const warmValStart = valLog.length;
  await runTraining({
    config: config({
      mode: 'sft',
      seed: 0,
      out: warmOut,
      resume: true,
      optimizer: { lr: Number(a['warmup-lr']) },
      train: { steps: warmupSteps, batch_size: Number(a['sft-batch']), val_every: valEvery, checkpoint_every: valEvery, keep_checkpoints: 1000 },
    }),
    reward: trainReward,
    trainExamples: examples,
    valExamples: examples,
    log: (m) => m.includes('val_reward') && log(`warm-up ${m}`),
  });
  const curve = (await valCurve(warmOut, warmValStart)).filter((p) => p.step > valFrom);
  const seconds = since(tw);
  // Most mixed: most tasks strictly between 0 and 1 (a GRPO group needs both outcomes), then nearest the middle.
  const mixed = (p: ValPoint) => Object.values(p.per_task).filter((r) => r > 0 && r < 1).length;
  const mid = (low + high) / 2;
  const candidates = curve.filter((p) => p.resolve_rate >= low && p.resolve_rate <= high && p.step % valEvery === 0);
  candidates.sort((x, y) => mixed(y) - mixed(x) || Math.abs(x.resolve_rate - mid) - Math.abs(y.resolve_rate - mid));
  const initStep = a['init-step'] ? Number(a['init-step']) : candidates[0]?.step;
  if (initStep === undefined) {
    console.log(JSON.stringify({ error: `no warm-up checkpoint resolves between ${low} and ${high} of its samples`, warmup: { curve, seconds }, dir }, null, 1));
    process.exit(1);
  }
  log(`warm-up: ${seconds.toFixed(0)} s; stage 2 starts from step ${initStep}`);
  return { curve, initStep, init: checkpointDir(warmOut, initStep), seconds };
}
const warm = a['init-from'] ? { curve: [], initStep: null, init: a['init-from'], seconds: 0 } : await warmUp();
const init = warm.init;

// ---- stage 2: GRPO on the outcome reward vs continued SFT, from the same checkpoint -----------------------------
const METHODS = {
  rlvr: {
    mode: 'srl',
    optimizer: { lr: Number(a['grpo-lr']) },
    dynamic_sampling: { enabled: true, max_tries: Number(a['max-tries']) },
    train: { steps, batch_size: examples.length, val_every: Number(a['val-every']), checkpoint_every: steps },
  },
  sft: {
    mode: 'sft',
    optimizer: { lr: Number(a['sft-lr']) },
    train: { steps, batch_size: Number(a['sft-batch']), val_every: Number(a['val-every']), checkpoint_every: steps },
  },
} as const;

const runs: { seed: number; method: string; val: ValPoint[]; seconds: number; [k: string]: unknown }[] = [];
for (const seed of seeds) {
  for (const [method, m] of Object.entries(METHODS).filter(([k]) => a.methods.split(',').includes(k))) {
    const out = join(dir, `${method}-seed${seed}`);
    const t = Date.now();
    const before = { ...grader.stats, calls: gradeTime.calls, seconds: gradeTime.seconds };
    const valStart = valLog.length;
    const trainStart = trainLog.length;
    await runTraining({
      config: config({ ...m, seed, out, init_from: init }),
      reward: trainReward,
      trainExamples: examples,
      valExamples: examples,
      log: (line) => log(`${method} seed ${seed}: ${line}`),
    });
    const lines = (await metrics(out)).filter((l) => typeof l.step === 'number' && l.step > 0);
    const kept = lines.map((l) => l.kept_fraction).filter((k): k is number => typeof k === 'number');
    const rolled = trainLog.slice(trainStart);
    const run = {
      seed,
      method,
      val: await valCurve(out, valStart),
      train:
        method === 'rlvr'
          ? {
              kept_fraction: kept,
              kept_fraction_mean: kept.length ? kept.reduce((x, y) => x + y, 0) / kept.length : null,
              skipped_steps: lines.filter((l) => 'skipped' in l).length,
              reward_mean: lines.map((l) => l.reward_mean),
              reward_details: lines.map((l) => l.reward_details ?? {}),
              samples: rolled.length,
              resolve_rate: rate(rolled, resolved),
              per_task: perTask(rolled),
              gen_tokens: lines.reduce((s, l) => s + ((l.gen_tokens as number | undefined) ?? 0), 0),
            }
          : { loss: lines.map((l) => l.loss) },
      grading: {
        reward_calls: gradeTime.calls - before.calls,
        reward_seconds: gradeTime.seconds - before.seconds,
        sandboxes: grader.stats.graded - before.graded,
        cache_hits: grader.stats.cached - before.cached,
        test_runs: grader.stats.testRuns - before.testRuns,
      },
      seconds: since(t),
    };
    log(JSON.stringify({ method, seed, val: run.val.map((v) => [v.step, v.resolve_rate]) }));
    runs.push(run);
  }
}

const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
const summary = Object.keys(METHODS).filter((k) => runs.some((r) => r.method === k)).map((method) => {
  const mine = runs.filter((r) => r.method === method);
  return {
    method,
    start_resolve_rate_mean: mean(mine.map((r) => r.val[0]!.resolve_rate)),
    final_resolve_rate_mean: mean(mine.map((r) => r.val[r.val.length - 1]!.resolve_rate)),
    final_format_error_rate_mean: mean(mine.map((r) => r.val[r.val.length - 1]!.format_error_rate)),
    seconds_mean: mean(mine.map((r) => r.seconds)),
  };
});
console.log(
  JSON.stringify(
    {
      config: {
        ids,
        targets_chars: Object.fromEntries(examples.map((e) => [e.instance_id, e.target.length])),
        seeds,
        tiny: TINY,
        rollout: ROLLOUT,
        prompt: PROMPT,
        warmup: { steps: warmupSteps, lr: Number(a['warmup-lr']), batch: Number(a['sft-batch']), val_from: valFrom, val_every: valEvery },
        stage2: { steps, val_every: Number(a['val-every']), val_n: valN, grpo_lr: Number(a['grpo-lr']), sft_lr: Number(a['sft-lr']), grpo_prompts_per_step: examples.length, sft_batch: Number(a['sft-batch']), max_tries: Number(a['max-tries']) },
        note: 'trained and validated on the same tasks (memorisation scale); resolve_rate = resolved / validation samples at temperature 1',
      },
      oracle_build_seconds: buildSeconds,
      warmup: { curve: warm.curve, init_step: warm.initStep, init_from: init, seconds: warm.seconds },
      runs,
      summary,
      grader: { ...grader.stats, reward_calls: gradeTime.calls, reward_seconds: gradeTime.seconds },
      total_seconds: since(t0),
      dir,
    },
    null,
    1,
  ),
);
