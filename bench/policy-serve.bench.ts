// Throughput and latency of `swe-srl policy serve` over the tiny worker policy (configs/tiny-cpu.yaml), on loopback:
// a fixed number of chat requests sent 1 at a time and 8 at a time (requests in flight together are batched into
// one sample call). Prints one JSON object: {setup, runs: [{concurrency, requests, requests_per_s, p50_ms, p95_ms,
// mean_batch, completion_tokens_per_s}]}.
// Run: node bin/run-ts.js bench/policy-serve.bench.ts [--requests 48] [--max-tokens 32] > bench/results/policy-serve.json
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load.ts';
import { TrainConfigSchema } from '../src/config/train.ts';
import { createPolicy } from '../src/policy/create.ts';
import { servePolicy, type RunningPolicyServer } from '../src/policy/serve/server.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '48' }, 'max-tokens': { type: 'string', default: '32' } } });
const REQUESTS = Number(values.requests);
const MAX_TOKENS = Number(values['max-tokens']);
const PROMPTS = ['list the files in src', 'run the failing test', 'open utils.py at line 40', 'fix the off-by-one in parse()'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function chat(server: RunningPolicyServer, i: number): Promise<{ ms: number; tokens: number }> {
  const t0 = performance.now();
  const r = await fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: PROMPTS[i % PROMPTS.length] }], max_tokens: MAX_TOKENS, temperature: 1 }),
  });
  const body = (await r.json()) as { usage?: { completion_tokens: number } };
  if (r.status !== 200) throw new Error(`status ${r.status}: ${JSON.stringify(body)}`);
  return { ms: performance.now() - t0, tokens: body.usage!.completion_tokens };
}

// `concurrency` clients, each sending its next request when the last one is answered.
async function run(server: RunningPolicyServer, concurrency: number) {
  const before = { ...server.batcher.stats };
  const latencies: number[] = [];
  let tokens = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < REQUESTS) {
        const r = await chat(server, next++);
        latencies.push(r.ms);
        tokens += r.tokens;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const calls = server.batcher.stats.calls - before.calls;
  return {
    concurrency,
    requests: REQUESTS,
    seconds: Number(seconds.toFixed(2)),
    requests_per_s: Number((REQUESTS / seconds).toFixed(2)),
    p50_ms: Math.round(percentile(latencies, 0.5)),
    p95_ms: Math.round(percentile(latencies, 0.95)),
    mean_batch: Number(((server.batcher.stats.prompts - before.prompts) / calls).toFixed(2)),
    completion_tokens_per_s: Math.round(tokens / seconds),
  };
}

const config = await loadConfig(TrainConfigSchema, { file: 'configs/tiny-cpu.yaml', overrides: ['train.val_every=0'], strings: { 'data.train': '-', out: '-' } });
const policy = await createPolicy({ policy: config.policy });
const server = await servePolicy({ policy, model: 'tiny', maxNewTokens: MAX_TOKENS, port: 0 });
try {
  for (let i = 0; i < 4; i++) await chat(server, i); // warm-up: worker start-up, first-call allocations
  const runs = [];
  for (const c of [1, 8]) runs.push(await run(server, c));
  const setup = { policy: 'tiny', tiny: config.policy.tiny, threads: config.policy.threads, max_tokens: MAX_TOKENS, temperature: 1, cpus: cpus().length, node: process.version };
  console.log(JSON.stringify({ bench: 'policy-serve', setup, runs }, null, 2));
} finally {
  await server.close();
}
