// `swe-srl policy make-test-model`: (being written).
import type { Command } from 'commander';

export function register(_policy: Command): void {}
