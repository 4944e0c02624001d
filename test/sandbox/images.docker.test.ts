import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EnvSpec } from '../../src/config/env-spec.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import { ImageBuilder } from '../../src/sandbox/images.ts';
import { execSync } from 'node:child_process';
import { Transform } from 'node:stream';
import { gitArchive } from '../../src/sandbox/sources.ts';
import { BASE_IMAGE, dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';

const spec: EnvSpec = {
  repo: 'test/tiny',
  version: '1.0',
  versions: ['*'],
  apt: [],
  pip: [],
  env_setup: ['echo env-setup > /etc/swe-srl-env-marker'],
  env: { TINY_VERSION: '1.0' },
  install: ['python3 -c "open(\'generated.txt\', \'w\').write(\'x\')"'],
  test_cmd: 'pytest -rA',
  log_parser: 'pytest',
  directives: 'paths',
  timeout_s: 60,
};

describe.skipIf(dockerSkipReason)('ImageBuilder', () => {
  const engine = new DockerEngine();

  it('builds env and instance layers once, then finds them by content hash', async () => {
    const dir = await tempDir('tiny');
    await mkdir(join(dir, 'pkg'));
    await writeFile(join(dir, 'pkg', '__init__.py'), 'X = 1\n');
    await writeFile(join(dir, '.gitignore'), '*.pyc\n');
    execSync('git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm base', { cwd: dir });
    const sha = execSync('git rev-parse HEAD', { cwd: dir }).toString().trim();
    const task = { instance_id: `test__tiny-${Date.now()}`, repo: 'test/tiny', base_commit: sha };
    const builder = new ImageBuilder({ engine, baseImage: BASE_IMAGE, source: async () => gitArchive(dir, sha) });
    const first = await builder.prepare(task, spec);
    expect(first.built).toBe(true);
    const again = await new ImageBuilder({ engine, baseImage: BASE_IMAGE, source: async () => gitArchive(dir, sha) }).prepare(
      task,
      spec,
    );
    expect(again).toEqual({ ...first, built: false });

    const sb = await createDockerSandbox({ engine, image: first.image, baseRef: first.baseRef });
    try {
      const r = await sb.exec(
        'cat pkg/__init__.py /etc/swe-srl-env-marker generated.txt; echo; echo $TINY_VERSION; git log --format=%s; git status --porcelain',
      );
      expect(r.output).toBe(`X = 1\nenv-setup\nx\n1.0\nsetup\nbase ${sha}\n`);
      expect(await sb.diff()).toBe('');
      await sb.writeFile('pkg/__init__.py', 'X = 2\n');
      expect(await sb.diff()).toContain('+X = 2');
    } finally {
      await sb.close();
      await engine.removeImage(first.image);
    }
  });

  it('rejects, without crashing or hanging, when the repository stream fails midway or at once', async () => {
    const dir = await tempDir('broken');
    for (let i = 0; i < 40; i++) await writeFile(join(dir, `f${i}.txt`), 'x'.repeat(100_000));
    execSync('git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm base', { cwd: dir });
    let seen = 0;
    const midway = gitArchive(dir, 'HEAD').pipe(
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          seen += chunk.length;
          cb(seen > 300_000 ? new Error('archive died midway') : null, chunk);
        },
      }),
    );
    const build = (tar: NodeJS.ReadableStream) =>
      engine.buildImage({
        tag: 'swe-srl-test:broken',
        files: { Dockerfile: `FROM ${BASE_IMAGE}\nCOPY testbed /testbed\n` },
        trees: [{ prefix: 'testbed', tar: tar as never }],
      });
    await expect(build(midway)).rejects.toThrow(/archive died midway/);
    await expect(build(gitArchive(dir, 'f'.repeat(40)))).rejects.toThrow(/source_unavailable: git archive/);
  }, 60_000);
});
