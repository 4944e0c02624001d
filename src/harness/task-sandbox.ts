// A fresh sandbox of a task's instance image (built or pulled first when missing): what replay, the oracle builder
// and the outcome reward start from.
import type { EnvSpec } from '../config/env-spec.ts';
import type { DockerEngine } from '../sandbox/docker-engine.ts';
import { createDockerSandbox } from '../sandbox/docker-sandbox.ts';
import type { PreparedImage } from '../sandbox/images.ts';
import type { Sandbox, SandboxLimits } from '../sandbox/types.ts';
import type { EvalTask, ImageProvider } from './image-provider.ts';

export interface TaskSandbox {
  sandbox: Sandbox;
  image: PreparedImage;
  spec: EnvSpec;
}

/** Prepares the task's image and starts a sandbox on it; the caller closes the sandbox. */
export async function openTaskSandbox(o: {
  engine: DockerEngine;
  images: ImageProvider;
  task: EvalTask;
  limits?: SandboxLimits;
  labels?: Record<string, string>;
}): Promise<TaskSandbox> {
  const spec = o.images.spec(o.task);
  const image = await o.images.prepare(o.task);
  const sandbox = await createDockerSandbox({
    engine: o.engine,
    image: image.image,
    workdir: image.workdir,
    baseRef: image.baseRef,
    env: image.env,
    prelude: image.prelude,
    limits: o.limits,
    labels: o.labels,
  });
  return { sandbox, image, spec };
}
