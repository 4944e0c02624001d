// Hostile commands inside a sandbox are contained by its limits: a fork bomb (pids), a memory hog (memory), a disk
// filler (file size) and a 1 GB flood of output (the capture cap) each end, the sandbox still answers afterwards, and
// a bystander sandbox running beside it answers throughout. Each case records a number the suite prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { BASE_IMAGE, dockerSkipReason } from '../helpers/docker.ts';

const figures: Record<string, unknown> = {};
afterAll(() => console.log(`[containment] ${JSON.stringify(figures)}`));

describe.skipIf(dockerSkipReason)('containment of hostile commands (real containers)', () => {
  const engine = new DockerEngine();
  const limits = { memoryBytes: 512 << 20, cpus: 1, pids: 128, fileSizeBytes: 64 << 20 };
  let victim: Sandbox;
  let bystander: Sandbox;
  /** The bystander's round trip (ms) while the victim is busy. */
  let probes: number[] = [];
  let probing = false;
  let loop: Promise<void> | undefined;

  beforeAll(async () => {
    const open = () => createDockerSandbox({ engine, image: BASE_IMAGE, workdir: '/tmp', baseRef: 'HEAD', limits });
    [victim, bystander] = await Promise.all([open(), open()]);
  });
  afterAll(async () => {
    await Promise.all([victim?.close(), bystander?.close()]);
  });

  /** Runs hostile in the victim while the bystander is probed; the victim must answer a plain command afterwards. */
  async function contained(name: string, hostile: string, timeoutMs: number) {
    probes = [];
    probing = true;
    loop = (async () => {
      while (probing) {
        const t = performance.now();
        const r = await bystander.exec('echo alive', { timeoutMs: 30_000 });
        expect(r.output.trim()).toBe('alive');
        probes.push(performance.now() - t);
      }
    })();
    const t = performance.now();
    const r = await victim.exec(hostile, { timeoutMs, maxOutputBytes: 1 << 20 });
    const seconds = (performance.now() - t) / 1000;
    probing = false;
    await loop;
    const after = await victim.exec('echo still here', { timeoutMs: 30_000 });
    expect(after.output.trim()).toBe('still here');
    expect(probes.length).toBeGreaterThan(0);
    figures[name] = { seconds: Number(seconds.toFixed(1)), exit: r.exitCode, timedOut: r.timedOut, bystanderProbes: probes.length, bystanderMaxMs: Math.round(Math.max(...probes)) };
    return r;
  }

  it('a fork bomb hits the pids limit and dies at its time-out', async () => {
    const r = await contained('fork_bomb', 'bomb() { bomb | bomb & }; bomb; sleep 60', 8000);
    expect(r.timedOut).toBe(true);
    // Its processes are gone: only the init, the sleeper and this probe remain.
    const ps = await victim.exec('ps -e --no-headers | wc -l');
    expect(Number(ps.output.trim())).toBeLessThan(10);
  }, 120_000);

  it('a memory hog is killed at the memory limit', async () => {
    const r = await contained('memory_hog', 'python3 -c "x = bytearray(2 * 1024**3); print(len(x))"', 60_000);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).not.toContain('2147483648');
  }, 120_000);

  it('a disk filler stops at the file-size limit', async () => {
    const r = await contained('disk_filler', 'dd if=/dev/zero of=/tmp/fill bs=1M count=4096 2>&1; s=$?; ls -l /tmp/fill; exit $s', 60_000);
    expect(r.exitCode).not.toBe(0);
    const size = await victim.exec('stat -c %s /tmp/fill; rm -f /tmp/fill');
    expect(Number(size.output.split('\n')[0])).toBeLessThanOrEqual(64 << 20);
  }, 120_000);

  it('1 GB of output is captured head and tail, within the cap', async () => {
    const r = await contained('output_1gb', 'head -c 1073741824 /dev/zero | tr "\\0" x; echo; echo END', 200_000);
    expect(r.timedOut).toBe(false);
    expect(r.truncated).toBe(true);
    expect(r.output.length).toBeLessThanOrEqual((1 << 20) + 1024);
    expect(r.output.trimEnd().endsWith('END')).toBe(true);
    expect(r.outputBytes).toBeGreaterThanOrEqual(1 << 30);
  }, 300_000);
});
