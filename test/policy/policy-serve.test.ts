import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { createPolicy } from '../../src/policy/create.ts';
import { OpenAIPolicy } from '../../src/policy/openai-policy.ts';
import { servePolicy, type RunningPolicyServer } from '../../src/policy/serve/server.ts';
import type { Policy } from '../../src/policy/types.ts';

// configs/tiny-cpu.yaml, made smaller so the worker starts and samples in a blink.
const SMALL = ['policy.tiny.d_model=32', 'policy.tiny.n_layers=1', 'policy.tiny.n_heads=2', 'policy.tiny.max_seq_len=96', 'rollout.max_new_tokens=24'];
const prompt = [{ role: 'user' as const, content: 'list the files in src' }];
const greedy = { n: 1, maxNewTokens: 16, temperature: 0, topP: 1, stop: [] as string[], seed: 0 };

async function tinyConfig() {
  return loadConfig(TrainConfigSchema, { file: 'configs/tiny-cpu.yaml', overrides: [...SMALL, 'train.val_every=0'], strings: { 'data.train': '-', out: '-' } });
}

describe('swe-srl policy serve over the tiny worker', () => {
  let policy: Policy;
  let server: RunningPolicyServer;
  let client: OpenAI;
  beforeAll(async () => {
    policy = await createPolicy({ policy: (await tinyConfig()).policy });
    server = await servePolicy({ policy, model: 'swe-srl-tiny', maxNewTokens: 24, port: 0, maxBodyBytes: 64 << 10, seed: () => 11 });
    client = new OpenAI({ baseURL: server.baseUrl, apiKey: 'unused', maxRetries: 0 });
  }, 60_000);
  afterAll(async () => server?.close());

  it('lists its model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['swe-srl-tiny']);
    expect((await client.models.retrieve('swe-srl-tiny')).id).toBe('swe-srl-tiny');
  });

  it('answers chat.completions with n choices, usage counts and seed-reproducible samples', async () => {
    const body = { model: 'swe-srl-tiny', messages: prompt, n: 2, max_tokens: 10, temperature: 1, seed: 3, return_token_ids: true } as OpenAI.ChatCompletionCreateParamsNonStreaming;
    const r = await client.chat.completions.create(body);
    expect(r.object).toBe('chat.completion');
    expect(r.choices.map((c) => c.index)).toEqual([0, 1]);
    const ids = r.choices.map((c) => (c as unknown as { token_ids: number[] }).token_ids);
    for (const [i, c] of r.choices.entries()) {
      expect(c.message.role).toBe('assistant');
      expect(['stop', 'length']).toContain(c.finish_reason);
      expect(ids[i]!.length).toBeLessThanOrEqual(10);
    }
    const promptIds = (r as unknown as { prompt_token_ids: number[] }).prompt_token_ids;
    expect(r.usage).toEqual({ prompt_tokens: promptIds.length, completion_tokens: ids[0]!.length + ids[1]!.length, total_tokens: promptIds.length + ids[0]!.length + ids[1]!.length });
    expect(r.usage!.prompt_tokens).toBeGreaterThan(prompt[0]!.content.length);
    const again = await client.chat.completions.create(body);
    expect(again.choices.map((c) => c.message.content)).toEqual(r.choices.map((c) => c.message.content));
  });

  it('a stop string ends the choice and is stripped (kept with include_stop_str_in_output), as vLLM does', async () => {
    const direct = (await policy.sample([prompt], greedy)).completions[0]![0]!;
    const stop = direct.text.slice(4, 6);
    const cut = direct.text.slice(0, direct.text.indexOf(stop));
    const r = await client.chat.completions.create({ model: 'swe-srl-tiny', messages: prompt, max_tokens: 16, temperature: 0, stop });
    expect(r.choices[0]).toMatchObject({ message: { content: cut }, finish_reason: 'stop', stop_reason: stop });
    const kept = await client.chat.completions.create({ model: 'swe-srl-tiny', messages: prompt, max_completion_tokens: 16, temperature: 0, stop: [stop], include_stop_str_in_output: true } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(kept.choices[0]!.message.content).toBe(cut + stop);
    const short = await client.chat.completions.create({ model: 'swe-srl-tiny', messages: prompt, max_tokens: 3, temperature: 0 });
    expect(short.choices[0]).toMatchObject({ finish_reason: 'length' });
    expect(short.usage!.completion_tokens).toBe(3);
  });

  it('round trip: the openai backend pointed at the server samples what the policy samples directly', async () => {
    const config = await tinyConfig();
    const remote = await OpenAIPolicy.create({ ...config.policy, backend: 'openai', base_url: server.baseUrl, model: 'swe-srl-tiny' });
    for (const opts of [greedy, { ...greedy, stop: [(await policy.sample([prompt], greedy)).completions[0]![0]!.text.slice(5, 7)] }]) {
      const want = await policy.sample([prompt, [{ role: 'user' as const, content: 'fix the bug' }]], opts);
      const got = await remote.sample([prompt, [{ role: 'user' as const, content: 'fix the bug' }]], opts);
      expect(got.completions.map((c) => c.map((x) => [x.text, x.finish_reason]))).toEqual(want.completions.map((c) => c.map((x) => [x.text, x.finish_reason])));
      expect(got.tokens).toBe(want.tokens);
    }
    await remote.close();
  });

  it('requests in flight together are batched and answer as they would alone', async () => {
    const solo = await client.chat.completions.create({ model: 'swe-srl-tiny', messages: prompt, max_tokens: 8, temperature: 0 });
    const before = { ...server.batcher.stats };
    const many = await Promise.all(Array.from({ length: 6 }, () => client.chat.completions.create({ model: 'swe-srl-tiny', messages: prompt, max_tokens: 8, temperature: 0 })));
    for (const r of many) expect(r.choices[0]!.message.content).toBe(solo.choices[0]!.message.content);
    expect(server.batcher.stats.prompts - before.prompts).toBe(6);
    expect(server.batcher.stats.calls - before.calls).toBeLessThanOrEqual(6);
  });

  it('errors come in OpenAI\'s shape with the right statuses', async () => {
    const bad = await client.chat.completions.create({ model: 'swe-srl-tiny', messages: prompt, n: 0 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad).toMatchObject({ status: 400, param: 'n', type: 'invalid_request_error' });
    const unknown = await client.chat.completions.create({ model: 'gpt-9', messages: prompt }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown).toMatchObject({ status: 404, param: 'model', code: 'model_not_found' });
    const stream = await client.chat.completions.create({ model: 'swe-srl-tiny', messages: prompt, stream: true }).catch((e: unknown) => e);
    expect(stream).toMatchObject({ status: 400, param: 'stream' });
    const raw = async (method: string, path: string, body?: string) => {
      const r = await fetch(`${server.baseUrl.replace(/\/v1$/, '')}${path}`, { method, body, headers: { 'content-type': 'application/json' } });
      return { status: r.status, body: (await r.json()) as { error: Record<string, unknown> } };
    };
    const notJson = await raw('POST', '/v1/chat/completions', '{"model":');
    expect(notJson.status).toBe(400);
    expect(Object.keys(notJson.body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect((await raw('GET', '/v1/nothing')).status).toBe(404);
    expect((await raw('GET', '/v1/chat/completions')).status).toBe(405);
    const big = await raw('POST', '/v1/chat/completions', JSON.stringify({ model: 'swe-srl-tiny', messages: [{ role: 'user', content: 'x'.repeat(100_000) }] }));
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'request_too_large' } } });
  });
});

describe('the swe-srl policy serve command', () => {
  it('serves /v1/models and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/swe-srl.js', 'policy', 'serve', '--config', 'configs/tiny-cpu.yaml', '--port', '0', '-q', ...SMALL], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (l) => {
          const m = /on (http:\/\/\S+)$/.exec(l);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const models = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
      expect(models.data.map((m) => m.id)).toEqual(['swe-srl-tiny']);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
