// One policy, many HTTP requests: requests queue here and one sample call runs at a time (a worker policy is one
// process). Requests that arrive while a call runs are grouped by their sampling parameters, so a busy server
// sends the policy one batch per group instead of one call per request.
import type { ChatMessage, Completion, Policy, SampleOptions } from '../types.ts';

export interface BatchJob {
  messages: ChatMessage[];
  opts: SampleOptions;
  batchable: boolean;
}

export interface BatchResult {
  promptIds: number[];
  completions: Completion[];
}

interface Queued extends BatchJob {
  resolve: (r: BatchResult) => void;
  reject: (e: unknown) => void;
}

/** The sampling parameters that must match for jobs to share a call (the seed is the first job's). */
export function batchKey(o: SampleOptions): string {
  return JSON.stringify([o.n, o.maxNewTokens, o.temperature, o.topP, o.stop]);
}

/** Splits the queue: the first job plus the later batchable jobs that share its key, up to max; the rest keep order. */
export function takeBatch<J extends BatchJob>(queue: readonly J[], max: number): { batch: J[]; rest: J[] } {
  const [first, ...others] = queue;
  if (!first) return { batch: [], rest: [] };
  if (!first.batchable) return { batch: [first], rest: others };
  const key = batchKey(first.opts);
  const batch: J[] = [first];
  const rest: J[] = [];
  for (const j of others) {
    if (batch.length < max && j.batchable && batchKey(j.opts) === key) batch.push(j);
    else rest.push(j);
  }
  return { batch, rest };
}

export class SampleBatcher {
  private queue: Queued[] = [];
  private running = false;
  /** Sample calls made and prompts they carried (their ratio is the mean batch size). */
  readonly stats = { calls: 0, prompts: 0 };

  constructor(
    private readonly policy: Policy,
    private readonly maxBatch: number,
  ) {}

  /** The completions of one chat prompt, once a call that carries it ends. */
  submit(job: BatchJob): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve, reject) => {
      this.queue.push({ ...job, resolve, reject });
      void this.drain();
    });
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running || this.queue.length) await new Promise((r) => setTimeout(r, 10));
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length) {
        const { batch, rest } = takeBatch(this.queue, this.maxBatch);
        this.queue = rest;
        await this.run(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(batch: Queued[]): Promise<void> {
    this.stats.calls++;
    this.stats.prompts += batch.length;
    try {
      const r = await this.policy.sample(
        batch.map((j) => j.messages),
        batch[0]!.opts,
      );
      batch.forEach((j, i) => j.resolve({ promptIds: r.promptIds[i] ?? [], completions: r.completions[i] ?? [] }));
    } catch (e) {
      for (const j of batch) j.reject(e);
    }
  }
}
