// The Python package (python/): installed with the worker venv's pip into a temp folder (offline, no deps, no build
// isolation) and its unittest suites run against that installed copy, so `npm test` and CI exercise the reward
// parity with the TypeScript scorer, the serve client and the dynamic-sampling GRPO trainer.
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPython } from '../../src/policy/python-env.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TESTS = join(ROOT, 'python', 'tests');
const PY = defaultPython();
const skip = existsSync(PY) ? false : `no Python at ${PY} (run scripts/setup-python.sh)`;
if (skip) console.warn(`python package tests skipped: ${skip}`);

describe.skipIf(skip)('the swe_srl Python package', () => {
  let site: string;
  const env = () => ({ PYTHONPATH: site, SWE_SRL_ROOT: ROOT, SWE_SRL_NODE: process.execPath, OMP_NUM_THREADS: '2', TOKENIZERS_PARALLELISM: 'false', PYTHONDONTWRITEBYTECODE: '1' });
  /** Runs one test module of python/tests with the installed package; fails with unittest's output. */
  const unittest = async (module: string, timeout: number) => {
    const r = await execa(PY, ['-m', 'unittest', '-v', module], { cwd: TESTS, env: env(), reject: false, timeout, all: true });
    expect(r.exitCode, r.all).toBe(0);
    return r.all ?? '';
  };

  beforeAll(async () => {
    site = await tempDir('pysite');
    // Built from a copy: setuptools writes build/ and *.egg-info next to the sources it builds.
    const src = join(await tempDir('pysrc'), 'python');
    await cp(join(ROOT, 'python'), src, { recursive: true, filter: (f) => !/(^|\/)(build|[^/]*\.egg-info|__pycache__)$/.test(f) });
    const args = ['-m', 'pip', 'install', '--no-deps', '--no-index', '--no-build-isolation', '--quiet', '--target', site, src];
    const r = await execa(PY, args, { cwd: ROOT, reject: false, timeout: 300_000, all: true, env: { PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
    expect(r.exitCode, r.all).toBe(0);
  }, 300_000);

  it('installs, and the tests import the installed copy', async () => {
    const r = await execa(PY, ['-c', 'import swe_srl, swe_srl.client, swe_srl.verl, sys; print(swe_srl.__file__); print("torch" in sys.modules)'], { cwd: TESTS, env: env() });
    const [file, torch] = r.stdout.trim().split('\n');
    expect(file!.startsWith(site)).toBe(true);
    expect(torch).toBe('False'); // the reward, verl and client modules import no torch
  });

  it('scores exactly as the TypeScript scorer, and filters groups by reward spread', async () => {
    const out = await unittest('test_rewards_parity', 600_000);
    expect(out).toMatch(/test_identical_rewards_and_reasons \S+ \.\.\. ok/);
    await unittest('test_dynamic_sampling', 60_000);
  }, 600_000);

  it('talks to a real swe-srl serve through swe_srl.client', async () => {
    const out = await unittest('test_client', 400_000);
    // It skips itself without a Docker engine (serve opens one to start); with one it must run.
    if (!dockerSkipReason) expect(out).toMatch(/test_rewards_match_the_local_scorer \S+ \.\.\. ok/);
  }, 400_000);

  it('trains a tiny model with DynamicSamplingGRPOTrainer on our TRL export', async () => {
    const out = await unittest('test_trl_dynamic_sampling', 600_000);
    expect(out).not.toMatch(/skipped/); // the worker venv has TRL and torch: this test must run
    expect(out).toMatch(/\[dynamic sampling\] .*kept \d+\/\d+/);
  }, 600_000);
});
