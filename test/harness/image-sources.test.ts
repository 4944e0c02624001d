// Image sources without an engine: official images are used as the engine has them or can pull them, auto falls
// back to a local build, and every prepared image says which it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry, type EnvRegistry } from '../../src/config/envs.ts';
import { AutoImages, createImageProvider, imageChoice, OfficialImages, type EvalTask, type ImageProvider } from '../../src/harness/image-provider.ts';
import { infraFailureKeys } from '../../src/harness/infra-failure.ts';
import { infraFailure, INFRA_FAILURE_ADVICE } from '../../src/harness/outcome.ts';
import type { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import type { PreparedImage } from '../../src/sandbox/images.ts';
import { loadBundledTasks } from '../../src/tasks/bundled.ts';
import { SweSrlError } from '../../src/util/errors.ts';

const OFFLINE = 'pull swebench/x failed: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host';

/** An engine that has `present` images and pulls by `pull` (which may throw). */
function fakeEngine(o: { present?: string[]; pull?: (ref: string) => void } = {}) {
  const have = new Set(o.present ?? []);
  const pulls: string[] = [];
  const engine: Pick<DockerEngine, 'inspectImage' | 'pullImage'> = {
    inspectImage: async (ref) => (have.has(ref) ? { id: `sha256:${ref.length}`, labels: {} } : undefined),
    pullImage: async (ref) => {
      pulls.push(ref);
      o.pull?.(ref);
      have.add(ref);
    },
  };
  return { engine, pulls };
}

const offline = () => {
  throw new SweSrlError({ code: 'engine_error', message: OFFLINE, fault: 'environment' });
};
const missing = (ref: string) => {
  throw new SweSrlError({ code: 'not_found', message: `pull ${ref}: manifest unknown`, fault: 'environment' });
};

describe('image sources', () => {
  let envs: EnvRegistry;
  let task: EvalTask;
  let other: EvalTask;
  let builds: string[];
  let local: ImageProvider;
  const name = (t: EvalTask) => `swebench/sweb.eval.x86_64.${t.instance_id.replaceAll('__', '_1776_')}:latest`;

  beforeAll(async () => {
    envs = await loadEnvRegistry();
    const bundled = await loadBundledTasks();
    task = bundled[0]!;
    other = bundled[1]!;
    builds = [];
    local = {
      spec: (t) => envs.resolve(t.repo, t.version),
      prepare: async (t): Promise<PreparedImage> => {
        builds.push(t.instance_id);
        return { image: `swe-srl-inst:${t.instance_id}`, workdir: '/testbed', baseRef: 'swe-srl-base', env: {}, built: true };
      },
    };
  });

  it('official: uses an image the engine already has (tagged there under the official name) without pulling', async () => {
    const { engine, pulls } = fakeEngine({ present: [name(task!)] });
    const img = await new OfficialImages({ engine, envs }).prepare(task!);
    expect(img).toMatchObject({ image: name(task!), workdir: '/testbed', baseRef: task!.base_commit, built: false });
    expect(imageChoice(img)).toEqual({ source: 'official', image: name(task!), origin: 'present' });
    expect(pulls).toEqual([]);
  });

  it('official: pulls a missing image; a failed pull is image_unavailable, naming the fix', async () => {
    const ok = fakeEngine();
    expect(imageChoice(await new OfficialImages({ engine: ok.engine, envs }).prepare(task!))).toMatchObject({ origin: 'pulled' });
    expect(ok.pulls).toEqual([name(task!)]);
    const { engine } = fakeEngine({ pull: offline });
    const err = await new OfficialImages({ engine, envs }).prepare(task!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SweSrlError);
    expect(err).toMatchObject({ code: 'image_unavailable', fault: 'environment', retryable: true });
    expect((err as SweSrlError).hint).toMatch(/--image-source auto/);
    expect((err as Error).message).toContain('no such host');
  });

  it('auto: prefers an official image on the engine, then a pulled one', async () => {
    const here = fakeEngine({ present: [name(task!)] });
    const auto = new AutoImages({ official: new OfficialImages({ engine: here.engine, envs }), local });
    expect(imageChoice(await auto.prepare(task!))).toEqual({ source: 'official', image: name(task!), origin: 'present' });
    const pullable = fakeEngine();
    const auto2 = new AutoImages({ official: new OfficialImages({ engine: pullable.engine, envs }), local });
    expect(imageChoice(await auto2.prepare(task!))).toMatchObject({ source: 'official', origin: 'pulled' });
    expect(builds).toEqual([]);
  });

  it('auto: builds locally when the official image is missing from the registry, and still tries the next one', async () => {
    builds.length = 0;
    const { engine, pulls } = fakeEngine({ pull: missing });
    const auto = new AutoImages({ official: new OfficialImages({ engine, envs }), local });
    const img = await auto.prepare(task!);
    expect(img.image).toBe(`swe-srl-inst:${task!.instance_id}`);
    expect(imageChoice(img)).toMatchObject({ source: 'local', origin: 'built', official_unavailable: expect.stringContaining('manifest unknown') });
    await auto.prepare(other!);
    // preparing a task again (to open its sandbox) neither pulls nor builds again
    await auto.prepare(task!);
    expect(pulls).toEqual([name(task!), name(other!)]);
    expect(builds).toEqual([task!.instance_id, other!.instance_id]);
  });

  it('auto: after a pull fails for want of a registry, later tasks do not try to pull', async () => {
    const { engine, pulls } = fakeEngine({ pull: offline });
    const auto = new AutoImages({ official: new OfficialImages({ engine, envs }), local });
    await auto.prepare(task!);
    const second = imageChoice(await auto.prepare(other!));
    expect(pulls).toEqual([name(task!)]);
    expect(second).toMatchObject({ source: 'local', official_unavailable: expect.stringMatching(/^no pull tried: .*no such host/) });
  });

  it('auto: an official image present on the engine still wins after pulls were given up', async () => {
    const { engine } = fakeEngine({ present: [name(other!)], pull: offline });
    const auto = new AutoImages({ official: new OfficialImages({ engine, envs }), local });
    expect(imageChoice(await auto.prepare(task!))?.source).toBe('local');
    expect(imageChoice(await auto.prepare(other!))).toMatchObject({ source: 'official', origin: 'present' });
  });

  it('createImageProvider knows local, official and auto, and lists them for anything else', async () => {
    const { engine } = fakeEngine();
    const e = engine as DockerEngine;
    expect(await createImageProvider({ engine: e, source: 'auto' })).toBeInstanceOf(AutoImages);
    expect(await createImageProvider({ engine: e, source: 'official' })).toBeInstanceOf(OfficialImages);
    await expect(createImageProvider({ engine: e, source: 'hub' })).rejects.toThrow(/local .*official .*auto/s);
  });

  it('an unavailable image is an environment failure that a re-run retries', () => {
    const o = infraFailure('image_unavailable', 'could not be pulled');
    expect(o).toMatchObject({ fault: 'environment' });
    expect(INFRA_FAILURE_ADVICE.image_unavailable.retry).toBe(true);
    expect(infraFailureKeys(o, '')).toEqual({ infra_failure: true, infra_failure_reason: 'image_unavailable' });
  });
});
