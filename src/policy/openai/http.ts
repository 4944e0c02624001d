// The transport of the openai backend: JSON over fetch with a bounded number of requests in flight, a time-out per
// request, and retries with backoff on 429, 5xx and network errors. Every failure ends as a SweSrlError naming
// policy.base_url or the field to fix; nothing waits forever.
import { SweSrlError } from '../../util/errors.ts';
import { limiter } from '../../util/pool.ts';
import { DEFAULT_BACKOFF, isRetryableStatus, retryDelayMs } from './retry.ts';
import { ErrorBodySchema } from './wire.ts';

export interface OpenAIHttpOptions {
  /** The server's base URL, e.g. http://localhost:8000/v1 (paths are appended to it). */
  baseUrl: string;
  /** Sent as a Bearer token; undefined: no Authorization header. */
  apiKey?: string;
  /** The variable the key came from, for error hints. */
  apiKeyEnv: string;
  timeoutMs: number;
  maxRetries: number;
  /** Requests in flight at once. */
  concurrency: number;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class OpenAIHttp {
  private readonly gate: <R>(job: () => Promise<R>) => Promise<R>;
  readonly baseUrl: string;

  constructor(private readonly o: OpenAIHttpOptions) {
    this.gate = limiter(o.concurrency);
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
  }

  /** GET a path under the base URL; resolves with the parsed JSON body of a 2xx reply. */
  get(path: string): Promise<unknown> {
    return this.gate(() => this.send('GET', path));
  }

  /** POST a JSON body to a path under the base URL. */
  post(path: string, body: unknown): Promise<unknown> {
    return this.gate(() => this.send('POST', path, JSON.stringify(body)));
  }

  private async send(method: string, path: string, body?: string): Promise<unknown> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.o.apiKey) headers.authorization = `Bearer ${this.o.apiKey}`;
    const backoff = { ...DEFAULT_BACKOFF, ...this.o.backoff, random: this.o.random ?? Math.random };
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < this.o.maxRetries;
      let status: number;
      let text: string;
      let retryHeaders: { retryAfter: string | null; retryAfterMs: string | null };
      try {
        const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.o.timeoutMs) });
        status = res.status;
        retryHeaders = { retryAfter: res.headers.get('retry-after'), retryAfterMs: res.headers.get('retry-after-ms') };
        text = await res.text();
      } catch (e) {
        if (!canRetry) throw this.networkError(e, { url, tries: attempt + 1 });
        await (this.o.sleep ?? sleepMs)(retryDelayMs(attempt, {}, { ...backoff, now: Date.now() }));
        continue;
      }
      if (status >= 200 && status < 300) return parseJson(text, url);
      if (isRetryableStatus(status) && canRetry) {
        await (this.o.sleep ?? sleepMs)(retryDelayMs(attempt, retryHeaders, { ...backoff, now: Date.now() }));
        continue;
      }
      throw this.statusError(status, text, { url, method, tries: attempt + 1 });
    }
  }

  private networkError(e: unknown, c: { url: string; tries: number }): SweSrlError {
    const tries = `${c.tries} ${c.tries === 1 ? 'try' : 'tries'}`;
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
      return new SweSrlError({
        code: 'policy_timeout',
        message: `no reply from ${c.url} within ${this.o.timeoutMs / 1000} s (${tries})`,
        fault: 'environment',
        retryable: true,
        field: 'policy.request_timeout_s',
        value: this.o.timeoutMs / 1000,
        hint: 'Check that the server at policy.base_url is not stuck; raise policy.request_timeout_s for long generations.',
        cause: e,
      });
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
    return new SweSrlError({
      code: 'policy_unreachable',
      message: `cannot reach the policy server at ${c.url}: ${why} (${tries})`,
      fault: 'environment',
      retryable: true,
      field: 'policy.base_url',
      value: this.baseUrl,
      hint: 'Start the server (e.g. `vllm serve MODEL` or `swe-srl policy serve`), or fix policy.base_url (most servers want the /v1 suffix).',
      cause: e,
    });
  }

  private statusError(status: number, text: string, c: { url: string; method: string; tries: number }): SweSrlError {
    const said = serverMessage(text);
    const base = `${c.method} ${c.url} answered ${status}${said ? `: ${said}` : ''}`;
    if (status === 401 || status === 403)
      return new SweSrlError({
        code: 'policy_auth',
        message: base,
        fault: 'user',
        field: 'policy.api_key_env',
        value: this.o.apiKeyEnv,
        hint: this.o.apiKey
          ? `The server refused the key in $${this.o.apiKeyEnv}; set it to a key the server accepts.`
          : `No key was sent: $${this.o.apiKeyEnv} is unset or empty; export it, or point policy.api_key_env at the variable holding the key.`,
      });
    if (isRetryableStatus(status))
      return new SweSrlError({
        code: 'policy_server_error',
        message: `${base} (gave up after ${c.tries} tries)`,
        fault: 'environment',
        retryable: true,
        field: 'policy.base_url',
        value: this.baseUrl,
        hint: 'The server is overloaded or failing; check its log, lower policy.concurrency or raise policy.max_retries.',
      });
    return new SweSrlError({
      code: status === 404 ? 'policy_not_found' : 'policy_request_refused',
      message: base,
      fault: 'user',
      field: status === 404 ? 'policy.base_url' : undefined,
      value: status === 404 ? this.baseUrl : undefined,
      hint:
        status === 404
          ? 'Check policy.base_url (most servers want the /v1 suffix) and policy.model (GET /v1/models lists the served names).'
          : 'The server refused the request; its message above says which parameter.',
    });
  }
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badReply(url, `the body is not JSON: ${JSON.stringify(text.slice(0, 120))}`);
  }
}

/** The error for a 2xx reply that is not what an OpenAI-compatible server sends. */
export function badReply(url: string, what: string): SweSrlError {
  return new SweSrlError({
    code: 'policy_bad_reply',
    message: `${url} sent a malformed reply: ${what}`,
    fault: 'environment',
    field: 'policy.base_url',
    value: url,
    hint: 'policy.base_url must point at an OpenAI-compatible API (vLLM, SGLang, swe-srl policy serve), usually ending in /v1.',
  });
}

// The message of an OpenAI-shaped error body, else the start of the text.
function serverMessage(text: string): string {
  try {
    const r = ErrorBodySchema.safeParse(JSON.parse(text));
    if (r.success) return r.data.error.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 200);
}
