// `swe-srl serve`: rewards, grading and live environments over HTTP for other trainers (see src/serve/server.ts).
import type { Command } from 'commander';
import { OutcomeGrader } from '../oracle/outcome.ts';
import { EnvPool } from '../serve/envs.ts';
import { serve } from '../serve/server.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import { SweSrlError } from '../util/errors.ts';
import { untilShutdown } from './shutdown.ts';
import { openSandboxes, positiveOption, sandboxOptions, type SandboxFlags } from './sandbox-options.ts';

interface ServeFlags extends SandboxFlags {
  port: string;
  host: string;
  maxEnvs: string;
  ttl: string;
  stepTimeout: string;
  token?: string;
  maxBodyMb: string;
  requestTimeout: string;
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
    .option('--token <t>', 'bearer token every route but /health requires (env SWE_SRL_SERVE_TOKEN; required off loopback)')
    .option('--max-body-mb <n>', 'largest request body, MiB', '32')
    .option('--request-timeout <s>', 'time limit of one request, seconds (504 past it)', '900')
    .option('-q, --quiet', 'no request log on stderr')
    .action(async (f: ServeFlags) => {
      const token = f.token ?? (process.env.SWE_SRL_SERVE_TOKEN || undefined);
      if (!token && !isLoopback(f.host))
        throw new SweSrlError({
          code: 'bad_option',
          message: `--host ${f.host} is reachable from other machines, and the server runs code in sandboxes for whoever calls it`,
          fault: 'user',
          field: '--token',
          hint: 'Give --token (or SWE_SRL_SERVE_TOKEN) and send Authorization: Bearer <token>, or listen on 127.0.0.1.',
        });
      const maxBodyBytes = positiveOption('max-body-mb', f.maxBodyMb, { fraction: true }) * 1024 ** 2;
      const requestTimeoutMs = positiveOption('request-timeout', f.requestTimeout, { fraction: true }) * 1000;
      const { sandboxes, workers } = await openSandboxes(f);
      // Containers of a server that was killed (SIGKILL leaves no chance to clean up) go now.
      const reaped = await sandboxes.reap();
      if (reaped) console.error(`swe-srl serve: removed ${reaped} container(s) left by a process that is gone`);
      const tasks = await loadTaskSet(f.tasks);
      const running = await serve({
        pool: new EnvPool({ sandboxes, tasks, maxEnvs: positiveOption('max-envs', f.maxEnvs), ttlS: positiveOption('ttl', f.ttl, { fraction: true }), stepTimeoutMs: positiveOption('step-timeout', f.stepTimeout, { fraction: true }) * 1000 }),
        grader: new OutcomeGrader({ sandboxes, tasks, workers }),
        port: Number(f.port),
        host: f.host,
        token,
        maxBodyBytes,
        requestTimeoutMs,
        log: f.quiet ? undefined : (l) => console.error(l),
      });
      console.log(`swe-srl serve: ${tasks.length} task(s) on http://${f.host}:${running.port}${token ? ' (bearer token required)' : ''}`);
      const why = await untilShutdown();
      console.error(`swe-srl serve: ${why}, closing the live environments`);
      await running.close();
      // Keep-alive sockets to the engine would hold the process open.
      process.exit(0);
    });
}

/** Whether an address is only reachable from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
