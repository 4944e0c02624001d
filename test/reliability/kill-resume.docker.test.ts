// An eval killed with SIGKILL mid-run, then run again: the dead run's containers are reaped, the instances it had
// finished are not recomputed, and the reports equal those of a run that was never interrupted. A load check: 4
// sandboxes side by side, 200 commands each, with no failure.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import { loadBundledTasks } from '../../src/tasks/bundled.ts';
import { BASE_IMAGE, dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const figures: Record<string, unknown> = {};
afterAll(() => console.log(`[reliability] ${JSON.stringify(figures)}`));

function evalRun(out: string, runId: string) {
  return spawn(process.execPath, [join(ROOT, 'bin/swe-srl.js'), 'eval', '--predictions', 'gold', '--workers', '2', '--run-id', runId, '--out', out], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}
const exited = (c: ReturnType<typeof spawn>) => new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
const ownedBy = (pid: number) => execFileSync('docker', ['ps', '-aq', '--filter', `label=swe-srl.owner=${pid}`]).toString().split('\n').filter(Boolean);
/** The SWE-bench part of each report (what a verdict is made of), by instance. */
const verdicts = (out: string, ids: string[]) =>
  Object.fromEntries(ids.map((id) => [id, (JSON.parse(readFileSync(join(out, id, 'report.json'), 'utf8')) as Record<string, unknown>)[id]]));

describe.skipIf(dockerSkipReason)('reliability under kills and load (bundled tasks, real containers)', () => {
  it('an eval SIGKILLed mid-run resumes: leftovers reaped, finished instances kept, identical reports', async () => {
    const ids = (await loadBundledTasks()).map((t) => t.instance_id);
    const reference = await tempDir('kill-ref');
    expect(await exited(evalRun(reference, 'kill-ref'))).toBe(0);
    const out = await tempDir('kill');
    const first = evalRun(out, 'kill');
    // Kill it once at least one instance is finished and sandboxes are live.
    let done: string[] = [];
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 250));
      done = ids.filter((id) => existsSync(join(out, id, 'report.json')));
      if (done.length >= 1 && ownedBy(first.pid!).length > 0) break;
    }
    first.kill('SIGKILL');
    await exited(first);
    // What the killed run had finished (a report may have landed between the last look and the kill).
    done = ids.filter((id) => existsSync(join(out, id, 'report.json')));
    const leftovers = ownedBy(first.pid!).length;
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(ids.length);
    const before = Object.fromEntries(done.map((id) => [id, statSync(join(out, id, 'report.json')).mtimeMs]));
    expect(await exited(evalRun(out, 'kill'))).toBe(0);
    expect(ownedBy(first.pid!)).toEqual([]);
    for (const id of done) expect(statSync(join(out, id, 'report.json')).mtimeMs, id).toBe(before[id]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { resolved_instances: number; swe_srl: { reused_instances: number } };
    expect(summary.swe_srl.reused_instances).toBe(done.length);
    expect(verdicts(out, ids)).toEqual(verdicts(reference, ids));
    figures.kill_resume = { instances: ids.length, finished_before_kill: done.length, leftover_containers_reaped: leftovers, reused: summary.swe_srl.reused_instances, resolved: summary.resolved_instances };
  }, 600_000);

  it('4 sandboxes side by side run 200 commands each without a failure', async () => {
    const engine = new DockerEngine();
    const boxes = await Promise.all([0, 1, 2, 3].map(() => createDockerSandbox({ engine, image: BASE_IMAGE, workdir: '/tmp', baseRef: 'HEAD', limits: { cpus: 1, memoryBytes: 256 << 20 } })));
    const t0 = performance.now();
    const failures: string[] = [];
    const lat: number[] = [];
    try {
      await Promise.all(
        boxes.map(async (b, k) => {
          for (let i = 0; i < 200; i++) {
            const t = performance.now();
            const r = await b.exec(`echo ${k}-${i} > /tmp/f; cat /tmp/f`, { timeoutMs: 60_000 });
            lat.push(performance.now() - t);
            if (r.exitCode !== 0 || r.output.trim() !== `${k}-${i}`) failures.push(`${k}-${i}: exit ${r.exitCode} ${r.output.slice(0, 80)}`);
          }
        }),
      );
    } finally {
      await Promise.all(boxes.map((b) => b.close()));
    }
    lat.sort((a, b) => a - b);
    figures.parallel_load = { commands: lat.length, failures: failures.length, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)), p50_ms: Math.round(lat[lat.length >> 1]!), p99_ms: Math.round(lat[Math.floor(lat.length * 0.99)]!) };
    expect(failures).toEqual([]);
    expect(lat.length).toBe(800);
  }, 600_000);
});
