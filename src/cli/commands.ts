// The list of subcommands. Each module exports `register(program: Command): void`.
import type { Command } from 'commander';
import { register as srl } from './srl.ts';

export const commands: Array<(program: Command) => void> = [srl];
