// Builds (or finds) the images a task needs. A tag is a content hash of its recipe, so a rebuild with nothing
// changed is a no-op, and instances of one repo/version group share their env image.
import type { Readable } from 'node:stream';
import type { EnvSpec } from '../config/env-spec.ts';
import { SweSrlError } from '../util/errors.ts';
import type { DockerEngine } from './docker-engine.ts';
import { BASE_REF_TAG, envRecipe, instanceRecipe, type Recipe } from './image-recipes.ts';

export const DEFAULT_BASE_IMAGE = 'swe-srl-base:bookworm';

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
}

export interface ImageBuilderOptions {
  engine: DockerEngine;
  baseImage?: string;
  /** The repository tree of a task at its base commit, as a tar stream. */
  source: (task: ImageTask) => Promise<Readable>;
  onLog?: (tag: string, line: string) => void;
}

export class ImageBuilder {
  private readonly inflight = new Map<string, Promise<boolean>>();
  private baseId?: Promise<string>;

  constructor(private readonly opts: ImageBuilderOptions) {}

  /** Makes sure the instance image of `task` exists, building env and instance layers as needed. */
  async prepare(task: ImageTask, spec: EnvSpec): Promise<PreparedImage> {
    const baseRef = this.opts.baseImage ?? DEFAULT_BASE_IMAGE;
    const env = envRecipe(spec, { ref: baseRef, id: await this.baseImageId(baseRef) });
    const inst = instanceRecipe({
      instanceId: task.instance_id,
      repo: task.repo,
      baseCommit: task.base_commit,
      spec,
      envTag: env.tag,
    });
    let built = false;
    if (!(await this.opts.engine.inspectImage(inst.tag))) {
      built = (await this.once(env, () => this.build(env))) || built;
      built = (await this.once(inst, async () => this.build(inst, await this.opts.source(task)))) || built;
    }
    return { image: inst.tag, workdir: '/testbed', baseRef: BASE_REF_TAG, env: spec.env, built };
  }

  private baseImageId(ref: string): Promise<string> {
    this.baseId ??= this.opts.engine.inspectImage(ref).then((info) => {
      if (!info) {
        throw new SweSrlError({
          code: 'base_image_missing',
          message: `the base image ${ref} does not exist`,
          fault: 'environment',
          hint: 'Build it with `npm run setup` (debootstrap + docker import).',
        });
      }
      return info.id;
    });
    return this.baseId;
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

  private async build(recipe: Recipe, testbed?: Readable): Promise<boolean> {
    await this.opts.engine.buildImage({
      tag: recipe.tag,
      labels: recipe.labels,
      files: { Dockerfile: recipe.dockerfile },
      trees: testbed ? [{ prefix: 'testbed', tar: testbed }] : [],
      onLog: (line) => this.opts.onLog?.(recipe.tag, line),
    });
    return true;
  }
}
