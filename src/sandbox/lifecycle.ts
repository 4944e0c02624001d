// Container lifecycle across runs: reap leftovers of dead runs at start, clean up live sandboxes on Ctrl-C.
import { hostname } from 'node:os';
import { LABEL_HOST, LABEL_OWNER, type DockerEngine } from './docker-engine.ts';

const live = new Map<string, () => Promise<void>>();
let handlersInstalled = false;

/** Registers a cleanup to run if the process is interrupted; returns the function that unregisters it. */
export function trackLive(id: string, cleanup: () => Promise<void>): () => void {
  installSignalHandlers();
  live.set(id, cleanup);
  return () => live.delete(id);
}

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      const pending = [...live.values()].map((f) => f().catch(() => undefined));
      live.clear();
      void Promise.all(pending).finally(() => process.kill(process.pid, sig));
    });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes managed containers whose owning process (on this host) is gone; returns how many. */
export async function reapLeftovers(engine: DockerEngine): Promise<number> {
  const host = hostname();
  let reaped = 0;
  for (const c of await engine.listManaged()) {
    const owner = Number(c.labels[LABEL_OWNER]);
    if (c.labels[LABEL_HOST] !== host || !Number.isInteger(owner)) continue;
    if (owner === process.pid || pidAlive(owner)) continue;
    await engine.removeContainer(c.id);
    reaped++;
  }
  return reaped;
}
