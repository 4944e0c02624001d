// `swe-srl policy serve`: any policy the registry builds, behind an OpenAI-compatible API, so agent frameworks
// (SWE-agent, mini-swe-agent, OpenHands) and our own openai backend can sample it. Errors come back in OpenAI's
// shape {error: {message, type, param, code}}: 400 a bad body, 404 an unknown model or route, 405, 413, 500.
//
//   GET  /health                 {ok, model, calls, prompts}
//   GET  /v1/models              {object: list, data: [{id, object: model, created, owned_by}]}
//   GET  /v1/models/:id          the model, or 404
//   POST /v1/chat/completions    n, temperature, top_p, max_tokens | max_completion_tokens, stop, seed -> chat.completion
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatPath, isSweSrlError } from '../../util/errors.ts';
import { readJsonBody } from '../../util/http-body.ts';
import { ChatRequestSchema } from '../openai/wire.ts';
import type { Policy } from '../types.ts';
import { SampleBatcher } from './batcher.ts';
import { toChatResponse, toSampleRequest } from './chat.ts';

export interface PolicyServerOptions {
  policy: Policy;
  /** The name clients put in `model`. */
  model: string;
  /** max_tokens of a request that gives none. */
  maxNewTokens: number;
  port: number;
  host?: string;
  /** Chat prompts per sample call at most. */
  maxBatch?: number;
  maxBodyBytes?: number;
  /** The seed of a request that gives none (default: random). */
  seed?: () => number;
  log?: (line: string) => void;
}

export interface RunningPolicyServer {
  port: number;
  /** http://host:port/v1 */
  baseUrl: string;
  server: Server;
  batcher: SampleBatcher;
  /** Stops accepting requests, lets those in flight finish, then closes the policy. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 << 20;

/** An OpenAI-shaped error: its HTTP status and body. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

type Handler = (m: RegExpExecArray, body: () => Promise<unknown>) => Promise<unknown>;

/** Starts the server; resolves once it listens. */
export async function servePolicy(o: PolicyServerOptions): Promise<RunningPolicyServer> {
  const created = Math.floor(Date.now() / 1000);
  const batcher = new SampleBatcher(o.policy, o.maxBatch ?? 32);
  const modelObject = { id: o.model, object: 'model', created, owned_by: 'swe-srl' };
  const routes: Array<[string, RegExp, Handler]> = [
    ['GET', /^\/health$/, async () => ({ ok: true, model: o.model, ...batcher.stats })],
    ['GET', /^\/v1\/models$/, async () => ({ object: 'list', data: [modelObject] })],
    [
      'GET',
      /^\/v1\/models\/(.+)$/,
      async (m) => {
        if (decodeURIComponent(m[1]!) !== o.model) throw unknownModel(decodeURIComponent(m[1]!), o.model);
        return modelObject;
      },
    ],
    [
      'POST',
      /^\/v1\/chat\/completions$/,
      async (_, body) => {
        const r = ChatRequestSchema.safeParse(await body());
        if (!r.success) {
          const i = r.error.issues[0]!;
          throw new ApiError(400, `${formatPath(i.path)}: ${i.message}`, 'invalid_request_error', formatPath(i.path), 'invalid_value');
        }
        const b = r.data;
        if (b.stream) throw new ApiError(400, 'streaming is not supported: send stream=false', 'invalid_request_error', 'stream', 'unsupported_value');
        if (b.model !== o.model) throw unknownModel(b.model, o.model);
        const req = toSampleRequest(b, { maxNewTokens: o.maxNewTokens, seed: o.seed ?? (() => randomInt(2 ** 31)) });
        const out = await batcher.submit(req);
        return toChatResponse({
          id: `chatcmpl-${randomBytes(12).toString('hex')}`,
          model: o.model,
          created: Math.floor(Date.now() / 1000),
          promptIds: out.promptIds,
          completions: out.completions,
          stop: req.opts.stop,
          includeStop: b.include_stop_str_in_output ?? false,
          returnTokenIds: b.return_token_ids ?? false,
        });
      },
    ],
  ];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const t0 = performance.now();
    let status = 200;
    let payload: unknown;
    try {
      const route = routes.find(([method, re]) => method === req.method && re.test(path));
      if (!route) {
        if (routes.some(([, re]) => re.test(path))) throw new ApiError(405, `method ${req.method} is not allowed on ${path}`, 'invalid_request_error');
        throw new ApiError(404, `no route ${req.method} ${path}`, 'invalid_request_error', null, 'not_found');
      }
      payload = await route[2](route[1].exec(path)!, () => readJsonBody(req, o.maxBodyBytes ?? MAX_BODY_BYTES));
    } catch (e) {
      const err = toApiError(e);
      status = err.status;
      payload = { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
      if (status === 413) res.setHeader('connection', 'close');
    }
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    o.log?.(`${req.method} ${path} ${status} ${(performance.now() - t0).toFixed(0)}ms`);
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host ?? '127.0.0.1';
  let closing: Promise<void> | undefined;
  return {
    port,
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    server,
    batcher,
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await batcher.idle();
        server.closeAllConnections();
        await closed;
        await o.policy.close();
      })()),
  };
}

function unknownModel(asked: string, served: string): ApiError {
  return new ApiError(404, `the model ${JSON.stringify(asked)} does not exist; this server serves ${JSON.stringify(served)}`, 'invalid_request_error', 'model', 'model_not_found');
}

// Our errors by fault: the request's (400, 413 for size) or the server's (500, the policy failed).
function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isSweSrlError(e)) {
    if (e.code === 'body_too_large') return new ApiError(413, e.message, 'invalid_request_error', null, 'request_too_large');
    if (e.fault === 'user') return new ApiError(400, e.message, 'invalid_request_error', e.field ?? null, e.code);
    return new ApiError(500, e.message, 'server_error', null, e.code);
  }
  return new ApiError(500, e instanceof Error ? e.message : String(e), 'server_error');
}
