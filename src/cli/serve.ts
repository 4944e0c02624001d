// `swe-srl serve`: rewards, grading and live environments over HTTP for other trainers (see src/serve/server.ts).
import type { Command } from 'commander';
import { OutcomeGrader } from '../oracle/outcome.ts';
import { EnvPool } from '../serve/envs.ts';
import { serve } from '../serve/server.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import { openSandboxes, positiveOption, sandboxOptions, type SandboxFlags } from './sandbox-options.ts';

interface ServeFlags extends SandboxFlags {
  port: string;
  host: string;
  maxEnvs: string;
  ttl: string;
  stepTimeout: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  sandboxOptions(program.command('serve'), { workers: '4', workersHelp: 'sandboxes grading at once' })
    .description('serve rewards, grading and live task environments over HTTP (for other trainers\' reward functions and rollouts)')
    .option('--port <n>', 'port (0: any free one)', '8700')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--max-envs <n>', 'live environments open at once at most', '16')
    .option('--ttl <s>', 'seconds an idle environment is kept', '900')
    .option('--step-timeout <s>', 'time limit of one environment step, seconds', '120')
    .option('-q, --quiet', 'no request log on stderr')
    .action(async (f: ServeFlags) => {
      const { engine, images, limits, workers } = await openSandboxes(f);
      const tasks = await loadTaskSet(f.tasks);
      const running = await serve({
        pool: new EnvPool({ engine, images, tasks, limits, maxEnvs: positiveOption('max-envs', f.maxEnvs), ttlS: positiveOption('ttl', f.ttl, { fraction: true }), stepTimeoutMs: positiveOption('step-timeout', f.stepTimeout, { fraction: true }) * 1000 }),
        grader: new OutcomeGrader({ engine, images, tasks, workers, limits }),
        port: Number(f.port),
        host: f.host,
        log: f.quiet ? undefined : (l) => console.error(l),
      });
      console.log(`swe-srl serve: ${tasks.length} task(s) on http://${f.host}:${running.port}`);
      // Runs until interrupted; the sandbox lifecycle removes the live environments' containers on SIGINT / SIGTERM.
    });
}
