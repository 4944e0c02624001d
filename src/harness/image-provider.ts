// Where a task's sandbox image comes from: built here from env specs (the default), or an official SWE-bench image.
import type { EnvSpec } from '../config/env-spec.ts';
import type { EnvRegistry } from '../config/envs.ts';
import type { DockerEngine } from '../sandbox/docker-engine.ts';
import { ImageBuilder, type PreparedImage } from '../sandbox/images.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gitArchive, RepoSources } from '../sandbox/sources.ts';
import { materializeRepo } from '../tasks/bundled.ts';
import type { Task } from '../tasks/schema.ts';

/** A task as the harness sees it; bundled tasks carry the folder their repository ships in. */
export type EvalTask = Task & { source_dir?: string };

export interface ImageProvider {
  /** The env spec (test command, log parser, limits) of a task. */
  spec(task: EvalTask): EnvSpec;
  /** Makes the task's image available and says how to use it. */
  prepare(task: EvalTask): Promise<PreparedImage>;
}

export interface LocalImagesOptions {
  engine: DockerEngine;
  envs: EnvRegistry;
  sources?: RepoSources;
  baseImage?: string;
  onLog?: (tag: string, line: string) => void;
}

/** Builds base -> env -> instance images here, from envs/*.yaml and the repository sources. */
export class LocalImages implements ImageProvider {
  private readonly builder: ImageBuilder;

  constructor(private readonly opts: LocalImagesOptions) {
    const sources = opts.sources ?? new RepoSources();
    this.builder = new ImageBuilder({
      engine: opts.engine,
      baseImage: opts.baseImage,
      onLog: opts.onLog,
      source: (t) => {
        const dir = (t as EvalTask).source_dir;
        return dir ? bundledArchive(dir, t.base_commit, sources.cacheDir) : sources.archive(t.repo, t.base_commit);
      },
    });
  }

  spec(task: EvalTask): EnvSpec {
    return this.opts.envs.resolve(task.repo, task.version);
  }

  prepare(task: EvalTask): Promise<PreparedImage> {
    return this.builder.prepare(task, this.spec(task));
  }
}

// A bundled task's repository, materialized once into the cache as the git commit its base_commit names.
async function bundledArchive(taskDir: string, baseCommit: string, cacheDir: string) {
  const dest = join(cacheDir, 'bundled', baseCommit);
  if (!existsSync(join(dest, '.git'))) await materializeRepo(taskDir, dest);
  return gitArchive(dest, baseCommit);
}
