// `swe-srl policy serve`: (being written).
import type { Command } from 'commander';

export function register(_policy: Command): void {}
