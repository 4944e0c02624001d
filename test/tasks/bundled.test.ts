// The bundled task set, checked for real: every task loads, and grades as SWE-bench would grade it when pytest
// runs on this machine (base + test patch: FAIL_TO_PASS fail, PASS_TO_PASS pass; + gold patch: all pass), and the
// prediction fixtures grade as their README says.
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvSpecFileSchema, resolveGroup } from '../../src/config/env-spec.ts';
import { BUNDLED_TASKS_ROOT, loadBundledTasks, materializeRepo, type BundledTask } from '../../src/tasks/bundled.ts';
import { patchedFiles } from '../../src/tasks/patch-files.ts';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
/** Which Python runs the tests: e.g. SWE_SRL_PYTHON=/usr/bin/python3.11 for Debian's pytest 7.2.1. */
const PYTHON = process.env.SWE_SRL_PYTHON ?? 'python3';

const tasks = await loadBundledTasks();
const pytestVersion = await probe(PYTHON, ['-m', 'pytest', '--version']);
const hasPatch = (await probe('patch', ['--version'])) !== undefined;

async function probe(cmd: string, args: string[]): Promise<string | undefined> {
  const r = await execa(cmd, args, { reject: false, all: true });
  return r.exitCode === 0 ? String(r.all).trim() : undefined;
}

describe('loadBundledTasks', () => {
  it('loads at least six tasks with unique instance ids, from <project>/tasks', () => {
    expect(resolve(BUNDLED_TASKS_ROOT)).toBe(resolve(PROJECT, 'tasks'));
    expect(tasks.length).toBeGreaterThanOrEqual(6);
    const ids = tasks.map((t) => t.instance_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(tasks.map((t) => [t.instance_id, t] as const))('%s follows the bundled conventions', async (_, t) => {
    const folder = t.source_dir.split(/[\\/]/).pop();
    expect(t.repo).toBe(`swe-srl/${folder}`);
    expect(t.instance_id).toMatch(new RegExp(`^swe-srl__${folder}-\\d+$`));
    expect(t.base_commit).toMatch(/^[0-9a-f]{40}$/);
    expect(t.FAIL_TO_PASS.length).toBeGreaterThanOrEqual(1);
    expect(t.FAIL_TO_PASS.length).toBeLessThanOrEqual(4);
    expect(t.patch).toBe(await readFile(join(t.source_dir, 'gold.patch'), 'utf8'));
    expect(t.test_patch).toBe(await readFile(join(t.source_dir, 'test.patch'), 'utf8'));
    expect(t.problem_statement.length).toBeGreaterThan(200);
    for (const f of patchedFiles(t.patch)) expect(f).not.toMatch(/(^|\/)(tests?\/|test_|conftest\.py)/);
    for (const f of patchedFiles(t.test_patch)) expect(f).toMatch(/(^|\/)tests\//);
  });

  it('selects instances by id', async () => {
    const two = await loadBundledTasks(undefined, { instances: ['swe-srl__jsonptr-1', 'swe-srl__textkit-1'] });
    expect(two.map((t) => t.instance_id)).toEqual(['swe-srl__jsonptr-1', 'swe-srl__textkit-1']);
  });

  it('covers the shapes of SWE-bench tasks', () => {
    const some = (p: (t: BundledTask) => boolean) => tasks.some(p);
    const hunks = (patch: string) => patch.match(/^@@ /gm)?.length ?? 0;
    expect(some((t) => t.PASS_TO_PASS.length >= 20)).toBe(true);
    expect(some((t) => hunks(t.patch) === 1 && /^-.*\n\+.*\n(?![+-])/m.test(t.patch))).toBe(true); // one-line fix
    expect(some((t) => patchedFiles(t.patch).length >= 2)).toBe(true); // fix spanning two files
    expect(some((t) => patchedFiles(t.patch).length === 1 && hunks(t.patch) >= 2)).toBe(true); // multi-hunk
    expect(some((t) => /^new file mode/m.test(t.test_patch))).toBe(true); // test patch adds a test file
    expect(some((t) => t.FAIL_TO_PASS.some((id) => /::\w+::\w+\[.+\]$/.test(id)))).toBe(true); // class + params
  });
});

describe('env specs of the bundled repos', () => {
  it.each(tasks.map((t) => [t.repo, t] as const))('%s has envs/<owner>__<name>.yaml', async (repo, t) => {
    const file = join(PROJECT, 'envs', `${repo.replace('/', '__')}.yaml`);
    const spec = EnvSpecFileSchema.parse(parseYaml(await readFile(file, 'utf8')));
    expect(spec.repo).toBe(repo);
    const group = resolveGroup(spec, String(t.version));
    expect(group).toMatchObject({ test_cmd: 'pytest -rA', log_parser: 'pytest', apt: [], install: [] });
  });
});

// ---- grading on the host -------------------------------------------------------------------------------------

type Statuses = Map<string, string[]>;

/** Every status pytest's `-rA` summary (or anything else in the log) claims per test id, in order. */
function parseSummary(log: string): Statuses {
  const out: Statuses = new Map();
  for (const m of log.matchAll(/^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+)/gm)) {
    const [, status, id] = m;
    if (status && id) out.set(id, [...(out.get(id) ?? []), status]);
  }
  return out;
}

const final = (s: Statuses, id: string) => s.get(id)?.at(-1) ?? 'MISSING';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'swe-srl-bundled-test-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function checkout(t: BundledTask, name: string): Promise<string> {
  const dir = join(work, `${t.instance_id}-${name}`);
  expect(await materializeRepo(t.source_dir, dir)).toBe(t.base_commit);
  return dir;
}

async function gitApply(dir: string, patchFile: string, ...flags: string[]) {
  return execa('git', ['apply', ...flags, patchFile], { cwd: dir, reject: false, all: true });
}

async function pytest(dir: string, t: BundledTask) {
  // The grading image has no third-party pytest plugins: the host's must not change (or slow down) the run.
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTEST_ADDOPTS: '', PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' };
  const args = ['-m', 'pytest', '-rA', ...patchedFiles(t.test_patch)];
  const r = await execa(PYTHON, args, { cwd: dir, reject: false, all: true, env, timeout: 60_000 });
  return { statuses: parseSummary(String(r.all)), log: String(r.all), exitCode: r.exitCode };
}

const skipReason = pytestVersion ? '' : ` (SKIPPED: \`${PYTHON} -m pytest\` is not available on this machine)`;

describe.skipIf(!pytestVersion)(`bundled tasks grade as SWE-bench would, with ${pytestVersion ?? PYTHON}${skipReason}`, () => {
  it.each(tasks.map((t) => [t.instance_id, t] as const))(
    '%s: test patch alone fails FAIL_TO_PASS, gold fixes them and keeps PASS_TO_PASS',
    async (_, t) => {
      const dir = await checkout(t, 'gold');
      const gold = join(t.source_dir, 'gold.patch');
      const test = join(t.source_dir, 'test.patch');
      for (const p of [gold, test]) {
        expect((await gitApply(dir, p, '--check')).exitCode, `git apply --check ${p}`).toBe(0);
        if (hasPatch) {
          const r = await execa('patch', ['--dry-run', '--batch', '-p1', '-i', p], { cwd: dir, reject: false });
          expect(r.exitCode, `patch -p1 --dry-run ${p}`).toBe(0);
        }
      }

      expect((await gitApply(dir, test)).exitCode).toBe(0);
      const before = await pytest(dir, t);
      for (const id of t.FAIL_TO_PASS) expect(final(before.statuses, id), `${id} before the fix`).not.toBe('PASSED');
      for (const id of t.PASS_TO_PASS) expect(final(before.statuses, id), `${id} before the fix`).toBe('PASSED');

      expect((await gitApply(dir, gold)).exitCode).toBe(0);
      const after = await pytest(dir, t);
      for (const id of [...t.FAIL_TO_PASS, ...t.PASS_TO_PASS]) {
        expect(final(after.statuses, id), `${id} after the fix\n${after.log}`).toBe('PASSED');
      }
      // The lists are complete: the run holds no test that neither list names.
      expect([...after.statuses.keys()].sort()).toEqual([...t.FAIL_TO_PASS, ...t.PASS_TO_PASS].sort());
      expect(after.exitCode).toBe(0);
    },
  );

  describe('prediction fixtures of swe-srl__confparse-1', () => {
    const task = tasks.find((t) => t.instance_id === 'swe-srl__confparse-1');
    if (!task) throw new Error('swe-srl__confparse-1 is missing');
    const t = task;
    const fixture = (name: string) => join(t.source_dir, 'fixtures', name);
    const [semicolon, tab, quoted] = t.FAIL_TO_PASS;
    const brokenByWrongFix = [
      'tests/test_parser.py::test_hash_without_leading_space_kept',
      'tests/test_parser.py::test_url_fragment_kept',
    ];

    // As SWE-bench does: the prediction first, then the test patch.
    async function gradeFixture(name: string) {
      const dir = await checkout(t, name);
      const applied = await gitApply(dir, fixture(name));
      expect(applied.exitCode, applied.all).toBe(0);
      expect((await gitApply(dir, join(t.source_dir, 'test.patch'))).exitCode).toBe(0);
      return pytest(dir, t);
    }

    it('ships exactly the documented fixtures, each with a header saying what it grades as', async () => {
      const names = (await readdir(join(t.source_dir, 'fixtures'))).sort();
      expect(names).toEqual(['README.md', 'breaks-p2p.patch', 'forged-pass.patch', 'garbage.patch', 'partial.patch']);
      for (const n of names.filter((x) => x.endsWith('.patch'))) {
        expect(await readFile(fixture(n), 'utf8')).toMatch(/^swe-srl fixture for swe-srl__confparse-1: .*\nExpected grade: /);
      }
    });

    it('breaks-p2p.patch: FAIL_TO_PASS pass but a plausible wrong fix breaks PASS_TO_PASS', async () => {
      const { statuses } = await gradeFixture('breaks-p2p.patch');
      for (const id of t.FAIL_TO_PASS) expect(final(statuses, id), id).toBe('PASSED');
      for (const id of t.PASS_TO_PASS) {
        expect(final(statuses, id), id).toBe(brokenByWrongFix.includes(id) ? 'FAILED' : 'PASSED');
      }
      for (const id of brokenByWrongFix) expect(t.PASS_TO_PASS).toContain(id);
    });

    it('partial.patch: fixes one FAIL_TO_PASS test of three', async () => {
      const { statuses } = await gradeFixture('partial.patch');
      expect(final(statuses, semicolon!)).toBe('PASSED');
      expect(final(statuses, tab!)).toBe('FAILED');
      expect(final(statuses, quoted!)).toBe('FAILED');
      for (const id of t.PASS_TO_PASS) expect(final(statuses, id), id).toBe('PASSED');
    });

    it('forged-pass.patch: prints forged PASSED lines and a fake end marker while the tests really fail', async () => {
      const { statuses, log, exitCode } = await gradeFixture('forged-pass.patch');
      expect(exitCode).not.toBe(0);
      expect(log).toMatch(/^>>>>> End Test Output$/m);
      for (const id of t.FAIL_TO_PASS) {
        const seen = statuses.get(id) ?? [];
        expect(seen, id).toContain('FAILED'); // pytest's own verdict
        expect(seen, id).toContain('PASSED'); // the forgery
        expect(log.indexOf(`PASSED ${id}`), id).toBeLessThan(log.indexOf(`FAILED ${id}`));
        expect(log.lastIndexOf(`PASSED ${id}`), id).toBeGreaterThan(log.lastIndexOf(`FAILED ${id}`));
      }
    });

    it('garbage.patch: applies with neither git apply nor patch', async () => {
      const dir = await checkout(t, 'garbage');
      expect((await gitApply(dir, fixture('garbage.patch'), '--check')).exitCode).not.toBe(0);
      expect((await gitApply(dir, fixture('garbage.patch'), '--reject')).exitCode).not.toBe(0);
      if (hasPatch) {
        const args = ['--dry-run', '--batch', '--fuzz=5', '-p1', '-i', fixture('garbage.patch')];
        expect((await execa('patch', args, { cwd: dir, reject: false })).exitCode).not.toBe(0);
      }
      await access(join(dir, 'confparse', 'parser.py'));
      expect(await execa('git', ['status', '--porcelain'], { cwd: dir }).then((r) => r.stdout)).toBe('');
    });
  });
});
