// The bullseye base runs Python 3.9, and a spec whose SWE-bench Python is 3.9 builds on it (built on first use:
// debootstrap, many minutes; skips with a message when it cannot be built here).
import { execSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EnvSpec } from '../../src/config/env-spec.ts';
import { baseImageTag } from '../../src/config/python-lines.ts';
import { buildBaseImage } from '../../src/sandbox/base-images.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import { ImageBuilder } from '../../src/sandbox/images.ts';
import { gitArchive } from '../../src/sandbox/sources.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';

const BULLSEYE = baseImageTag('bullseye');

// A sympy/sympy 1.1 spec (SWE-bench: Python 3.9) with no pinned base: the builder must choose bullseye.
const spec: EnvSpec = {
  repo: 'sympy/sympy',
  version: '1.1',
  versions: ['*'],
  apt: [],
  pip: [],
  env_setup: [],
  env: {},
  install: ['python3 -c "import sys; open(\'pyver.txt\', \'w\').write(\'%d.%d\' % sys.version_info[:2])"'],
  test_cmd: 'true',
  log_parser: 'pytest',
  directives: 'paths',
  timeout_s: 60,
};

async function bullseyeSkipReason(engine: DockerEngine): Promise<string | undefined> {
  if (await engine.inspectImage(BULLSEYE)) return undefined;
  try {
    await buildBaseImage('bullseye', BULLSEYE, (l) => console.warn(l));
    return undefined;
  } catch (e) {
    return `the bullseye base cannot be built here: ${(e as Error).message.split('\n')[0]}`;
  }
}

describe.skipIf(dockerSkipReason)('base images per Python line', () => {
  const engine = new DockerEngine();

  it('runs Python 3.9 and labels its version; a 3.9 spec builds on it', async (ctx) => {
    const why = await bullseyeSkipReason(engine);
    if (why) {
      console.warn(`[skip] ${why}`);
      ctx.skip();
    }
    const info = await engine.inspectImage(BULLSEYE);
    expect(info?.labels['swe-srl.python']).toMatch(/^3\.9\.\d+$/);
    expect(info?.labels['swe-srl.suite']).toBe('bullseye');

    const dir = await tempDir('py39');
    await mkdir(join(dir, 'pkg'));
    await writeFile(join(dir, 'pkg', '__init__.py'), 'X = 1\n');
    execSync('git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm base', { cwd: dir });
    const sha = execSync('git rev-parse HEAD', { cwd: dir }).toString().trim();
    const task = { instance_id: `sympy__sympy-py39-${Date.now()}`, repo: 'sympy/sympy', base_commit: sha };
    const image = await new ImageBuilder({ engine, source: async () => gitArchive(dir, sha) }).prepare(task, spec);
    expect(image.python).toEqual({ python_line: 'bullseye', python_version: info!.labels['swe-srl.python'], swebench_python: '3.9' });
    const sb = await createDockerSandbox({ engine, image: image.image, baseRef: image.baseRef });
    try {
      expect((await sb.exec('cat pyver.txt; echo; python3 -c "import collections.abc"; echo ok')).output).toBe('3.9\nok\n');
    } finally {
      await sb.close();
      await engine.removeImage(image.image);
    }
  }, 1_800_000);

  it('trixie, when built, runs Python 3.13 and labels it', async (ctx) => {
    const info = await engine.inspectImage(baseImageTag('trixie'));
    if (!info) {
      console.warn('[skip] swe-srl-base:trixie is not built (bash scripts/build-base-image.sh trixie)');
      ctx.skip();
    }
    expect(info!.labels['swe-srl.python']).toMatch(/^3\.13\.\d+$/);
    const sb = await createDockerSandbox({ engine, image: baseImageTag('trixie'), workdir: '/' });
    try {
      expect((await sb.exec('python3 -c "import sys; print(sys.version_info[:2])"')).output).toBe('(3, 13)\n');
    } finally {
      await sb.close();
    }
  }, 120_000);
});
