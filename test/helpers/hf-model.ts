// The hf backend's test model, made once per (script, options) into a cache folder and reused: the key is the hash
// of make_test_model.py and the options, so a changed script makes a new folder. A lock-free rename makes it safe
// for test files that run at once.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot } from '../../src/policy/python-env.ts';
import { MAKE_TEST_MODEL_SCRIPT, makeTestModel, type TestModelOptions } from '../../src/policy/test-model.ts';

export type HfTestModelOptions = Omit<TestModelOptions, 'out' | 'python'>;

/** The CPU tests' size (about 0.19M parameters): the command's default (about 4.5M) is tested on its own. */
export const CPU_TEST_MODEL = { vocabSize: 1024, layers: 2, hidden: 64 } as const;

/** The folder of the test model for these options (made on first use; unset sizes are CPU_TEST_MODEL's). */
export async function hfTestModel(given: HfTestModelOptions = {}): Promise<string> {
  const o: HfTestModelOptions = { ...CPU_TEST_MODEL };
  for (const [k, v] of Object.entries(given) as [keyof HfTestModelOptions, number | undefined][]) if (v !== undefined) o[k] = v;
  const key = createHash('sha256')
    .update(readFileSync(MAKE_TEST_MODEL_SCRIPT))
    .update(JSON.stringify([o.seed ?? 0, o.vocabSize ?? null, o.layers ?? null, o.hidden ?? null]))
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheRoot(), 'test-models', `qwen2-${key}`);
  if (existsSync(join(dir, 'config.json'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    await makeTestModel({ ...o, out: tmp });
    await rename(tmp, dir).catch(async (e: NodeJS.ErrnoException) => {
      if (!existsSync(join(dir, 'config.json'))) throw e; // another process won the race: use its folder
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}
