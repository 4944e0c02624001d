// Loading trajectory files: walk folders, read and parse JSON / JSONL / Parquet, pick the format, read companion
// files. One bad file (or row) is reported and never stops the others; run companions are skipped with a note.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SweSrlError } from '../util/errors.ts';
import { companionByName, companionDir, type Companion } from './companions.ts';
import { matchLayout } from './datasets/layouts.ts';
import { loadParquet, type LoadProgress } from './datasets/load-parquet.ts';
import type { ParseResult, TrajectoryFormat } from './format.ts';
import { detectFormat, getFormat } from './registry.ts';
import { isRecord } from './text.ts';
import type { Trajectory } from './types.ts';

export type { LoadProgress } from './datasets/load-parquet.ts';

/** Which trajectories to keep: all, or only those recorded as resolved. */
export const LOAD_FILTERS = ['resolved'] as const;
export type LoadFilter = (typeof LOAD_FILTERS)[number];

export interface LoadOptions {
  /** Force this format instead of detecting one per file (for Parquet: instead of the layout's). */
  format?: string;
  /** Stop after this many trajectories (kept ones, after the filter). */
  limit?: number;
  /** Keep only trajectories that pass this filter. */
  filter?: LoadFilter;
  /** Progress of long (Parquet) files, one tick per row group. */
  progress?: (o: { title: string; total: number }) => LoadProgress;
}

export interface FileResult {
  file: string;
  format?: string;
  /** For Parquet exports: the dataset its columns were recognised as. */
  dataset?: string;
  trajectories: Trajectory[];
  errors: SweSrlError[];
}

export interface LoadResult {
  trajectories: Trajectory[];
  errors: SweSrlError[];
  /** Per file, in load order. */
  files: FileResult[];
  /** Files met while walking folders that are run companions (predictions, harness reports), not trajectories. */
  skipped: string[];
  /** The companions among `skipped` (and companion folders), with who writes them and what they are. */
  companions: Array<Companion & { file: string }>;
  /** Trajectories parsed but left out by the filter. */
  filteredOut: number;
}

const TRAJECTORY_FILE = /\.(traj|json|jsonl|parquet)$/;

/** Loads every trajectory in the given files and folders (walked for .traj, .json, .jsonl, .parquet). */
export async function loadTrajectories(pathsOrDirs: string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const forced = opts.format === undefined ? undefined : getFormat(opts.format);
  checkLimit(opts.limit);
  const out: LoadResult = { trajectories: [], errors: [], files: [], skipped: [], companions: [], filteredOut: 0 };
  const keep = (t: Trajectory) => {
    const ok = opts.filter !== 'resolved' || t.resolved === true;
    if (!ok) out.filteredOut++;
    return ok;
  };
  for (const entry of await listFiles(pathsOrDirs, out)) {
    const left = opts.limit === undefined ? undefined : opts.limit - out.trajectories.length;
    if (left !== undefined && left <= 0) break;
    let result: FileResult | 'companion';
    if (entry.file.endsWith('.parquet')) {
      const r = await loadParquet(entry.file, { forced, keep, limit: left, progress: opts.progress });
      result = { file: entry.file, format: r.format, dataset: r.dataset, trajectories: r.trajectories, errors: r.errors };
    } else {
      result = await loadFile(entry.file, { forced, walked: entry.walked });
      if (result !== 'companion') result.trajectories = result.trajectories.filter(keep).slice(0, left);
    }
    if (result === 'companion') {
      out.skipped.push(entry.file);
      out.companions.push({ agent: 'SWE-bench', kind: 'predictions or harness report', file: entry.file });
      continue;
    }
    out.files.push(result);
    // One at a time: a dataset export can hold more rows than a spread call takes arguments.
    for (const t of result.trajectories) out.trajectories.push(t);
    for (const e of result.errors) out.errors.push(e);
  }
  return out;
}

function checkLimit(limit: number | undefined): void {
  if (limit === undefined || (Number.isInteger(limit) && limit > 0)) return;
  throw new SweSrlError({ code: 'bad_option', message: '--limit must be a whole number above 0', fault: 'user', field: '--limit', value: limit });
}

async function listFiles(paths: string[], out: LoadResult): Promise<Array<{ file: string; walked: boolean }>> {
  const files: Array<{ file: string; walked: boolean }> = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      out.errors.push(new SweSrlError({ code: 'trajectory_file_missing', message: 'no such file or folder', fault: 'user', file: p }));
      continue;
    }
    if (st.isDirectory()) for (const f of await walk(p, out)) files.push({ file: f, walked: true });
    else files.push({ file: p, walked: false });
  }
  return files;
}

// Trajectory files under a folder; the run companions met on the way are noted (not returned).
async function walk(dir: string, out: LoadResult): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const c = companionDir(e.name);
      if (c) out.companions.push({ ...c, file: p });
      else files.push(...(await walk(p, out)));
      continue;
    }
    if (!e.isFile()) continue;
    const c = companionByName(e.name);
    if (c) {
      out.companions.push({ ...c, file: p });
      if (TRAJECTORY_FILE.test(e.name)) out.skipped.push(p);
    } else if (TRAJECTORY_FILE.test(e.name)) files.push(p);
  }
  return files;
}

async function loadFile(file: string, opts: { forced?: TrajectoryFormat; walked: boolean }): Promise<FileResult | 'companion'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { file, trajectories: [], errors: [new SweSrlError({ code: 'trajectory_file_unreadable', message: String(e), fault: 'user', file })] };
  }
  const decoded = decodeJson(text, file);
  if (decoded.value === undefined) return { file, trajectories: [], errors: decoded.errors };
  if (!opts.forced && opts.walked && companionKind(decoded.value)) return 'companion';
  let format: TrajectoryFormat;
  try {
    format = opts.forced ?? rowsLayoutFormat(decoded.value) ?? detectFormat(decoded.value, file);
  } catch (e) {
    const kind = companionKind(decoded.value);
    const err = kind
      ? new SweSrlError({ code: 'trajectory_not_a_trajectory', message: `this is ${kind}, not a trajectory`, fault: 'user', file })
      : (e as SweSrlError);
    return { file, trajectories: [], errors: [...decoded.errors, err] };
  }
  const sidecars = await readSidecars(format, file);
  const result: ParseResult = format.parse({ json: decoded.value, file, sidecars });
  return { file, format: format.name, trajectories: result.trajectories, errors: [...decoded.errors, ...result.errors] };
}

// Rows of a dataset export (a JSON list or JSONL) are told apart by their columns, as a Parquet file's are.
function rowsLayoutFormat(json: unknown): TrajectoryFormat | undefined {
  const first = Array.isArray(json) ? json.find((r) => r !== undefined) : undefined;
  if (!isRecord(first)) return undefined;
  const layout = matchLayout(Object.keys(first));
  return layout ? getFormat(layout.format) : undefined;
}

/** Parses a file's text: one JSON value, or JSONL rows (a line that fails is reported and left as a hole). */
export function decodeJson(text: string, file: string): { value?: unknown; errors: SweSrlError[] } {
  try {
    return { value: JSON.parse(text) as unknown, errors: [] };
  } catch (e) {
    const lines = text.split('\n');
    const nonEmpty = lines.filter((l) => l.trim() !== '');
    // JSONL: several lines, each its own value.
    if (nonEmpty.length > 1 && nonEmpty[0]!.trim().startsWith('{')) {
      const rows: unknown[] = [];
      const errors: SweSrlError[] = [];
      let lineNo = 0;
      for (const line of lines) {
        lineNo++;
        if (line.trim() === '') continue;
        try {
          rows.push(JSON.parse(line) as unknown);
        } catch (le) {
          rows.push(undefined);
          errors.push(jsonError(le, { file, text: line, where: `line ${lineNo}` }));
        }
      }
      if (rows.some((r) => r !== undefined)) return { value: rows, errors };
    }
    return { errors: [jsonError(e, { file, text })] };
  }
}

function jsonError(e: unknown, o: { file: string; text: string; where?: string }): SweSrlError {
  const msg = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(msg);
  let where = o.where;
  if (pos) {
    const before = o.text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    where = o.where ? `${o.where}, column ${col}` : `line ${line}, column ${col}`;
  } else if (!where && /end of (JSON )?input|Unterminated/i.test(msg)) {
    where = `end of file (line ${o.text.split('\n').length})`;
  }
  return new SweSrlError({
    code: 'trajectory_json',
    message: `invalid JSON: ${msg}`,
    fault: 'user',
    file: o.file,
    field: where ?? '(root)',
    hint: 'The file may be truncated; re-export it.',
  });
}

async function readSidecars(format: TrajectoryFormat, file: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const p of format.sidecars?.(file) ?? []) {
    if (p === file) continue;
    try {
      out[p] = JSON.parse(await readFile(p, 'utf8')) as unknown;
    } catch {
      // Absent or unreadable companions only mean less is known.
    }
  }
  return out;
}

/** Run companions that sit beside trajectories: SWE-bench predictions and harness reports. */
export function companionKind(json: unknown): string | undefined {
  const first = Array.isArray(json) ? json[0] : json;
  if (isRecord(first) && 'model_patch' in first && 'instance_id' in first && !('history' in first) && !('messages' in first)) {
    return 'a SWE-bench predictions file';
  }
  if (!isRecord(json) || Array.isArray(json)) return undefined;
  const isReport = (v: unknown) => isRecord(v) && ('tests_status' in v || 'patch_successfully_applied' in v);
  if (isReport(json) || (Object.keys(json).length > 0 && Object.values(json).every(isReport))) return 'a SWE-bench harness report';
  return undefined;
}

/** The file name an output trajectory is written under (unique per source file and row). */
export function outputName(t: Trajectory): string {
  const safe = t.instanceId.replace(/[^A-Za-z0-9._-]+/g, '_');
  const key = `${t.source.file}#${t.source.index ?? ''}`;
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return `${t.format}/${safe}.${h.toString(16).padStart(8, '0')}.json`;
}

