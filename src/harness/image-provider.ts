// Where a task's sandbox image comes from: built here from env specs (the default), or an official SWE-bench image.
import type { EnvSpec } from '../config/env-spec.ts';
import { loadEnvRegistry, type EnvRegistry } from '../config/envs.ts';
import { SweSrlError } from '../util/errors.ts';
import type { DockerEngine } from '../sandbox/docker-engine.ts';
import { ImageBuilder, type PreparedImage } from '../sandbox/images.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gitArchive, RepoSources } from '../sandbox/sources.ts';
import { materializeRepo } from '../tasks/bundled.ts';
import { OFFICIAL_IMAGE_PREFIX_COMMANDS, officialImageName, type OfficialImageOptions } from './official-images.ts';
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

export interface OfficialImagesOptions extends OfficialImageOptions {
  engine: Pick<DockerEngine, 'inspectImage' | 'pullImage'>;
  envs: EnvRegistry;
  onLog?: (tag: string, line: string) => void;
}

/**
 * The prebuilt SWE-bench images (`swebench/sweb.eval.x86_64.<id>`), pulled when missing: the repository is at
 * /testbed on its base commit and every command runs in the conda env `testbed`.
 */
export class OfficialImages implements ImageProvider {
  constructor(private readonly opts: OfficialImagesOptions) {}

  spec(task: EvalTask): EnvSpec {
    return this.opts.envs.resolve(task.repo, task.version);
  }

  async prepare(task: EvalTask): Promise<PreparedImage> {
    const image = officialImageName(task.instance_id, this.opts);
    let built = false;
    if (!(await this.opts.engine.inspectImage(image))) {
      await this.opts.engine.pullImage(image, (line) => this.opts.onLog?.(image, line));
      built = true;
    }
    return {
      image,
      workdir: '/testbed',
      baseRef: task.base_commit,
      env: this.spec(task).env,
      // cd is done by the sandbox itself
      prelude: OFFICIAL_IMAGE_PREFIX_COMMANDS.filter((c) => !c.startsWith('cd ')).join('\n'),
      built,
    };
  }
}

export type ImageSource = 'local' | 'official';

/** The image provider a command line or config names: `local` (built here; repositories from gitRemote) or `official`. */
export async function createImageProvider(o: {
  engine: DockerEngine;
  source?: string;
  /** Folder of env specs (default envs/). */
  envsDir?: string;
  /** Git-remote template with {owner} and {name} (default $SWE_SRL_GIT_REMOTE, else GitHub). */
  gitRemote?: string;
  onLog?: (tag: string, line: string) => void;
}): Promise<ImageProvider> {
  const source = o.source ?? 'local';
  const envs = await loadEnvRegistry(o.envsDir);
  if (source === 'local') return new LocalImages({ engine: o.engine, envs, sources: new RepoSources({ remoteTemplate: o.gitRemote }), onLog: o.onLog });
  if (source === 'official') return new OfficialImages({ engine: o.engine, envs, onLog: o.onLog });
  throw new SweSrlError({
    code: 'bad_option',
    message: `unknown image source ${JSON.stringify(source)}`,
    fault: 'user',
    field: 'image_source',
    value: source,
    hint: 'Valid: local (built here from env specs), official (the SWE-bench images).',
  });
}

// A bundled task's repository, materialized once into the cache as the git commit its base_commit names.
async function bundledArchive(taskDir: string, baseCommit: string, cacheDir: string) {
  const dest = join(cacheDir, 'bundled', baseCommit);
  if (!existsSync(join(dest, '.git'))) await materializeRepo(taskDir, dest);
  return gitArchive(dest, baseCommit);
}
