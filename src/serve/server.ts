// The HTTP face of swe-srl for other trainers (verl's reward functions and rollout workers, say): rewards, grading
// and live environments over JSON. Bodies are validated; errors come back as {error: {code, message, field, hint}}
// with 400 (the request), 401 (no or a wrong bearer token), 404 (an unknown route, task or environment), 413 (a body
// over the limit), 429 (too many environments), 500, or 504 (a request past its time limit). With a token, every
// route but /health needs `Authorization: Bearer <token>`.
//
//   GET    /health                 {ok, tasks, envs}
//   GET    /tasks                  [{instance_id, repo}]
//   POST   /reward                 {response, target, reward?: srl|exact, autojunk?} -> {reward, status}
//   POST   /reward/outcome         {instance_id, response} -> {reward, status, detail}   (edits applied + tests run)
//   POST   /grade                  {instance_id, patch} -> {status, resolved, detail, seconds}
//   POST   /envs                   {instance_id} -> {env_id, instance_id, repo, problem_statement, workdir}
//   POST   /envs/:id/step          {response} | {action} -> {observation, exit_code, timed_out, done, submission?, format_error?}
//   GET    /envs/:id/diff          {patch}
//   DELETE /envs/:id               {closed: true}
//   /openenv/...                   OpenEnv's protocol (reset/step/state/schema/health, sessions on /openenv/ws): openenv.ts
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { OutcomeGrader } from '../oracle/outcome.ts';
import { createOutcomeReward } from '../oracle/outcome-reward.ts';
import type { SrlExample } from '../train/examples.ts';
import { createReward } from '../reward/registry.ts';
import { SweSrlError, formatPath, isSweSrlError } from '../util/errors.ts';
import { readJsonBody } from '../util/http-body.ts';
import type { EnvPool } from './envs.ts';
import { OPENENV_PREFIX, openEnvRoutes, openEnvUpgrade } from './openenv.ts';

const MAX_BODY_BYTES = 32 << 20;

const RewardBody = z.object({
  response: z.string(),
  target: z.string().min(1),
  /** A text reward of the registry (src/reward/registry.ts); sandbox rewards have their own routes. */
  reward: z.string().min(1).default('srl'),
  autojunk: z.boolean().default(false),
});
const OutcomeBody = z.object({ instance_id: z.string().min(1), response: z.string() });
const GradeBody = z.object({ instance_id: z.string().min(1), patch: z.string() });
const OpenBody = z.object({ instance_id: z.string().min(1) });
const StepBody = z
  .object({ response: z.string().optional(), action: z.string().optional() })
  .refine((b) => (b.response === undefined) !== (b.action === undefined), { message: 'give exactly one of response or action' });

export interface ServeOptions {
  pool: EnvPool;
  grader: OutcomeGrader;
  port: number;
  host?: string;
  /** Bearer token every route but /health requires (the CLI requires one off loopback). */
  token?: string;
  /** Largest request body accepted (default 32 MiB). */
  maxBodyBytes?: number;
  /** Time limit of one request (default 15 minutes: a grading can take that long); past it the reply is 504. */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function serve(o: ServeOptions): Promise<RunningServer> {
  const outcome = createOutcomeReward(o.grader);
  const routes: Array<[string, RegExp, (m: RegExpExecArray, body: () => Promise<unknown>) => Promise<unknown>]> = [
    ['GET', /^\/health$/, async () => ({ ok: true, tasks: o.pool.taskCount, envs: o.pool.size })],
    ['GET', /^\/tasks$/, async () => o.pool.taskList()],
    [
      'POST',
      /^\/reward$/,
      async (_, body) => {
        const b = parse(RewardBody, await body());
        // The registry's reward, the one `swe-srl train` uses; it reads only the example's target.
        const reward = await createReward(b.reward, { autojunk: b.autojunk }, { kind: 'text', field: 'reward' });
        const r = await reward(b.response, example('-', b.target));
        return { reward: r.reward, status: r.status };
      },
    ],
    [
      'POST',
      /^\/reward\/outcome$/,
      async (_, body) => {
        const b = parse(OutcomeBody, await body());
        o.pool.task(b.instance_id);
        // The outcome reward reads only the example's instance id.
        return outcome(b.response, example(b.instance_id, '-'));
      },
    ],
    [
      'POST',
      /^\/grade$/,
      async (_, body) => {
        const b = parse(GradeBody, await body());
        o.pool.task(b.instance_id);
        if (!b.patch.trim()) return { status: 'no_change', resolved: false, detail: 'empty patch', seconds: 0 };
        const { patch: _patch, ...v } = await o.grader.gradePatch(b.instance_id, b.patch);
        return v;
      },
    ],
    ['POST', /^\/envs$/, async (_, body) => o.pool.open(parse(OpenBody, await body()).instance_id)],
    ['POST', /^\/envs\/([\w-]+)\/step$/, async (m, body) => o.pool.step(m[1]!, parse(StepBody, await body()))],
    ['GET', /^\/envs\/([\w-]+)\/diff$/, async (m) => ({ patch: await o.pool.diff(m[1]!) })],
    [
      'DELETE',
      /^\/envs\/([\w-]+)$/,
      async (m) => {
        await o.pool.close(m[1]!);
        return { closed: true };
      },
    ],
    ...openEnvRoutes({ pool: o.pool, grader: o.grader }),
  ];
  const open = (path: string) => path === '/health' || path === `${OPENENV_PREFIX}/health`;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const t0 = performance.now();
    let status = 200;
    let payload: unknown;
    try {
      const route = routes.find(([method, re]) => method === req.method && re.test(url.pathname));
      if (o.token !== undefined && !open(url.pathname) && !bearerMatches(req.headers.authorization, o.token)) {
        status = 401;
        payload = { error: { code: 'unauthorized', message: 'a bearer token is required', hint: 'Send Authorization: Bearer <the token the server was started with>.' } };
      } else if (!route) {
        status = routes.some(([, re]) => re.test(url.pathname)) ? 405 : 404;
        payload = { error: { code: status === 404 ? 'not_found' : 'method_not_allowed', message: `${req.method} ${url.pathname}` } };
      } else {
        payload = await withTimeout(
          route[2](route[1].exec(url.pathname)!, () => readJsonBody(req, o.maxBodyBytes ?? MAX_BODY_BYTES)),
          o.requestTimeoutMs ?? 15 * 60_000,
        );
      }
    } catch (e) {
      ({ status, payload } = errorReply(e));
    }
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    o.log?.(`${req.method} ${url.pathname} ${status} ${(performance.now() - t0).toFixed(0)}ms`);
  };
  const server = createServer((req, res) => void handle(req, res));
  const authorized = (req: IncomingMessage) => o.token === undefined || bearerMatches(req.headers.authorization, o.token);
  const sessions = openEnvUpgrade({ pool: o.pool, grader: o.grader, authorized, maxBytes: o.maxBodyBytes ?? MAX_BODY_BYTES, log: o.log });
  server.on('upgrade', sessions.listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: async () => {
      sessions.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await o.pool.closeAll();
    },
  };
}

// The example a reward is given for a bare request: the rewards read its target or its instance id.
function example(instanceId: string, target: string): SrlExample {
  return { id: instanceId, instance_id: instanceId, step: 0, prompt: [{ role: 'user', content: '' }], target };
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new SweSrlError({ code: 'bad_request', message: issue.message, fault: 'user', field: formatPath(issue.path) || '(body)' });
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  unknown_instance: 404,
  unknown_env: 404,
  too_many_envs: 429,
  body_too_large: 413,
  request_timeout: 504,
};

/** Whether an Authorization header carries the token (compared in constant time). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const [a, b] = [Buffer.from(m[1]!.trim()), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The work's result, or a request_timeout error once ms have passed (the work itself is not cancelled). */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SweSrlError({ code: 'request_timeout', message: `the request took over ${ms / 1000} s`, fault: 'environment', retryable: true })),
      ms,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function errorReply(e: unknown): { status: number; payload: unknown } {
  if (isSweSrlError(e)) {
    const status = STATUS_BY_CODE[e.code] ?? (e.fault === 'user' ? 400 : 500);
    return { status, payload: { error: { code: e.code, message: e.message, field: e.field, hint: e.hint } } };
  }
  return { status: 500, payload: { error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } } };
}
