// A scripted OpenAI-compatible server on 127.0.0.1 for tests of the openai backend: each chat request gets the
// reply the script gives for it (a status and body, garbage, or no answer at all), and every request is recorded.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers: a JSON body (status 200 unless given), raw text, or nothing ever ('hang'); delayMs: later. */
export type FakeReply = { status?: number; json?: unknown; text?: string; headers?: Record<string, string>; delayMs?: number } | 'hang';

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeOpenAIOptions {
  /** The ids GET /v1/models lists; null: the route answers 404. */
  models?: string[] | null;
  /** The reply to the i-th chat request (0-based). */
  chat: (body: Record<string, unknown>, i: number) => FakeReply;
}

export interface FakeOpenAIServer {
  /** http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: FakeRequest[];
  /** The most chat requests it held at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/** A chat reply with these texts as choices, OpenAI-shaped (usage counts one token per character). */
export function chatReply(texts: string[], extra: Record<string, unknown> = {}): FakeReply {
  const completion = texts.reduce((a, t) => a + t.length, 0);
  return {
    json: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      model: 'fake',
      choices: texts.map((t, index) => ({ index, message: { role: 'assistant', content: t }, finish_reason: 'stop', ...extra })),
      usage: { prompt_tokens: 3, completion_tokens: completion, total_tokens: 3 + completion },
    },
  };
}

/** Starts the fake on a free loopback port. */
export async function startFakeOpenAIServer(o: FakeOpenAIOptions): Promise<FakeOpenAIServer> {
  const requests: FakeRequest[] = [];
  let chats = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // kept as text
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    let reply: FakeReply;
    if (req.method === 'GET' && path === '/v1/models')
      reply = o.models === null ? { status: 404, json: { error: { message: 'no such route' } } } : { json: { object: 'list', data: (o.models ?? ['fake']).map((id) => ({ id, object: 'model' })) } };
    else if (req.method === 'POST' && path === '/v1/chat/completions') reply = o.chat(body as Record<string, unknown>, chats++);
    else reply = { status: 404, json: { error: { message: `${req.method} ${path}` } } };
    if (reply === 'hang') return;
    if (reply.delayMs) {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, reply.delayMs));
      inFlight--;
    }
    const text = reply.text ?? JSON.stringify(reply.json ?? {});
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
