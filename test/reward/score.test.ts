import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { tinyRunConfig } from '../helpers/tiny-run.ts';
import { syntheticExamples } from '../../src/testing/synthetic-srl.ts';
import { runTraining } from '../../src/train/loop.ts';
import { INFRA_ERROR_STATUS, type RewardFn } from '../../src/reward/types.ts';
import { scoreAll, summarizeScores } from '../../src/reward/score.ts';
import { SweSrlError } from '../../src/util/errors.ts';

const examples = syntheticExamples({ count: 12, seed: 1 });
const infra = () => new SweSrlError({ code: 'image_build_failed', message: 'the env image did not build', fault: 'environment' });
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('rewards that cannot be computed', () => {
  it('an infrastructure fault scores null and is counted apart; a bug propagates', async () => {
    let calls = 0;
    const flaky: RewardFn = (text) => {
      if (++calls % 3 === 0) throw infra();
      return { reward: text.length % 2, status: text.startsWith('x') ? 'no_call' : 'ok' };
    };
    const items = ['a', 'bb', 'c', 'xd', 'ee', 'f'].map((response, i) => ({ response, example: examples[i]! }));
    const r = await scoreAll(flaky, items);
    expect(r.map((x) => x.reward)).toEqual([1, 0, null, 0, 0, null]);
    expect(r[2]).toMatchObject({ status: INFRA_ERROR_STATUS, detail: INFRA_ERROR_STATUS });
    expect(r[2]!.error).toMatch(/did not build/);
    const s = summarizeScores(r);
    expect(s.infraErrors).toBe(2);
    expect(s.scored).toHaveLength(4);
    expect(s.formatErrorRate).toBe(0.25);
    const buggy: RewardFn = () => {
      throw new TypeError('x is undefined');
    };
    await expect(scoreAll(buggy, items)).rejects.toThrow(TypeError);
    const userFault: RewardFn = () => {
      throw new SweSrlError({ code: 'bad_config', message: 'no tasks', fault: 'user' });
    };
    await expect(scoreAll(userFault, items)).rejects.toThrow(/bad_config/);
  });

  it('training goes on: null samples leave their groups and the stats, and metrics count them', async () => {
    const out = await mkdtemp(join(tmpdir(), 'swe-srl-infra-'));
    dirs.push(out);
    let calls = 0;
    const flaky: RewardFn = (text) => {
      if (++calls % 4 === 0) throw infra();
      return { reward: (text.length % 7) / 7, status: 'ok' };
    };
    const config = tinyRunConfig(out, { steps: 3, every: 3 });
    const summary = await runTraining({ config, trainExamples: examples, valExamples: examples.slice(0, 3), reward: flaky });
    expect(summary.steps).toBe(3);
    const lines = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    const steps = lines.filter((l) => l.step! > 0);
    expect(steps).toHaveLength(3);
    expect(steps.reduce((t, l) => t + l.infra_errors!, 0)).toBeGreaterThan(0);
    for (const l of steps) expect(l.reward_mean).toBeGreaterThanOrEqual(0);
    expect(lines.some((l) => (l.val_infra_errors ?? 0) > 0)).toBe(true);
  }, 120_000);
});

describe('registry names in the config', () => {
  it('are checked when the config loads, listing the valid ones', () => {
    const base = { out: 'x', data: { train: 't' }, train: { val_every: 0 } };
    expect(() => validateConfig(TrainConfigSchema, { ...base, advantage: { estimator: 'ppo' } })).toThrow(/advantage.estimator.*valid: grpo, rloo/s);
    expect(() => validateConfig(TrainConfigSchema, { ...base, reward: { name: 'bleu' } })).toThrow(/reward.name.*valid: srl, exact, outcome/s);
    expect(() => validateConfig(TrainConfigSchema, { ...base, val: { reward: 'bleu' } })).toThrow(/val.reward/);
    expect(validateConfig(TrainConfigSchema, { ...base, advantage: { estimator: 'rloo' }, val: { reward: 'exact' } }).advantage.estimator).toBe('rloo');
  });
});
