// Runs the PyTorch worker (src/policy/worker) with execa and speaks its JSON-lines protocol: one pending promise
// per request id, every reply checked with zod, and a crash, a time-out or a malformed line failing every pending
// request with the worker's stderr tail instead of hanging.
import { execa } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { SweSrlError } from '../util/errors.ts';
import type { ErrorCode } from '../util/error-codes.ts';
import { defaultPython } from './python-env.ts';
import { formatPath } from '../util/errors.ts';
import {
  OPS,
  PROTOCOL_VERSION,
  ReadySchema,
  ReplySchema,
  type Op,
  type OpParams,
  type OpResult,
} from './protocol.ts';

/** Folder of the Python worker package (run as `python3 <dir>`). */
export const WORKER_DIR = join(dirname(fileURLToPath(import.meta.url)), 'worker');

export interface WorkerClientOptions {
  /** Python interpreter; default $SWE_SRL_PYTHON, else the project's venv (scripts/setup-python.sh), else /usr/bin/python3. */
  python?: string;
  /** Milliseconds a request may take before the worker is declared hung and killed (per op overrides below). */
  timeoutMs?: number;
  timeouts?: Partial<Record<Op, number>>;
  /** Extra environment for the worker (e.g. CUDA_VISIBLE_DEVICES, OMP_NUM_THREADS). */
  env?: Record<string, string>;
  /** Where stderr lines go besides the kept tail (default: dropped). */
  onLog?: (line: string) => void;
}

interface Pending {
  op: Op;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

const STDERR_TAIL = 40;


function spawnWorker(python: string, env: Record<string, string>) {
  return execa(python, ['-u', WORKER_DIR], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    env: { PYTHONUNBUFFERED: '1', ...env },
  });
}

export class WorkerClient {
  private readonly proc: ReturnType<typeof spawnWorker>;
  private readonly pending = new Map<number, Pending>();
  private readonly stderrTail: string[] = [];
  private nextId = 1;
  private failure: SweSrlError | undefined;
  private readonly ready: Promise<void>;
  private readyResolve!: () => void;
  private readyReject!: (e: unknown) => void;
  readonly python: string;

  private constructor(private readonly opts: WorkerClientOptions) {
    this.python = defaultPython(opts.python);
    this.ready = new Promise<void>((res, rej) => {
      this.readyResolve = res;
      this.readyReject = rej;
    });
    this.ready.catch(() => undefined);
    this.proc = spawnWorker(this.python, opts.env ?? {});
    createInterface({ input: this.proc.stdout }).on('line', (line) => this.onLine(line));
    createInterface({ input: this.proc.stderr }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
      opts.onLog?.(line);
    });
    this.proc.stdin.on('error', () => undefined); // EPIPE after a crash: reported through the exit handler
    void this.proc.then((r) => {
      const how = r.signal ? `was killed by ${r.signal}` : `exited with code ${String(r.exitCode)}`;
      this.fail(
        new SweSrlError({
          code: 'worker_exited',
          message: `the policy worker (${this.python} ${WORKER_DIR}) ${how}${r.failed && !r.exitCode && !r.signal ? ` (${r.shortMessage})` : ''}; stderr tail:\n${this.tail()}`,
          fault: 'environment',
          hint: 'Run npm run setup (it makes the worker\'s venv), or set policy.python / SWE_SRL_PYTHON to an interpreter with torch.',
        }),
      );
    });
  }

  /** Starts a worker and waits for its ready line. */
  static async start(opts: WorkerClientOptions = {}): Promise<WorkerClient> {
    const c = new WorkerClient(opts);
    const timer = setTimeout(
      () => c.fail(c.error('worker_timeout', 'the policy worker did not report ready within 60 s', 'environment')),
      60_000,
    );
    try {
      await c.ready;
    } finally {
      clearTimeout(timer);
    }
    return c;
  }

  /** Sends one request and resolves with its zod-checked result. */
  async request<O extends Op>(op: O, params: OpParams<O>): Promise<OpResult<O>> {
    if (this.failure) throw this.failure;
    const checked = OPS[op].params.safeParse(params);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new SweSrlError({
        code: 'worker_bad_request',
        message: `${op} request: ${issue.message}`,
        fault: 'internal',
        field: formatPath(issue.path),
      });
    }
    const id = this.nextId++;
    const ms = this.opts.timeouts?.[op] ?? this.opts.timeoutMs ?? 600_000;
    const raw = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(this.error('worker_timeout', `${op} (request ${id}) got no reply within ${ms} ms`, 'environment')),
        ms,
      );
      this.pending.set(id, { op, resolve, reject, timer });
      this.proc.stdin.write(`${JSON.stringify({ id, op, params: checked.data })}\n`);
    });
    const parsed = OPS[op].result.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const e = this.error('worker_bad_reply', `${op} reply does not match the protocol: ${issue.message}`, 'internal');
      this.fail(e);
      throw e;
    }
    return parsed.data as OpResult<O>;
  }

  /** Asks the worker to exit, then makes sure it has. */
  async close(): Promise<void> {
    if (!this.failure) {
      try {
        await Promise.race([this.request('shutdown', {}), new Promise((r) => setTimeout(r, 5000))]);
      } catch {
        // already failing: fall through to the kill
      }
    }
    this.failure ??= this.error('worker_closed', 'the policy worker was closed', 'internal');
    this.proc.stdin.end();
    if (this.proc.exitCode === null) this.proc.kill('SIGTERM');
    await this.proc.catch(() => undefined);
  }

  /** The last lines the worker wrote to stderr. */
  tail(): string {
    return this.stderrTail.join('\n') || '(empty)';
  }

  private onLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.fail(this.error('worker_bad_reply', `non-JSON line on the worker's stdout: ${line.slice(0, 200)}`, 'internal'));
      return;
    }
    const r = ReplySchema.safeParse(msg);
    if (!r.success) {
      this.fail(this.error('worker_bad_reply', `malformed reply: ${line.slice(0, 200)}`, 'internal'));
      return;
    }
    const reply = r.data;
    if (reply.id === 0 && reply.ok) {
      const ready = ReadySchema.safeParse(reply.result);
      if (!ready.success || ready.data.protocol !== PROTOCOL_VERSION) {
        this.fail(this.error('worker_protocol', `worker speaks protocol ${JSON.stringify(reply.result)}, we speak ${PROTOCOL_VERSION}`, 'internal'));
      } else this.readyResolve();
      return;
    }
    const p = this.pending.get(reply.id);
    if (!p) {
      this.fail(this.error('worker_bad_reply', `reply for unknown request id ${reply.id}: ${line.slice(0, 200)}`, 'internal'));
      return;
    }
    this.pending.delete(reply.id);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.result);
    else
      p.reject(
        new SweSrlError({
          code: reply.error.type === 'bad_request' ? 'worker_rejected' : 'worker_op_failed',
          message: `${p.op} failed in the worker: ${reply.error.message}`,
          fault: reply.error.type === 'bad_request' ? 'user' : 'environment',
          field: reply.error.path,
          hint: reply.error.type === 'bad_request' ? undefined : `Worker stderr tail:\n${this.tail()}`,
        }),
      );
  }

  private error(code: ErrorCode, message: string, fault: 'environment' | 'internal'): SweSrlError {
    return new SweSrlError({ code, message: `${message}; stderr tail:\n${this.tail()}`, fault });
  }

  /** Fails every pending request (and any later one) with e, and stops the process. */
  private fail(e: SweSrlError): void {
    if (this.failure) return;
    this.failure = e;
    this.readyReject(e);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(e);
      this.pending.delete(id);
    }
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}
