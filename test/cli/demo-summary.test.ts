// The demo's summary: before/after validation from the SFT and GRPO metrics, kept groups, resolved counts.
import { describe, expect, it } from 'vitest';
import { renderDemoSummary, summarizeDemo } from '../../src/cli/demo-summary.ts';

const sft = [
  { step: 0, mode: 'sft', val_reward: -1, val_format_error_rate: 1 },
  { step: 1, mode: 'sft', loss: 2 },
  { step: 2, mode: 'sft', loss: 1, val_reward: 0.1, val_format_error_rate: 0.5 },
];
const grpo = [
  { step: 0, mode: 'srl', val_reward: 0.1, val_format_error_rate: 0.5 },
  { step: 1, mode: 'srl', groups_generated: 4, groups_kept: 3, loss: 0.1 },
  { step: 2, mode: 'srl', groups_generated: 8, groups_kept: 0, skipped: 'no group with a reward signal', val_reward: 0.4, val_format_error_rate: 0.25 },
];

describe('summarizeDemo', () => {
  it('takes before from the SFT start and after from the last GRPO validation', () => {
    const s = summarizeDemo({ sft, grpo, oracle: { responses: 6, resolved: 1 }, agent: { tasks: 6, resolved: 0 } });
    expect(s).toMatchObject({
      val_reward_before: -1, val_reward_after: 0.4, val_format_error_rate_before: 1, val_format_error_rate_after: 0.25,
      grpo_steps: 2, grpo_steps_trained: 1, groups_generated: 12, groups_kept: 3, kept_fraction: 0.25,
      tasks: 6, oracle_resolved: 1, agent_resolved: 0,
    });
    const text = renderDemoSummary(s, 'out/report.html');
    expect(text).toContain('-1.000 -> 0.400');
    expect(text).toContain('100% -> 25%');
    expect(text).toContain('3/12 (25%); 1/2 steps trained');
    expect(text).toContain('oracle 1/6, agent 0/6');
    expect(text).toContain('training set');
  });

  it('reports NaN, not a number it does not have, when a run never validated', () => {
    const s = summarizeDemo({ sft: [{ step: 1, mode: 'sft' }], grpo: [], oracle: { responses: 6, resolved: 0 }, agent: { tasks: 6, resolved: 0 } });
    expect(s.val_reward_before).toBeNaN();
    expect(s.val_reward_after).toBeNaN();
    expect(s.kept_fraction).toBe(0);
  });
});
