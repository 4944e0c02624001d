import { describe, expect, it } from 'vitest';
import { createReward, registerReward, rewardNames } from '../../src/reward/registry.ts';
import { FORMAT_ERROR_REWARD } from '../../src/srl/reward.ts';

const ex = { instance_id: 'o__r-1', target: '<function=bash>\n<parameter=command>ls</parameter>\n</function>' };

describe('reward registry', () => {
  it('lists the built-in rewards by kind', () => {
    expect(rewardNames('text')).toEqual(expect.arrayContaining(['srl', 'exact']));
    expect(rewardNames('text')).not.toContain('outcome');
    expect(rewardNames('sandbox')).toEqual(['outcome']);
    expect(rewardNames()).toEqual(expect.arrayContaining(['srl', 'exact', 'outcome']));
  });

  it('builds srl and exact, which agree on an exact answer and on a malformed one', async () => {
    const srl = await createReward('srl', { autojunk: false });
    const exact = await createReward('exact', { autojunk: false });
    const good = `<think>list</think>\n${ex.target}`;
    expect(await srl(good, ex)).toMatchObject({ reward: 1, status: 'ok' });
    expect(await exact(good, ex)).toMatchObject({ reward: 1, status: 'ok' });
    expect((await srl('no think, no action', ex)).reward).toBe(FORMAT_ERROR_REWARD);
    expect((await exact('no think, no action', ex)).reward).toBe(FORMAT_ERROR_REWARD);
  });

  it('refuses an unknown name or the wrong kind, naming the field and the valid names', async () => {
    await expect(createReward('nope', { autojunk: false })).rejects.toThrow(/unknown_reward.*field reward\.name.*Valid: srl, exact/s);
    await expect(createReward('outcome', { autojunk: false }, { kind: 'text', field: 'reward' })).rejects.toThrow(
      /unknown_reward: no text reward named "outcome" \(field reward.*Valid: srl, exact\./,
    );
  });

  it('takes new rewards once per name', async () => {
    registerReward('length-test', () => (r) => ({ reward: r.length, status: 'ok' }));
    expect(rewardNames('text')).toContain('length-test');
    expect((await createReward('length-test', { autojunk: false }))('abc', ex)).toEqual({ reward: 3, status: 'ok' });
    expect(() => registerReward('length-test', () => () => ({ reward: 0, status: 'ok' }))).toThrow(/reward_exists/);
  });
});
