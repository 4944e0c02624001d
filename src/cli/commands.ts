// The list of subcommands. Each module exports `register(program: Command): void`.
import type { Command } from 'commander';
import { register as train } from './train.ts';

export const commands: Array<(program: Command) => void> = [train];
