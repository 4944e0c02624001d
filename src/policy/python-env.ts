// Where the worker's Python lives: the venv scripts/setup-python.sh makes under the cache, named by the hash of
// src/policy/worker/requirements.lock (so a changed lock is a new venv), complete once its `.complete` marker exists.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The lock file that pins the worker's packages. */
export const WORKER_LOCK = join(dirname(fileURLToPath(import.meta.url)), 'worker', 'requirements.lock');

/** The cache root (SWE_SRL_CACHE, else ~/.cache/swe-srl), as the setup scripts use it. */
export function cacheRoot(): string {
  return process.env.SWE_SRL_CACHE ?? join(homedir(), '.cache', 'swe-srl');
}

/** The venv folder the current lock maps to (it may not exist yet). */
export function workerVenvDir(): string {
  const hash = createHash('sha256').update(readFileSync(WORKER_LOCK)).digest('hex').slice(0, 12);
  return join(cacheRoot(), 'venvs', `worker-${hash}`);
}

/** The venv's interpreter when the venv is complete, else undefined. */
export function workerVenvPython(): string | undefined {
  const dir = workerVenvDir();
  return existsSync(join(dir, '.complete')) ? join(dir, 'bin', 'python') : undefined;
}

/**
 * The interpreter for the worker: the explicit one (policy.python), SWE_SRL_PYTHON, the project's venv, else
 * /usr/bin/python3 (which has torch only where Debian's python3-torch is installed: the tiny backend).
 */
export function defaultPython(explicit?: string): string {
  return explicit ?? process.env.SWE_SRL_PYTHON ?? workerVenvPython() ?? '/usr/bin/python3';
}
