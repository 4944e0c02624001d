// A lock between processes (and within one) on a path. The lock is the folder PATH.lock holding an owner file; it
// is made complete in a private folder and renamed into place, so whoever sees the lock also sees its owner. A lock
// whose holder is gone (killed mid-work) is taken over instead of blocking forever.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SweSrlError } from './errors.ts';

export interface FileLockOptions {
  /** Give up after this long (default 30 minutes: a large clone may hold the lock that long). */
  timeoutMs?: number;
  /** Poll interval while another holder has it. */
  pollMs?: number;
}

interface Owner {
  pid: number;
  host: string;
  since: number;
  nonce: string;
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
      // Moved aside before removal, so no waiter ever sees the lock half removed.
      const aside = `${path}.lock.released.${randomBytes(8).toString('hex')}`;
      await rename(`${path}.lock`, aside).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      await rm(aside, { recursive: true, force: true });
    }
  } finally {
    release();
    if (held.get(path) === chain) held.delete(path);
  }
}

const BUSY = new Set(['EEXIST', 'ENOTEMPTY', 'EISDIR', 'ENOTDIR']);

async function acquire(path: string, o: FileLockOptions): Promise<void> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
  for (;;) {
    const nonce = randomBytes(8).toString('hex');
    const draft = `${lock}.${process.pid}.${nonce}`;
    await mkdir(draft, { recursive: true });
    const owner: Owner = { pid: process.pid, host: hostname(), since: Date.now(), nonce };
    await writeFile(join(draft, 'owner'), JSON.stringify(owner));
    try {
      await rename(draft, lock);
      return;
    } catch (e) {
      await rm(draft, { recursive: true, force: true });
      if (!BUSY.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
    const current = await readOwner(lock);
    if (current && isGone(current)) {
      await takeOver(lock, current);
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

/**
 * The lock's owner; undefined when there is no lock. This protocol never shows a lock without its owner file, so a
 * failed read is a lock being released and another taken at that moment; only the same folder (inode) still without
 * an owner a second later is a stale one (an older layout, a hand-made folder) and reads as a dead owner.
 */
async function readOwner(lock: string): Promise<Partial<Owner> | undefined> {
  const first = await inode(lock);
  if (first === undefined) return undefined;
  const owner = await ownerFile(lock);
  if (owner) return owner;
  await new Promise((r) => setTimeout(r, 1000));
  const again = await ownerFile(lock);
  if (again) return again;
  const second = await inode(lock);
  if (second === undefined) return undefined;
  return second === first ? { host: hostname(), pid: -1 } : undefined;
}

async function ownerFile(lock: string): Promise<Partial<Owner> | undefined> {
  try {
    return JSON.parse(await readFile(join(lock, 'owner'), 'utf8')) as Partial<Owner>;
  } catch {
    return undefined;
  }
}

async function inode(p: string): Promise<number | undefined> {
  return stat(p).then(
    (st) => st.ino,
    () => undefined,
  );
}

/** True when the owner is a process of this host that no longer runs. */
function isGone(owner: Partial<Owner>): boolean {
  if (owner.host !== hostname() || typeof owner.pid !== 'number') return false;
  if (owner.pid <= 0) return true;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Moves a dead holder's lock aside (a rename, so only one waiter wins), then checks that what it moved is the lock
 * it judged dead; a live lock taken in between is put back.
 */
async function takeOver(lock: string, dead: Partial<Owner>): Promise<void> {
  const aside = `${lock}.stale.${randomBytes(8).toString('hex')}`;
  try {
    await rename(lock, aside);
  } catch {
    return; // someone else moved or released it first
  }
  const moved = await readOwner(aside);
  if (moved && moved.nonce !== dead.nonce && !isGone(moved)) {
    await rename(aside, lock).catch(() => undefined);
    return;
  }
  await rm(aside, { recursive: true, force: true });
}
