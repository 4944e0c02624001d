// CLI entry: one file per subcommand, each exporting `register(program)`. main() returns the exit code.
import { Command, CommanderError } from 'commander';
import { isSweSrlError } from '../util/errors.ts';
import { commands } from './commands.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('swe-srl')
    .description('Supervised RL environment for code-repair agents on SWE-bench-style tasks')
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program, main);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isSweSrlError(e)) {
      console.error(`error [${e.fault}] ${e.message}`);
      return e.fault === 'user' ? 2 : 1;
    }
    console.error(e);
    return 1;
  }
}
