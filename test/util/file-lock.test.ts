import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/util/file-lock.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const root = await mkdtemp(join(tmpdir(), 'file-lock-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** A child process that takes the lock, logs enter/leave around a pause, and exits. */
function child(path: string, log: string, tag: string): Promise<number | null> {
  const code = `
    const { withFileLock } = await import(${JSON.stringify(join(ROOT, 'src/util/file-lock.ts'))});
    const { appendFile } = await import('node:fs/promises');
    await withFileLock(${JSON.stringify(path)}, async () => {
      await appendFile(${JSON.stringify(log)}, 'enter ${tag}\\n');
      await new Promise((r) => setTimeout(r, 300));
      await appendFile(${JSON.stringify(log)}, 'leave ${tag}\\n');
    }, { pollMs: 20 });`;
  const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: 'inherit' });
  return new Promise((res) => p.on('exit', (c) => res(c)));
}

describe('withFileLock', () => {
  it('serialises holders within a process and releases on a throw', async () => {
    const path = join(root, 'inproc');
    const order: string[] = [];
    const run = (tag: string, fail = false) =>
      withFileLock(path, async () => {
        order.push(`enter ${tag}`);
        await new Promise((r) => setTimeout(r, 20));
        order.push(`leave ${tag}`);
        if (fail) throw new Error('boom');
      });
    const results = await Promise.allSettled([run('a'), run('b', true), run('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(order).toEqual(['enter a', 'leave a', 'enter b', 'leave b', 'enter c', 'leave c']);
  });

  it('serialises separate processes', async () => {
    const path = join(root, 'xproc');
    const log = join(root, 'xproc.log');
    await writeFile(log, '');
    const tags = ['1', '2', '3', '4', '5'];
    expect(await Promise.all(tags.map((t) => child(path, log, t)))).toEqual(tags.map(() => 0));
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2 * tags.length);
    for (let i = 0; i < lines.length; i += 2) expect(lines[i + 1]).toBe(lines[i]!.replace('enter', 'leave'));
  }, 60_000);

  it('takes over a lock whose holder died', async () => {
    const path = join(root, 'stale');
    await mkdir(`${path}.lock`);
    // A pid that is not running on this host.
    await writeFile(join(`${path}.lock`, 'owner'), JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), since: 0 }));
    expect(await withFileLock(path, async () => 'ran', { timeoutMs: 5000 })).toBe('ran');
  });

  it('takes over a lock folder with no owner file', async () => {
    const path = join(root, 'bare');
    await mkdir(`${path}.lock`);
    expect(await withFileLock(path, async () => 'ran', { timeoutMs: 5000 })).toBe('ran');
  });

  it('times out with a clear error while a live holder keeps it', async () => {
    const path = join(root, 'live');
    await mkdir(`${path}.lock`);
    await writeFile(join(`${path}.lock`, 'owner'), JSON.stringify({ pid: process.pid, host: hostname(), since: 0 }));
    await expect(withFileLock(path, async () => 'ran', { timeoutMs: 300, pollMs: 50 })).rejects.toThrow(/lock_timeout/);
  });
});
