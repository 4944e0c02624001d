import { describe, expect, it } from 'vitest';
import type { EnvSpec } from '../../src/config/env-spec.ts';
import { envRecipe, instanceRecipe } from '../../src/sandbox/image-recipes.ts';

const spec: EnvSpec = {
  repo: 'o/r', version: '1.0', versions: ['*'], apt: ['python3-b', 'python3-a'], pip: [], env_setup: [],
  env: { B: '2', A: '1' }, install: ['pip install -e .'], test_cmd: 'pytest -rA', log_parser: 'pytest',
  directives: 'paths', timeout_s: 60,
};
const base = { ref: 'swe-srl-base:bookworm', id: 'sha256:base1' };

describe('image recipes', () => {
  it('tag env images by the content hash of their recipe and base', () => {
    const a = envRecipe(spec, base);
    expect(a.tag).toMatch(/^swe-srl-env:[0-9a-f]{16}$/);
    expect(envRecipe({ ...spec, repo: 'x/y', version: '9' }, base).tag).toBe(a.tag);
    expect(envRecipe({ ...spec, apt: ['python3-a', 'python3-b'] }, base).tag).toBe(a.tag);
    expect(envRecipe(spec, { ...base, id: 'sha256:base2' }).tag).not.toBe(a.tag);
    expect(envRecipe({ ...spec, apt: ['python3-c'] }, base).tag).not.toBe(a.tag);
    expect(a.dockerfile).toContain('apt-get install -y -qq --no-install-recommends python3-a python3-b');
    expect(a.dockerfile.indexOf('ENV A="1"')).toBeLessThan(a.dockerfile.indexOf('ENV B="2"'));
  });

  it('install pip lines from a wheel folder with no index when one is given, its listing in the hash', () => {
    const pinned = { ...spec, pip: ['numpy==1.25.2'] };
    const wheels = { dir: '/w', files: [['numpy-1.25.2-cp39-cp39-linux_x86_64.whl', 100]] as Array<[string, number]> };
    const plain = envRecipe(pinned, base);
    const local = envRecipe(pinned, base, wheels);
    expect(plain.dockerfile).toContain("RUN python3 -m pip install --no-cache-dir 'numpy==1.25.2'");
    expect(local.dockerfile).toContain('COPY wheels /tmp/swe-srl-wheels\n');
    expect(local.dockerfile).toContain('--no-index --find-links /tmp/swe-srl-wheels');
    expect(local.tag).not.toBe(plain.tag);
    expect(envRecipe(pinned, base, { dir: '/w', files: [['numpy-1.25.2-cp39-cp39-linux_x86_64.whl', 101]] }).tag).not.toBe(local.tag);
    // Specs without pip lines ignore the folder: their images stay the same.
    expect(envRecipe(spec, base, wheels).tag).toBe(envRecipe(spec, base).tag);
  });

  it('put the repository in /testbed as a git repo at the base commit, installed, tagged', () => {
    const r = instanceRecipe({ instanceId: 'Owner__Repo-1', repo: 'o/r', baseCommit: 'abc', spec, envTag: 'swe-srl-env:1' });
    expect(r.tag).toMatch(/^swe-srl-inst:owner__repo-1-[0-9a-f]{16}$/);
    expect(r.dockerfile).toMatch(/FROM swe-srl-env:1\nCOPY testbed \/testbed\nWORKDIR \/testbed\n/);
    expect(r.dockerfile).toContain("'base abc'");
    expect(r.dockerfile).toContain('RUN pip install -e .');
    expect(r.dockerfile).toMatch(/git tag swe-srl-base\n$/);
    const other = instanceRecipe({ instanceId: 'Owner__Repo-1', repo: 'o/r', baseCommit: 'abd', spec, envTag: 'swe-srl-env:1' });
    expect(other.tag).not.toBe(r.tag);
  });
});
