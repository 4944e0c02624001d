// Predictions in SWE-bench's shape ({instance_id, model_patch, model_name_or_path}) from JSON (a list, or a dict
// keyed by instance id as SWE-agent writes it) or JSONL; the pseudo-predictions `gold` and `empty`; and a
// stable patch hash for resuming runs.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SweSrlError, formatPath } from '../util/errors.ts';
import type { Task } from '../tasks/schema.ts';

export const PredictionSchema = z
  .object({
    instance_id: z.string().min(1),
    /** null is SWE-bench's "no patch" (patch_is_None); "" is an empty patch. */
    model_patch: z.string().nullable(),
    /** SWE-bench reads it with a "None" default. */
    model_name_or_path: z.string().min(1).default('None'),
  })
  .passthrough();

export type Prediction = z.output<typeof PredictionSchema>;

export type PseudoPredictions = 'gold' | 'empty';

/** Loads predictions from a .json or .jsonl file, validating every row. */
export async function loadPredictions(file: string): Promise<Prediction[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SweSrlError({ code: 'predictions_unreadable', message: `cannot read predictions file ${file}: ${(e as Error).message}`, fault: 'user', file, cause: e });
  }
  return parsePredictions(text, file);
}

/** Parses predictions text: JSONL for .jsonl/.ndjson names; otherwise JSON, or JSONL when it is several values. */
export function parsePredictions(text: string, file: string): Prediction[] {
  const jsonl = file.endsWith('.jsonl') || file.endsWith('.ndjson') || looksLikeJsonl(text);
  return validateRows(jsonl ? jsonlRows(text, file) : jsonRows(text, file), file);
}

function looksLikeJsonl(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    return lines.length > 1 && lines.every((l) => {
      try {
        JSON.parse(l);
        return true;
      } catch {
        return false;
      }
    });
  }
}

function jsonRows(text: string, file: string): Array<{ row: unknown; key?: string }> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SweSrlError({ code: 'predictions_invalid', message: `${file} is not valid JSON: ${(e as Error).message}`, fault: 'user', file, hint: 'Use a .jsonl name for one prediction per line.' });
  }
  if (Array.isArray(value)) return value.map((row) => ({ row }));
  if (value && typeof value === 'object') return Object.entries(value).map(([key, row]) => ({ row, key }));
  throw new SweSrlError({
    code: 'predictions_invalid',
    message: `${file} must hold a list of predictions or an object mapping instance ids to predictions`,
    fault: 'user',
    file,
  });
}

function jsonlRows(text: string, file: string): Array<{ row: unknown }> {
  const rows: Array<{ row: unknown }> = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push({ row: JSON.parse(line) });
    } catch (e) {
      throw new SweSrlError({ code: 'predictions_invalid', message: `${file} line ${i + 1} is not valid JSON: ${(e as Error).message}`, fault: 'user', file });
    }
  });
  return rows;
}

function validateRows(rows: Array<{ row: unknown; key?: string }>, file: string): Prediction[] {
  const problems: string[] = [];
  let field: string | undefined;
  const preds: Prediction[] = [];
  rows.forEach(({ row, key }, i) => {
    const where = key === undefined ? `prediction ${i}` : `prediction "${key}"`;
    // a dict keyed by id may leave instance_id out of the value
    const filled = key !== undefined && row && typeof row === 'object' && !('instance_id' in row) ? { ...row, instance_id: key } : row;
    const r = PredictionSchema.safeParse(filled);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const f = issue.path.length ? formatPath(issue.path) : '(row)';
        field ??= f;
        problems.push(`${file} ${where}: ${f}: ${issue.message}`);
      }
      return;
    }
    if (key !== undefined && r.data.instance_id !== key) {
      problems.push(`${file} ${where}: instance_id "${r.data.instance_id}" differs from its key`);
      field ??= 'instance_id';
      return;
    }
    preds.push(r.data);
  });
  const counts = new Map<string, number>();
  for (const p of preds) counts.set(p.instance_id, (counts.get(p.instance_id) ?? 0) + 1);
  const dups = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  if (dups.length) problems.push(`${file}: duplicated instance ids: ${dups.join(', ')}`);
  if (problems.length) {
    throw new SweSrlError({
      code: 'predictions_invalid',
      message: problems.slice(0, 20).join('\n') + (problems.length > 20 ? `\n... and ${problems.length - 20} more` : ''),
      fault: 'user',
      file,
      field,
      hint: 'Each prediction needs instance_id, model_patch (string or null) and model_name_or_path.',
    });
  }
  return preds;
}

/** SWE-bench's `gold` predictions (each task's own patch) or `empty` ones (an empty patch). */
export function pseudoPredictions(kind: PseudoPredictions, tasks: readonly Task[]): Prediction[] {
  return tasks.map((t) => ({
    instance_id: t.instance_id,
    model_patch: kind === 'gold' ? t.patch : '',
    model_name_or_path: kind,
  }));
}

/** Predictions from "gold", "empty" or a file path. */
export async function resolvePredictions(source: string, tasks: readonly Task[]): Promise<Prediction[]> {
  if (source === 'gold' || source === 'empty') return pseudoPredictions(source, tasks);
  return loadPredictions(source);
}

/** Checks that every prediction names a task (SWE-bench refuses predictions for unknown instances). */
export function checkPredictionsAgainstTasks(preds: readonly Prediction[], tasks: readonly Task[], file?: string): void {
  const known = new Set(tasks.map((t) => t.instance_id));
  const unknown = preds.filter((p) => !known.has(p.instance_id)).map((p) => p.instance_id);
  if (unknown.length) {
    throw new SweSrlError({
      code: 'predictions_unknown_instances',
      message: `${unknown.length} prediction(s) name instances that are not in the task set: ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ', ...' : ''}`,
      fault: 'user',
      file,
      field: 'instance_id',
      hint: 'Use the task file the predictions were made for, or drop those predictions.',
    });
  }
}

/** sha256 (hex) of a patch's UTF-8 bytes; a null patch hashes as the empty string. */
export function patchHash(patch: string | null): string {
  return createHash('sha256').update(patch ?? '', 'utf8').digest('hex');
}

/** The folder name SWE-bench uses for a model ("/" -> "__"). */
export function modelDirName(modelNameOrPath: string): string {
  return modelNameOrPath.replaceAll('/', '__');
}
