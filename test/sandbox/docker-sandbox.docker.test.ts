import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import { reapLeftovers } from '../../src/sandbox/lifecycle.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { BASE_IMAGE, dockerSkipReason } from '../helpers/docker.ts';

describe.skipIf(dockerSkipReason)('DockerSandbox', () => {
  const engine = new DockerEngine();
  let sb: Sandbox;

  beforeAll(async () => {
    sb = await createDockerSandbox({ engine, image: BASE_IMAGE, workdir: '/testbed', baseRef: 'swe-srl-base' });
    const init = await sb.exec(
      'mkdir -p /testbed && cd /testbed && git init -q && git config user.email t@t && git config user.name t && ' +
        "printf 'a\\nb\\nc\\n' > f.txt && git add -A && git commit -qm base && git tag swe-srl-base",
      { cwd: '/' },
    );
    expect(init.exitCode, init.output).toBe(0);
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('returns exit status and output as data', async () => {
    const r = await sb.exec('echo out; echo err >&2; exit 3');
    expect(r.exitCode).toBe(3);
    expect(r.output).toContain('out');
    expect(r.output).toContain('err');
    expect(r.timedOut).toBe(false);
  });

  it('runs in the working directory with the given env and stdin', async () => {
    const r = await sb.exec('pwd; echo "$FOO"; cat', { env: { FOO: 'bar' }, stdin: 'from-stdin' });
    expect(r.output).toBe('/testbed\nbar\nfrom-stdin');
  });

  it('has no network', async () => {
    const r = await sb.exec('cat /sys/class/net/*/operstate 2>/dev/null | wc -l; ls /sys/class/net');
    expect(r.output.trim().split(/\s+/)).toEqual(['1', 'lo']);
  });

  it('kills a command that loops forever, children and escaped daemons included', async () => {
    const r = await sb.exec('setsid bash -c "while true; do sleep 0.1; done" & while true; do :; done', {
      timeoutMs: 2000,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(137);
    expect(r.durationMs).toBeLessThan(15_000);
    const ps = await sb.exec("ps -eo args | grep -c '[w]hile true' || true");
    expect(ps.output.trim()).toBe('0');
  });

  it('caps a command that prints 1 GB, keeping head and tail', async () => {
    const r = await sb.exec('echo START; head -c 1000000000 /dev/zero | tr "\\0" x; echo; echo END', {
      timeoutMs: 120_000,
      maxOutputBytes: 10_000,
    });
    expect(r.exitCode).toBe(0);
    expect(r.truncated).toBe(true);
    expect(r.outputBytes).toBeGreaterThan(1_000_000_000);
    expect(r.output.length).toBeLessThan(11_000);
    expect(r.output.startsWith('START\n')).toBe(true);
    expect(r.output.endsWith('\nEND\n')).toBe(true);
    expect(r.output).toMatch(/\[\.\.\. \d+ bytes of output cut \.\.\.\]/);
  });

  it('reads and writes files, including long commands', async () => {
    await sb.writeFile('dir/new.txt', 'héllo\n');
    expect(await sb.readFile('/testbed/dir/new.txt')).toBe('héllo\n');
    const long = `echo ${'y'.repeat(200_000)} | wc -c`;
    expect((await sb.exec(long)).output.trim()).toBe('200001');
    await expect(sb.readFile('missing.txt')).rejects.toThrow(/file_not_found/);
  });

  it('applies patches with fallbacks, and diffs against base including new files', async () => {
    const good = 'diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n';
    const r = await sb.applyPatch(good);
    expect(r).toMatchObject({ applied: true, method: 'git apply' });
    // Context off by one line: git apply refuses, patch with fuzz takes it.
    const fuzzy = 'diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n zz\n B\n-c\n+C\n';
    const f = await sb.applyPatch(fuzzy);
    expect(f.applied).toBe(true);
    expect(f.method).toBe('patch --fuzz=5');
    const bad = await sb.applyPatch('diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-nope\n+x\n');
    expect(bad.applied).toBe(false);
    expect(await sb.readFile('f.txt')).toBe('a\nB\nC\n');
    const d = await sb.diff();
    expect(d).toMatch(/-b\n-c\n\+B\n\+C/);
    expect(d).toContain('dir/new.txt');
  });

  it('resets to the image state', async () => {
    await sb.exec('touch /tmp/marker');
    await sb.reset();
    const r = await sb.exec('ls /tmp/marker /testbed 2>&1; true', { cwd: '/' });
    expect(r.output).toContain('No such file');
  });

  it('reaps containers left by a dead owner', async () => {
    const orphan = await engine.startContainer({
      image: BASE_IMAGE,
      labels: { 'swe-srl.owner': '999999999' },
      memoryBytes: 256 << 20,
      cpus: 1,
      pids: 64,
      fileSizeBytes: 1 << 30,
      network: false,
    });
    const listed = await engine.listManaged();
    expect(listed.some((c) => c.id === orphan)).toBe(true);
    const n = await reapLeftovers(engine);
    expect(n).toBeGreaterThanOrEqual(1);
    expect((await engine.listManaged()).some((c) => c.id === orphan)).toBe(false);
  });
});
