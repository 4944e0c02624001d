import { describe, expect, it } from 'vitest';
import { formatReplaySummary } from '../../src/cli/replay.ts';
import type { ReplaySummary } from '../../src/trajectories/replay.ts';

describe('swe-srl replay summary table', () => {
  it('shows one row per trajectory, the totals, missing tasks and errors', () => {
    const s: ReplaySummary = {
      version: 1,
      trajectories: 3,
      replayed: 2,
      missing_tasks: [{ instance_id: 'a__b-1', source_file: '/x/a.traj' }],
      errors: [{ instance_id: 'c__d-2', error: 'engine gone' }],
      steps_total: 20,
      steps_reproduced: 17,
      patches_identical: 1,
      resolved: 1,
      threshold: 0.9,
      results: [
        { instance_id: 'p__q-3', source_file: 'f', file: 'p__q-3.0.json', steps_total: 12, steps_reproduced: 12, first_divergence: null, patch_identical: true, patch_similarity: 1, resolved: true, verdict: 'resolved' },
        { instance_id: 'c__d-2', source_file: 'g', file: 'c__d-2.0.json', steps_total: 8, steps_reproduced: 5, first_divergence: 2, patch_identical: null, patch_similarity: null, resolved: null, verdict: 'replay_error' },
      ],
    };
    const lines = formatReplaySummary(s).split('\n');
    expect(lines[0]).toMatch(/^instance\s+steps reproduced\s+first divergence\s+same patch\s+patch sim\s+verdict$/);
    expect(lines[1]).toMatch(/^p__q-3\s+12\/12\s+-\s+yes\s+1\.000\s+resolved$/);
    expect(lines[2]).toMatch(/^c__d-2\s+5\/8\s+2\s+-\s+-\s+replay_error$/);
    expect(lines).toContain('replayed 2/3; steps reproduced 17/20 (similarity >= 0.9); identical patches 1; resolved 1');
    expect(lines).toContain('no task for a__b-1 (/x/a.traj)');
    expect(lines).toContain('error in c__d-2: engine gone');
  });
});
