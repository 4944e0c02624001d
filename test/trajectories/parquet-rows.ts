// Writing rows as a Parquet file the way Hugging Face exports are made (pyarrow, nested columns as list/struct,
// zstd), with the worker venv's Python. Tests skip when no Python with pyarrow is at hand.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { defaultPython } from '../../src/policy/python-env.ts';

const WRITE = `import json, sys
import pyarrow as pa, pyarrow.parquet as pq
src, dst, group, codec = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = json.load(open(src))
pq.write_table(pa.Table.from_pylist(rows), dst, row_group_size=group, compression=codec)`;

/** Whether a Python with pyarrow is available (the worker venv, SWE_SRL_PYTHON or the system one). */
export function hasPyarrow(): boolean {
  try {
    execFileSync(defaultPython(), ['-c', 'import pyarrow'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes rows (a list of objects) to `file` as Parquet with row groups of `rowGroupSize` rows. */
export async function writeParquetRows(rows: unknown[], file: string, o: { rowGroupSize?: number; codec?: string } = {}): Promise<void> {
  const json = `${file}.rows.json`;
  await writeFile(json, JSON.stringify(rows));
  execFileSync(defaultPython(), ['-c', WRITE, json, file, String(o.rowGroupSize ?? 2), o.codec ?? 'zstd'], { stdio: ['ignore', 'ignore', 'pipe'] });
}
