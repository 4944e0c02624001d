// `swe-srl srl ...`: the SRL data commands. Each subcommand lives in its own src/cli/srl-<name>.ts file and
// exports `register(srl: Command)`; add it to the list below.
import type { Command } from 'commander';
import { register as registerScore } from './srl-score.ts';

const subcommands: Array<(srl: Command) => void> = [registerScore];

/** Registers the `srl` command and its subcommands. */
export function register(program: Command): void {
  const srl = program.command('srl').description('Supervised RL data: build step-wise examples, score completions');
  for (const add of subcommands) add(srl);
}
