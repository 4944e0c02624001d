// A small real Hugging Face model folder made locally (no download) for the hf backend's tests, benchmarks and
// demos: src/policy/worker/make_test_model.py run with the worker's Python. Same options, same folder.
import { execa } from 'execa';
import { join } from 'node:path';
import { z } from 'zod';
import { SweSrlError } from '../util/errors.ts';
import { defaultPython } from './python-env.ts';
import { WORKER_DIR } from './worker-client.ts';

/** The script that builds the folder (its hash keys caches of made models). */
export const MAKE_TEST_MODEL_SCRIPT = join(WORKER_DIR, 'make_test_model.py');

export interface TestModelOptions {
  out: string;
  /** Weight initialisation seed (default 0). */
  seed?: number;
  /** BPE vocabulary size, special tokens included (default 2048). */
  vocabSize?: number;
  /** Decoder layers (default 4). */
  layers?: number;
  /** Hidden size, a multiple of 32 (default 256). */
  hidden?: number;
  /** Python interpreter (default: the worker's, see python-env.ts). */
  python?: string;
}

export const TestModelInfoSchema = z.object({
  out: z.string(),
  parameters: z.number().int(),
  vocab_size: z.number().int(),
  layers: z.number().int(),
  hidden: z.number().int(),
  seed: z.number().int(),
  eos_token_id: z.number().int(),
  pad_token_id: z.number().int(),
});
export type TestModelInfo = z.infer<typeof TestModelInfoSchema>;

/** The script's arguments for these options (only the ones given; the script has the defaults). */
export function testModelArgs(o: TestModelOptions): string[] {
  const args = ['--out', o.out];
  if (o.seed !== undefined) args.push('--seed', String(o.seed));
  if (o.vocabSize !== undefined) args.push('--vocab-size', String(o.vocabSize));
  if (o.layers !== undefined) args.push('--layers', String(o.layers));
  if (o.hidden !== undefined) args.push('--hidden', String(o.hidden));
  return args;
}

/** Makes the model folder at o.out and describes it; fails with the script's stderr when it cannot. */
export async function makeTestModel(o: TestModelOptions): Promise<TestModelInfo> {
  const python = defaultPython(o.python);
  const r = await execa(python, [MAKE_TEST_MODEL_SCRIPT, ...testModelArgs(o)], {
    reject: false,
    timeout: 300_000,
    env: { TOKENIZERS_PARALLELISM: 'false', OMP_NUM_THREADS: '1' },
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  let parsed: ReturnType<typeof TestModelInfoSchema.safeParse> | undefined;
  try {
    parsed = TestModelInfoSchema.safeParse(JSON.parse(last));
  } catch {
    parsed = undefined;
  }
  if (r.exitCode !== 0 || !parsed?.success)
    throw new SweSrlError({
      code: 'test_model_failed',
      message: `${python} ${MAKE_TEST_MODEL_SCRIPT} ${r.timedOut ? 'timed out' : `exited with ${String(r.exitCode)}`}: ${r.stderr.split('\n').slice(-8).join('\n')}`,
      fault: r.exitCode === 2 ? 'user' : 'environment',
      file: o.out,
      hint:
        r.exitCode === 2
          ? 'Fix the option the message names (see swe-srl policy make-test-model --help).'
          : 'Run npm run setup (the worker venv has torch, transformers and tokenizers), or set SWE_SRL_PYTHON.',
    });
  return parsed.data;
}
