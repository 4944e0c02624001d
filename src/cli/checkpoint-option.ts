// `--checkpoint DIR` of the commands that build a policy (evaluate, policy serve): only worker backends load weights,
// and the folder is resolved before any worker starts, so that a wrong path fails at once.
import type { PolicyBackend } from '../config/policy.ts';
import { isTrainableBackend } from '../policy/create.ts';
import { resolveCheckpoint } from '../train/loop.ts';
import { SweSrlError } from '../util/errors.ts';

/** The checkpoint folder --checkpoint names (a run folder gives its latest), or undefined without the flag. */
export async function checkpointOption(path: string | undefined, backend: PolicyBackend): Promise<string | undefined> {
  if (path === undefined) return undefined;
  if (!isTrainableBackend(backend))
    throw new SweSrlError({
      code: 'bad_option',
      message: `--checkpoint loads worker weights; policy.backend=${backend} has none to load`,
      fault: 'user',
      field: '--checkpoint',
      hint: 'Drop --checkpoint (the server or export already holds the weights), or use policy.backend=tiny|hf.',
    });
  return resolveCheckpoint(path);
}
