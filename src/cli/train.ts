// `swe-srl train --config run.yaml [--train F --val F --steps N --out DIR] [key.path=value ...]`
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { TrainConfigSchema } from '../config/train.ts';
import { runTraining } from '../train/loop.ts';

export function register(program: Command): void {
  program
    .command('train')
    .description('GRPO with dynamic sampling on SRL step examples (mode srl), or the SFT baseline (mode sft)')
    .option('-c, --config <file>', 'YAML config (see configs/tiny-cpu.yaml)')
    .option('--train <file>', 'training examples (JSONL); sets data.train')
    .option('--val <file>', 'validation examples (JSONL); sets data.val')
    .option('--steps <n>', 'optimizer steps; sets train.steps')
    .option('--out <dir>', 'output folder; sets out')
    .option('-q, --quiet', 'no per-step log on stderr')
    .argument('[overrides...]', 'config overrides, key.path=value (e.g. rollout.n=8 optimizer.lr=1e-6)')
    .action(async (overrides: string[], opts: { config?: string; train?: string; val?: string; steps?: string; out?: string; quiet?: boolean }) => {
      // Paths are set verbatim (a folder named 2024 or true stays a string); train.steps is read as a number.
      const strings: Record<string, string> = {};
      if (opts.train) strings['data.train'] = opts.train;
      if (opts.val) strings['data.val'] = opts.val;
      if (opts.out) strings.out = opts.out;
      const flags = opts.steps ? [`train.steps=${opts.steps}`] : [];
      const config = await loadConfig(TrainConfigSchema, { file: opts.config, overrides: [...overrides, ...flags], strings });
      const summary = await runTraining({ config, log: opts.quiet ? undefined : (m) => console.error(m) });
      console.log(JSON.stringify(summary));
    });
}
