import { expect, it } from 'vitest';
import { planEval } from '../../src/harness/eval-plan.ts';
import { gradeLog } from '../../src/harness/grade-log.ts';
import { OFFICIAL_IMAGE_PREFIX_COMMANDS } from '../../src/harness/official-images.ts';
import { loadTasks } from '../../src/tasks/load.ts';
import { describeShared, sharedPath } from '../helpers/shared.ts';

const LITE = 'data/swe-bench-lite.json';
const lite = sharedPath(LITE);

const djangoSpec = { test_cmd: './tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1', log_parser: 'django', directives: 'django' as const, env: { LANG: 'C.UTF-8' }, timeout_s: 1800 };

describeShared('planEval on real Lite rows', LITE, () => {
  it('plans a real django instance', async () => {
    const [task] = await loadTasks(lite, { instances: ['django__django-11099'] });
    const plan = planEval({ task: task!, spec: djangoSpec, testPatchPath: '/tmp/test.patch', nonce: 'aaaabbbbccccdddd', preCommands: OFFICIAL_IMAGE_PREFIX_COMMANDS });
    expect(plan.directives).toEqual(['auth_tests.test_validators']);
    expect(plan.testFiles).toEqual(['tests/auth_tests/test_validators.py']);
    expect(plan.script).toContain(`SWE_SRL_BASE=${task!.base_commit}`);
    expect(plan.script).toContain("bash -c './tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 auth_tests.test_validators' < /dev/null");
    expect(plan.script).toContain("export LANG=C.UTF-8");
    expect(plan.script).toContain('timeout --kill-after=10 1800 bash -c');
    expect(plan.failToPass).toEqual(task!.FAIL_TO_PASS);

    // a log shaped like the script's output grades against the task's own lists
    const out = [...task!.FAIL_TO_PASS, ...task!.PASS_TO_PASS].map((t) => `${t} ... ok`).join('\n');
    const log = `${plan.markers.start}\n${out}\n\n${plan.markers.end}\n${plan.markers.exitCode}: 0\n`;
    expect(gradeLog({ log, markers: plan.markers, logParser: plan.logParser, failToPass: plan.failToPass, passToPass: plan.passToPass })).toMatchObject({ kind: 'graded', resolved: true });
  });

  it('fails early on an unknown log parser and can leave the timeout to the runner', async () => {
    const [task] = await loadTasks(lite, { instances: ['sympy__sympy-20590'] });
    expect(() => planEval({ task: task!, spec: { ...djangoSpec, log_parser: 'nope' }, testPatchPath: '/p' })).toThrow(/Valid parsers/);
    const plan = planEval({ task: task!, spec: { ...djangoSpec, directives: 'sympy', log_parser: 'sympy' }, testPatchPath: '/p', scriptTimeout: false });
    expect(plan.script).not.toContain('timeout --kill-after');
    expect(plan.directives).toEqual(['sympy/core/tests/test_basic.py']);
    expect(plan.markers.nonce).toMatch(/^[0-9a-f]{32}$/);
  });
});
