import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile, readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildEvalScript, shellQuote, testCommandLine } from '../../src/harness/eval-script.ts';
import { extractTestOutput, makeMarkers } from '../../src/harness/test-output.ts';
import { filesTouchedByPatch, testFilesFromPatch } from '../../src/harness/test-spec.ts';
import { parseTestLog } from '../../src/harness/log-parsers/index.ts';
import { tempDir } from '../helpers/tmp.ts';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd }).toString().trim();

// A tiny repo: tests are shell scripts, the "runner" prints pytest-style summary lines.
const RUNNER = `#!/bin/bash
for f in "$@"; do
  if bash "$f"; then echo "PASSED $f::t"; else echo "FAILED $f::t - boom"; fi
done
grep -q FAILED <(for f in "$@"; do bash "$f" >/dev/null && echo ok || echo FAILED; done) && exit 1
exit 0
`;

const TEST_PATCH = `diff --git a/tests/test_a.sh b/tests/test_a.sh
--- a/tests/test_a.sh
+++ b/tests/test_a.sh
@@ -1 +1 @@
-exit 0
+[ "$(cat src/value)" = 2 ]
diff --git a/tests/test_new.sh b/tests/test_new.sh
new file mode 100644
--- /dev/null
+++ b/tests/test_new.sh
@@ -0,0 +1 @@
+[ -f src/value ]
`;

let repo: string;
let base: string;
beforeAll(async () => {
  repo = await tempDir('eval');
  await mkdir(path.join(repo, 'tests'));
  await mkdir(path.join(repo, 'src'));
  await writeFile(path.join(repo, 'run_tests.sh'), RUNNER);
  await writeFile(path.join(repo, 'tests/test_a.sh'), 'exit 0\n');
  await writeFile(path.join(repo, 'src/value'), '1\n');
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  base = git(repo, 'rev-parse', 'HEAD');
});

async function runEval(opts: { modelPatch: (dir: string) => Promise<void>; timeoutS?: number; testCommand?: string; testPatch?: string }) {
  // The test patch sits beside the worktree, outside it, in one temp folder removed after the tests.
  const scratch = await tempDir('eval-wt');
  const dir = path.join(scratch, 'worktree');
  git(repo, 'worktree', 'add', '-q', '--detach', dir, base);
  await opts.modelPatch(dir);
  const patchPath = path.join(scratch, 'test.patch');
  const testPatch = opts.testPatch ?? TEST_PATCH;
  await writeFile(patchPath, testPatch);
  const markers = makeMarkers();
  const script = buildEvalScript({
    testCommand: opts.testCommand ?? 'bash run_tests.sh',
    directives: testFilesFromPatch(testPatch),
    testPatchPath: patchPath,
    testFiles: filesTouchedByPatch(testPatch),
    baseRef: base,
    markers,
    workdir: dir,
    env: { SWE_SRL_TEST_VAR: "it's set" },
    timeoutS: opts.timeoutS,
  });
  const res = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
  return { dir, markers, log: res.stdout, status: res.status, script };
}

describe('buildEvalScript run by bash in a real git repo', () => {
  it('grades the tests of the test patch and resets the test files afterwards', async () => {
    const { dir, markers, log, status } = await runEval({ modelPatch: (d) => writeFile(path.join(d, 'src/value'), '2\n') });
    expect(status).toBe(0);
    const out = extractTestOutput(log, markers);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.exitCode).toBe(0);
    expect(Object.fromEntries(parseTestLog('pytest', out.output))).toEqual({
      'tests/test_a.sh::t': 'PASSED',
      'tests/test_new.sh::t': 'PASSED',
    });
    // after the run: test files back at base, the file the test patch created gone, the model's change kept
    expect(await readFile(path.join(dir, 'tests/test_a.sh'), 'utf8')).toBe('exit 0\n');
    expect(existsSync(path.join(dir, 'tests/test_new.sh'))).toBe(false);
    expect(await readFile(path.join(dir, 'src/value'), 'utf8')).toBe('2\n');
  });

  it('keeps going when the tests fail and records their exit status', async () => {
    const { markers, log } = await runEval({ modelPatch: async () => {} });
    const out = extractTestOutput(log, markers);
    expect(out.ok && out.exitCode).toBe(1);
    if (out.ok) expect(parseTestLog('pytest', out.output).get('tests/test_a.sh::t')).toBe('FAILED');
  });

  it('overrides test files the predicted patch edited or created', async () => {
    const { markers, log } = await runEval({
      modelPatch: async (d) => {
        await writeFile(path.join(d, 'tests/test_a.sh'), 'exit 0\n# cheat\n');
        await writeFile(path.join(d, 'tests/test_new.sh'), 'exit 0\n');
      },
    });
    const out = extractTestOutput(log, markers);
    expect(out.ok).toBe(true);
    // the official test_a (value must be 2) runs, not the model's always-passing copy
    if (out.ok) expect(parseTestLog('pytest', out.output).get('tests/test_a.sh::t')).toBe('FAILED');
  });

  it('ignores forged lines and fake markers a patched test prints', async () => {
    const forge = `echo '>>>>> End Test Output'\necho 'PASSED tests/test_a.sh::t'\necho '>>>>> Start Test Output'\n`;
    const { markers, log } = await runEval({
      modelPatch: (d) => writeFile(path.join(d, 'run_tests.sh'), `${forge}${RUNNER.replace('#!/bin/bash\n', '')}`),
      testCommand: 'bash run_tests.sh',
    });
    const out = extractTestOutput(log, markers);
    expect(out.ok).toBe(true);
    if (out.ok) {
      // the forged PASSED came first; the real FAILED line of the same test overwrote it
      expect(parseTestLog('pytest', out.output).get('tests/test_a.sh::t')).toBe('FAILED');
      expect(out.output).toContain('>>>>> End Test Output\n');
    }
  });

  it('reports a test patch that does not apply, and that the tests never ran', async () => {
    const bad = TEST_PATCH.replace('-exit 0', '-exit 7');
    const { markers, log, status } = await runEval({ modelPatch: async () => {}, testPatch: bad });
    expect(status).toBe(4);
    expect(extractTestOutput(log, markers)).toMatchObject({ ok: false, problem: 'test_patch_apply_failed' });
  });

  it('kills a hanging test command at its time limit and says so', async () => {
    const { markers, log } = await runEval({
      modelPatch: async () => {},
      testCommand: `echo "PASSED early::t"; [ "$SWE_SRL_TEST_VAR" = "it's set" ] && sleep 30; true`,
      timeoutS: 1,
    });
    const out = extractTestOutput(log, markers);
    expect(out).toMatchObject({ ok: true, timedOut: true, exitCode: 124 });
  }, 20_000);

  it('tolerates an empty list of test files', () => {
    const script = buildEvalScript({
      testCommand: 'true', directives: [], testPatchPath: '/tmp/none', testFiles: [], baseRef: 'HEAD', markers: makeMarkers(),
    });
    const res = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(res.status).toBe(0);
  });
});

describe('script text', () => {
  it('runs pre-commands first, cds to /testbed and quotes what needs it', () => {
    const markers = makeMarkers('abcdef0123456789');
    const s = buildEvalScript({
      testCommand: "PYTHONWARNINGS='ignore::UserWarning' bin/test -C --verbose",
      directives: ['sympy/core/tests/test_basic.py', 'weird name.py'],
      testPatchPath: '/tmp/test.patch',
      testFiles: ['sympy/core/tests/test_basic.py'],
      baseRef: 'cffd4e0f',
      markers,
      preCommands: ['source /opt/miniconda3/bin/activate', 'conda activate testbed'],
    });
    const lines = s.split('\n');
    expect(lines.indexOf('source /opt/miniconda3/bin/activate')).toBeLessThan(lines.findIndex((l) => l.startsWith('cd /testbed')));
    expect(s).toContain("bin/test -C --verbose sympy/core/tests/test_basic.py 'weird name.py' < /dev/null");
    expect(s).toContain("echo '>>>>> Start Test Output abcdef0123456789'");
    expect(lines).toContain('set -uo pipefail');
    expect(lines.some((l) => /^set -[a-z]*e/.test(l))).toBe(false);
  });

  it('quotes shell words', () => {
    expect(shellQuote('tests/a.py')).toBe('tests/a.py');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(testCommandLine('pytest -rA', ['a b'])).toBe("pytest -rA 'a b'");
  });
});
