// The hf backend on its CPU test model: generation tokens/s with the shared-prefix prefill on vs off (G samples per
// prompt, the SRL system prompt as the long shared part), and train_step tokens/s on the samples it drew (completion
// tokens, the ones the loss covers, per second; sequence_tokens says how many the passes run over).
// Prints one JSON document: {config, model, generate: {shared, unshared, speedup}, train_step}.
// Run: node bin/run-ts.js bench/hf-policy.bench.ts [--n 8] [--prompts 4] [--max-new-tokens 32] [--repeats 3]
//   [--threads 1] [--model DIR] [--layers 2] [--hidden 64] [--out FILE]
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { SampleOptions, SampleResult } from '../src/policy/types.ts';
import { WorkerPolicy } from '../src/policy/worker-policy.ts';
import { defaultSystemPrompt } from '../src/srl/prompt.ts';
import { syntheticExamples } from '../src/testing/synthetic-srl.ts';
import { hfTestModel } from '../test/helpers/hf-model.ts';

Object.assign(process.env, { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' });
const { values: a } = parseArgs({
  options: {
    n: { type: 'string', default: '8' },
    prompts: { type: 'string', default: '4' },
    'max-new-tokens': { type: 'string', default: '32' },
    repeats: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1' },
    model: { type: 'string' },
    layers: { type: 'string' },
    hidden: { type: 'string' },
    out: { type: 'string' },
  },
});
const n = Number(a.n);
const repeats = Number(a.repeats);
const model =
  a.model ?? (await hfTestModel({ layers: a.layers ? Number(a.layers) : undefined, hidden: a.hidden ? Number(a.hidden) : undefined }));
const system = { role: 'system' as const, content: defaultSystemPrompt() };
const prompts = syntheticExamples({ count: Number(a.prompts), seed: 5 }).map((e) => [system, ...e.prompt]);
const sampling: SampleOptions = { n, maxNewTokens: Number(a['max-new-tokens']), temperature: 1, topP: 1, stop: [], seed: 1 };

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

// Tokens/s of `repeats` timed sample calls after one warm-up (the worker's own clock: no IPC in it).
async function timeSampling(policy: WorkerPolicy, sharedPrefix: boolean) {
  await policy.sample(prompts, { ...sampling, sharedPrefix });
  const runs: SampleResult[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await policy.sample(prompts, { ...sampling, seed: 1 + i, sharedPrefix }));
  const rates = runs.map((r) => r.tokens / r.seconds);
  return { tokens_per_s: Math.round(median(rates)), seconds: median(runs.map((r) => r.seconds)), tokens: runs[0]!.tokens, last: runs.at(-1)! };
}

const policy = await WorkerPolicy.start({
  init: { backend: 'hf', model, threads: Number(a.threads), optimizer: { lr: 1e-5 }, micro_batch_size: n * prompts.length },
});
try {
  const unshared = await timeSampling(policy, false);
  const shared = await timeSampling(policy, true);
  const r = shared.last;
  const samples = r.completions.flatMap((group, i) =>
    group.map((c, j) => ({ prompt_ids: r.promptIds[i]!, completion_ids: c.token_ids, advantage: j % 2 ? 1 : -1, old_logprobs: c.logprobs })),
  );
  const steps = [];
  for (let i = 0; i < repeats; i++)
    steps.push(await policy.trainStep({ samples, clipLow: 0.2, clipHigh: 0.2, klCoef: 0, lossAgg: 'token-mean', gradClip: 1, temperature: 1 }));
  const report = {
    config: { n, prompts: prompts.length, max_new_tokens: sampling.maxNewTokens, repeats, threads: Number(a.threads), prompt_tokens: r.promptIds.map((p) => p.length) },
    // The machine: timings on a shared, loaded host read relative (shared vs unshared in the same run), not absolute.
    host: { cpus: cpus().length, loadavg_1m_at_end: Number(loadavg()[0]!.toFixed(2)) },
    model: { dir: model, ...policy.info },
    generate: {
      shared: { tokens_per_s: shared.tokens_per_s, seconds: shared.seconds, tokens: shared.tokens },
      unshared: { tokens_per_s: unshared.tokens_per_s, seconds: unshared.seconds, tokens: unshared.tokens },
      speedup: Number((shared.tokens_per_s / unshared.tokens_per_s).toFixed(2)),
    },
    train_step: {
      sequences: samples.length,
      completion_tokens: steps[0]!.tokens,
      /** Prompt + completion tokens the forward and backward pass run over (the loss covers completions only). */
      sequence_tokens: samples.reduce((t, s) => t + s.prompt_ids.length + s.completion_ids.length, 0),
      tokens_per_s: Math.round(median(steps.map((s) => s.tokens / s.seconds))),
      seconds: median(steps.map((s) => s.seconds)),
    },
  };
  const text = JSON.stringify(report, null, 1);
  if (a.out) await writeFile(a.out, `${text}\n`);
  console.log(text);
} finally {
  await policy.close();
}
