import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';

describe('config overrides', () => {
  it('keeps path flags verbatim while key=value overrides are read as YAML', async () => {
    const c = await loadConfig(TrainConfigSchema, {
      overrides: ['train.val_every=0', 'rollout.n=4', 'rollout.max_new_tokens=64', 'train.steps=7'],
      strings: { 'data.train': '2024', out: 'true', 'data.val': '1e3' },
    });
    expect(c.data.train).toBe('2024');
    expect(c.out).toBe('true');
    expect(c.data.val).toBe('1e3');
    expect(c.rollout.n).toBe(4);
    expect(c.train.steps).toBe(7);
  });
});
