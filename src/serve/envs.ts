// Live environments for remote agents (an RL trainer's rollout workers): one sandbox of a task with a persistent
// shell and the agent tools, stepped with tool calls. Steps of one environment run one at a time; environments idle
// past their time-to-live are closed.
import { randomUUID } from 'node:crypto';
import type { EvalTask } from '../harness/image-provider.ts';
import type { SandboxProvider, TaskSandbox } from '../harness/sandbox-provider.ts';
import { createToolContext, type ToolContext } from '../tools/context.ts';
import { runAgentStep } from '../tools/agent-step.ts';
import { SweSrlError } from '../util/errors.ts';

export interface StepResult {
  observation: string;
  exit_code: number;
  timed_out: boolean;
  /** The agent submitted: the episode is over. */
  done: boolean;
  submission?: string;
  /** The reply could not be read as a call (reason code): nothing ran. */
  format_error?: string;
  steps: number;
}

interface Env {
  id: string;
  task: EvalTask;
  box: TaskSandbox;
  ctx: ToolContext;
  steps: number;
  done: boolean;
  lastUsed: number;
  queue: Promise<unknown>;
}

export interface EnvPoolOptions {
  sandboxes: SandboxProvider;
  tasks: readonly EvalTask[];
  /** Environments open at once at most. */
  maxEnvs: number;
  /** Seconds an environment may sit idle before it is closed. */
  ttlS: number;
  stepTimeoutMs: number;
}

export class EnvPool {
  private readonly envs = new Map<string, Env>();
  private readonly tasks: Map<string, EvalTask>;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: EnvPoolOptions) {
    this.tasks = new Map(o.tasks.map((t) => [t.instance_id, t]));
    this.timer = setInterval(() => void this.reap(), Math.min(30_000, (o.ttlS * 1000) / 2));
    this.timer.unref();
  }

  get size(): number {
    return this.envs.size;
  }

  get taskCount(): number {
    return this.tasks.size;
  }

  /** The tasks environments can be opened for. */
  taskList(): Array<{ instance_id: string; repo: string }> {
    return [...this.tasks.values()].map((t) => ({ instance_id: t.instance_id, repo: t.repo }));
  }

  /** The task of an instance id, or a user error naming it. */
  task(instanceId: string): EvalTask {
    const t = this.tasks.get(instanceId);
    if (!t) throw new SweSrlError({ code: 'unknown_instance', message: `no task ${instanceId}`, fault: 'user', field: 'instance_id', value: instanceId });
    return t;
  }

  /** Opens a fresh environment of the task (a reset). */
  async open(instanceId: string): Promise<{ env_id: string; instance_id: string; repo: string; problem_statement: string; workdir: string }> {
    const task = this.task(instanceId);
    if (this.envs.size >= this.o.maxEnvs)
      throw new SweSrlError({ code: 'too_many_envs', message: `${this.envs.size} environments are open (the limit)`, fault: 'user', hint: 'Close environments (DELETE /envs/ID) or start the server with a higher --max-envs.' });
    const box = await this.o.sandboxes.open(task, { labels: { 'swe-srl.serve': task.instance_id } });
    try {
      const ctx = createToolContext({ sandbox: box.sandbox, session: await box.sandbox.openSession(), timeoutMs: this.o.stepTimeoutMs });
      const id = randomUUID();
      this.envs.set(id, { id, task, box, ctx, steps: 0, done: false, lastUsed: Date.now(), queue: Promise.resolve() });
      return { env_id: id, instance_id: task.instance_id, repo: task.repo, problem_statement: task.problem_statement, workdir: box.sandbox.workdir };
    } catch (e) {
      await box.sandbox.close().catch(() => undefined);
      throw e;
    }
  }

  /**
   * Runs one step: `response` is a whole policy reply (<think> then one call), `action` a bare call. A reply that is
   * not a call comes back as a format error and runs nothing.
   */
  step(envId: string, input: { response?: string; action?: string }): Promise<StepResult> {
    const env = this.get(envId);
    const run = env.queue.then(() => this.runStep(env, input));
    env.queue = run.catch(() => undefined);
    return run;
  }

  /** The environment's diff against the base commit. */
  diff(envId: string): Promise<string> {
    const env = this.get(envId);
    env.lastUsed = Date.now();
    return env.box.sandbox.diff();
  }

  async close(envId: string): Promise<void> {
    const env = this.get(envId);
    this.envs.delete(envId);
    await env.box.sandbox.close().catch(() => undefined);
  }

  /** Closes every environment (server shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    const all = [...this.envs.values()];
    this.envs.clear();
    await Promise.all(all.map((e) => e.box.sandbox.close().catch(() => undefined)));
  }

  private get(envId: string): Env {
    const env = this.envs.get(envId);
    if (!env) throw new SweSrlError({ code: 'unknown_env', message: `no open environment ${envId}`, fault: 'user', field: 'env_id', value: envId, hint: 'It was closed, expired after its idle time, or never opened.' });
    return env;
  }

  private async runStep(env: Env, input: { response?: string; action?: string }): Promise<StepResult> {
    env.lastUsed = Date.now();
    if (env.done) throw new SweSrlError({ code: 'episode_done', message: 'the agent submitted: open a new environment', fault: 'user', field: 'env_id', value: env.id });
    // A running step is never idle, however long it takes.
    env.lastUsed = Number.POSITIVE_INFINITY;
    let step;
    try {
      step = await runAgentStep(env.ctx, input.response !== undefined ? { response: input.response } : { action: input.action ?? '' });
    } finally {
      env.lastUsed = Date.now();
    }
    env.steps++;
    if (!step.ok) return { observation: step.observation, exit_code: -1, timed_out: false, done: false, format_error: step.reason, steps: env.steps };
    const r = step.result;
    if (r.submission !== undefined) env.done = true;
    return { observation: r.output, exit_code: r.exitCode, timed_out: r.timedOut, done: env.done, steps: env.steps, ...(r.submission !== undefined ? { submission: r.submission } : {}) };
  }

  private async reap(): Promise<void> {
    const cutoff = Date.now() - this.o.ttlS * 1000;
    for (const env of [...this.envs.values()]) if (env.lastUsed < cutoff) await this.close(env.id).catch(() => undefined);
  }
}
