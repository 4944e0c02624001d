import { describe, expect, it, beforeAll } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { gzipSync } from 'node:zlib';
import { loadTasks, parseTaskRows, taskFileFormat } from '../../src/tasks/load.ts';
import { SweSrlError } from '../../src/util/errors.ts';
import { missingShared, sharedPath } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

const LITE = 'data/swe-bench-lite.json';
const LITE_DEV = 'data/swe-bench-lite-dev.json';
const lite = sharedPath(LITE);
const liteDev = sharedPath(LITE_DEV);
const noLite = missingShared('loading the real SWE-bench Lite rows', LITE, LITE_DEV);

let dir: string;
beforeAll(async () => {
  dir = await tempDir('tasks');
});

const row = (over: Record<string, unknown> = {}) => ({
  instance_id: 'django__django-1',
  repo: 'django/django',
  base_commit: 'abc',
  problem_statement: 'it breaks',
  patch: 'diff --git a/x b/x',
  test_patch: 'diff --git a/tests/x.py b/tests/x.py',
  FAIL_TO_PASS: '["test_a (x.T)"]',
  PASS_TO_PASS: '[]',
  version: '3.0',
  ...over,
});

describe.skipIf(noLite)('loadTasks on the real SWE-bench Lite rows', () => {
  it('loads all 300 test rows with lists normalised', async () => {
    const tasks = await loadTasks(lite);
    expect(tasks).toHaveLength(300);
    const t = tasks.find((x) => x.instance_id === 'sympy__sympy-20590')!;
    expect(t.repo).toBe('sympy/sympy');
    expect(t.FAIL_TO_PASS).toEqual(['test_immutable']);
    expect(t.PASS_TO_PASS.length).toBe(21);
    expect(new Set(tasks.map((x) => x.repo)).size).toBe(12);
  });

  it('loads the 23 dev rows and filters by instance in file order', async () => {
    const all = await loadTasks(liteDev);
    expect(all).toHaveLength(23);
    const pick = [all[5]!.instance_id, all[2]!.instance_id];
    const some = await loadTasks(liteDev, { instances: pick });
    expect(some.map((t) => t.instance_id)).toEqual([all[2]!.instance_id, all[5]!.instance_id]);
  });

  it('lists the requested instances the file lacks', async () => {
    await expect(loadTasks(liteDev, { instances: ['nope__nope-1', 'nope__nope-2'] })).rejects.toThrow(
      /lacks 2 requested instance\(s\): nope__nope-1, nope__nope-2/,
    );
  });
});

describe('formats', () => {
  it('reads JSONL, skipping blank lines', async () => {
    const f = path.join(dir, 'tasks.jsonl');
    await writeFile(f, `${JSON.stringify(row())}\n\n${JSON.stringify(row({ instance_id: 'django__django-2' }))}\n`);
    const tasks = await loadTasks(f);
    expect(tasks.map((t) => t.instance_id)).toEqual(['django__django-1', 'django__django-2']);
    expect(tasks[0]!.FAIL_TO_PASS).toEqual(['test_a (x.T)']);
  });

  it('reads an object with a rows or data array (and datasets-server row wrappers)', async () => {
    const f1 = path.join(dir, 'rows.json');
    await writeFile(f1, JSON.stringify({ rows: [{ row_idx: 0, row: row() }] }));
    expect((await loadTasks(f1))[0]!.instance_id).toBe('django__django-1');
    const f2 = path.join(dir, 'data.json');
    await writeFile(f2, JSON.stringify({ data: [row({ FAIL_TO_PASS: ['t1', 't2'] })] }));
    expect((await loadTasks(f2))[0]!.FAIL_TO_PASS).toEqual(['t1', 't2']);
  });

  it('round-trips a Parquet file with JSON-string test lists', async () => {
    const rows = [row(), row({ instance_id: 'django__django-2', FAIL_TO_PASS: '["b", "c"]' })];
    const f = path.join(dir, 'tasks.parquet');
    const cols = Object.keys(rows[0]!);
    parquetWriteFile({
      filename: f,
      columnData: cols.map((name) => ({
        name,
        data: rows.map((r) => (r as Record<string, unknown>)[name] as string),
        type: 'STRING' as const,
      })),
    });
    const tasks = await loadTasks(f);
    expect(tasks.map((t) => t.instance_id)).toEqual(['django__django-1', 'django__django-2']);
    expect(tasks[1]!.FAIL_TO_PASS).toEqual(['b', 'c']);
    expect(tasks[0]!.version).toBe('3.0');
    expect(tasks[0]!.test_patch).toBe(rows[0]!.test_patch);
  });

  it.skipIf(noLite)('round-trips real Lite rows through Parquet', async () => {
    const real = (await loadTasks(liteDev)).slice(0, 5);
    const f = path.join(dir, 'lite.parquet');
    const names = ['instance_id', 'repo', 'base_commit', 'problem_statement', 'patch', 'test_patch', 'version'] as const;
    parquetWriteFile({
      filename: f,
      columnData: [
        ...names.map((name) => ({ name, data: real.map((t) => String(t[name])), type: 'STRING' as const })),
        { name: 'FAIL_TO_PASS', data: real.map((t) => JSON.stringify(t.FAIL_TO_PASS)), type: 'STRING' as const },
        { name: 'PASS_TO_PASS', data: real.map((t) => JSON.stringify(t.PASS_TO_PASS)), type: 'STRING' as const },
      ],
    });
    const back = await loadTasks(f);
    for (let i = 0; i < real.length; i++) {
      expect(back[i]!.patch).toBe(real[i]!.patch);
      expect(back[i]!.PASS_TO_PASS).toEqual(real[i]!.PASS_TO_PASS);
    }
  });

  it('reads GZIP-compressed Parquet columns', async () => {
    const rows = [row()];
    const f = path.join(dir, 'gzip.parquet');
    const cols = Object.keys(rows[0]!);
    parquetWriteFile({
      filename: f,
      compressors: { GZIP: (b: Uint8Array) => new Uint8Array(gzipSync(b)) },
      columnData: cols.map((name) => ({
        name,
        data: rows.map((r) => (r as Record<string, unknown>)[name] as string),
        type: 'STRING' as const,
        codec: 'GZIP' as const,
      })),
    } as Parameters<typeof parquetWriteFile>[0]);
    const tasks = await loadTasks(f);
    expect(tasks[0]!.instance_id).toBe(rows[0]!.instance_id);
  });

  it('rejects an unknown extension and recognises Parquet magic', () => {
    expect(() => taskFileFormat('x.csv')).toThrow(/\.json, \.jsonl/);
    expect(taskFileFormat('x.bin', new TextEncoder().encode('PAR1xxxx'))).toBe('parquet');
  });
});

describe('malformed rows', () => {
  it('names file, row, instance id and field', () => {
    const rows = [row(), row(), row(), row({ FAIL_TO_PASS: 'not json' })];
    rows[1] = row({ instance_id: 'django__django-7' });
    rows[2] = row({ instance_id: 'django__django-8' });
    let err: unknown;
    try {
      parseTaskRows(rows, { file: 'tasks.jsonl' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SweSrlError);
    const e = err as SweSrlError;
    expect(e.message).toContain('tasks.jsonl row 3 (django__django-1): FAIL_TO_PASS: expected a list');
    expect(e.field).toBe('rows[3].FAIL_TO_PASS');
    expect(e.fault).toBe('user');
  });

  it('reports every bad row, without an id when the row has none', () => {
    const rows = [{ repo: 'a/b' }, row({ repo: 'nope', instance_id: 'x__y-1' })];
    expect(() => parseTaskRows(rows, { file: 't.json' })).toThrow(/t\.json row 0: instance_id: Required[\s\S]*t\.json row 1 \(x__y-1\): repo: expected "owner\/name"/);
  });

  it('rejects duplicated instance ids', () => {
    expect(() => parseTaskRows([row(), row()], { file: 't.json' })).toThrow(/duplicated instance ids: django__django-1/);
  });

  it('reports invalid JSONL lines with their line number', async () => {
    const f = path.join(dir, 'bad.jsonl');
    await writeFile(f, `${JSON.stringify(row())}\n{oops\n`);
    await expect(loadTasks(f)).rejects.toThrow(/bad\.jsonl line 2 \(row 1\) is not valid JSON/);
  });

  it('rejects a JSON object without rows', async () => {
    const f = path.join(dir, 'obj.json');
    await writeFile(f, '{"foo": 1}');
    await expect(loadTasks(f)).rejects.toThrow(/neither an array/);
  });
});
