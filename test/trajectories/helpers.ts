// Paths to the shared real trajectories (../shared relative to the project root) and a one-file loader.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import type { Trajectory } from '../../src/trajectories/types.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TRAJ_DIR = resolve(PROJECT_ROOT, '../shared/data/trajectories');

export function shared(rel: string): string {
  return resolve(TRAJ_DIR, rel);
}

/** Loads one shared file and fails loudly on any error. */
export async function loadShared(rel: string): Promise<Trajectory[]> {
  const r = await loadTrajectories([shared(rel)]);
  if (r.errors.length) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.trajectories;
}
