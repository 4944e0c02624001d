// Builds (or finds) the images a task needs. A tag is a content hash of its recipe, so a rebuild with nothing
// changed is a no-op, and instances of one repo/version group share their env image.
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { EnvSpec } from '../config/env-spec.ts';
import { baseImageTag, chooseBase, DEFAULT_BASE_LINE, type BaseChoice, type BaseLine } from '../config/python-lines.ts';
import { SweSrlError } from '../util/errors.ts';
import { buildBaseImage } from './base-images.ts';
import type { DockerEngine } from './docker-engine.ts';
import { BASE_REF_TAG, envRecipe, instanceRecipe, type Recipe, type WheelFolder } from './image-recipes.ts';

export const DEFAULT_BASE_IMAGE = baseImageTag(DEFAULT_BASE_LINE);

/** Which interpreter a prepared image runs: the Debian line, its Python version and what SWE-bench pins. */
export interface PythonInfo {
  python_line: BaseLine | 'custom';
  /** The interpreter's version from the base image's label (e.g. "3.9.2"), else the line's minor version. */
  python_version: string;
  /** The Python SWE-bench pins for this repo/version, when it knows the repo. */
  swebench_python?: string;
}

/** What the image builder needs of a task. */
export interface ImageTask {
  instance_id: string;
  repo: string;
  base_commit: string;
}

/** Where a task's image comes from and how a sandbox should treat it. */
export interface PreparedImage {
  image: string;
  workdir: string;
  /** Git ref of the unmodified repository inside the image. */
  baseRef: string;
  env: Record<string, string>;
  /** Shell lines run before every command (official SWE-bench images activate conda). */
  prelude?: string;
  /** Whether this call built anything (false when all layers already existed). */
  built: boolean;
  /** The interpreter inside (images built here). */
  python?: PythonInfo;
}

export interface ImageBuilderOptions {
  engine: DockerEngine;
  /** One base image for every spec (tests, custom bases); by default each spec's Python line picks its base. */
  baseImage?: string;
  /**
   * A folder of pinned pip wheels (default $SWE_SRL_WHEELS): env specs' `pip` lines install from it, with no index,
   * copied into the env build.
   */
  wheelsDir?: string;
  /** Builds a missing line's base (default: scripts/build-base-image.sh, debootstrap + docker import). */
  buildBase?: (line: BaseLine, tag: string, onLog: (line: string) => void) => Promise<void>;
  /** The repository tree of a task at its base commit, as a tar stream. */
  source: (task: ImageTask) => Promise<Readable>;
  onLog?: (tag: string, line: string) => void;
}

export class ImageBuilder {
  private readonly inflight = new Map<string, Promise<boolean>>();
  private wheelList?: Promise<WheelFolder>;
  private readonly bases = new Map<string, Promise<{ id: string; labels: Record<string, string> }>>();

  constructor(private readonly opts: ImageBuilderOptions) {}

  /** Makes sure the instance image of `task` exists, building env and instance layers as needed. */
  async prepare(task: ImageTask, spec: EnvSpec): Promise<PreparedImage> {
    const choice = spec.base_choice ?? chooseBase({ repo: spec.repo, version: spec.version, pinned: spec.base });
    const baseRef = this.opts.baseImage ?? baseImageTag(choice.line);
    const base = await this.baseImage(baseRef, this.opts.baseImage ? undefined : choice.line);
    const wheels = spec.pip.length ? await this.wheels() : undefined;
    const env = envRecipe(spec, { ref: baseRef, id: base.id, line: this.opts.baseImage ? undefined : choice.line }, wheels);
    const inst = instanceRecipe({
      instanceId: task.instance_id,
      repo: task.repo,
      baseCommit: task.base_commit,
      spec,
      envTag: env.tag,
    });
    let built = false;
    if (!(await this.opts.engine.inspectImage(inst.tag))) {
      built = (await this.once(env, () => this.build(env, wheels && { prefix: 'wheels', tar: tarOf(wheels.dir) }))) || built;
      built = (await this.once(inst, async () => this.build(inst, await this.opts.source(task)))) || built;
    }
    const python = pythonInfo(choice, base.labels, this.opts.baseImage !== undefined);
    return { image: inst.tag, workdir: '/testbed', baseRef: BASE_REF_TAG, env: spec.env, built, python };
  }

  // The wheel folder's listing (names and sizes), read once; undefined when no folder is set.
  private wheels(): Promise<WheelFolder | undefined> {
    const dir = this.opts.wheelsDir ?? process.env.SWE_SRL_WHEELS;
    if (!dir) return Promise.resolve(undefined);
    this.wheelList ??= listWheels(dir);
    return this.wheelList;
  }

  // A line's base is built on first use (once per process); a custom base must exist already.
  private baseImage(ref: string, line: BaseLine | undefined): Promise<{ id: string; labels: Record<string, string> }> {
    let p = this.bases.get(ref);
    if (!p) {
      p = (async () => {
        let info = await this.opts.engine.inspectImage(ref);
        if (!info && line) {
          const build = this.opts.buildBase ?? buildBaseImage;
          await build(line, ref, (l) => this.opts.onLog?.(ref, l));
          info = await this.opts.engine.inspectImage(ref);
        }
        if (!info) {
          throw new SweSrlError({
            code: 'base_image_missing',
            message: `the base image ${ref} does not exist`,
            fault: 'environment',
            hint: line
              ? `Build it with \`bash scripts/build-base-image.sh ${line}\` (debootstrap + docker import).`
              : 'Build it first, or leave the base image unset so that each spec\'s Python line picks one.',
          });
        }
        return info;
      })();
      this.bases.set(ref, p);
      p.catch(() => this.bases.delete(ref));
    }
    return p;
  }

  // One build per tag at a time, shared by every worker that needs it.
  private once(recipe: Recipe, build: () => Promise<boolean>): Promise<boolean> {
    let p = this.inflight.get(recipe.tag);
    if (!p) {
      p = (async () => ((await this.opts.engine.inspectImage(recipe.tag)) ? false : build()))();
      this.inflight.set(recipe.tag, p);
      p.finally(() => this.inflight.delete(recipe.tag)).catch(() => undefined);
    }
    return p;
  }

  private async build(recipe: Recipe, tree?: Readable | { prefix: string; tar: Readable }): Promise<boolean> {
    const trees = !tree ? [] : 'prefix' in tree ? [tree] : [{ prefix: 'testbed', tar: tree }];
    await this.opts.engine.buildImage({
      tag: recipe.tag,
      labels: recipe.labels,
      files: { Dockerfile: recipe.dockerfile },
      trees,
      onLog: (line) => this.opts.onLog?.(recipe.tag, line),
    });
    return true;
  }
}

/** What report.json records of the interpreter (pure). */
export function pythonInfo(choice: BaseChoice, labels: Record<string, string>, custom: boolean): PythonInfo {
  const version = labels['swe-srl.python'];
  const known = choice.swebenchPython === undefined ? {} : { swebench_python: choice.swebenchPython };
  if (custom) return { python_line: (labels['swe-srl.suite'] as BaseLine | undefined) ?? 'custom', python_version: version ?? 'unknown', ...known };
  return { python_line: choice.line, python_version: version ?? choice.python, ...known };
}

// The wheel files of a folder, sorted, with their sizes; a user error when the folder cannot be read.
async function listWheels(dir: string): Promise<WheelFolder> {
  const abs = resolve(dir);
  let names: string[];
  try {
    names = (await readdir(abs)).filter((n) => /\.(whl|tar\.gz|zip)$/.test(n)).sort();
  } catch (e) {
    throw new SweSrlError({ code: 'bad_option', message: `cannot read the wheel folder ${abs}: ${(e as Error).message}`, fault: 'user', field: 'wheels', value: dir, hint: 'Pass a folder of .whl files (pip download --dest DIR ...).' });
  }
  const files = await Promise.all(names.map(async (n): Promise<[string, number]> => [n, (await stat(join(abs, n))).size]));
  return { dir: abs, files };
}

// A tar stream of a folder's files (what the env build copies in as wheels/).
function tarOf(dir: string): Readable {
  return spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'ignore'] }).stdout;
}
