// The persistent shell session (SWE-agent semantics) next to one-shot exec (mini-swe-agent), in a real container.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import type { Sandbox, ShellSession } from '../../src/sandbox/types.ts';
import { BASE_IMAGE, dockerSkipReason } from '../helpers/docker.ts';

describe.skipIf(dockerSkipReason)('DockerSandbox.openSession', () => {
  const engine = new DockerEngine();
  let sb: Sandbox;
  let sh: ShellSession;

  beforeAll(async () => {
    sb = await createDockerSandbox({ engine, image: BASE_IMAGE, workdir: '/testbed', prelude: 'export FROM_PRELUDE=yes' });
    await sb.exec('mkdir -p /testbed/sub', { cwd: '/' });
    sh = await sb.openSession();
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('keeps cd, variables and functions between commands; one-shot exec does not', async () => {
    expect((await sh.run('pwd')).output).toBe('/testbed\n');
    const cd = await sh.run('cd sub && X=42 && greet() { echo "hi $1"; }');
    expect(cd).toMatchObject({ exitCode: 0, cwd: '/testbed/sub', restarted: false });
    const r = await sh.run('pwd; echo "$X"; greet you; echo "$FROM_PRELUDE"');
    expect(r.output).toBe('/testbed/sub\n42\nhi you\nyes\n');
    const fresh = await sb.exec('pwd; echo "[$X]"; type greet >/dev/null 2>&1 || echo no-greet');
    expect(fresh.output).toBe('/testbed\n[]\nno-greet\n');
    await sh.run('cd /testbed');
  });

  it('returns exit codes, merges stderr, reads stdin from /dev/null and survives syntax errors', async () => {
    const r = await sh.run('echo out; echo err >&2; (exit 7)');
    expect(r.exitCode).toBe(7);
    expect(r.output).toBe('out\nerr\n');
    expect((await sh.run('cat; echo done')).output).toBe('done\n');
    const bad = await sh.run('echo "unterminated');
    expect(bad.exitCode).not.toBe(0);
    expect(bad.output).toMatch(/unexpected EOF|syntax error/);
    expect((await sh.run('printf "no newline"')).output).toBe('no newline');
    const heredoc = await sh.run("cat <<'EOF'\nline $HOME\nEOF");
    expect(heredoc.output).toBe('line $HOME\n');
  });

  it('kills a runaway command at its time-out and keeps the session (or restarts it and says so)', async () => {
    await sh.run('cd sub; KEEP=1');
    const slow = await sh.run('sleep 30; echo never', { timeoutMs: 1000 });
    expect(slow).toMatchObject({ timedOut: true, exitCode: 137, restarted: false });
    expect(slow.durationMs).toBeLessThan(10_000);
    expect((await sh.run('echo "$KEEP"; pwd')).output).toBe('1\n/testbed/sub\n');
    // A busy loop inside the shell itself cannot be killed apart from it: the shell is replaced, in the same folder.
    const loop = await sh.run('while :; do :; done', { timeoutMs: 1000 });
    expect(loop).toMatchObject({ timedOut: true, restarted: true });
    expect(loop.output).toContain('new shell session was started in /testbed/sub');
    expect((await sh.run('pwd; echo "[$KEEP]"')).output).toBe('/testbed/sub\n[]\n');
    const exited = await sh.run('exit 4');
    expect(exited).toMatchObject({ exitCode: 4, restarted: true });
    expect((await sh.run('echo alive')).output).toBe('alive\n');
    // A restart whose folder is gone starts over at the repository root.
    await sh.run('mkdir -p /tmp/gone && cd /tmp/gone && rmdir /tmp/gone');
    const lost = await sh.run('while :; do :; done', { timeoutMs: 1000 });
    expect(lost).toMatchObject({ restarted: true, cwd: '/testbed' });
    expect((await sh.run('pwd')).output).toBe('/testbed\n');
  });

  it('caps output and keeps the session in step', async () => {
    const r = await sh.run('head -c 200000 /dev/zero | tr "\\0" a', { maxOutputBytes: 1000 });
    expect(r.truncated).toBe(true);
    expect(r.outputBytes).toBe(200000);
    expect((await sh.run('echo next')).output).toBe('next\n');
  });
});
