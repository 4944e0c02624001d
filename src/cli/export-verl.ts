// `swe-srl export verl --config run.yaml --out DIR`: the run as a verl recipe (see src/export/verl/, docs/verl.md).
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { TrainConfigSchema } from '../config/train.ts';
import { exportVerl } from '../export/verl/write.ts';
import { positiveOption } from './sandbox-options.ts';

interface ExportVerlFlags {
  config?: string;
  out: string;
  train?: string;
  val?: string;
  serveUrl: string;
  gpus: string;
  maxPromptLength: string;
  rlvrResponseLength: string;
  maxTurns: string;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('write a run as another trainer\'s recipe')
    .command('verl')
    .description('verl trainer configs (SRL stage + multi-turn RLVR stage on swe-srl serve), reward module, agent loop and run.sh')
    .option('-c, --config <file>', 'the swe-srl train config (YAML) to translate')
    .requiredOption('--out <dir>', 'folder to write the recipe to')
    .option('--train <file>', 'training steps (JSONL; its .parquet is what verl reads); sets data.train')
    .option('--val <file>', 'validation steps; sets data.val')
    .option('--serve-url <url>', 'the swe-srl serve the RLVR agent loop talks to', 'http://127.0.0.1:8700')
    .option('--gpus <n>', 'GPUs per node (trainer.n_gpus_per_node)', '1')
    .option('--max-prompt-length <n>', 'prompt tokens at most (longer rows are dropped)', '8192')
    .option('--rlvr-response-length <n>', 'tokens of a whole RLVR episode (replies and tool output)', '16384')
    .option('--max-turns <n>', 'policy replies per RLVR episode at most', '30')
    .argument('[overrides...]', 'config overrides, key.path=value')
    .action(async (overrides: string[], f: ExportVerlFlags) => {
      const strings: Record<string, string> = {};
      if (f.train) strings['data.train'] = f.train;
      if (f.val) strings['data.val'] = f.val;
      // verl's checkpoints go under the recipe folder (DIR/checkpoints/{srl,rlvr}).
      strings.out = `${f.out}/checkpoints`;
      const config = await loadConfig(TrainConfigSchema, { file: f.config, overrides, strings });
      const r = await exportVerl({
        config,
        dir: f.out,
        serveUrl: f.serveUrl,
        gpus: positiveOption('gpus', f.gpus),
        maxPromptLength: positiveOption('max-prompt-length', f.maxPromptLength),
        rlvrResponseLength: positiveOption('rlvr-response-length', f.rlvrResponseLength),
        maxTurns: positiveOption('max-turns', f.maxTurns),
      });
      for (const n of r.notes) console.error(`note: ${n}`);
      console.log(JSON.stringify({ dir: r.dir, files: r.files }));
    });
}
