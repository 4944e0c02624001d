import { beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, repoOf, splitOf, type DatasetOptions } from '../../src/srl/dataset.ts';
import { distribution, summarizeBuild } from '../../src/srl/build-summary.ts';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import type { Trajectory } from '../../src/trajectories/types.ts';
import { describeShared } from '../helpers/shared.ts';
import { TRAJ_DIR, TRAJ_REL } from '../trajectories/helpers.ts';

const options: DatasetOptions = { contextSteps: 2, maxObservationChars: 4000, dropSubmit: false, dropUnresolved: false };

describeShared('buildDataset on the real trajectories', TRAJ_REL, () => {
  let all: Trajectory[];
  beforeAll(async () => {
    all = (await loadTrajectories([TRAJ_DIR])).trajectories;
  });

  it('uses every shared trajectory and counts examples per format', () => {
    const d = buildDataset({ trajectories: all, options });
    expect(d.trajectories.every((t) => t.status === 'used')).toBe(true);
    const calls = all.reduce((n, t) => n + t.steps.filter((s) => s.action.call).length, 0);
    expect(d.examples).toHaveLength(calls);
    const s = summarizeBuild(d);
    expect(s.examples).toBe(calls);
    expect(Object.keys(s.formats).sort()).toEqual(['mini-swe-agent', 'nebius', 'openhands-chat', 'openhands-events', 'swe-agent', 'swe-smith']);
    expect(Object.values(s.formats).reduce((n, f) => n + f.examples, 0)).toBe(calls);
    expect(s.skippedSteps).toEqual({ no_call: all.reduce((n, t) => n + t.steps.filter((x) => !x.action.call).length, 0) });
    expect(s.promptChars!.min).toBeLessThanOrEqual(s.promptChars!.p50);
    expect(s.targetChars!.p90).toBeLessThanOrEqual(s.targetChars!.max);
    expect(s.repos['marshmallow-code/marshmallow']).toBeGreaterThan(0);
  });
  it('drops unresolved and unknown-resolution trajectories on request, with the reason', () => {
    const flipped = all.map((t, i) => (i === 0 ? { ...t, resolved: false } : t));
    const d = buildDataset({ trajectories: flipped, options: { ...options, dropUnresolved: true } });
    const byStatus = (st: string) => d.trajectories.filter((t) => t.status === st).length;
    expect(byStatus('unresolved')).toBe(1);
    expect(byStatus('resolution_unknown')).toBe(all.filter((t) => t.resolved === undefined).length);
    expect(byStatus('used')).toBe(all.filter((t) => t.resolved === true).length - 1);
    expect(d.examples.every((e) => e.resolved === true)).toBe(true);
  });
  it('takes the issue and repo from the tasks first, else the trajectory; skips a trajectory with neither', () => {
    const t = all.find((x) => x.format === 'nebius')!;
    const bare = { ...t, problemStatement: undefined };
    const d = buildDataset({
      trajectories: [t, bare],
      tasks: new Map([[t.instanceId, { problem_statement: 'FROM THE TASK ROW', repo: 'a/b' }]]),
      options,
    });
    expect(d.trajectories.map((r) => [r.status, r.issueFrom])).toEqual([
      ['used', 'tasks'],
      ['duplicate', undefined],
    ]);
    expect(d.examples[0]!.prompt[1]!.content).toContain('FROM THE TASK ROW');
    expect(d.examples[0]!.repo).toBe('a/b');
    const none = buildDataset({ trajectories: [bare], options });
    expect(none.trajectories[0]!.status).toBe('no_issue');
    const emptyRow = buildDataset({ trajectories: [t], tasks: new Map([[t.instanceId, { problem_statement: ' \n', repo: 'a/b' }]]), options });
    expect(emptyRow.trajectories[0]!.issueFrom).toBe('trajectory');
    const own = buildDataset({ trajectories: [t], options });
    expect(own.trajectories[0]!.issueFrom).toBe('trajectory');
    expect(own.examples[0]!.prompt[1]!.content).toContain(t.problemStatement!.slice(0, 40));
  });
  it('splits by instance, deterministically, keeping an instance whole', () => {
    const d = buildDataset({ trajectories: all, options: { ...options, valFraction: 0.4 } });
    const byInstance = new Map<string, Set<string>>();
    for (const e of d.examples) byInstance.set(e.instanceId, (byInstance.get(e.instanceId) ?? new Set()).add(e.split));
    for (const s of byInstance.values()) expect(s.size).toBe(1);
    expect(new Set(d.examples.map((e) => e.split))).toEqual(new Set(['train', 'val']));
    expect(splitOf('x', 0)).toBe('train');
    expect(splitOf('django__django-11099', 0.4)).toBe(splitOf('django__django-11099', 0.4));
    const ids = Array.from({ length: 2000 }, (_, i) => `o__r-${i}`);
    const val = ids.filter((id) => splitOf(id, 0.1) === 'val').length;
    expect(val).toBeGreaterThan(150);
    expect(val).toBeLessThan(250);
    expect(() => buildDataset({ trajectories: all, options: { ...options, valFraction: 1 } })).toThrow(/valFraction/);
  });
});

describe('repoOf and distribution', () => {
  it('reads owner/name from SWE-bench, SWE-Gym and SWE-smith ids', () => {
    expect(repoOf('django__django-11099')).toBe('django/django');
    expect(repoOf('neubig__pr-viewer-5')).toBe('neubig/pr-viewer');
    expect(repoOf('Project-MONAI__MONAI-5686')).toBe('Project-MONAI/MONAI');
    expect(repoOf('arrow-py__arrow.1d70d009.lm_rewrite__nuzjfyur')).toBe('arrow-py/arrow');
    expect(repoOf('runtime-basic')).toBe('unknown');
  });
  it('gives nearest-rank percentiles', () => {
    expect(distribution([])).toBeNull();
    expect(distribution([5])).toEqual({ min: 5, p50: 5, p90: 5, max: 5 });
    expect(distribution([10, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual({ min: 1, p50: 5, p90: 9, max: 10 });
  });
});
