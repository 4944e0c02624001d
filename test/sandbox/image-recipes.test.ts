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
