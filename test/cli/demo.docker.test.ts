// `npm run demo` end to end: every stage writes its outputs, the expert's replays resolve, and the tiny policy's
// training shows in its summary: validation reward up, format errors down, GRPO groups kept, a task resolved.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demo } from '../../src/cli/demo.ts';
import { main } from '../../src/cli/main.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';

describe.skipIf(dockerSkipReason)('swe-srl demo', () => {
  it('grades, records, replays, builds SRL data, trains a policy that improves, and resolves a task with it', async () => {
    const out = await tempDir('demo');
    expect(await demo({ out, workers: '2' }, main)).toBe(0);
    const gold = JSON.parse(readFileSync(join(out, 'eval', 'gold', 'summary.json'), 'utf8'));
    expect(gold.resolved_instances).toBe(gold.total_instances);
    const empty = JSON.parse(readFileSync(join(out, 'eval', 'empty', 'summary.json'), 'utf8'));
    expect(empty.resolved_instances).toBe(0);
    const replay = JSON.parse(readFileSync(join(out, 'replay', 'summary.json'), 'utf8'));
    expect(replay).toMatchObject({ replayed: gold.total_instances, resolved: gold.total_instances, patches_identical: gold.total_instances });
    expect(replay.steps_reproduced).toBe(replay.steps_total);
    for (const f of ['steps.jsonl', 'steps.parquet', 'steps.trl.jsonl', 'steps.val.jsonl']) {
      expect(existsSync(join(out, 'srl', f))).toBe(true);
    }
    const lines = readFileSync(join(out, 'srl', 'steps.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const run of ['sft', 'grpo']) {
      const metrics = readFileSync(join(out, 'train', run, 'metrics.jsonl'), 'utf8').trim().split('\n');
      expect(metrics.length).toBeGreaterThan(0);
    }
    const reference = JSON.parse(readFileSync(join(out, 'oracle', 'reference', 'summary.json'), 'utf8'));
    expect(reference).toMatchObject({ responses: gold.total_instances, resolved: gold.total_instances, format_errors: 0 });
    const tiny = JSON.parse(readFileSync(join(out, 'evaluate', 'oracle', 'summary.json'), 'utf8'));
    expect(tiny.responses).toBe(gold.total_instances);
    const agent = JSON.parse(readFileSync(join(out, 'evaluate', 'agent', 'summary.json'), 'utf8'));
    expect(agent.tasks).toBe(gold.total_instances);
    expect(existsSync(join(out, 'evaluate', 'agent', 'trajectories', 'swe-srl__textkit-1.json'))).toBe(true);
    // The training visibly worked (seeded runs: the same numbers every time).
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.val_reward_after).toBeGreaterThan(summary.val_reward_before);
    expect(summary.val_format_error_rate_after).toBeLessThan(summary.val_format_error_rate_before);
    expect(summary.grpo_steps_trained).toBeGreaterThanOrEqual(1);
    expect(summary.groups_kept).toBeGreaterThanOrEqual(1);
    expect(summary.oracle_resolved + summary.agent_resolved).toBeGreaterThanOrEqual(1);
    expect(summary.oracle_resolved).toBe(tiny.resolved);
  }, 1_200_000);
});
