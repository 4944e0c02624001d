// Scores a file of policy completions against a file of SRL examples (pure: text in, rows and summary out).
import { z } from 'zod';
import { formatPath, SweSrlError } from '../util/errors.ts';
import { RESPONSE_ERROR_REASONS, type ResponseErrorReason } from './response.ts';
import { scoreResponse, type RewardOptions } from './reward.ts';

export const SCORE_ROW_VERSION = 1;

/** An examples line: only id and target matter here; the builder's other fields pass through unread. */
export const ExampleLineSchema = z.object({ id: z.string().min(1), target: z.string() }).passthrough();
/** A completions line: one response of the policy to the example `id` (several per id are allowed). */
export const CompletionLineSchema = z.object({ id: z.string().min(1), response: z.string() }).passthrough();

export interface Completion {
  id: string;
  response: string;
  /** 1-based line number in the completions file. */
  line: number;
}

export interface ScoreRow {
  version: typeof SCORE_ROW_VERSION;
  id: string;
  line: number;
  reward: number;
  status: 'ok' | ResponseErrorReason;
}

export interface ScoreSummary {
  responses: number;
  examples: number;
  /** Mean reward over all responses (format errors count as -1); null when there are none. */
  meanReward: number | null;
  /** Mean reward over the responses that parse; null when none parse. */
  meanRewardParsed: number | null;
  formatErrors: number;
  /** formatErrors / responses; null when there are none. */
  formatErrorRate: number | null;
  /** Format errors per reason code, only codes that occurred, in the canonical order. */
  reasons: Partial<Record<ResponseErrorReason, number>>;
}

/** Parses a JSONL text into validated records, failing on the first bad line with its file, number and field. */
export function parseJsonl<T>(text: string, opts: { file: string; schema: z.ZodType<T> }): Array<{ line: number; value: T }> {
  const out: Array<{ line: number; value: T }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const line = i + 1;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw lineError({ file: opts.file, line, field: '(line)', message: `not JSON: ${(e as Error).message}`, value: raw });
    }
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), json);
      throw lineError({ file: opts.file, line, field: formatPath(issue.path), message: issue.message, value });
    }
    out.push({ line, value: parsed.data });
  }
  return out;
}

function lineError(o: { file: string; line: number; field: string; message: string; value: unknown }): SweSrlError {
  return new SweSrlError({
    code: 'bad_jsonl_line',
    message: `line ${o.line}: ${o.field}: ${o.message}`,
    fault: 'user',
    file: o.file,
    field: `line ${o.line}: ${o.field}`,
    value: o.value,
    hint: 'Each line must be one JSON object; examples need {"id", "target"}, completions {"id", "response"}.',
  });
}

/** Reads the examples file's text into id -> expert target; duplicate ids are an error. */
export function parseExamples(text: string, file: string): Map<string, string> {
  const targets = new Map<string, string>();
  for (const { line, value } of parseJsonl(text, { file, schema: ExampleLineSchema })) {
    if (targets.has(value.id)) {
      throw new SweSrlError({
        code: 'duplicate_example_id',
        message: `line ${line}: example id ${JSON.stringify(value.id)} appears twice`,
        fault: 'user',
        file,
        field: `line ${line}: id`,
        value: value.id,
        hint: 'Example ids must be unique.',
      });
    }
    targets.set(value.id, value.target);
  }
  return targets;
}

/** Reads the completions file's text. */
export function parseCompletions(text: string, file: string): Completion[] {
  return parseJsonl(text, { file, schema: CompletionLineSchema }).map(({ line, value }) => ({
    id: value.id,
    response: value.response,
    line,
  }));
}

/** Scores every completion against its example's target; an id with no example is an error naming it. */
export function scoreCompletions(opts: {
  targets: ReadonlyMap<string, string>;
  completions: readonly Completion[];
  completionsFile: string;
  reward?: RewardOptions;
}): { rows: ScoreRow[]; summary: ScoreSummary } {
  const rows: ScoreRow[] = [];
  for (const c of opts.completions) {
    const target = opts.targets.get(c.id);
    if (target === undefined) {
      throw new SweSrlError({
        code: 'unknown_example_id',
        message: `line ${c.line}: no example has id ${JSON.stringify(c.id)}`,
        fault: 'user',
        file: opts.completionsFile,
        field: `line ${c.line}: id`,
        value: c.id,
        hint: 'Score completions against the examples file they were generated from.',
      });
    }
    const scored = scoreResponse(c.response, target, opts.reward);
    rows.push({ version: SCORE_ROW_VERSION, id: c.id, line: c.line, reward: scored.reward, status: scored.status });
  }
  return { rows, summary: summarize(rows) };
}

/** Mean reward, format-error rate and per-reason counts of scored rows. */
export function summarize(rows: readonly ScoreRow[]): ScoreSummary {
  let sum = 0;
  let sumParsed = 0;
  let parsed = 0;
  const counts = new Map<ResponseErrorReason, number>();
  for (const r of rows) {
    sum += r.reward;
    if (r.status === 'ok') {
      sumParsed += r.reward;
      parsed++;
    } else {
      counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    }
  }
  const reasons: Partial<Record<ResponseErrorReason, number>> = {};
  for (const reason of RESPONSE_ERROR_REASONS) {
    const n = counts.get(reason);
    if (n !== undefined) reasons[reason] = n;
  }
  const n = rows.length;
  return {
    responses: n,
    examples: new Set(rows.map((r) => r.id)).size,
    meanReward: n === 0 ? null : sum / n,
    meanRewardParsed: parsed === 0 ? null : sumParsed / parsed,
    formatErrors: n - parsed,
    formatErrorRate: n === 0 ? null : (n - parsed) / n,
    reasons,
  };
}
