// `swe-srl report RUN_DIR... --out report.html`: one self-contained HTML page over eval, training, replay,
// evaluation runs and SRL datasets (the kind of each detected from its files).
import type { Command } from 'commander';
import { writeReport } from '../report/build.ts';

export function register(program: Command): void {
  program
    .command('report')
    .description('one self-contained HTML page (charts and tables) over run folders of any kind')
    .argument('<runs...>', 'run folders (eval, train, replay, evaluate, trajectories) or SRL steps.jsonl files')
    .option('--out <file>', 'the HTML file to write', 'report.html')
    .option('--title <text>', 'page title')
    .action(async (runs: string[], flags: { out: string; title?: string }) => {
      const r = await writeReport({ runs, out: flags.out, title: flags.title });
      for (const run of r.runs) console.log(`${run.name}: ${run.summary[0]?.[1] ?? run.body.kind} (${run.path})`);
      console.log(`wrote ${r.out}`);
    });
}
