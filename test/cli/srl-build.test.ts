import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { shared, TRAJ_DIR, TRAJ_REL } from '../trajectories/helpers.ts';
import { capture } from '../helpers/console.ts';
import { missingShared, sharedPath } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

const LITE_REL = 'data/swe-bench-lite.json';
const LITE = sharedPath(LITE_REL);
const noShared = missingShared('swe-srl srl build on the real trajectories', TRAJ_REL, LITE_REL);

const lines = async (f: string) => (await readFile(f, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
const bytes = async (f: string) => {
  const b = await readFile(f);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

describe('swe-srl srl build', () => {
  it.skipIf(noShared)('writes steps JSONL, verl Parquet, TRL JSONL and the summary for the shared trajectories', async () => {
    const dir = await tempDir('build');
    const io = capture();
    const code = await main(['srl', 'build', '--trajectories', TRAJ_DIR, '--tasks', LITE, '--out', join(dir, 'steps.jsonl')]);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['steps.jsonl', 'steps.parquet', 'steps.summary.json', 'steps.trl.jsonl']);
    const steps = await lines(join(dir, 'steps.jsonl'));
    const summary = JSON.parse(await readFile(join(dir, 'steps.summary.json'), 'utf8'));
    expect(steps).toHaveLength(summary.examples);
    expect(summary.examples).toBeGreaterThan(200);
    expect(summary.version).toBe(1);
    expect(summary.trajectories.used).toBe(summary.trajectories.total);
    const rows = (await parquetReadObjects({ file: await bytes(join(dir, 'steps.parquet')) })) as Array<Record<string, any>>;
    expect(rows).toHaveLength(steps.length);
    expect(rows[7]!.prompt).toEqual(steps[7].prompt);
    expect(rows[7]!.reward_model.ground_truth).toBe(steps[7].target);
    const trl = await lines(join(dir, 'steps.trl.jsonl'));
    expect(trl[7].completion[0].content).toBe(steps[7].target);
    // pytest-dev__pytest-11143 is a SWE-bench Lite instance: its issue comes from the task row.
    const lite = JSON.parse(await readFile(LITE, 'utf8')) as Array<{ instance_id: string; problem_statement: string }>;
    const row = lite.find((r) => r.instance_id === 'pytest-dev__pytest-11143')!;
    const ex = steps.find((s: { instance_id: string }) => s.instance_id === 'pytest-dev__pytest-11143');
    expect(ex.prompt[1].content).toContain(row.problem_statement.trim().slice(0, 200));
    const text = io.out.join('\n');
    expect(text).toMatch(/per format \(trajectories \/ steps \/ examples\):/);
    expect(text).toMatch(/swe-smith: 3 \/ 56 \/ 56/);
    expect(text).toMatch(/prompt chars: min \d+, p50 \d+, p90 \d+, max \d+/);
  });
  it.skipIf(noShared)('reports a bad file at the end, exits 1, and still writes the others', async () => {
    const dir = await tempDir('build');
    await cp(shared('nebius/rows.json'), join(dir, 'in', 'rows.json'), { recursive: true });
    await writeFile(join(dir, 'in', 'bad.traj'), '{"trajectory": [');
    const io = capture();
    const code = await main(['srl', 'build', '--trajectories', join(dir, 'in'), '--out', join(dir, 'out', 'x.jsonl'), '--drop-submit']);
    expect(code).toBe(1);
    expect(io.err.join('\n')).toMatch(/bad\.traj/);
    const steps = await lines(join(dir, 'out', 'x.jsonl'));
    expect(steps).toHaveLength(25 - 3);
    expect(steps.every((s: { tool: string }) => s.tool !== 'submit')).toBe(true);
    const summary = JSON.parse(await readFile(join(dir, 'out', 'x.summary.json'), 'utf8'));
    expect(summary.loadErrors).toBe(1);
    expect(summary.loadErrorDetails[0].file).toMatch(/bad\.traj$/);
    expect(summary.skippedSteps).toEqual({ submit: 3 });
  });
  it.skipIf(noShared)('splits into val files, drops unresolved runs, and takes K=all', async () => {
    const dir = await tempDir('build');
    const io = capture();
    const args = ['--trajectories', TRAJ_DIR, '--out', join(dir, 's.jsonl'), '--val-fraction', '0.3', '--drop-unresolved'];
    const code = await main(['srl', 'build', ...args, '--context-steps', 'all', '--max-prompt-chars', '20000']);
    expect(code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([
      's.jsonl', 's.parquet', 's.summary.json', 's.trl.jsonl', 's.val.jsonl', 's.val.parquet', 's.val.trl.jsonl',
    ]);
    const train = await lines(join(dir, 's.jsonl'));
    const val = await lines(join(dir, 's.val.jsonl'));
    expect(train.every((s: { split: string }) => s.split === 'train')).toBe(true);
    expect(val.every((s: { split: string }) => s.split === 'val')).toBe(true);
    expect(val.length).toBeGreaterThan(0);
    const summary = JSON.parse(await readFile(join(dir, 's.summary.json'), 'utf8'));
    expect(summary.trajectories.skipped.resolution_unknown).toBeGreaterThan(0);
    expect(summary.promptChars.max).toBeLessThanOrEqual(20000);
    expect(io.out.join('\n')).toMatch(/skipped trajectories:/);
  });
  it('rejects a bad flag naming it', async () => {
    const io = capture();
    const code = await main(['srl', 'build', '--trajectories', TRAJ_DIR, '--out', '/tmp/x.jsonl', '--context-steps', 'two']);
    expect(code).toBe(2);
    expect(io.err.join('\n')).toMatch(/--context-steps/);
  });
});
