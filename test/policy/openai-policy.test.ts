import { afterEach, describe, expect, it } from 'vitest';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { createPolicy, createTrainablePolicy } from '../../src/policy/create.ts';
import { completionFromChoice } from '../../src/policy/openai/choices.ts';
import { retryDelayMs } from '../../src/policy/openai/retry.ts';
import { OpenAIPolicy } from '../../src/policy/openai-policy.ts';
import { chatReply, startFakeOpenAIServer, type FakeOpenAIServer, type FakeReply } from '../../src/testing/fake-openai-server.ts';
import { SweSrlError } from '../../src/util/errors.ts';

const prompt = [{ role: 'user' as const, content: 'list src' }];
const sampling = { n: 1, maxNewTokens: 16, temperature: 0, topP: 1, stop: [] as string[], seed: 7 };
const fast = { backoff: { baseMs: 1, maxMs: 5 } };

function policyConfig(policy: Record<string, unknown>) {
  return TrainConfigSchema.parse({ data: { train: 'x' }, out: 'x', train: { val_every: 0 }, policy: { backend: 'openai', model: 'fake', ...policy } }).policy;
}

let fake: FakeOpenAIServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function serveScript(chat: (body: Record<string, unknown>, i: number) => FakeReply, models?: string[] | null) {
  fake = await startFakeOpenAIServer({ chat, models });
  return fake;
}

async function failure(p: Promise<unknown>): Promise<SweSrlError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SweSrlError);
  return e as SweSrlError;
}

describe('retryDelayMs', () => {
  const o = { baseMs: 500, maxMs: 60_000, random: () => 0.5, now: Date.parse('2025-01-01T00:00:00Z') };
  it('doubles per attempt with jitter in [cap/2, cap), capped at maxMs', () => {
    expect(retryDelayMs(0, {}, o)).toBe(375);
    expect(retryDelayMs(3, {}, o)).toBe(3000);
    expect(retryDelayMs(0, {}, { ...o, random: () => 0 })).toBe(250);
    expect(retryDelayMs(30, {}, o)).toBe(45_000);
  });
  it('honours Retry-After in seconds or as a date, and retry-after-ms, up to two minutes', () => {
    expect(retryDelayMs(0, { retryAfter: '2' }, o)).toBe(2000);
    expect(retryDelayMs(0, { retryAfter: 'Wed, 01 Jan 2025 00:00:03 GMT' }, o)).toBe(3000);
    expect(retryDelayMs(0, { retryAfterMs: '40', retryAfter: '9' }, o)).toBe(40);
    expect(retryDelayMs(0, { retryAfter: '3600' }, o)).toBe(120_000);
    expect(retryDelayMs(0, { retryAfter: 'soon' }, o)).toBe(375);
  });
});

describe('completionFromChoice', () => {
  const choice = (content: string, finish: string, extra = {}) => ({ index: 0, message: { content }, finish_reason: finish, ...extra });
  it('puts back a stop string the server stripped (stop_reason / matched_stop) and tells EOS apart', () => {
    expect(completionFromChoice(choice('a <f>', 'stop', { stop_reason: '</f>' }), ['</f>'])).toMatchObject({ text: 'a <f></f>', finish_reason: 'stop' });
    expect(completionFromChoice(choice('a', 'stop', { matched_stop: '</f>' }), ['</f>'])).toMatchObject({ text: 'a</f>', finish_reason: 'stop' });
    expect(completionFromChoice(choice('a', 'stop', { stop_reason: null }), ['</f>'])).toMatchObject({ text: 'a', finish_reason: 'eos' });
    expect(completionFromChoice(choice('a</f>', 'stop'), ['</f>'])).toMatchObject({ text: 'a</f>', finish_reason: 'stop' });
    expect(completionFromChoice(choice('a', 'stop'), [])).toMatchObject({ finish_reason: 'eos', token_ids: [], logprobs: [] });
    expect(completionFromChoice(choice('a', 'length', { token_ids: [97] }), ['</f>'])).toMatchObject({ finish_reason: 'length', token_ids: [97] });
  });
});

describe('openai backend against a scripted server', () => {
  it('maps the sampling options to the request, sends the key, and counts usage', async () => {
    const s = await serveScript((b) => chatReply(Array.from({ length: b.n as number }, (_, i) => `r${i}`)));
    process.env.SWE_SRL_TEST_KEY = 'sk-test';
    const p = await OpenAIPolicy.create(policyConfig({ base_url: s.baseUrl, api_key_env: 'SWE_SRL_TEST_KEY' }), fast);
    const r = await p.sample([prompt, prompt], { ...sampling, n: 3, temperature: 0.7, topP: 0.9, stop: ['</f>'] });
    expect(r.completions.map((c) => c.map((x) => x.text))).toEqual([['r0', 'r1', 'r2'], ['r0', 'r1', 'r2']]);
    expect(r.tokens).toBe(12);
    const chat = s.requests.filter((q) => q.path === '/v1/chat/completions');
    expect(chat[0]!.body).toEqual({ model: 'fake', messages: prompt, n: 3, temperature: 0.7, top_p: 0.9, max_tokens: 16, stop: ['</f>'], seed: 7 });
    expect(chat[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(p.info).toMatchObject({ backend: 'openai', device: s.baseUrl });
  });

  it('sends no Authorization header without a key, and asks again when the server caps n', async () => {
    const s = await serveScript((_, i) => chatReply([`s${i}`]));
    delete process.env.SWE_SRL_NO_KEY;
    const p = await OpenAIPolicy.create(policyConfig({ base_url: s.baseUrl, api_key_env: 'SWE_SRL_NO_KEY' }), fast);
    const r = await p.sample([prompt], { ...sampling, n: 3 });
    expect(r.completions[0]!.map((c) => c.text)).toEqual(['s0', 's1', 's2']);
    const chat = s.requests.filter((q) => q.path === '/v1/chat/completions');
    expect(chat.map((q) => [(q.body as { n: number }).n, (q.body as { seed: number }).seed])).toEqual([[3, 7], [2, 8], [1, 9]]);
    expect(chat[0]!.headers.authorization).toBeUndefined();
  });

  it('keeps at most policy.concurrency requests in flight', async () => {
    const s = await serveScript((b) => ({ ...(chatReply([String((b.messages as { content: string }[])[0]!.content)]) as object), delayMs: 30 }));
    const p = await OpenAIPolicy.create(policyConfig({ base_url: s.baseUrl, concurrency: 2 }), fast);
    const prompts = Array.from({ length: 6 }, (_, i) => [{ role: 'user' as const, content: `p${i}` }]);
    const r = await p.sample(prompts, sampling);
    expect(r.completions.map((c) => c[0]!.text)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
    expect(s.maxInFlight()).toBeLessThanOrEqual(2);
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    const s = await serveScript((_, i) => (i === 0 ? { status: 429, headers: { 'retry-after-ms': '30' }, json: { error: { message: 'slow down' } } } : chatReply(['ok'])));
    const waits: number[] = [];
    const p = await OpenAIPolicy.create(policyConfig({ base_url: s.baseUrl, max_retries: 2 }), { ...fast, sleep: async (ms) => void waits.push(ms) });
    const r = await p.sample([prompt], sampling);
    expect(r.completions[0]![0]!.text).toBe('ok');
    expect(waits).toEqual([30]);
  });

  it('gives up after max_retries on 500s with a retryable error naming the server', async () => {
    const s = await serveScript(() => ({ status: 500, json: { error: { message: 'boom' } } }));
    const p = await OpenAIPolicy.create(policyConfig({ base_url: s.baseUrl, max_retries: 2 }), fast);
    const e = await failure(p.sample([prompt], sampling));
    expect(e).toMatchObject({ code: 'policy_server_error', retryable: true, field: 'policy.base_url' });
    expect(e.message).toContain('boom');
    expect(s.requests.filter((q) => q.path === '/v1/chat/completions')).toHaveLength(3);
  });

  it('a body that is not JSON, or not a chat completion, is a bad reply (not retried)', async () => {
    const s = await serveScript((_, i) => (i === 0 ? { text: '<html>oops' } : { json: { choices: [{ index: 0 }] } }));
    const p = await OpenAIPolicy.create(policyConfig({ base_url: s.baseUrl, max_retries: 3 }), fast);
    expect(await failure(p.sample([prompt], sampling))).toMatchObject({ code: 'policy_bad_reply' });
    const e = await failure(p.sample([prompt], sampling));
    expect(e.code).toBe('policy_bad_reply');
    expect(e.message).toContain('choices[0].message');
    expect(s.requests.filter((q) => q.path === '/v1/chat/completions')).toHaveLength(2);
  });

  it('a server that never answers fails with policy_timeout, each try cut at request_timeout_s', async () => {
    const s = await serveScript(() => 'hang');
    const p = await OpenAIPolicy.create(policyConfig({ base_url: s.baseUrl, max_retries: 1, request_timeout_s: 0.2 }), fast);
    const e = await failure(p.sample([prompt], sampling));
    expect(e).toMatchObject({ code: 'policy_timeout', field: 'policy.request_timeout_s', retryable: true });
    expect(e.message).toContain('2 tries');
    expect(s.requests.filter((q) => q.path === '/v1/chat/completions')).toHaveLength(2);
  });

  it('a 401 names policy.api_key_env; an unknown model lists the served ones', async () => {
    const s = await serveScript(() => ({ status: 401, json: { error: { message: 'bad key' } } }), ['a', 'b']);
    const e = await failure(OpenAIPolicy.create(policyConfig({ base_url: s.baseUrl, model: 'c' }), fast));
    expect(e).toMatchObject({ code: 'policy_unknown_model', field: 'policy.model' });
    expect(e.hint).toContain('"a", "b"');
    const p = await OpenAIPolicy.create(policyConfig({ base_url: s.baseUrl, model: 'a', api_key_env: 'SWE_SRL_NO_KEY' }), fast);
    const auth = await failure(p.sample([prompt], sampling));
    expect(auth).toMatchObject({ code: 'policy_auth', fault: 'user', field: 'policy.api_key_env' });
    expect(auth.hint).toContain('$SWE_SRL_NO_KEY is unset');
  });

  it('a server without GET /models is trusted; the registry builds the backend but will not train it', async () => {
    const s = await serveScript(() => chatReply(['x']), null);
    const p = await createPolicy({ policy: policyConfig({ base_url: s.baseUrl }) });
    expect((await p.sample([prompt], sampling)).completions[0]![0]!.text).toBe('x');
    await p.close();
    expect(await failure(createTrainablePolicy({ policy: policyConfig({ base_url: s.baseUrl }) }))).toMatchObject({ code: 'bad_config' });
  });

  it('an unreachable endpoint fails with policy_unreachable naming policy.base_url', async () => {
    const s = await serveScript(() => chatReply(['x']));
    const url = s.baseUrl;
    await s.close();
    fake = undefined;
    const e = await failure(OpenAIPolicy.create(policyConfig({ base_url: url, max_retries: 1 }), fast));
    expect(e).toMatchObject({ code: 'policy_unreachable', field: 'policy.base_url', value: url });
    expect(e.message).toContain('ECONNREFUSED');
  });
});
