// The list of subcommands. Each module exports `register(program, run)`; run is the CLI's main, for commands
// (the demo) that run other command lines.
import type { Command } from 'commander';
import { register as demo } from './demo.ts';
import { register as evalCmd } from './eval.ts';
import { register as evaluate } from './evaluate.ts';
import { register as exportCmd } from './export-verl.ts';
import { register as oracle } from './oracle.ts';
import { register as policy } from './policy.ts';
import { register as replay } from './replay.ts';
import { register as report } from './report.ts';
import { register as serveCmd } from './serve.ts';
import { register as srl } from './srl.ts';
import { register as train } from './train.ts';
import { register as trajectories } from './trajectories.ts';

export const commands: Array<(program: Command, run: (argv: string[]) => Promise<number>) => void> = [demo, evalCmd, evaluate, exportCmd, oracle, policy, replay, report, serveCmd, srl, train, trajectories];
