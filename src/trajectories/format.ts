// The contract every trajectory format implements, and the shared way a format reports invalid input.
import type { z } from 'zod';
import { SweSrlError, formatPath } from '../util/errors.ts';
import type { Trajectory } from './types.ts';

/** What a parser gets: the parsed file (rows already split for JSONL) and companion files the loader found. */
export interface ParseInput {
  json: unknown;
  file: string;
  /** Parsed sibling files named by `TrajectoryFormat.sidecars` that exist, keyed by path. */
  sidecars?: Record<string, unknown>;
  /** Row number of the first row in `json` within its file (a Parquet row group's start); 0 when absent. */
  rowOffset?: number;
}

/** Good trajectories plus one error per bad row (or per file, for single-trajectory formats). */
export interface ParseResult {
  trajectories: Trajectory[];
  errors: SweSrlError[];
}

export interface TrajectoryFormat {
  name: string;
  description: string;
  /** A cheap look at the content (and name) of a parsed file: is it this format? */
  detect(json: unknown, fileName: string): boolean;
  /** Sibling files whose content refines the result (e.g. a harness report giving `resolved`). */
  sidecars?(file: string): string[];
  /** Pure: the parsed file to normalized trajectories. */
  parse(input: ParseInput): ParseResult;
}

type PathPart = string | number;

// One error per bad row: the first issue names the field, the message lists a few more.
export function zodError(opts: { file: string; prefix: PathPart[]; error: z.ZodError; value?: unknown }): SweSrlError {
  const issues = opts.error.issues;
  const first = issues[0];
  const field = formatPath([...opts.prefix, ...(first?.path ?? [])]);
  const described = issues
    .slice(0, 3)
    .map((i) => `${formatPath([...opts.prefix, ...i.path])}: ${i.message.toLowerCase()}`)
    .join('; ');
  const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : '';
  return new SweSrlError({
    code: 'trajectory_invalid',
    message: `invalid trajectory: ${described}${more}`,
    fault: 'user',
    file: opts.file,
    field,
    hint: 'Check that the file is of the format it was parsed as (see `--format`), and not truncated.',
  });
}

/** Thrown by builders for input that passed the schema but cannot make a trajectory; the path is row-relative. */
export class ContentError extends Error {
  constructor(
    readonly path: PathPart[],
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses a file of rows (a list: one trajectory per row, errors prefixed with the row index) or a single row
 * (an object: no prefix, no index), collecting errors so that one bad row does not lose the others.
 */
export function parseRows<T>(opts: {
  json: unknown;
  file: string;
  rowOffset?: number;
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  build: (row: T, index: number | undefined) => Trajectory;
}): ParseResult {
  if (!Array.isArray(opts.json)) return parseOne({ json: opts.json, file: opts.file, schema: opts.schema, build: (v) => opts.build(v, undefined) });
  const out: ParseResult = { trajectories: [], errors: [] };
  const offset = opts.rowOffset ?? 0;
  opts.json.forEach((raw: unknown, i) => {
    const index = i + offset;
    // A hole left by the loader for a JSONL line that did not parse (already reported there).
    if (raw === undefined) return;
    const parsed = opts.schema.safeParse(raw);
    if (!parsed.success) {
      out.errors.push(zodError({ file: opts.file, prefix: [index], error: parsed.error }));
      return;
    }
    try {
      out.trajectories.push(opts.build(parsed.data, index));
    } catch (e) {
      out.errors.push(rowError(e, { file: opts.file, prefix: [index] }));
    }
  });
  return out;
}

/** Parses a single-object file, turning schema and content failures into errors. */
export function parseOne<T>(opts: {
  json: unknown;
  file: string;
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  build: (value: T) => Trajectory;
}): ParseResult {
  const parsed = opts.schema.safeParse(opts.json);
  if (!parsed.success) return { trajectories: [], errors: [zodError({ file: opts.file, prefix: [], error: parsed.error })] };
  try {
    return { trajectories: [opts.build(parsed.data)], errors: [] };
  } catch (e) {
    return { trajectories: [], errors: [rowError(e, { file: opts.file, prefix: [] })] };
  }
}

function rowError(e: unknown, where: { file: string; prefix: PathPart[] }): SweSrlError {
  if (e instanceof ContentError) {
    return new SweSrlError({
      code: 'trajectory_invalid',
      message: e.message,
      fault: 'user',
      file: where.file,
      field: formatPath([...where.prefix, ...e.path]),
    });
  }
  if (e instanceof SweSrlError) return e;
  return new SweSrlError({
    code: 'trajectory_internal',
    message: `parser failed: ${e instanceof Error ? e.message : String(e)}`,
    fault: 'internal',
    file: where.file,
    field: formatPath(where.prefix),
    cause: e,
  });
}
