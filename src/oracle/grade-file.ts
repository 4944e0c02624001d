// Grades a file of oracle responses ({id, response} JSONL) with the outcome reward, resumably: each finished row
// is appended to DIR/rows.jsonl at once, and a re-run skips the rows already there. DIR/summary.json holds the
// resolve rates.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { SrlExample } from '../train/examples.ts';
import { INFRA_ERROR_STATUS, isScored, type RewardFn, type RewardResult } from '../reward/types.ts';
import { scoreOne } from '../reward/score.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { SweSrlError } from '../util/errors.ts';
import { mapPool } from '../util/pool.ts';
import type { Completion } from '../srl/score-file.ts';

export const GRADE_ROW_VERSION = 1;

export interface GradeRow {
  version: typeof GRADE_ROW_VERSION;
  id: string;
  instance_id: string;
  /** 1-based line of the response in the completions file. */
  line: number;
  /** sha256 of the response: a changed response on the same line is graded again. */
  response_sha256: string;
  /** null: an infrastructure fault kept it from being graded (not saved: a re-run grades it again). */
  reward: number | null;
  status: string;
  detail?: string;
  error?: string;
}

export interface GradeSummary {
  responses: number;
  instances: number;
  /** Responses whose edits resolve their task, and their share. */
  resolved: number;
  resolve_rate: number;
  /** Instances with at least one resolving response (pass@k over the responses given), and their share. */
  instances_resolved: number;
  instance_resolve_rate: number;
  format_errors: number;
  /** Responses that could not be graded (infrastructure faults; counted unresolved above, graded again on a re-run). */
  infra_errors: number;
  /** Responses per status / detail (resolved, unresolved, edit_failed, no_change, ...; format-error reason codes). */
  by_outcome: Record<string, number>;
}

/** Grades the completions not yet in DIR/rows.jsonl, appending as they finish; returns all rows and the summary. */
export async function gradeCompletionsFile(o: {
  examples: readonly SrlExample[];
  completions: readonly Completion[];
  completionsFile: string;
  reward: RewardFn;
  outDir: string;
  workers: number;
  onRow?: (row: GradeRow, reused: boolean) => void;
}): Promise<{ rows: GradeRow[]; summary: GradeSummary }> {
  const byId = new Map(o.examples.map((e) => [e.id, e]));
  for (const c of o.completions) {
    if (!byId.has(c.id))
      throw new SweSrlError({
        code: 'unknown_example',
        message: `line ${c.line}: no example with id ${JSON.stringify(c.id)}`,
        fault: 'user',
        file: o.completionsFile,
        field: 'id',
        value: c.id,
        hint: 'Each response names the id of an oracle example (swe-srl oracle build).',
      });
  }
  await mkdir(o.outDir, { recursive: true });
  const rowsFile = join(o.outDir, 'rows.jsonl');
  const done = new Map<string, GradeRow>();
  if (existsSync(rowsFile)) {
    for (const line of (await readFile(rowsFile, 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as GradeRow;
        done.set(rowKey(r.line, r.response_sha256), r);
      } catch {
        // A line cut by a killed run: graded again.
      }
    }
  }
  const rows = await mapPool(o.completions, o.workers, async (c) => {
    const sha = createHash('sha256').update(c.response).digest('hex');
    const prev = done.get(rowKey(c.line, sha));
    if (prev) {
      o.onRow?.(prev, true);
      return prev;
    }
    const ex = byId.get(c.id)!;
    const r: RewardResult = await scoreOne(o.reward, c.response, ex);
    const row: GradeRow = {
      version: GRADE_ROW_VERSION,
      id: c.id,
      instance_id: ex.instance_id,
      line: c.line,
      response_sha256: sha,
      reward: r.reward,
      status: r.status,
      ...(r.detail ? { detail: r.detail } : {}),
      ...(r.error ? { error: r.error } : {}),
    };
    if (isScored(r)) await appendFile(rowsFile, `${JSON.stringify(row)}\n`);
    o.onRow?.(row, false);
    return row;
  });
  const summary = summarizeGrades(rows);
  await writeJsonAtomic(join(o.outDir, 'summary.json'), summary);
  return { rows, summary };
}

function rowKey(line: number, sha: string): string {
  return `${line}:${sha}`;
}

/** Resolve rates of graded rows (pure). */
export function summarizeGrades(rows: readonly GradeRow[]): GradeSummary {
  const instances = new Set(rows.map((r) => r.instance_id));
  const solved = new Set(rows.filter((r) => r.detail === 'resolved').map((r) => r.instance_id));
  const by: Record<string, number> = {};
  for (const r of rows) {
    const k = r.status === 'ok' ? (r.detail ?? 'ok') : r.status;
    by[k] = (by[k] ?? 0) + 1;
  }
  const resolved = rows.filter((r) => r.detail === 'resolved').length;
  return {
    responses: rows.length,
    instances: instances.size,
    resolved,
    resolve_rate: rows.length ? resolved / rows.length : 0,
    instances_resolved: solved.size,
    instance_resolve_rate: instances.size ? solved.size / instances.size : 0,
    format_errors: rows.filter((r) => r.status !== 'ok' && r.status !== INFRA_ERROR_STATUS).length,
    infra_errors: rows.filter((r) => r.status === INFRA_ERROR_STATUS).length,
    by_outcome: by,
  };
}
