// A lock between processes (and within one) on a path: `mkdir PATH.lock` is atomic, its owner file names the
// holder's pid, and a lock whose holder is gone (killed mid-work) is taken over instead of blocking forever.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SweSrlError } from './errors.ts';

export interface FileLockOptions {
  /** Give up after this long (default 30 minutes: a large clone may hold the lock that long). */
  timeoutMs?: number;
  /** Poll interval while another holder has it. */
  pollMs?: number;
}

const held = new Map<string, Promise<void>>();

/** Runs fn while holding the lock on path (waits for other holders, in this process and others). */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, o: FileLockOptions = {}): Promise<T> {
  // In-process holders queue on a promise chain, so only one of them polls the file system.
  const before = held.get(path) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const chain = before.then(() => mine);
  held.set(path, chain);
  await before;
  try {
    await acquire(path, o);
    try {
      return await fn();
    } finally {
      await rm(`${path}.lock`, { recursive: true, force: true });
    }
  } finally {
    release();
    if (held.get(path) === chain) held.delete(path);
  }
}

async function acquire(path: string, o: FileLockOptions): Promise<void> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'owner'), JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await ownerGone(lock)) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new SweSrlError({
        code: 'lock_timeout',
        message: `another process has held ${lock} too long`,
        fault: 'environment',
        retryable: true,
        file: lock,
        hint: 'If no swe-srl process is running, remove that folder.',
      });
    await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
  }
}

/** True when the lock's owner is a process of this host that no longer runs (or the owner file never got written). */
async function ownerGone(lock: string): Promise<boolean> {
  let owner: { pid?: number; host?: string; since?: number };
  try {
    owner = JSON.parse(await readFile(join(lock, 'owner'), 'utf8')) as typeof owner;
  } catch {
    // mkdir succeeded but the owner file is not there yet, or the holder died in between: wait a little first.
    await new Promise((r) => setTimeout(r, 1000));
    try {
      owner = JSON.parse(await readFile(join(lock, 'owner'), 'utf8')) as typeof owner;
    } catch {
      return true;
    }
  }
  if (owner.host !== hostname() || typeof owner.pid !== 'number') return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
