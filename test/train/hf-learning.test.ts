// LEARNING TEST for the hf backend (slow, ~2 min on 2 CPU cores): GRPO with the dense SRL reward raises the mean
// reward of the small Qwen2 test model (test/helpers/hf-model.ts) on its training prompts, with the recipe shipped as
// configs/hf-cpu.yaml. As in learning.test.ts for the tiny model: an SFT warm-up on prompts paired with other
// prompts' actions (shuffledTargets) teaches the call format and the action vocabulary but not which action answers
// which prompt; GRPO starts from its midpoint checkpoint, where format errors are still common. Seeds are fixed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { shuffledTargets, syntheticExamples } from '../../src/testing/synthetic-srl.ts';
import { checkpointDir } from '../../src/train/checkpoint.ts';
import { runTraining } from '../../src/train/loop.ts';
import { hfTestModel } from '../helpers/hf-model.ts';

Object.assign(process.env, { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' });
const RECIPE = join(import.meta.dirname, '..', '..', 'configs', 'hf-cpu.yaml');
const WARMUP_STEPS = Number(process.env.HF_WARMUP_STEPS ?? 120);
const FROM_STEP = Number(process.env.HF_FROM_STEP ?? 60);
const WARMUP = ['mode=sft', 'optimizer.lr=3e-3', 'optimizer.schedule=linear', `train.steps=${WARMUP_STEPS}`, 'train.batch_size=16', 'train.val_every=0', `train.checkpoint_every=${FROM_STEP}`];
const prompts = syntheticExamples({ count: 24, seed: 2 });

let dir = '';
let model = '';

function recipe(out: string, overrides: string[]) {
  return loadConfig(TrainConfigSchema, { file: RECIPE, overrides, strings: { 'policy.model': model, out, 'data.train': 'unused', 'data.val': 'unused' } });
}

describe('learning (hf backend, small Qwen2 test model, CPU)', () => {
  beforeAll(async () => {
    model = await hfTestModel();
    dir = await mkdtemp(join(tmpdir(), 'swe-srl-hf-learning-'));
    await runTraining({
      config: await recipe(join(dir, 'warmup'), [...WARMUP, `train.keep_checkpoints=${WARMUP_STEPS / FROM_STEP}`]),
      trainExamples: shuffledTargets(syntheticExamples({ count: 256, seed: 1 })),
      valExamples: [],
    });
  }, 300_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('GRPO with the dense reward (configs/hf-cpu.yaml) raises the mean reward on its training prompts', async () => {
    const train = prompts.slice(0, 16);
    const out = join(dir, 'grpo');
    const summary = await runTraining({
      config: await recipe(out, [`init_from=${checkpointDir(join(dir, 'warmup'), FROM_STEP)}`, 'val.seed=11']),
      trainExamples: train,
      valExamples: train,
    });
    const lines = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    const before = lines[0]!.val_reward!;
    const after = summary.lastVal!.reward;
    console.info(`hf learning: ${JSON.stringify({ before, after, gain: after - before, format_errors: [lines[0]!.val_format_error_rate, summary.lastVal!.formatErrorRate], kept: lines.slice(1).map((l) => l.kept_fraction) })}`);
    expect(after - before).toBeGreaterThanOrEqual(0.1);
  }, 300_000);
});
