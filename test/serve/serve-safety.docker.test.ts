// swe-srl serve off loopback and under signals: bearer token, body limit, request time-out (in process); and, as a
// child process: refusing a public address without a token, stopping when `npx swe-srl serve` is stopped, and a
// SIGKILLed server's containers removed by the next one.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { OutcomeGrader } from '../../src/oracle/outcome.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { EnvPool } from '../../src/serve/envs.ts';
import { serve, type RunningServer } from '../../src/serve/server.ts';
import { loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ID = 'swe-srl__textkit-1';
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

/** Starts the CLI; resolves with the process and the port it printed. */
function startCli(args: string[], o: { npx?: boolean } = {}): Promise<{ child: ChildProcess; port: number; out: () => string }> {
  const cmd = o.npx ? 'npx' : process.execPath;
  const argv = o.npx ? ['--yes', 'swe-srl', 'serve', ...args] : [join(ROOT, 'bin/swe-srl.js'), 'serve', ...args];
  const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  return new Promise((res, rej) => {
    const t = setInterval(() => {
      const m = /on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearInterval(t);
        res({ child, port: Number(m[1]), out: () => out });
      } else if (child.exitCode !== null) {
        clearInterval(t);
        rej(new Error(`serve exited ${child.exitCode}: ${out}`));
      }
    }, 100);
  });
}

const health = async (port: number) => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) })).status;
  } catch {
    return 0;
  }
};
const until = async (cond: () => Promise<boolean> | boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await cond()) return true;
  return false;
};
const containersOf = (pid: number) =>
  execFileSync('docker', ['ps', '-aq', '--filter', `label=swe-srl.owner=${pid}`]).toString().split('\n').filter(Boolean);

describe.skipIf(dockerSkipReason)('swe-srl serve, safe off loopback (bundled task, real containers)', () => {
  let server: RunningServer;
  let task: BundledTask;
  const call = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${server.port}${path}`, init);

  beforeAll(async () => {
    const engine = new DockerEngine();
    const tasks = (await loadBundledTasks()).filter((t) => t.instance_id === ID);
    task = tasks[0]!;
    const images = new LocalImages({ engine, envs: await loadEnvRegistry() });
    server = await serve({
      pool: new EnvPool({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks, maxEnvs: 1, ttlS: 600, stepTimeoutMs: 60_000 }),
      grader: new OutcomeGrader({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks }),
      port: 0,
      token: 's3cret',
      maxBodyBytes: 4096,
      requestTimeoutMs: 300,
    });
  });
  afterAll(async () => server?.close());

  it('needs the bearer token on every route but /health, caps bodies, and times requests out', async () => {
    const auth = { authorization: 'Bearer s3cret' };
    expect((await call('/health')).status).toBe(200);
    expect((await call('/tasks')).status).toBe(401);
    const wrong = await call('/tasks', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await call('/tasks', { headers: auth })).status).toBe(200);
    const big = await call('/reward', { method: 'POST', headers: auth, body: JSON.stringify({ response: 'x'.repeat(10_000), target: 'y' }) });
    expect(big.status).toBe(413);
    // Grading runs a sandbox and the tests: far past 300 ms.
    const slow = await call('/grade', { method: 'POST', headers: auth, body: JSON.stringify({ instance_id: ID, patch: task.patch }) });
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { error: { code: string } }).error.code).toBe('request_timeout');
  }, 120_000);

  it('refuses a public address without a token', async () => {
    await expect(startCli(['--host', '0.0.0.0', '--port', '0'])).rejects.toThrow(/serve exited 2: .*--token/s);
  }, 60_000);

  it('stops when `npx swe-srl serve` is stopped with SIGTERM', async () => {
    const { child, port } = await startCli(['--port', '0', '-q'], { npx: true });
    expect(await health(port)).toBe(200);
    child.kill('SIGTERM');
    // npm exec does not pass the signal on: the server notices its launcher is gone.
    expect(await until(async () => (await health(port)) === 0, 15_000)).toBe(true);
  }, 120_000);

  it("removes a SIGKILLed server's containers at the next start", async () => {
    const first = await startCli(['--port', '0', '-q']);
    const opened = await fetch(`http://127.0.0.1:${first.port}/envs`, { method: 'POST', body: JSON.stringify({ instance_id: ID }) });
    expect(opened.status).toBe(200);
    // The env's container is owned by the node process (npx is not used here, so pid is the server's).
    expect(containersOf(first.child.pid!).length).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await until(() => first.child.exitCode !== null || first.child.signalCode !== null, 10_000);
    expect(containersOf(first.child.pid!).length).toBeGreaterThan(0);
    const second = await startCli(['--port', '0', '-q']);
    // Gone once the next server is up. Every harness run on this engine also sweeps a dead process's leftovers, so
    // when another test file's run got there first, this server found nothing to remove and says nothing; when it
    // removed them, it says how many.
    expect(containersOf(first.child.pid!)).toEqual([]);
    const said = /removed (\d+) container\(s\) left by a process that is gone/.exec(second.out());
    if (said) expect(Number(said[1])).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    expect(await until(() => second.child.exitCode !== null, 15_000)).toBe(true);
  }, 180_000);
});
