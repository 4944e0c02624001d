// The policy's reasoning over training: a real training run keeps its validation replies (samples/), and the report
// turns their <think> text into series over the validation steps.
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuns } from '../../src/report/kinds/index.ts';
import { thoughtLines } from '../../src/report/kinds/training.ts';
import { trainingChartSpecs } from '../../src/report/render/training.ts';
import { syntheticExamples } from '../../src/testing/synthetic-srl.ts';
import { runTraining } from '../../src/train/loop.ts';
import { tinyRunConfig } from '../helpers/tiny-run.ts';
import { tempDir } from '../helpers/tmp.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'report');

describe('reasoning over training', () => {
  it('per validation step: mean <think> length and the share of replies that plan, revise, verify (pure)', () => {
    const lines = thoughtLines([
      { step: 0, responses: ['no think here', '<think>ls</think>\n<function=bash>'] },
      { step: 10, responses: ['<think>First look, then edit.</think>x', '<think>Wait, check the tests instead.</think>y'] },
    ]);
    expect(lines[0]).toEqual({ step: 0, think_length: 2, plan_share: 0, revise_share: 0, verify_share: 0 });
    expect(lines[1]).toMatchObject({ step: 10, plan_share: 0.5, revise_share: 0.5, verify_share: 0.5 });
    expect(thoughtLines([{ step: 3, responses: ['none'] }])).toEqual([{ step: 3 }]);
  });

  it('a training run keeps its validation replies, and the report charts their reasoning by step', async () => {
    const out = await tempDir('train-samples');
    const config = tinyRunConfig(out, { steps: 2, every: 2, n: 2 });
    await runTraining({ config, trainExamples: syntheticExamples({ count: 6, seed: 1 }), valExamples: syntheticExamples({ count: 3, seed: 2 }), reward: (t) => ({ reward: t.length % 3, status: 'ok' }) });
    expect((await readdir(join(out, 'samples'))).sort()).toEqual(['step-000000.jsonl', 'step-000002.jsonl']);
    const kept = (await readFile(join(out, 'samples', 'step-000002.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { step: number; id: string });
    expect(kept).toHaveLength(6);
    expect(kept[0]).toMatchObject({ step: 2 });
    // A random tiny model writes no <think>: give the fixture run replies that do, as a trained policy would.
    const run = await tempDir('train-thoughts');
    await cp(join(FIX, 'train-srl'), run, { recursive: true });
    await cp(join(out, 'samples'), join(run, 'samples'), { recursive: true });
    await writeFile(join(run, 'samples', 'step-000002.jsonl'), `${JSON.stringify({ step: 2, id: 'a', response: '<think>First find it, then verify.</think>x' })}\n`);
    const [model] = await loadRuns([run]);
    expect(model!.thoughts).toMatchObject({ source: expect.stringMatching(/validation replies at step 2/), stats: { replies: 1, withThought: 1 } });
    const specs = trainingChartSpecs([{ name: 'r', m: model!.body as Parameters<typeof trainingChartSpecs>[0][number]['m'] }]);
    expect(specs.map((s) => s.title)).toContain('reasoning patterns of validation replies');
  }, 120_000);
});
