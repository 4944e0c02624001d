// Writing rows as a Parquet file the way Hugging Face exports are made (pyarrow, nested columns as list/struct,
// zstd), with the worker venv's Python. Tests skip when no Python with pyarrow is at hand.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { defaultPython } from '../../src/policy/python-env.ts';

// One Python start for many files (it costs seconds on a busy machine).
const WRITE = `import json, sys
import pyarrow as pa, pyarrow.parquet as pq
for spec in json.load(open(sys.argv[1])):
    rows = json.load(open(spec["rows"]))
    pq.write_table(pa.Table.from_pylist(rows), spec["file"], row_group_size=spec["group"], compression=spec["codec"])`;

export interface ParquetSpec {
  rows: unknown[];
  file: string;
  /** Rows per row group (default 2). */
  rowGroupSize?: number;
  /** zstd (default), snappy, gzip, brotli, lz4, none. */
  codec?: string;
}

/** Whether a Python with pyarrow is available (the worker venv, SWE_SRL_PYTHON or the system one). */
export function hasPyarrow(): boolean {
  try {
    execFileSync(defaultPython(), ['-c', 'import pyarrow'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes each spec's rows (a list of objects) to its file as Parquet. */
export async function writeParquetFiles(specs: ParquetSpec[]): Promise<void> {
  const list = [];
  for (const s of specs) {
    const rows = `${s.file}.rows.json`;
    await writeFile(rows, JSON.stringify(s.rows));
    list.push({ rows, file: s.file, group: s.rowGroupSize ?? 2, codec: s.codec ?? 'zstd' });
  }
  const listFile = `${specs[0]!.file}.specs.json`;
  await writeFile(listFile, JSON.stringify(list));
  execFileSync(defaultPython(), ['-c', WRITE, listFile], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Writes rows (a list of objects) to `file` as Parquet with row groups of `rowGroupSize` rows. */
export async function writeParquetRows(rows: unknown[], file: string, o: Omit<ParquetSpec, 'rows' | 'file'> = {}): Promise<void> {
  await writeParquetFiles([{ rows, file, ...o }]);
}
