// Where a task's sandbox image comes from: built here from env specs (`local`, the default), an official SWE-bench
// image used unchanged (`official`), or the official image when this engine has it or can pull it, else a local build
// (`auto`). Every prepared image says which it was (`choice`), and report.json records it.
import type { EnvSpec } from '../config/env-spec.ts';
import { loadEnvRegistry, type EnvRegistry } from '../config/envs.ts';
import { isSweSrlError, SweSrlError } from '../util/errors.ts';
import type { DockerEngine } from '../sandbox/docker-engine.ts';
import { ImageBuilder, type PreparedImage, type PythonInfo } from '../sandbox/images.ts';
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
  /** Makes the task's image available and says how to use it (and, for the providers here, which image it chose). */
  prepare(task: EvalTask): Promise<PreparedImage>;
}

/** Which image a task ran in and how it got onto this engine. */
export interface ImageChoice {
  source: 'official' | 'local';
  image: string;
  /** present: already on the engine; pulled: pulled now; built: built now; cached: every layer already built. */
  origin: 'present' | 'pulled' | 'built' | 'cached';
  /** `auto` only: why the official image was not used. */
  official_unavailable?: string;
  /** Images built here: the Debian line of the base and the interpreter that graded the run. */
  python_line?: PythonInfo['python_line'];
  python_version?: string;
  swebench_python?: string;
}

/** A prepared image with the choice that made it. */
export type ChosenImage = PreparedImage & { choice: ImageChoice };

/** The choice recorded on a prepared image, when its provider made one. */
export function imageChoice(image: PreparedImage): ImageChoice | undefined {
  return (image as Partial<ChosenImage>).choice;
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
        return dir ? bundledArchive(dir, t.base_commit, sources.cacheDir) : sources.archive(t.repo, t.base_commit, { onWarning: (line) => opts.onLog?.(t.instance_id, line) });
      },
    });
  }

  spec(task: EvalTask): EnvSpec {
    return this.opts.envs.resolve(task.repo, task.version);
  }

  async prepare(task: EvalTask): Promise<ChosenImage> {
    const image = await this.builder.prepare(task, this.spec(task));
    return { ...image, choice: { source: 'local', image: image.image, origin: image.built ? 'built' : 'cached', ...image.python } };
  }
}

export interface OfficialImagesOptions extends OfficialImageOptions {
  engine: Pick<DockerEngine, 'inspectImage' | 'pullImage'>;
  envs: EnvRegistry;
  onLog?: (tag: string, line: string) => void;
}

/**
 * The prebuilt SWE-bench images (`swebench/sweb.eval.x86_64.<id>`), used unchanged: taken from the engine when
 * present (pulled earlier, or tagged there under that name), else pulled. The repository is at /testbed on its base
 * commit and every command runs in the conda env `testbed`.
 */
export class OfficialImages implements ImageProvider {
  constructor(private readonly opts: OfficialImagesOptions) {}

  spec(task: EvalTask): EnvSpec {
    return this.opts.envs.resolve(task.repo, task.version);
  }

  /** The official image's name for a task. */
  imageName(task: EvalTask): string {
    return officialImageName(task.instance_id, this.opts);
  }

  /** The image when the engine already has it, else undefined (nothing is pulled). */
  async present(task: EvalTask): Promise<ChosenImage | undefined> {
    const image = this.imageName(task);
    return (await this.opts.engine.inspectImage(image)) ? this.use(task, image, 'present') : undefined;
  }

  /** Pulls the image; fails with image_unavailable when the engine cannot. */
  async pull(task: EvalTask): Promise<ChosenImage> {
    const image = this.imageName(task);
    try {
      await this.opts.engine.pullImage(image, (line) => this.opts.onLog?.(image, line));
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw new SweSrlError({
        code: 'image_unavailable',
        message: `the official image ${image} is not on this engine and could not be pulled: ${detail}`,
        fault: 'environment',
        retryable: true,
        value: image,
        hint: `Pull it where a registry is reachable (docker pull ${image}, or docker load), or use --image-source auto / local to build the task's image here.`,
        cause: e,
      });
    }
    return this.use(task, image, 'pulled');
  }

  async prepare(task: EvalTask): Promise<ChosenImage> {
    return (await this.present(task)) ?? (await this.pull(task));
  }

  private use(task: EvalTask, image: string, origin: 'present' | 'pulled'): ChosenImage {
    return {
      image,
      workdir: '/testbed',
      baseRef: task.base_commit,
      env: this.spec(task).env,
      // cd is done by the sandbox itself
      prelude: OFFICIAL_IMAGE_PREFIX_COMMANDS.filter((c) => !c.startsWith('cd ')).join('\n'),
      built: origin === 'pulled',
      choice: { source: 'official', image, origin },
    };
  }
}

export interface AutoImagesOptions {
  official: OfficialImages;
  /** Builds what the official images cannot give (LocalImages, or a fake in tests). */
  local: ImageProvider;
}

/**
 * `auto`: the official image when the engine has it or can pull it, else a local build. After a pull fails for any
 * reason other than a missing image (no registry reachable), no later task tries to pull: each would wait on the
 * same unreachable registry.
 */
export class AutoImages implements ImageProvider {
  private pullBroken: string | undefined;
  // one choice per task and run: preparing again (opening its sandbox) must not pull again
  private readonly chosen = new Map<string, Promise<ChosenImage>>();

  constructor(private readonly opts: AutoImagesOptions) {}

  spec(task: EvalTask): EnvSpec {
    return this.opts.local.spec(task);
  }

  prepare(task: EvalTask): Promise<ChosenImage> {
    const key = `${task.instance_id}\0${task.base_commit}`;
    let p = this.chosen.get(key);
    if (!p) {
      p = this.choose(task);
      this.chosen.set(key, p);
      p.catch(() => this.chosen.delete(key));
    }
    return p;
  }

  private async choose(task: EvalTask): Promise<ChosenImage> {
    const present = await this.opts.official.present(task);
    if (present) return present;
    let why = this.pullBroken;
    if (why === undefined) {
      try {
        return await this.opts.official.pull(task);
      } catch (e) {
        if (!isSweSrlError(e) || e.code !== 'image_unavailable') throw e;
        why = e.message;
        if (!isNotFound(e.cause)) this.pullBroken = `no pull tried: an earlier pull failed (${e.message})`;
      }
    }
    const image = await this.opts.local.prepare(task);
    const built = imageChoice(image) ?? { source: 'local' as const, image: image.image, origin: image.built ? ('built' as const) : ('cached' as const) };
    return { ...image, choice: { ...built, official_unavailable: why } };
  }
}

// The registry answered that the image does not exist (as opposed to: no registry answered).
function isNotFound(e: unknown): boolean {
  if (isSweSrlError(e) && e.code === 'not_found') return true;
  const msg = e instanceof Error ? e.message : String(e);
  return /not found|manifest unknown|pull access denied|does not exist/i.test(msg);
}

export const IMAGE_SOURCES = ['local', 'official', 'auto'] as const;
export type ImageSource = (typeof IMAGE_SOURCES)[number];

/**
 * The image provider a command line or config names: `local` (built here; repositories from gitRemote), `official`
 * (the SWE-bench images, unchanged) or `auto` (official when present or pullable, else local).
 */
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
  if (source === 'auto') {
    const local = new LocalImages({ engine: o.engine, envs, sources: new RepoSources({ remoteTemplate: o.gitRemote }), onLog: o.onLog });
    return new AutoImages({ official: new OfficialImages({ engine: o.engine, envs, onLog: o.onLog }), local });
  }
  throw new SweSrlError({
    code: 'bad_option',
    message: `unknown image source ${JSON.stringify(source)}`,
    fault: 'user',
    field: 'image_source',
    value: source,
    hint: 'Valid: local (built here from env specs), official (the SWE-bench images, pulled when missing), auto (official when on the engine or pullable, else local).',
  });
}

// A bundled task's repository, materialized once into the cache as the git commit its base_commit names.
async function bundledArchive(taskDir: string, baseCommit: string, cacheDir: string) {
  const dest = join(cacheDir, 'bundled', baseCommit);
  if (!existsSync(join(dest, '.git'))) await materializeRepo(taskDir, dest);
  return gitArchive(dest, baseCommit);
}
