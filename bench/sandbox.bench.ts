// Sandbox latency: container start to first command, and exec('true') round trips vs the `docker exec` CLI.
// Usage: node bin/run-ts.js bench/sandbox.bench.ts [--iterations N]  -> JSON on stdout.
import { execFileSync } from 'node:child_process';
import { DockerEngine } from '../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../src/sandbox/docker-sandbox.ts';

const iterations = Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 30;
const image = process.env.SWE_SRL_BASE_IMAGE ?? 'swe-srl-base:bookworm';

function stats(ms: number[]): { median_ms: number; p90_ms: number; mean_ms: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median_ms: round(q(0.5)), p90_ms: round(q(0.9)), mean_ms: round(ms.reduce((a, b) => a + b, 0) / ms.length) };
}
const round = (x: number) => Math.round(x * 10) / 10;

const engine = new DockerEngine();
const startToFirst: number[] = [];
for (let i = 0; i < Math.min(iterations, 10); i++) {
  const t0 = performance.now();
  const sb = await createDockerSandbox({ engine, image, workdir: '/' });
  await sb.exec('true');
  startToFirst.push(performance.now() - t0);
  await sb.close();
}

const sb = await createDockerSandbox({ engine, image, workdir: '/' });
const ours: number[] = [];
const cli: number[] = [];
for (let i = 0; i < iterations; i++) {
  let t0 = performance.now();
  const r = await sb.exec('true');
  ours.push(performance.now() - t0);
  if (r.exitCode !== 0) throw new Error(`exec failed: ${r.output}`);
  t0 = performance.now();
  execFileSync('docker', ['exec', sb.id, 'true']);
  cli.push(performance.now() - t0);
}
await sb.close();

const o = stats(ours);
const c = stats(cli);
console.log(
  JSON.stringify(
    {
      bench: 'sandbox',
      iterations,
      container_start_to_first_command: stats(startToFirst),
      exec_true_round_trip: o,
      docker_exec_cli_round_trip: c,
      exec_vs_cli_median_ratio: round(o.median_ms / c.median_ms),
    },
    null,
    2,
  ),
);
