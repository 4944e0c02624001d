// OpenEnv's environment protocol (meta-pytorch/OpenEnv, src/openenv/core/env_server/http_server.py and types.py)
// for swe-srl task sandboxes, under /openenv so that the JSON API keeps its routes. OpenEnv clients (EnvClient,
// GenericEnvClient, TRL's environment_factory wrappers) take http://HOST:PORT/openenv as their base URL.
//
//   WS   /openenv/ws        one session per connection: {"type": "reset"|"step"|"state"|"close", "data": {...}}
//                           -> {"type": "observation", "data": {observation, reward, done}} | {"type": "state", ...}
//                           | {"type": "error", "data": {message, code}}
//   POST /openenv/reset     {instance_id?, seed?, episode_id?} -> {observation, reward, done}  (stateless, as OpenEnv's
//   POST /openenv/step      {action, instance_id}              -> {observation, reward, done}   simulation mode: a
//   GET  /openenv/state     {episode_id, step_count}                                            fresh env each call)
//   GET  /openenv/schema    {action, observation, state} JSON schemas
//   GET  /openenv/metadata  {name, description, version, ...}
//   GET  /openenv/health    {status: "healthy"}
//
// An action is one swe-srl tool call: {"response": "<think>..</think><function=..>"} (a whole policy reply),
// {"call": "<function=..>"}, {"tool": NAME, "arguments": {...}}, or {"command": "..."} (bash). The observation is
// the tool's output with its exit status and metadata; reset's output is the task's problem statement. Submitting
// ends the episode: the submission is graded in a fresh sandbox and the reward is 1.0 (resolved) or 0.0.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import type { OutcomeGrader } from '../oracle/outcome.ts';
import { renderCall } from '../srl/action-xml.ts';
import { SweSrlError, formatPath, isSweSrlError } from '../util/errors.ts';
import type { EnvPool, StepResult } from './envs.ts';
import { acceptWebSocket, rejectUpgrade } from './websocket.ts';

export const OPENENV_PREFIX = '/openenv';

const ResetData = z
  .object({
    instance_id: z.string().min(1).optional(),
    seed: z.number().int().nonnegative().optional(),
    episode_id: z.string().max(255).optional(),
  })
  .passthrough();
const ActionData = z
  .object({
    response: z.string().optional(),
    call: z.string().optional(),
    tool: z.string().optional(),
    arguments: z.record(z.string()).optional(),
    command: z.string().optional(),
    metadata: z.record(z.unknown()).optional(),
  })
  .strict()
  .refine((a) => [a.response, a.call, a.tool, a.command].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of response, call, tool (with arguments) or command',
  });
const StepRequest = z.object({ action: z.record(z.unknown()), instance_id: z.string().min(1).optional() }).passthrough();

export type OpenEnvAction = z.infer<typeof ActionData>;

/** OpenEnv's reply shape: serialize_observation(observation). */
export interface OpenEnvResult {
  observation: {
    output: string;
    exit_code: number | null;
    timed_out: boolean;
    format_error: string | null;
    submission: string | null;
    metadata: Record<string, unknown>;
  };
  reward: number | null;
  done: boolean;
}

export interface OpenEnvDeps {
  pool: EnvPool;
  grader: OutcomeGrader;
}

/** The input EnvPool.step takes for an action. */
export function stepInput(raw: unknown): { response?: string; action?: string } {
  const a = parse(ActionData, raw, 'action');
  if (a.response !== undefined) return { response: a.response };
  if (a.call !== undefined) return { action: a.call };
  if (a.command !== undefined) return { action: renderCall({ tool: 'bash', args: { command: a.command } }) };
  // Written out as XML (not through renderCall, which refuses invalid calls) so that an invalid call comes back as
  // the same format error, with the same reason, as the XML would.
  const params = Object.entries(a.arguments ?? {}).map(([k, v]) => `<parameter=${k}>${v}</parameter>\n`);
  return { action: `<function=${a.tool}>\n${params.join('')}</function>` };
}

/** One OpenEnv session: at most one live environment, replaced by each reset. */
export class OpenEnvSession {
  private env?: { id: string; instanceId: string; repo: string };
  private episodeId: string | null = null;
  private stepCount = 0;
  private done = false;

  constructor(private readonly d: OpenEnvDeps) {}

  async reset(raw: unknown): Promise<OpenEnvResult> {
    const data = parse(ResetData, raw ?? {}, 'data');
    const instanceId = data.instance_id ?? pickTask(this.d.pool, data.seed);
    this.d.pool.task(instanceId);
    await this.close();
    const e = await this.d.pool.open(instanceId);
    this.env = { id: e.env_id, instanceId, repo: e.repo };
    this.episodeId = data.episode_id ?? e.env_id;
    this.stepCount = 0;
    this.done = false;
    return {
      observation: { output: e.problem_statement, exit_code: null, timed_out: false, format_error: null, submission: null, metadata: { ...this.meta(), workdir: e.workdir, problem_statement: e.problem_statement } },
      reward: null,
      done: false,
    };
  }

  async step(raw: unknown): Promise<OpenEnvResult> {
    const input = stepInput(raw);
    if (!this.env) throw new SweSrlError({ code: 'no_episode', message: 'step before reset', fault: 'user', hint: 'Send {"type": "reset"} first.' });
    const r: StepResult = await this.d.pool.step(this.env.id, input);
    this.stepCount++;
    let reward: number | null = null;
    const meta: Record<string, unknown> = this.meta();
    if (r.done) {
      this.done = true;
      const patch = r.submission ?? '';
      const grade = patch.trim() ? await this.d.grader.gradePatch(this.env.instanceId, patch) : { status: 'no_change', resolved: false, detail: 'empty patch' };
      reward = grade.resolved ? 1 : 0;
      meta.grade = { status: grade.status, resolved: grade.resolved, detail: grade.detail };
    }
    return {
      observation: { output: r.observation, exit_code: r.exit_code, timed_out: r.timed_out, format_error: r.format_error ?? null, submission: r.submission ?? null, metadata: meta },
      reward,
      done: r.done,
    };
  }

  state(): Record<string, unknown> {
    return { episode_id: this.episodeId, step_count: this.stepCount, instance_id: this.env?.instanceId ?? null, env_id: this.env?.id ?? null, done: this.done };
  }

  /** Closes the live environment, if any. */
  async close(): Promise<void> {
    const env = this.env;
    this.env = undefined;
    if (env) await this.d.pool.close(env.id).catch(() => undefined);
  }

  private meta(): Record<string, unknown> {
    return { instance_id: this.env?.instanceId, repo: this.env?.repo, env_id: this.env?.id, episode_id: this.episodeId, step_count: this.stepCount };
  }
}

type Route = [string, RegExp, (m: RegExpExecArray, body: () => Promise<unknown>) => Promise<unknown>];

/** OpenEnv's HTTP routes (stateless, as in OpenEnv's simulation mode: every call has a fresh environment). */
export function openEnvRoutes(d: OpenEnvDeps): Route[] {
  const p = (path: string) => new RegExp(`^${OPENENV_PREFIX}${path}$`);
  return [
    ['GET', p('/health'), async () => ({ status: 'healthy' })],
    ['GET', p('/metadata'), async () => METADATA],
    ['GET', p('/schema'), async () => SCHEMA],
    ['GET', p('/state'), async () => new OpenEnvSession(d).state()],
    [
      'POST',
      p('/reset'),
      async (_, body) => {
        const s = new OpenEnvSession(d);
        try {
          return await s.reset(await body());
        } finally {
          await s.close();
        }
      },
    ],
    [
      'POST',
      p('/step'),
      async (_, body) => {
        const b = parse(StepRequest, await body(), '(body)');
        const instanceId = b.instance_id ?? (b.action.metadata as { instance_id?: string } | undefined)?.instance_id;
        if (!instanceId)
          throw new SweSrlError({ code: 'bad_request', message: 'a stateless step needs instance_id', fault: 'user', field: 'instance_id', hint: `Give instance_id, or keep an episode over the WebSocket route ${OPENENV_PREFIX}/ws.` });
        const s = new OpenEnvSession(d);
        try {
          await s.reset({ instance_id: instanceId });
          return await s.step(b.action);
        } finally {
          await s.close();
        }
      },
    ],
  ];
}

/** The 'upgrade' listener of the server (OpenEnv sessions on /openenv/ws), and a way to end every session. */
export function openEnvUpgrade(d: OpenEnvDeps & { authorized: (req: IncomingMessage) => boolean; maxBytes: number; log?: (line: string) => void }) {
  const sockets = new Set<Duplex>();
  const listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== `${OPENENV_PREFIX}/ws`) return rejectUpgrade(socket, 404, 'Not Found');
    if (!d.authorized(req)) return rejectUpgrade(socket, 401, 'Unauthorized');
    const session = new OpenEnvSession(d);
    let queue = Promise.resolve();
    const t0 = Date.now();
    sockets.add(socket);
    acceptWebSocket(req, socket, {
      head,
      maxBytes: d.maxBytes,
      handlers: (conn) => ({
        // Messages are answered one at a time, in order.
        onMessage: (text) => {
          queue = queue.then(async () => {
            const reply = await handleMessage(session, text);
            if (reply === 'close') return conn.close();
            conn.send(JSON.stringify(reply));
          });
        },
        onClose: () => {
          sockets.delete(socket);
          queue = queue.then(() => session.close());
          d.log?.(`WS ${OPENENV_PREFIX}/ws closed after ${((Date.now() - t0) / 1000).toFixed(0)}s`);
        },
      }),
    });
  };
  // Upgraded sockets are the server's no longer: without this, server.close() would wait for every client to leave.
  const closeAll = () => {
    for (const s of sockets) s.destroy();
  };
  return { listener, closeAll };
}

/** One client message -> the reply OpenEnv's server sends (WSObservationResponse, WSStateResponse, WSErrorResponse). */
export async function handleMessage(session: OpenEnvSession, text: string): Promise<Record<string, unknown> | 'close'> {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch (e) {
    return wsError('INVALID_JSON', `Invalid JSON: ${(e as Error).message}`);
  }
  const m = (msg ?? {}) as { type?: unknown; data?: unknown };
  try {
    switch (m.type) {
      case 'reset':
        return { type: 'observation', data: await session.reset(m.data ?? {}) };
      case 'step':
        if (m.data === undefined) return wsError('VALIDATION_ERROR', 'Invalid message: step needs data (the action)');
        return { type: 'observation', data: await session.step(m.data) };
      case 'state':
        return { type: 'state', data: session.state() };
      case 'close':
        await session.close();
        return 'close';
      default:
        return wsError('UNKNOWN_TYPE', `Unknown message type: ${String(m.type ?? '')}`);
    }
  } catch (e) {
    if (!isSweSrlError(e)) return wsError('EXECUTION_ERROR', e instanceof Error ? e.message : String(e));
    const code = e.code === 'too_many_envs' ? 'CAPACITY_REACHED' : e.code === 'bad_request' ? 'VALIDATION_ERROR' : 'EXECUTION_ERROR';
    return wsError(code, e.message, { swe_srl_code: e.code, ...(e.field ? { field: e.field } : {}), ...(e.hint ? { hint: e.hint } : {}) });
  }
}

function wsError(code: string, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'error', data: { message, code, ...extra } };
}

/** The task of a reset without instance_id: by seed when given (reproducible), else at random. */
function pickTask(pool: EnvPool, seed: number | undefined): string {
  const tasks = pool.taskList();
  if (!tasks.length) throw new SweSrlError({ code: 'no_tasks', message: 'the server has no tasks', fault: 'user' });
  return tasks[(seed ?? Math.floor(Math.random() * 2 ** 31)) % tasks.length]!.instance_id;
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown, where: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new SweSrlError({ code: 'bad_request', message: issue.message, fault: 'user', field: [where, formatPath(issue.path)].filter(Boolean).join('.') });
}

const METADATA = {
  name: 'swe-srl',
  description: 'A SWE-bench-style task in a Docker sandbox: reset opens a task, each step runs one swe-srl tool call (bash, str_replace_editor, submit); submit grades the change (reward 1 resolved, 0 not).',
  readme_content: null,
  version: '1',
  author: null,
  documentation_url: null,
};

const str = { type: 'string' };
const SCHEMA = {
  action: {
    title: 'SweSrlAction',
    type: 'object',
    description: 'Exactly one of response, call, tool (+ arguments), command.',
    properties: {
      response: { ...str, description: 'A whole policy reply: <think>...</think> then one <function=...> call.' },
      call: { ...str, description: 'One XML call: <function=NAME><parameter=P>V</parameter></function>.' },
      tool: { type: 'string', enum: ['bash', 'str_replace_editor', 'submit'] },
      arguments: { type: 'object', additionalProperties: str, description: 'The tool\'s parameters, as strings.' },
      command: { ...str, description: 'Shorthand for the bash tool.' },
      metadata: { type: 'object' },
    },
    additionalProperties: false,
  },
  observation: {
    title: 'SweSrlObservation',
    type: 'object',
    properties: {
      output: { ...str, description: 'The tool\'s output (reset: the problem statement).' },
      exit_code: { type: ['integer', 'null'] },
      timed_out: { type: 'boolean' },
      format_error: { type: ['string', 'null'], description: 'Why the action could not be read as a call (nothing ran).' },
      submission: { type: ['string', 'null'], description: 'The submitted diff, once the agent submits.' },
      metadata: { type: 'object', description: 'instance_id, repo, env_id, episode_id, step_count; reset: workdir, problem_statement; done: grade.' },
      done: { type: 'boolean' },
      reward: { type: ['number', 'null'] },
    },
  },
  state: {
    title: 'SweSrlState',
    type: 'object',
    properties: { episode_id: { type: ['string', 'null'] }, step_count: { type: 'integer' }, instance_id: { type: ['string', 'null'] }, env_id: { type: ['string', 'null'] }, done: { type: 'boolean' } },
  },
};
