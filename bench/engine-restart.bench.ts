// The Docker engine restarted in the middle of an eval: on a second engine of its own (its own socket and data root,
// so the machine's engine and anything running on it are untouched), grade the bundled tasks with gold, restart that
// engine once the first instance is done, and check that the run ends with the affected instances as infrastructure
// errors (exit 1, the error table) and that a re-run completes them all. JSON on stdout.
// Usage: node bin/run-ts.js bench/engine-restart.bench.ts [--out bench/results/engine-restart.json]   (needs root)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadBundledTasks } from '../src/tasks/bundled.ts';

const ROOT = resolve(import.meta.dirname, '..');
const dir = `/tmp/swe-srl-engine-bench-${process.pid}`;
const sock = `unix://${dir}/docker.sock`;
const image = process.env.SWE_SRL_BASE_IMAGE ?? 'swe-srl-base:bookworm';
const outFile = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The bench engine's own bridge (an address from the documentation range, never routed). `--bridge none` is no
// option: an engine started with it deletes docker0, the machine engine's default bridge.
const BRIDGE = 'swesrlbench0';
function makeBridge(): void {
  execFileSync('bash', ['-c', `ip link show ${BRIDGE} >/dev/null 2>&1 || { ip link add name ${BRIDGE} type bridge && ip addr add 192.0.2.1/24 dev ${BRIDGE} && ip link set ${BRIDGE} up; }`]);
}
function startEngine(): ChildProcess {
  const d = spawn('dockerd', ['--data-root', `${dir}/data`, '--exec-root', `${dir}/exec`, '--pidfile', `${dir}/pid`, '--host', sock, '--bridge', BRIDGE, '--iptables=false', '--ip6tables=false'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return d;
}
async function waitEngine(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      execFileSync('docker', ['-H', sock, 'info'], { stdio: 'ignore' });
      return;
    } catch {
      await sleep(500);
    }
  }
  throw new Error('the bench engine did not start');
}
function evalRun(out: string): Promise<{ code: number | null; output: string; seconds: number }> {
  const t0 = performance.now();
  const c = spawn(process.execPath, [join(ROOT, 'bin/swe-srl.js'), 'eval', '--predictions', 'gold', '--workers', '2', '--run-id', 'restart', '--out', out], {
    cwd: ROOT,
    env: { ...process.env, DOCKER_HOST: sock },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  c.stdout!.on('data', (d: Buffer) => (output += d));
  c.stderr!.on('data', (d: Buffer) => (output += d));
  return new Promise((res) => c.on('exit', (code) => res({ code, output, seconds: (performance.now() - t0) / 1000 })));
}

mkdirSync(dir, { recursive: true });
makeBridge();
let engine = startEngine();
try {
  await waitEngine();
  // The base image, from the machine's engine (no registry).
  execFileSync('bash', ['-c', `docker save ${image} | docker -H ${sock} load -q`], { stdio: 'ignore' });
  const ids = (await loadBundledTasks()).map((t) => t.instance_id);
  // A first run builds the env and instance images, so the measured run spends its time in sandboxes.
  const warm = await evalRun(join(dir, 'warm'));
  if (warm.code !== 0) throw new Error(`warm-up eval failed:\n${warm.output}`);
  const out = join(dir, 'run');
  const run = evalRun(out);
  while (!ids.some((id) => existsSync(join(out, id, 'report.json')))) await sleep(100);
  const t = performance.now();
  engine.kill('SIGTERM');
  await new Promise((r) => engine.on('exit', r));
  await sleep(2000);
  engine = startEngine();
  await waitEngine();
  const restartSeconds = (performance.now() - t) / 1000;
  const first = await run;
  const s1 = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { resolved_instances: number; error_instances: number; swe_srl: { infra_failures: Record<string, number> } };
  const rerun = await evalRun(out);
  const s2 = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { resolved_instances: number; error_instances: number; swe_srl: { reused_instances: number } };
  const result = {
    instances: ids.length,
    restart_seconds: Number(restartSeconds.toFixed(1)),
    interrupted_run: { exit_code: first.code, resolved: s1.resolved_instances, errors: s1.error_instances, infra_failures: Object.fromEntries(Object.entries(s1.swe_srl.infra_failures).filter(([, n]) => n > 0)), error_table_printed: /re-run helps/.test(first.output) },
    rerun: { exit_code: rerun.code, resolved: s2.resolved_instances, errors: s2.error_instances, reused: s2.swe_srl.reused_instances, seconds: Number(rerun.seconds.toFixed(1)) },
  };
  console.log(JSON.stringify(result, null, 2));
  if (outFile) writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  engine.kill('SIGTERM');
  await new Promise((r) => (engine.exitCode !== null ? r(null) : engine.on('exit', r)));
  try {
    execFileSync('bash', ['-c', `umount $(grep ${dir} /proc/mounts | cut -d' ' -f2 | sort -r) 2>/dev/null; true`]);
  } catch {
    // nothing mounted
  }
  rmSync(dir, { recursive: true, force: true });
  execFileSync('bash', ['-c', `ip link del ${BRIDGE} 2>/dev/null; true`]);
}
