// The command-line options every sandbox-using command shares (task set, images, sandbox limits), read into the
// objects the library takes.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_ENVS_DIR } from '../config/envs.ts';
import { createDockerSandboxProvider, type SandboxProvider } from '../harness/sandbox-provider.ts';
import { SweSrlError } from '../util/errors.ts';

export interface SandboxFlags {
  tasks: string;
  workers: string;
  gitRemote?: string;
  envs: string;
  imageSource: string;
  memory: string;
  cpus: string;
  wheels?: string;
}

/** Adds --tasks, --workers, --git-remote, --envs, --image-source, --memory, --cpus. */
export function sandboxOptions(cmd: Command, o: { workers: string; workersHelp?: string }): Command {
  return cmd
    .option('--tasks <source>', 'task set: "bundled", a folder of task folders, or a JSON/JSONL/Parquet file', 'bundled')
    .option('--workers <n>', o.workersHelp ?? 'sandboxes in parallel', o.workers)
    .option('--git-remote <template>', 'where repositories come from, with {owner} and {name} (env SWE_SRL_GIT_REMOTE)')
    .option('--envs <dir>', 'folder of env specs', DEFAULT_ENVS_DIR)
    .option('--image-source <local|official|auto>', 'build images here from env specs, use the official SWE-bench images (pulled when missing), or auto: official when present or pullable, else built here', 'local')
    .option('--memory <gb>', 'memory limit per sandbox, GiB', '4')
    .option('--cpus <n>', 'CPUs per sandbox', '2')
    .option('--wheels <dir>', "folder of pinned pip wheels for env specs' pip lines, copied into env builds (env SWE_SRL_WHEELS)");
}

/** A positive number from an option (an integer unless `fraction`), or a user error naming the option. */
export function positiveOption(name: string, v: string, o: { fraction?: boolean } = {}): number {
  const n = Number(v);
  if (!(n > 0) || (!o.fraction && !Number.isInteger(n)))
    throw new SweSrlError({ code: 'bad_option', message: `--${name} must be a positive ${o.fraction ? 'number' : 'integer'}`, fault: 'user', value: v });
  return n;
}

/** The sandbox provider (the engine checked reachable, the image source, the limits) and worker count the flags describe. */
export async function openSandboxes(f: SandboxFlags): Promise<{ sandboxes: SandboxProvider; workers: number }> {
  const limits = { memoryBytes: positiveOption('memory', f.memory, { fraction: true }) * 1024 ** 3, cpus: positiveOption('cpus', f.cpus, { fraction: true }) };
  const workers = positiveOption('workers', f.workers);
  // The image builder reads the wheel folder from the environment, wherever it is created.
  if (f.wheels) process.env.SWE_SRL_WHEELS = resolve(f.wheels);
  const sandboxes = await createDockerSandboxProvider({ imageSource: f.imageSource, envsDir: f.envs, gitRemote: f.gitRemote, limits });
  return { sandboxes, workers };
}
