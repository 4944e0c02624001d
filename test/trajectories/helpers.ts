// Paths to the shared real trajectories (../shared/data/trajectories) and a one-file loader.
import { resolve } from 'node:path';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import type { Trajectory } from '../../src/trajectories/types.ts';
import { PROJECT_ROOT, sharedPath } from '../helpers/shared.ts';

export { PROJECT_ROOT };
/** The folder under ../shared, as missingShared and describeShared name it. */
export const TRAJ_REL = 'data/trajectories';
export const TRAJ_DIR = sharedPath(TRAJ_REL);

export function shared(rel: string): string {
  return resolve(TRAJ_DIR, rel);
}

/** Loads one shared file and fails loudly on any error. */
export async function loadShared(rel: string): Promise<Trajectory[]> {
  const r = await loadTrajectories([shared(rel)]);
  if (r.errors.length) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.trajectories;
}
