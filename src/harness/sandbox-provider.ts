// The SandboxProvider seam: how every part of the project (harness, replay, evaluate, oracle, serve) gets a task's
// sandbox. Docker is one adapter (images built here or the official ones, containers on a local or remote engine);
// src/testing/local-sandbox.ts is another, over temp folders, for testing loops without Docker.
import type { EnvSpec } from '../config/env-spec.ts';
import { DockerEngine } from '../sandbox/docker-engine.ts';
import { createDockerSandbox } from '../sandbox/docker-sandbox.ts';
import type { PreparedImage } from '../sandbox/images.ts';
import { reapLeftovers } from '../sandbox/lifecycle.ts';
import type { Sandbox, SandboxLimits } from '../sandbox/types.ts';
import { createImageProvider, type EvalTask, type ImageProvider } from './image-provider.ts';

/** A started sandbox of a task, with the image it runs and the env spec that describes its tests. */
export interface TaskSandbox {
  sandbox: Sandbox;
  image: PreparedImage;
  spec: EnvSpec;
}

export interface SandboxProvider {
  /** The env spec (test command, log parser, time-outs) of a task. */
  spec(task: EvalTask): EnvSpec;
  /** Makes the task's image ready (built or pulled); idempotent. Errors are the task's, not the provider's. */
  prepare(task: EvalTask): Promise<PreparedImage>;
  /** A fresh sandbox of the task at its base commit (preparing its image first unless given); the caller closes it. */
  open(task: EvalTask, o?: { labels?: Record<string, string>; image?: PreparedImage }): Promise<TaskSandbox>;
  /** Removes sandboxes that dead runs of this host left behind; how many. */
  reap(): Promise<number>;
}

/** Docker containers on one engine, from one image provider, all under the same limits. */
export class DockerSandboxProvider implements SandboxProvider {
  constructor(readonly o: { engine: DockerEngine; images: ImageProvider; limits?: SandboxLimits }) {}

  spec(task: EvalTask): EnvSpec {
    return this.o.images.spec(task);
  }

  prepare(task: EvalTask): Promise<PreparedImage> {
    return this.o.images.prepare(task);
  }

  async open(task: EvalTask, o: { labels?: Record<string, string>; image?: PreparedImage } = {}): Promise<TaskSandbox> {
    const spec = this.spec(task);
    const image = o.image ?? (await this.prepare(task));
    const sandbox = await createDockerSandbox({
      engine: this.o.engine,
      image: image.image,
      workdir: image.workdir,
      baseRef: image.baseRef,
      env: image.env,
      prelude: image.prelude,
      limits: this.o.limits,
      labels: o.labels,
    });
    return { sandbox, image, spec };
  }

  reap(): Promise<number> {
    return reapLeftovers(this.o.engine);
  }
}

/**
 * The Docker provider a command line or config describes: the engine (checked reachable), images built here
 * (`local`, repositories from gitRemote) or the official ones, and the sandbox limits.
 */
export async function createDockerSandboxProvider(o: {
  imageSource?: string;
  envsDir?: string;
  gitRemote?: string;
  limits?: SandboxLimits;
  engine?: DockerEngine;
  onLog?: (tag: string, line: string) => void;
}): Promise<DockerSandboxProvider> {
  const engine = o.engine ?? new DockerEngine();
  await engine.ping();
  const images = await createImageProvider({ engine, source: o.imageSource, envsDir: o.envsDir, gitRemote: o.gitRemote, onLog: o.onLog });
  return new DockerSandboxProvider({ engine, images, limits: o.limits });
}
