// Task loaders: JSON (array, or object with a `rows`/`data` array), JSONL, and Parquet (a Hugging Face export).
// Every row is validated with TaskSchema; all row errors of a file are reported together.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { TaskSchema, type Task } from './schema.ts';
import { SweSrlError, formatPath } from '../util/errors.ts';
import { PARQUET_CODECS_HINT, plainParquetValue } from '../util/parquet-values.ts';

export interface LoadTasksOptions {
  /** Keep only these instance ids (in file order); any that the file lacks is an error. */
  instances?: string[];
}

export type TaskFileFormat = 'json' | 'jsonl' | 'parquet';

const MAX_REPORTED_ISSUES = 20;

/** Loads and validates the task rows of a JSON, JSONL or Parquet file. */
export async function loadTasks(file: string, opts: LoadTasksOptions = {}): Promise<Task[]> {
  const rows = await readTaskRows(file);
  return parseTaskRows(rows, { file, instances: opts.instances });
}

/** Picks the format from the file's extension; Parquet is also recognised by its magic bytes. */
export function taskFileFormat(file: string, head?: Uint8Array): TaskFileFormat {
  if (head && head.length >= 4 && String.fromCharCode(...head.subarray(0, 4)) === 'PAR1') return 'parquet';
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.parquet') return 'parquet';
  throw new SweSrlError({
    code: 'task_file_format',
    message: `cannot tell the format of task file ${file}`,
    fault: 'user',
    file,
    hint: 'Use a .json, .jsonl/.ndjson or .parquet file.',
  });
}

/** Reads the raw rows of a task file without validating them. */
export async function readTaskRows(file: string): Promise<unknown[]> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    throw new SweSrlError({
      code: 'task_file_unreadable',
      message: `cannot read task file ${file}: ${(e as Error).message}`,
      fault: 'user',
      file,
      cause: e,
    });
  }
  const format = taskFileFormat(file, buf.subarray(0, 4));
  if (format === 'parquet') return readParquetRows(file);
  const text = buf.toString('utf8');
  return format === 'json' ? jsonRows(text, file) : jsonlRows(text, file);
}

function jsonRows(text: string, file: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SweSrlError({
      code: 'task_file_invalid',
      message: `${file} is not valid JSON: ${(e as Error).message}`,
      fault: 'user',
      file,
    });
  }
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    for (const key of ['rows', 'data'] as const) {
      const inner = (value as Record<string, unknown>)[key];
      if (Array.isArray(inner)) return inner.map((r) => unwrapRow(r));
    }
  }
  throw new SweSrlError({
    code: 'task_file_invalid',
    message: `${file} holds neither an array of task rows nor an object with a "rows" or "data" array`,
    fault: 'user',
    file,
  });
}

// The Hugging Face datasets-server wraps rows as {row_idx, row: {...}}; accept that shape too.
function unwrapRow(r: unknown): unknown {
  if (r && typeof r === 'object' && 'row' in r && 'row_idx' in r) return (r as { row: unknown }).row;
  return r;
}

function jsonlRows(text: string, file: string): unknown[] {
  const rows: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      rows.push(JSON.parse(line));
    } catch (e) {
      throw new SweSrlError({
        code: 'task_file_invalid',
        message: `${file} line ${i + 1} (row ${rows.length}) is not valid JSON: ${(e as Error).message}`,
        fault: 'user',
        file,
      });
    }
  }
  return rows;
}

async function readParquetRows(file: string): Promise<unknown[]> {
  try {
    const buffer = await asyncBufferFromFile(file);
    const rows = await parquetReadObjects({ file: buffer, compressors });
    return rows.map((r) => plainParquetValue(r));
  } catch (e) {
    throw new SweSrlError({
      code: 'task_file_invalid',
      message: `cannot read Parquet file ${file}: ${(e as Error).message}`,
      fault: 'user',
      file,
      hint: PARQUET_CODECS_HINT,
      cause: e,
    });
  }
}

/** Validates raw rows into Tasks: every bad row, duplicated id and missing requested id is reported. */
export function parseTaskRows(rows: unknown[], opts: { file: string; instances?: string[] }): Task[] {
  const { file } = opts;
  const problems: string[] = [];
  let firstField: string | undefined;
  const tasks: Task[] = [];
  rows.forEach((row, index) => {
    const result = TaskSchema.safeParse(row);
    if (result.success) {
      tasks.push(result.data);
      return;
    }
    const id = rowInstanceId(row);
    const where = `${file} row ${index}${id ? ` (${id})` : ''}`;
    for (const issue of result.error.issues) {
      const field = issue.path.length ? formatPath(issue.path) : '(row)';
      firstField ??= `rows[${index}].${field}`;
      problems.push(`${where}: ${field}: ${issue.message}`);
    }
  });
  if (problems.length) throw rowsError(file, problems, firstField);

  const seen = new Map<string, number>();
  const dups = new Set<string>();
  for (const t of tasks) {
    const n = (seen.get(t.instance_id) ?? 0) + 1;
    seen.set(t.instance_id, n);
    if (n > 1) dups.add(t.instance_id);
  }
  if (dups.size) {
    throw new SweSrlError({
      code: 'task_duplicate_id',
      message: `${file} has duplicated instance ids: ${[...dups].join(', ')}`,
      fault: 'user',
      file,
      field: 'instance_id',
      hint: 'Each instance_id must appear once.',
    });
  }
  if (!opts.instances) return tasks;
  const wanted = new Set(opts.instances);
  const missing = [...wanted].filter((id) => !seen.has(id));
  if (missing.length) {
    throw new SweSrlError({
      code: 'task_instances_missing',
      message: `${file} lacks ${missing.length} requested instance(s): ${missing.join(', ')}`,
      fault: 'user',
      file,
      field: 'instance_id',
      hint: 'Check the instance ids, or the task file you meant to use.',
    });
  }
  return tasks.filter((t) => wanted.has(t.instance_id));
}

function rowInstanceId(row: unknown): string | undefined {
  if (row && typeof row === 'object') {
    const id = (row as Record<string, unknown>).instance_id;
    if (typeof id === 'string' && id) return id;
  }
  return undefined;
}

function rowsError(file: string, problems: string[], field: string | undefined): SweSrlError {
  const shown = problems.slice(0, MAX_REPORTED_ISSUES);
  const more = problems.length - shown.length;
  const message = shown.join('\n') + (more > 0 ? `\n... and ${more} more problem(s)` : '');
  return new SweSrlError({
    code: 'task_row_invalid',
    message,
    fault: 'user',
    file,
    field,
    hint: 'Fix the rows listed above; FAIL_TO_PASS / PASS_TO_PASS may be lists or JSON strings of lists.',
  });
}
