// `swe-srl serve`: rewards, grading and live environments over HTTP for other trainers (see src/serve/server.ts).
import type { Command } from 'commander';
import { DEFAULT_ENVS_DIR } from '../config/envs.ts';
import { createImageProvider } from '../harness/image-provider.ts';
import { OutcomeGrader } from '../oracle/outcome.ts';
import { DockerEngine } from '../sandbox/docker-engine.ts';
import { EnvPool } from '../serve/envs.ts';
import { serve } from '../serve/server.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import { SweSrlError } from '../util/errors.ts';

interface ServeFlags {
  port: string;
  host: string;
  tasks: string;
  workers: string;
  maxEnvs: string;
  ttl: string;
  stepTimeout: string;
  gitRemote?: string;
  envs: string;
  imageSource: string;
  memory: string;
  cpus: string;
  quiet?: boolean;
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new SweSrlError({ code: 'bad_option', message: `--${name} must be a positive number`, fault: 'user', value: v });
  return n;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve rewards, grading and live task environments over HTTP (for other trainers\' reward functions and rollouts)')
    .option('--port <n>', 'port (0: any free one)', '8700')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--tasks <source>', 'task set: "bundled", a folder of task folders, or a JSON/JSONL/Parquet file', 'bundled')
    .option('--workers <n>', 'sandboxes grading at once', '4')
    .option('--max-envs <n>', 'live environments open at once at most', '16')
    .option('--ttl <s>', 'seconds an idle environment is kept', '900')
    .option('--step-timeout <s>', 'time limit of one environment step, seconds', '120')
    .option('--git-remote <template>', 'where repositories come from, with {owner} and {name} (env SWE_SRL_GIT_REMOTE)')
    .option('--envs <dir>', 'folder of env specs', DEFAULT_ENVS_DIR)
    .option('--image-source <local|official>', 'build images here from env specs, or pull the official SWE-bench images', 'local')
    .option('--memory <gb>', 'memory limit per sandbox, GiB', '4')
    .option('--cpus <n>', 'CPUs per sandbox', '2')
    .option('-q, --quiet', 'no request log on stderr')
    .action(async (f: ServeFlags) => {
      const engine = new DockerEngine();
      await engine.ping();
      const tasks = await loadTaskSet(f.tasks);
      const images = await createImageProvider({ engine, source: f.imageSource, envsDir: f.envs, gitRemote: f.gitRemote });
      const limits = { memoryBytes: positive('memory', f.memory) * 1024 ** 3, cpus: positive('cpus', f.cpus) };
      const running = await serve({
        pool: new EnvPool({ engine, images, tasks, limits, maxEnvs: positive('max-envs', f.maxEnvs), ttlS: positive('ttl', f.ttl), stepTimeoutMs: positive('step-timeout', f.stepTimeout) * 1000 }),
        grader: new OutcomeGrader({ engine, images, tasks, workers: positive('workers', f.workers), limits }),
        port: Number(f.port),
        host: f.host,
        log: f.quiet ? undefined : (l) => console.error(l),
      });
      console.log(`swe-srl serve: ${tasks.length} task(s) on http://${f.host}:${running.port}`);
      // Runs until interrupted; the sandbox lifecycle removes the live environments' containers on SIGINT / SIGTERM.
    });
}
