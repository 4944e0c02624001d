// When to retry a request to an OpenAI-compatible server and how long to wait: pure functions, so the policy is
// tested without a clock.

/** HTTP statuses worth a retry: rate limiting, a server error, a busy or restarting upstream. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export interface BackoffOptions {
  /** The first retry's wait before jitter (milliseconds). */
  baseMs: number;
  /** No backoff wait is longer than this. */
  maxMs: number;
  /** A server's Retry-After is honoured up to this (default 120 s): longer, and the caller would seem hung. */
  maxServerMs?: number;
  /** [0, 1) uniform; Math.random outside tests. */
  random: () => number;
  /** Epoch milliseconds, for a Retry-After given as an HTTP date. */
  now: number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 60_000 } as const;

/**
 * Milliseconds to wait before retry number `attempt` (0 for the first): the server's Retry-After (seconds or an HTTP
 * date) or retry-after-ms when it gives one, else exponential backoff with jitter (half fixed, half random, so that
 * clients that failed together do not come back together).
 */
export function retryDelayMs(attempt: number, headers: { retryAfter?: string | null; retryAfterMs?: string | null }, o: BackoffOptions): number {
  const fromServer = serverDelayMs(headers, o.now);
  if (fromServer !== undefined) return Math.min(o.maxServerMs ?? 120_000, fromServer);
  const cap = Math.min(o.maxMs, o.baseMs * 2 ** attempt);
  return cap / 2 + o.random() * (cap / 2);
}

function serverDelayMs(h: { retryAfter?: string | null; retryAfterMs?: string | null }, now: number): number | undefined {
  const ms = h.retryAfterMs?.trim() ? Number(h.retryAfterMs) : NaN;
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = h.retryAfter?.trim();
  if (!raw) return undefined;
  const s = Number(raw);
  if (Number.isFinite(s)) return s >= 0 ? s * 1000 : undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
