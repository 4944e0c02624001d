import { describe, expect, it } from 'vitest';
import { OFFICIAL_IMAGE_PREFIX, OFFICIAL_IMAGE_PREFIX_COMMANDS, officialImageName } from '../../src/harness/official-images.ts';

describe('officialImageName', () => {
  it('names Docker Hub images as SWE-bench does', () => {
    expect(officialImageName('django__django-11099')).toBe('swebench/sweb.eval.x86_64.django_1776_django-11099:latest');
    expect(officialImageName('psf__requests-2317', { arch: 'arm64', tag: 'v1' })).toBe('swebench/sweb.eval.arm64.psf_1776_requests-2317:v1');
    expect(officialImageName('x__y-1', { arch: 'amd64' })).toBe('swebench/sweb.eval.x86_64.x_1776_y-1:latest');
  });

  it('lowercases after replacing, and replaces in the whole name left to right', () => {
    expect(officialImageName('Owner__Repo___x-1', { namespace: 'My__NS', tag: 'Latest' })).toBe(
      'my_1776_ns/sweb.eval.x86_64.owner_1776_repo_1776__x-1:latest',
    );
  });

  it('keeps "__" for local names (no namespace)', () => {
    expect(officialImageName('django__django-11099', { namespace: null })).toBe('sweb.eval.x86_64.django__django-11099:latest');
  });
});

describe('official image prefix', () => {
  it('activates the testbed env and enters /testbed', () => {
    expect(OFFICIAL_IMAGE_PREFIX_COMMANDS).toEqual(['source /opt/miniconda3/bin/activate', 'conda activate testbed', 'cd /testbed']);
    expect(OFFICIAL_IMAGE_PREFIX).toBe('source /opt/miniconda3/bin/activate; conda activate testbed; cd /testbed');
  });
});
