// `swe-srl demo`: the whole pipeline on its embedded defaults (bundled tasks, CPU only).
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_ENVS_DIR } from '../config/envs.ts';
import { evalCommand } from './eval.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('run the pipeline on the bundled tasks: build their images, grade gold and empty predictions')
    .option('--out <dir>', 'output folder', join('runs', 'demo'))
    .option('--workers <n>', 'sandboxes in parallel', '2')
    .action(async (o: { out: string; workers: string }) => {
      const out = resolve(o.out);
      const common = { tasks: 'bundled', workers: o.workers, envs: DEFAULT_ENVS_DIR, memory: '4', cpus: '2', imageSource: 'local' };
      for (const predictions of ['gold', 'empty']) {
        console.log(`\n== grading ${predictions} predictions of the bundled tasks`);
        const rc = await evalCommand({ ...common, predictions, runId: predictions, out: join(out, 'eval', predictions) });
        if (rc !== 0) {
          process.exitCode = rc;
          return;
        }
      }
      console.log(`\nDemo outputs are under ${out}`);
    });
}
