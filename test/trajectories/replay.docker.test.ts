// Replays of scripted-expert trajectories recorded on bundled tasks (test/fixtures/trajectories), plus a
// runaway step and a trajectory whose task is missing, in real containers.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import { normalizePatch } from '../../src/trajectories/replay-compare.ts';
import { replayAll, type ReplayResult } from '../../src/trajectories/replay.ts';
import { makeTrajectory } from '../../src/trajectories/steps.ts';
import type { Trajectory } from '../../src/trajectories/types.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/trajectories');

describe.skipIf(dockerSkipReason)('replay (bundled tasks, real containers)', () => {
  const engine = new DockerEngine();
  let tasks: BundledTask[];
  let images: LocalImages;

  beforeAll(async () => {
    tasks = await loadBundledTasks();
    images = new LocalImages({ engine, envs: await loadEnvRegistry() });
  });

  it('reproduces recorded expert trajectories, their patches and verdicts; survives runaway steps and missing tasks', async () => {
    const loaded = await loadTrajectories([FIXTURES]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.trajectories.map((t) => t.instanceId).sort()).toEqual(['swe-srl__confparse-1', 'swe-srl__durations-1']);
    const runaway: Trajectory = makeTrajectory({
      format: 'swe-srl',
      instanceId: 'swe-srl__confparse-1',
      source: { file: 'inline-runaway' },
      steps: [
        { thought: '', action: { raw: 'cd confparse && X=1', call: { tool: 'bash', args: { command: 'cd confparse && X=1' } } }, observation: '' },
        { thought: '', action: { raw: 'sleep 60', call: { tool: 'bash', args: { command: 'sleep 60; echo late' } } }, observation: 'late\n' },
        { thought: '', action: { raw: 'pwd', call: { tool: 'bash', args: { command: 'pwd; echo "x=$X"' } } }, observation: '/testbed/confparse\nx=1\n' },
        { thought: '', action: { raw: 'exit_cost' }, observation: '' },
      ],
      meta: { shell: 'session', repoRoot: '/swe-srl__confparse' },
    });
    // mini-swe-agent: every command in a fresh subshell at /testbed, observations in its returncode/output template.
    const mini: Trajectory = makeTrajectory({
      format: 'mini-swe-agent',
      instanceId: 'swe-srl__durations-1',
      source: { file: 'inline-mini' },
      steps: [
        { thought: '', action: { raw: 'cd durations && X=1', call: { tool: 'bash', args: { command: 'cd durations && X=1' } } }, observation: '<returncode>0</returncode>\n<output>\n</output>' },
        { thought: '', action: { raw: 'pwd', call: { tool: 'bash', args: { command: 'pwd; echo "x=$X"; exit 3' } } }, observation: '<returncode>3</returncode>\n<output>\n/testbed\nx=\n</output>' },
      ],
      meta: { shell: 'subshell', repoRoot: '/testbed' },
    });
    const orphan: Trajectory = { ...runaway, instanceId: 'nobody__nothing-1', source: { file: 'inline-orphan' } };
    const outDir = await tempDir('replay');
    const done: string[] = [];
    const summary = await replayAll({
      trajectories: [...loaded.trajectories, runaway, mini, orphan],
      tasks,
      sandboxes: new DockerSandboxProvider({ engine, images }),
      outDir,
      workers: 2,
      stepTimeoutMs: 8000,
      onDone: (r) => done.push(r.instance_id),
    });
    expect(done).toHaveLength(5);
    expect(summary.missing_tasks).toEqual([{ instance_id: 'nobody__nothing-1', source_file: 'inline-orphan' }]);
    expect(summary.errors).toEqual([]);
    const read = async (file: string) => JSON.parse(await readFile(join(outDir, file), 'utf8')) as ReplayResult;
    for (const id of ['swe-srl__confparse-1', 'swe-srl__durations-1']) {
      const r = summary.results.find((x) => x.instance_id === id && x.source_file.startsWith('scripted-expert'))!;
      expect(r, id).toMatchObject({ first_divergence: null, patch_identical: true, resolved: true, verdict: 'resolved' });
      expect(r.steps_reproduced).toBe(r.steps_total);
      const full = await read(r.file);
      expect(full.steps.every((s) => s.similarity === 1), JSON.stringify(full.steps.map((s) => s.similarity))).toBe(true);
      const task = tasks.find((t) => t.instance_id === id)!;
      expect(normalizePatch(full.patch)).toBe(normalizePatch(task.patch));
    }
    const run = summary.results.find((x) => x.source_file === 'inline-runaway')!;
    const full = await read(run.file);
    expect(full.steps[1]).toMatchObject({ timedOut: true, reproduced: false, exitCode: 137 });
    expect(full.steps[1]!.durationMs).toBeLessThan(20_000);
    expect(full.steps[2]).toMatchObject({ reproduced: true, similarity: 1 });
    expect(full.steps[3]).toMatchObject({ skipped: 'no executable call' });
    expect(full).toMatchObject({ steps_total: 3, steps_skipped: 1, steps_reproduced: 2, first_divergence: 1, verdict: 'empty_patch', resolved: false });
    const sub = await read(summary.results.find((x) => x.source_file === 'inline-mini')!.file);
    expect(sub).toMatchObject({ shell: 'subshell', steps_total: 2, steps_reproduced: 2, first_divergence: null });
    expect(sub.steps[1]!.exitCode).toBe(3);
    const onDisk = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8'));
    expect(onDisk).toMatchObject({ version: 1, trajectories: 5, replayed: 4, resolved: 2, patches_identical: 2 });
  }, 600_000);
});
