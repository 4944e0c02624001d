// `swe-srl policy make-test-model --out DIR [--seed N] [--vocab-size N] [--layers N] [--hidden N]`: a small random
// Qwen2-architecture model with a locally trained BPE tokenizer and a ChatML template, for policy.backend=hf on CPU.
import type { Command } from 'commander';
import { SweSrlError } from '../util/errors.ts';
import { makeTestModel } from '../policy/test-model.ts';

// A whole number >= min from a flag, or a user error naming the flag.
function intFlag(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new SweSrlError({ code: 'bad_flag', message: `--${name} must be an integer >= ${min}`, fault: 'user', field: `--${name}`, value });
  return n;
}

export function register(policy: Command): void {
  policy
    .command('make-test-model')
    .description('make a small random Hugging Face model folder (Qwen2 architecture, local BPE tokenizer, ChatML) with no download')
    .requiredOption('--out <dir>', 'folder to write')
    .option('--seed <n>', 'weight initialisation seed (default 0)')
    .option('--vocab-size <n>', 'BPE vocabulary size (default 2048)')
    .option('--layers <n>', 'decoder layers (default 4)')
    .option('--hidden <n>', 'hidden size, a multiple of 32 (default 256; with the defaults about 4.5M parameters)')
    .action(async (o: { out: string; seed?: string; vocabSize?: string; layers?: string; hidden?: string }) => {
      const info = await makeTestModel({
        out: o.out,
        seed: intFlag('seed', o.seed, 0),
        vocabSize: intFlag('vocab-size', o.vocabSize, 300),
        layers: intFlag('layers', o.layers, 1),
        hidden: intFlag('hidden', o.hidden, 32),
      });
      console.log(JSON.stringify(info));
    });
}
