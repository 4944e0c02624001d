// A Parquet export of a trajectory dataset to trajectories: the layout from the column names (or the forced
// format), then row group by row group through the row format's parser, with row numbers kept file-wide.
import { SweSrlError } from '../../util/errors.ts';
import type { TrajectoryFormat } from '../format.ts';
import { getFormat } from '../registry.ts';
import type { Trajectory } from '../types.ts';
import { detectLayout } from './layouts.ts';
import { openParquet, readGroup } from './parquet.ts';

/** What the loader shows while a long file is read: one tick per row group. */
export interface LoadProgress {
  tick(label: string): void;
  stop(): void;
}

export interface ParquetLoadOptions {
  forced?: TrajectoryFormat;
  /** Keep a trajectory? (the `--filter`); rejected ones are dropped as soon as parsed. */
  keep: (t: Trajectory) => boolean;
  /** Stop once this many trajectories are kept. */
  limit?: number;
  progress?: (o: { title: string; total: number }) => LoadProgress;
}

export interface ParquetLoadResult {
  format?: string;
  dataset?: string;
  rowsRead: number;
  trajectories: Trajectory[];
  errors: SweSrlError[];
}

/** One row group's worth: what parsed and what did not. */
export interface ParquetBatch {
  format?: string;
  dataset?: string;
  /** Row groups in the file (for progress). */
  groupCount: number;
  rowStart: number;
  rowEnd: number;
  trajectories: Trajectory[];
  errors: SweSrlError[];
}

/**
 * The trajectories of a Parquet file, one row group at a time: only one group's rows are in memory. A file that
 * cannot be opened (or of an unknown layout) gives one batch holding the error; a damaged group, its rows' error.
 */
export async function* parquetBatches(file: string, opts: { forced?: TrajectoryFormat } = {}): AsyncGenerator<ParquetBatch> {
  let table;
  let format: TrajectoryFormat;
  let dataset: string | undefined;
  try {
    table = await openParquet(file);
    if (opts.forced) format = opts.forced;
    else {
      const layout = detectLayout(table.columns, file);
      format = getFormat(layout.format);
      dataset = layout.dataset;
    }
  } catch (e) {
    yield { groupCount: 0, rowStart: 0, rowEnd: 0, trajectories: [], errors: [e as SweSrlError] };
    return;
  }
  const base = { format: format.name, ...(dataset ? { dataset } : {}), groupCount: table.groups.length };
  for (const group of table.groups) {
    let rows: Record<string, unknown>[];
    try {
      rows = await readGroup(table, group);
    } catch (e) {
      yield { ...base, ...group, trajectories: [], errors: [e as SweSrlError] };
      continue;
    }
    const parsed = format.parse({ json: rows, file, rowOffset: group.rowStart });
    yield { ...base, ...group, trajectories: parsed.trajectories, errors: parsed.errors.map((e) => atRow(e, file)) };
  }
}

/** Loads the trajectories of one Parquet file, keeping those that pass the filter, up to the limit. */
export async function loadParquet(file: string, opts: ParquetLoadOptions): Promise<ParquetLoadResult> {
  const out: ParquetLoadResult = { rowsRead: 0, trajectories: [], errors: [] };
  let progress: LoadProgress | undefined;
  try {
    for await (const b of parquetBatches(file, { forced: opts.forced })) {
      out.format ??= b.format;
      out.dataset ??= b.dataset;
      if (b.groupCount) progress ??= opts.progress?.({ title: file.split('/').pop() ?? file, total: b.groupCount });
      out.rowsRead += b.rowEnd - b.rowStart;
      for (const e of b.errors) out.errors.push(e);
      for (const t of b.trajectories) {
        if (opts.limit !== undefined && out.trajectories.length >= opts.limit) break;
        if (opts.keep(t)) out.trajectories.push(t);
      }
      progress?.tick(`rows ${b.rowStart}-${b.rowEnd - 1}: ${b.trajectories.length} parsed, ${b.errors.length} bad`);
      if (opts.limit !== undefined && out.trajectories.length >= opts.limit) break;
    }
  } finally {
    progress?.stop();
  }
  return out;
}

// Row errors name the row as `[N].column`; the message says "row N, column C" in words too.
function atRow(e: SweSrlError, file: string): SweSrlError {
  const m = /^\[(\d+)\]\.?([^.[]*)/.exec(e.field ?? '');
  if (!m) return e;
  const where = m[2] ? `row ${m[1]}, column ${m[2]}` : `row ${m[1]}`;
  return new SweSrlError({
    code: e.code,
    message: `${where}: ${bareMessage(e)}`,
    fault: e.fault,
    file,
    field: e.field,
    hint: 'The row is skipped; the other rows still load. Check the export, or force the row format with --format NAME.',
    cause: e,
  });
}

// The message as its maker wrote it: without the code in front and the location and hint after.
function bareMessage(e: SweSrlError): string {
  let text = e.message.startsWith(`${e.code}: `) ? e.message.slice(e.code.length + 2) : e.message;
  const loc = e.file ? text.lastIndexOf(` (file ${e.file}`) : -1;
  if (loc >= 0) text = text.slice(0, loc);
  return text;
}
