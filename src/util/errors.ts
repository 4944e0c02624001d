// One error type for the whole project: a code, who is at fault, where (file/field/value), and what to do next.
import { ERROR_CODES, type ErrorCode, type Fault } from './error-codes.ts';

export type { Fault };

export interface SweSrlErrorOptions {
  /** One of the vocabulary (src/util/error-codes.ts), which gives the default fault and retryable. */
  code: ErrorCode;
  message: string;
  fault?: Fault;
  /** Whether retrying the same operation may help (a flaky engine, a busy resource). */
  retryable?: boolean;
  file?: string;
  field?: string;
  value?: unknown;
  hint?: string;
  cause?: unknown;
}

export class SweSrlError extends Error {
  readonly code: ErrorCode;
  readonly fault: Fault;
  readonly retryable: boolean;
  readonly file?: string;
  readonly field?: string;
  readonly value?: unknown;
  readonly hint?: string;

  constructor(opts: SweSrlErrorOptions) {
    super(formatMessage(opts), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SweSrlError';
    this.code = opts.code;
    this.fault = opts.fault ?? ERROR_CODES[opts.code].fault;
    this.retryable = opts.retryable ?? ERROR_CODES[opts.code].retryable;
    this.file = opts.file;
    this.field = opts.field;
    this.value = opts.value;
    this.hint = opts.hint;
  }
}

// The message reads on its own: "<code>: <what> (file F, field X, value V). <hint>"
function formatMessage(o: SweSrlErrorOptions): string {
  const where: string[] = [];
  if (o.file) where.push(`file ${o.file}`);
  if (o.field) where.push(`field ${o.field}`);
  if (o.value !== undefined) where.push(`value ${previewValue(o.value)}`);
  const loc = where.length ? ` (${where.join(', ')})` : '';
  const hint = o.hint ? ` ${o.hint}` : '';
  return `${o.code}: ${o.message}${loc}.${hint}`;
}

function previewValue(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Turns a zod issue path into a JSON-path-like string: rows[3].FAIL_TO_PASS */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(root)';
}

export function isSweSrlError(e: unknown): e is SweSrlError {
  return e instanceof SweSrlError;
}
