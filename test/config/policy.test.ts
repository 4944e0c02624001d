// The sampling-only config (evaluate, policy serve): the policy and rollout sections checked as train checks them,
// with no training fields required, from a train config file or a file of those sections alone.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { PolicyRunConfigSchema } from '../../src/config/policy.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('PolicyRunConfigSchema', () => {
  it('reads a train config file without its training fields and fills the rollout defaults as train does', async () => {
    const c = await loadConfig(PolicyRunConfigSchema, { file: 'configs/tiny-cpu.yaml' });
    const t = await loadConfig(TrainConfigSchema, { file: 'configs/tiny-cpu.yaml', strings: { 'data.train': 'x.jsonl', out: 'o' }, overrides: ['train.val_every=0'] });
    expect(c.policy).toEqual(t.policy);
    expect(c.rollout).toEqual(t.rollout);
    expect(c.seed).toBe(t.seed);
    expect(Object.keys(c).sort()).toEqual(['policy', 'rollout', 'seed', 'version']);
  });

  it('reads a file of policy sections alone', async () => {
    const file = join(await tempDir('policy-config'), 'p.yaml');
    await writeFile(file, 'policy:\n  backend: openai\n  base_url: http://localhost:8000/v1\n  model: m\nrollout:\n  temperature: 0\n');
    const c = await loadConfig(PolicyRunConfigSchema, { file });
    expect(c.policy).toMatchObject({ backend: 'openai', model: 'm' });
    expect(c.rollout).toMatchObject({ temperature: 0, max_new_tokens: 1024, stop: ['</function>'] });
  });

  it('rejects what train rejects in those sections, naming the field and the fix', async () => {
    await expect(loadConfig(PolicyRunConfigSchema, { overrides: ['policy.backend=hf'] })).rejects.toThrow(/policy\.model.*hf backend needs policy\.model/s);
    await expect(loadConfig(PolicyRunConfigSchema, { overrides: ['policy.backend=tiny', 'rollout.max_new_tokens=100000'] })).rejects.toThrow(
      /rollout\.max_new_tokens.*max_seq_len/s,
    );
    await expect(loadConfig(PolicyRunConfigSchema, { overrides: ['policy.bogus=1'] })).rejects.toThrow(/bogus/);
  });
});
