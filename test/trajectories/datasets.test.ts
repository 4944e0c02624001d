// Dataset exports as published: Parquet layouts told apart by their columns, row groups streamed, the same
// trajectories (and SRL examples) as from the same rows in JSON/JSONL, bad rows and files reported precisely.
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { DATASET_LAYOUTS, detectLayout, matchLayout } from '../../src/trajectories/datasets/layouts.ts';
import { parquetBatches } from '../../src/trajectories/datasets/load-parquet.ts';
import { formatInputSummary, repoOf, summarizeInputs } from '../../src/trajectories/datasets/summary.ts';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import type { Trajectory } from '../../src/trajectories/types.ts';
import { SweSrlError } from '../../src/util/errors.ts';
import { capture } from '../helpers/console.ts';
import { describeShared } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { shared, TRAJ_REL } from './helpers.ts';
import { hasPyarrow, writeParquetFiles, type ParquetSpec } from './parquet-rows.ts';

const pyarrow = hasPyarrow();
let dir: string;
beforeAll(async () => {
  dir = await tempDir('datasets');
});

const readRows = async (rel: string) => JSON.parse(await readFile(shared(rel), 'utf8')) as Array<Record<string, unknown>>;
const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
// Everything but where it was read from.
const comparable = (ts: Trajectory[]) => ts.map((t) => ({ ...t, source: { index: t.source.index } }));

// SWE-rebench-openhands rows as published, made from the SWE-Gym rows (the same OpenHands chat, other columns).
function rebenchRows(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return rows.map((r, i) => ({
    trajectory_id: `chatcmpl-${i}`,
    instance_id: String(r.instance_id).replace(/_\d+$/, ''),
    repo: 'python/mypy',
    trajectory: r.messages,
    tools: r.tools,
    model_patch: (r.test_result as { git_patch?: string }).git_patch,
    exit_status: 'submit',
    resolved: r.resolved ? 1 : 0,
  }));
}

describe('dataset layouts', () => {
  it('tells each published dataset from its columns', () => {
    expect(matchLayout(['messages', 'instance_id', 'resolved', 'model', 'traj_id', 'patch', 'id'])?.format).toBe('swe-smith');
    expect(matchLayout(['instance_id', 'run_id', 'resolved', 'messages', 'tools', 'test_result'])?.format).toBe('openhands-chat');
    expect(matchLayout(['instance_id', 'model_name', 'target', 'trajectory', 'exit_status', 'generated_patch', 'eval_logs'])?.format).toBe('nebius');
    expect(matchLayout(['trajectory_id', 'instance_id', 'repo', 'trajectory', 'tools', 'model_patch', 'exit_status', 'resolved'])?.format).toBe(
      'swe-rebench-openhands',
    );
    expect(matchLayout(['instance_id', 'messages', 'resolved'])).toBeUndefined();
    expect(new Set(DATASET_LAYOUTS.map((l) => l.dataset)).size).toBe(DATASET_LAYOUTS.length);
  });

  it('fails on an unknown layout naming the file, its columns and the known datasets', () => {
    let err: unknown;
    try {
      detectLayout(['prompt', 'completion'], 'x.parquet');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SweSrlError);
    const e = err as SweSrlError;
    expect(e.code).toBe('trajectory_dataset_unknown');
    expect(e.file).toBe('x.parquet');
    expect(e.message).toContain('prompt, completion');
    expect(e.hint).toContain('nebius/SWE-agent-trajectories');
  });
});

describe('JSON / JSONL exports', () => {
  it('are told apart by their columns too, where the content alone would not tell', async () => {
    // No assistant turn with a <function=...> call yet: only the columns say SWE-smith.
    const rows = [{ instance_id: 'a__b.1234abcd.x', messages: [{ role: 'user', content: 'fix it' }], traj_id: 't1', patch: '', resolved: true }];
    const f = join(dir, 'columns-only.jsonl');
    await writeFile(f, jsonl([...rows, { ...rows[0], traj_id: 't2' }]));
    const r = await loadTrajectories([f]);
    expect(r.errors).toEqual([]);
    expect(r.files[0]!.format).toBe('swe-smith');
    expect(r.trajectories.map((t) => t.meta.trajId)).toEqual(['t1', 't2']);
  });
});

describe('input summary', () => {
  it('groups by repository (recorded, or from the instance id) and by model', () => {
    const t = (instanceId: string, meta: Record<string, unknown>, resolved?: boolean): Trajectory => ({
      version: 1,
      format: 'x',
      instanceId,
      source: { file: 'f' },
      steps: [{ thought: '', action: { raw: 'ls' }, observation: '' }],
      resolved,
      meta,
    });
    expect(repoOf(t('django__django-11099', {}))).toBe('django/django');
    expect(repoOf(t('arrow-py__arrow.1d70d009.lm_rewrite__nuzjfyur', {}))).toBe('arrow-py/arrow');
    expect(repoOf(t('PlasmaFAIR__sdf-xarray-24', {}))).toBe('PlasmaFAIR/sdf-xarray');
    expect(repoOf(t('whatever', { repo: 'a/b' }))).toBe('a/b');
    expect(repoOf(t('noid', {}))).toBe('(unknown)');
    const ts = [t('django__django-1', { model: 'm1' }, true), t('django__django-2', { model: 'm2' }, false), t('psf__requests-3', { model: 'm1' })];
    const s = summarizeInputs({ trajectories: ts, errors: [], files: [], skipped: [], companions: [], filteredOut: 2 });
    expect(s.byRepo).toEqual([
      { key: 'django/django', trajectories: 2, resolved: 1, steps: 2 },
      { key: 'psf/requests', trajectories: 1, resolved: 0, steps: 1 },
    ]);
    expect(s.byModel.map((g) => [g.key, g.trajectories])).toEqual([
      ['m1', 2],
      ['m2', 1],
    ]);
    expect([s.resolved, s.unresolved, s.resolutionUnknown, s.filteredOut]).toEqual([1, 1, 1, 2]);
    expect(formatInputSummary(s, 1)).toContain('(1 more)');
  });
});

const cases: Array<{
  name: string;
  rel: string;
  format: string;
  dataset: string;
  codec?: string;
  rows?: (r: Array<Record<string, unknown>>) => Array<Record<string, unknown>>;
}> = [
  { name: 'swe-smith', rel: 'swe-smith/rows.json', format: 'swe-smith', dataset: 'SWE-bench/SWE-smith-trajectories' },
  {
    name: 'swe-smith-string',
    rel: 'swe-smith/rows.json',
    format: 'swe-smith',
    dataset: 'SWE-bench/SWE-smith-trajectories',
    // As published: the message list kept as a JSON string.
    rows: (rs) => rs.map((r) => ({ ...r, messages: JSON.stringify(r.messages) })),
  },
  { name: 'nebius', rel: 'nebius/rows.json', format: 'nebius', dataset: 'nebius/SWE-agent-trajectories', codec: 'snappy' },
  { name: 'swe-gym', rel: 'openhands/swe-gym-sampled-gpt-4o/rows.json', format: 'openhands-chat', dataset: 'SWE-Gym/OpenHands-Sampled-Trajectories' },
  {
    name: 'swe-rebench',
    rel: 'openhands/swe-gym-sampled-gpt-4o/rows.json',
    format: 'swe-rebench-openhands',
    dataset: 'nebius/SWE-rebench-openhands-trajectories',
    rows: rebenchRows,
  },
];

// Every Parquet file the tests read, written by one Python run.
async function writeFixtures(): Promise<void> {
  const specs: ParquetSpec[] = [];
  for (const c of cases) {
    const rows = (c.rows ?? ((r) => r))(await readRows(c.rel));
    await writeFile(join(dir, `${c.name}.jsonl`), jsonl(rows));
    specs.push({ rows, file: join(dir, `${c.name}.parquet`), codec: c.codec });
  }
  const smith = await readRows('swe-smith/rows.json');
  specs.push({ rows: smith.map((r, i) => (i === 1 ? { ...r, resolved: false } : r)), file: join(dir, 'mixed.parquet'), rowGroupSize: 1 });
  specs.push({ rows: smith.map((r, i) => (i === 1 ? { ...r, messages: null } : r)), file: join(dir, 'bad-row.parquet') });
  specs.push({ rows: smith.map((r) => ({ conversation: r.messages, instance_id: r.instance_id, messages: r.messages })), file: join(dir, 'odd.parquet') });
  await writeParquetFiles(specs);
}

describeShared('Parquet exports of the shared rows', TRAJ_REL, () => {
  beforeAll(async () => {
    if (pyarrow) await writeFixtures();
  });

  for (const c of cases) {
    it.skipIf(!pyarrow)(`${c.name}: recognised from its columns, the same trajectories as the JSONL rows`, async () => {
      const rows = (c.rows ?? ((r) => r))(await readRows(c.rel));
      const pq = join(dir, `${c.name}.parquet`);
      const jl = join(dir, `${c.name}.jsonl`);
      const fromParquet = await loadTrajectories([pq]);
      const fromJsonl = await loadTrajectories([jl]);
      expect(fromParquet.errors.map((e) => e.message)).toEqual([]);
      expect(fromJsonl.errors.map((e) => e.message)).toEqual([]);
      expect(fromParquet.files[0]).toMatchObject({ format: c.format, dataset: c.dataset });
      expect(fromParquet.trajectories).toHaveLength(rows.length);
      expect(fromParquet.trajectories.map((t) => t.source.index)).toEqual(rows.map((_, i) => i));
      expect(comparable(fromParquet.trajectories)).toEqual(comparable(fromJsonl.trajectories));
      expect(fromParquet.trajectories.every((t) => t.steps.length > 3)).toBe(true);
    });
  }

  it.skipIf(!pyarrow)('SWE-rebench: resolved 0/1, model_patch and trajectory_id kept', async () => {
    const r = await loadTrajectories([join(dir, 'swe-rebench.parquet')]);
    const [t] = r.trajectories;
    expect(t!.instanceId).toBe('python__mypy-15976');
    expect(typeof t!.resolved).toBe('boolean');
    expect(t!.submission).toMatch(/^diff --git/);
    expect(t!.meta).toMatchObject({ trajId: 'chatcmpl-0', repo: 'python/mypy', exitStatus: 'submit' });
  });

  it.skipIf(!pyarrow)('streams row group by row group, row numbers file-wide', async () => {
    const seen: Array<[number, number, number]> = [];
    for await (const b of parquetBatches(join(dir, 'nebius.parquet'))) seen.push([b.rowStart, b.rowEnd, b.trajectories.length]);
    expect(seen).toEqual([
      [0, 2, 2],
      [2, 3, 1],
    ]);
  });

  it.skipIf(!pyarrow)('--limit and --filter resolved, with progress ticking per row group', async () => {
    const pq = join(dir, 'mixed.parquet');
    const ticks: string[] = [];
    const progress = () => ({ tick: (l: string) => ticks.push(l), stop: () => {} });
    const limited = await loadTrajectories([pq], { limit: 2, progress });
    expect(limited.trajectories.map((t) => t.source.index)).toEqual([0, 1]);
    // It stops reading once the limit is met: two of the three groups.
    expect(ticks).toHaveLength(2);
    const resolved = await loadTrajectories([pq], { filter: 'resolved' });
    expect(resolved.trajectories.map((t) => t.source.index)).toEqual([0, 2]);
    expect(resolved.filteredOut).toBe(1);
    const both = await loadTrajectories([pq], { filter: 'resolved', limit: 1 });
    expect(both.trajectories.map((t) => t.source.index)).toEqual([0]);
  });

  it.skipIf(!pyarrow)('a row missing `messages` is reported with its row and column and skipped', async () => {
    const pq = join(dir, 'bad-row.parquet');
    const r = await loadTrajectories([pq]);
    expect(r.trajectories.map((t) => t.source.index)).toEqual([0, 2]);
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0]!;
    expect(e.file).toBe(pq);
    expect(e.field).toBe('[1].messages');
    expect(e.message).toContain('row 1, column messages');
  });

  it.skipIf(!pyarrow)('a truncated file and an unknown layout fail naming the file; --format forces a row format', async () => {
    const good = join(dir, 'swe-smith.parquet');
    const cut = join(dir, 'truncated.parquet');
    await writeFile(cut, await readFile(good));
    await truncate(cut, 2000);
    const t = await loadTrajectories([cut]);
    expect(t.errors.map((e) => [e.code, e.file])).toEqual([['trajectory_parquet_unreadable', cut]]);

    const odd = join(dir, 'odd.parquet');
    const u = await loadTrajectories([odd]);
    expect(u.errors.map((e) => [e.code, e.file])).toEqual([['trajectory_dataset_unknown', odd]]);
    expect(u.errors[0]!.message).toContain('conversation, instance_id, messages');
    const forced = await loadTrajectories([odd], { format: 'swe-smith' });
    expect(forced.errors).toEqual([]);
    expect(forced.trajectories).toHaveLength(3);
  });

  it.skipIf(!pyarrow)('srl build gives the same examples from the Parquet export as from the JSONL rows', async () => {
    const out = async (input: string, name: string) => {
      const io = capture();
      const code = await main(['srl', 'build', '--trajectories', input, '--out', join(dir, `${name}.jsonl`)]);
      expect(io.err.filter((l) => /error/i.test(l))).toEqual([]);
      expect(code).toBe(0);
      const lines = (await readFile(join(dir, `${name}.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      const summary = JSON.parse(await readFile(join(dir, `${name}.summary.json`), 'utf8'));
      return { lines: lines.map((l) => ({ ...l, source: { ...l.source, file: undefined } })), summary };
    };
    const a = await out(join(dir, 'swe-smith-string.parquet'), 'from-parquet');
    const b = await out(join(dir, 'swe-smith-string.jsonl'), 'from-jsonl');
    expect(a.lines.length).toBeGreaterThan(30);
    expect(a.lines).toEqual(b.lines);
    expect(a.summary.inputs.files[0].dataset).toBe('SWE-bench/SWE-smith-trajectories');
    expect(a.summary.inputs.byRepo.map((g: { key: string }) => g.key).sort()).toEqual(['arrow-py/arrow', 'pudo/dataset', 'sqlfluff/sqlfluff']);
  });

  it.skipIf(!pyarrow)('swe-srl trajectories prints the per-repository / per-model summary, writes it with --out, and the folder reads back clean', async () => {
    const pq = join(dir, 'nebius.parquet');
    const out = await tempDir('cli-out');
    let io = capture();
    expect(await main(['trajectories', pq, '--limit', '2', '--out', out])).toBe(0);
    const text = io.out.join('\n');
    expect(text).toContain('inputs: 2 trajectories');
    expect(text).toMatch(/model\s+trajectories\s+resolved\s+steps\nswe-agent-llama-70b\s+2\s+2/);
    const summary = JSON.parse(await readFile(join(out, 'trajectories.summary.json'), 'utf8'));
    expect(summary).toMatchObject({ version: 1, trajectories: 2, files: [{ file: pq, format: 'nebius', dataset: 'nebius/SWE-agent-trajectories' }] });
    io = capture();
    expect(await main(['trajectories', out])).toBe(0);
    expect(io.err).toEqual([]);
    io = capture();
    await expect(main(['trajectories', pq, '--limit', '0'])).resolves.not.toBe(0);
    await expect(main(['trajectories', pq, '--filter', 'green'])).resolves.not.toBe(0);
    expect(io.err.join('\n')).toMatch(/--limit must be a whole number above 0[\s\S]*unknown --filter/);
  });
});
