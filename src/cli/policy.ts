// `swe-srl policy ...`: policies as artefacts. Each subcommand lives in its own src/cli/policy-<name>.ts file and
// exports `register(policy: Command)`; add it to the list below.
import type { Command } from 'commander';
import { register as registerExport } from './policy-export.ts';
import { register as registerMakeTestModel } from './policy-make-test-model.ts';
import { register as registerServe } from './policy-serve.ts';

const subcommands: Array<(policy: Command) => void> = [registerMakeTestModel, registerExport, registerServe];

/** Registers the `policy` command and its subcommands. */
export function register(program: Command): void {
  const policy = program
    .command('policy')
    .description('policies: make a small test model, export a trained checkpoint, serve a policy over an OpenAI-compatible API');
  for (const add of subcommands) add(policy);
}
