// SWE-bench 5.0.2 grading rules that no real log here exercises, each worked through by hand from 5.x's
// grading.py / log_parsers/python.py / infra_failure.py, plus the places where we deliberately differ.
import { describe, expect, it } from 'vitest';
import { gradeLog, swebenchBadCode } from '../../src/harness/grade-log.ts';
import { gradeTests } from '../../src/harness/grading.ts';
import { classifyInfraText, infraFailureKeys } from '../../src/harness/infra-failure.ts';
import { parseTestLog } from '../../src/harness/log-parsers/index.ts';
import { infraFailure, type EvalOutcome } from '../../src/harness/outcome.ts';
import { buildInstanceReport, reportFileContent } from '../../src/harness/report.ts';
import { makeMarkers } from '../../src/harness/test-output.ts';
import type { StatusMap } from '../../src/harness/test-status.ts';

const m = makeMarkers('0123abcd4567ef89');
const wrap = (output: string, exitCode = 0, before = '', after = '') =>
  `${before}${m.start}\n${output}\n${m.end}\n${m.exitCode}: ${exitCode}\n${after}`;
const sm = (o: Record<string, string>) => new Map(Object.entries(o)) as StatusMap;
const grade = (log: string, f2p: string[], p2p: string[] = [], logParser = 'pytest') =>
  gradeLog({ log, markers: m, logParser, failToPass: f2p, passToPass: p2p });
const report = (outcome: EvalOutcome, log = '') =>
  buildInstanceReport({ instanceId: 'o__r-1', modelNameOrPath: 'm', modelPatch: 'diff', outcome, log }).swebench;

describe('status words 5.x keeps', () => {
  const NOT_FOUND = 'ERROR: file or directory not found: tests/test_new.py';

  it('records `ERROR: ...` lines under their second word with the status "ERROR:", in every pytest parser', () => {
    for (const p of ['pytest', 'pytest_options', 'matplotlib', 'pytest_v2']) {
      expect(Object.fromEntries(parseTestLog(p, `${NOT_FOUND}\n`)), p).toEqual(p === 'pytest_v2' ? { 'file or directory not found: tests/test_new.py': 'ERROR:' } : { file: 'ERROR:' });
    }
    expect(Object.fromEntries(parseTestLog('pytest_v2', 'a.py::t xPASSED\n'))).toEqual({ 'a.py::t': 'xPASSED' });
  });

  it('a test that PASSED and is later reported "ERROR:" counts as neither passed nor failed', () => {
    const out = 'PASSED t::a\nPASSED t::p\nERROR: t::a could not be re-run';
    const o = grade(wrap(out), ['t::a'], ['t::p']);
    // the F2P list ends up empty, and 5.x scores an empty list as fully passed
    expect(o).toMatchObject({ kind: 'graded', resolved: true, testsStatus: { FAIL_TO_PASS: { success: [], failure: [] } } });
    if (o.kind === 'graded') expect(o.statusMap['t::a']).toBe('ERROR:');
    // "ERROR:" is no failure for the exit-status check: a non-zero exit then rejects the log
    expect(grade(wrap(out, 1), ['t::a'], ['t::p'])).toMatchObject({ kind: 'rejected', reason: 'exit_code_mismatch' });
  });

  it('a log whose only output is such a line, exit 0, is graded (the expected tests are missing), not rejected', () => {
    const o = grade(wrap(NOT_FOUND), ['t::a']);
    expect(o).toMatchObject({ kind: 'graded', resolved: false, testsStatus: { FAIL_TO_PASS: { success: [], failure: ['t::a'] } } });
    expect(report(o)).toMatchObject({ patch_successfully_applied: true, resolved: false, infra_failure: false });
    // with nothing expected there is nothing to fail
    expect(grade(wrap(NOT_FOUND), [])).toMatchObject({ kind: 'graded', resolved: true });
    expect(grade(wrap(NOT_FOUND, 4), ['t::a'])).toMatchObject({ kind: 'rejected', reason: 'exit_code_mismatch' });
  });

  it("drops pytest's grouped skip summary but keeps a wrapped `PASSED [100%]`", () => {
    expect(Object.fromEntries(parseTestLog('pytest', 'SKIPPED [2] t.py:3: no numpy\nPASSED [100%]\n'))).toEqual({ '[100%]': 'PASSED' });
  });
});

describe('skipped tests', () => {
  it('a skipped FAIL_TO_PASS test fails; a skipped PASS_TO_PASS test is kept', () => {
    const o = grade(wrap('SKIPPED t::f - needs x\nSKIPPED t::p'), ['t::f'], ['t::p']);
    expect(o).toMatchObject({
      kind: 'graded',
      resolution: 'RESOLVED_NO',
      testsStatus: { FAIL_TO_PASS: { success: [], failure: ['t::f'] }, PASS_TO_PASS: { success: ['t::p'], failure: [] } },
    });
  });

  it('a patch that makes every FAIL_TO_PASS test skip is not resolved (it would land in neither list under 4.x)', () => {
    const statusMap = sm({ f1: 'SKIPPED', f2: 'SKIPPED', p: 'PASSED' });
    expect(gradeTests({ statusMap, failToPass: ['f1', 'f2'], passToPass: ['p'] }).resolved).toBe(false);
    expect(gradeTests({ statusMap, failToPass: ['f1', 'f2'], passToPass: ['p'], rules: 'swebench-v4' }).resolved).toBe(true);
  });

  it('a skipped FAIL_TO_PASS test beside a passing one makes a partial resolution', () => {
    expect(gradeTests({ statusMap: sm({ f1: 'PASSED', f2: 'SKIPPED' }), failToPass: ['f1', 'f2'], passToPass: [] }).resolution).toBe('RESOLVED_PARTIAL');
  });
});

describe('truncated test ids', () => {
  const logged = sm({
    'test_fmt[log(photon/cm2)]': 'PASSED',
    'test_fmt[log(photon/s)]': 'XFAIL',
    'test_mix[a-1]': 'PASSED',
    'test_mix[a-2]': 'FAILED',
  });

  it('an id cut inside its brackets matches the ids it prefixes when they agree on pass (PASSED and XFAIL agree)', () => {
    const g = gradeTests({ statusMap: logged, failToPass: ['test_fmt[log(photon'], passToPass: [] });
    expect(g.testsStatus.FAIL_TO_PASS.success).toEqual(['test_fmt[log(photon']);
  });

  it('fails when the prefixed ids disagree, when brackets balance, and under 4.x rules', () => {
    expect(gradeTests({ statusMap: logged, failToPass: ['test_mix[a-'], passToPass: [] }).testsStatus.FAIL_TO_PASS.failure).toEqual(['test_mix[a-']);
    // "[" must outnumber "]": a plain prefix is no truncated parametrize id
    expect(gradeTests({ statusMap: logged, failToPass: ['test_fmt'], passToPass: [] }).resolved).toBe(false);
    expect(gradeTests({ statusMap: logged, failToPass: ['test_fmt[log(photon'], passToPass: [], rules: 'swebench-v4' }).resolved).toBe(false);
  });

  it('a truncated PASS_TO_PASS id whose tests all skip is kept', () => {
    const g = gradeTests({ statusMap: sm({ 'test_s[x-1]': 'SKIPPED', 'test_s[x-2]': 'SKIPPED' }), failToPass: [], passToPass: ['test_s[x-'] });
    expect(g.testsStatus.PASS_TO_PASS.success).toEqual(['test_s[x-']);
  });
});

describe('the exit status of the test command', () => {
  it('a non-zero exit with no FAILED/ERROR test rejects the log, whatever else it reports', () => {
    for (const out of ['PASSED t::f', 'XFAIL t::f', 'SKIPPED t::f', 'PASSED t::f\nSKIPPED t::g']) {
      expect(grade(wrap(out, 2), ['t::f']), out).toMatchObject({ kind: 'rejected', reason: 'exit_code_mismatch' });
    }
  });

  it('a non-zero exit with a failing test, any exit with no results but a visible suite, or no recorded exit, is graded', () => {
    expect(grade(wrap('PASSED t::f\nFAILED t::g - boom', 1), ['t::f'])).toMatchObject({ kind: 'graded', resolved: true });
    expect(grade(wrap('PASSED t::f\nERROR t::g', 1), ['t::f'])).toMatchObject({ kind: 'graded', resolved: true });
    expect(grade(wrap('Ran: 3 passing (2s)', 1), [])).toMatchObject({ kind: 'graded', resolved: true });
    const noExit = `${m.start}\nPASSED t::f\n${m.end}\n`;
    expect(grade(noExit, ['t::f'])).toMatchObject({ kind: 'graded', resolved: true });
  });
});

describe('output outside the test-output markers', () => {
  it('markers missing: no grade (5.x: found = False), and the log is classified for infra_failure', () => {
    const log = 'ModuleNotFoundError: No module named numpy\nPASSED t::f\n';
    const o = grade(log, ['t::f']);
    expect(o).toMatchObject({ kind: 'infra_failure', failure: 'test_output_missing' });
    expect(report(o, log)).toEqual({
      patch_is_None: false,
      patch_exists: true,
      patch_successfully_applied: false,
      resolved: false,
      infra_failure: false,
      infra_failure_reason: 'missing_module',
    });
  });

  it('markers holding no result: 5.x would parse the whole log; we never read results outside them', () => {
    // 5.x's fallback would find "PASSED t::f" printed before the start marker and resolve this instance
    const o = grade(wrap('collected 0 items', 0, 'PASSED t::f\n'), ['t::f']);
    expect(o).toMatchObject({ kind: 'rejected', reason: 'no_test_results' });
    expect(report(o, 'collected 0 items')).toMatchObject({ patch_successfully_applied: false, infra_failure: false, infra_failure_reason: 'no_tests_collected' });
    // suite-ran evidence outside the markers does not count either (under fail_only it would resolve everything)
    expect(gradeLog({ log: wrap('', 0, '12 passing\n'), markers: m, logParser: 'pytest', failToPass: ['t::f'], passToPass: [], evalType: 'fail_only' })).toMatchObject({
      kind: 'rejected',
      reason: 'no_test_results',
    });
  });
});

describe("SWE-bench's bad-code lines", () => {
  it('a log holding `>>>>> Tests Errored` or `>>>>> Tests Timed Out` (bare, as tests could print it) is not graded', () => {
    for (const line of ['>>>>> Tests Errored', '>>>>> Tests Timed Out', '>>>>> Patch Apply Failed', '>>>>> Reset Failed']) {
      expect(grade(wrap(`PASSED t::f\n${line}`), ['t::f']), line).toMatchObject({ kind: 'rejected', reason: 'swebench_bad_code' });
      expect(grade(wrap('PASSED t::f', 0, `${line}\n`), ['t::f']), line).toMatchObject({ kind: 'rejected', reason: 'swebench_bad_code' });
    }
    // 4.x had the same rule
    expect(gradeLog({ log: wrap('PASSED t::f\n>>>>> Tests Errored'), markers: m, logParser: 'pytest', failToPass: ['t::f'], passToPass: [], rules: 'swebench-v4' })).toMatchObject({ kind: 'rejected', reason: 'swebench_bad_code' });
  });

  it('our own nonce markers do not count as bad codes; our time-out marker is a time-out', () => {
    expect(swebenchBadCode(wrap('PASSED t::f', 0, '', `${m.resetFailed}\n`), m)).toBeUndefined();
    expect(grade(wrap('PASSED t::f', 0, '', `${m.resetFailed}\n`), ['t::f'])).toMatchObject({ kind: 'graded', resolved: true });
    expect(grade(wrap('PASSED t::f', 124, '', `${m.timedOut}\n`), ['t::f'])).toMatchObject({ kind: 'infra_failure', failure: 'timeout' });
    // another run's nonce is no marker of ours
    const other = makeMarkers('ffffeeee00001111');
    expect(swebenchBadCode(wrap('PASSED t::f', 0, '', `${other.timedOut}\n`), m)).toBe('>>>>> Tests Timed Out');
  });
});

describe('infra_failure / infra_failure_reason (5.x semantics)', () => {
  it("classifies a log by 5.x's signatures, first match wins, environment tier only sets infra_failure", () => {
    expect(classifyInfraText('Cannot connect to the Docker daemon at unix:///var/run/docker.sock')).toEqual({ reason: 'container_unavailable', tier: 'environment' });
    expect(classifyInfraText('ModuleNotFoundError: x\nCannot allocate memory')).toEqual({ reason: 'out_of_memory', tier: 'environment' });
    expect(classifyInfraText('Timeout error: 1800 seconds exceeded.')).toEqual({ reason: 'tests_timed_out', tier: 'ambiguous' });
    // "^Killed$" is a whole line
    expect(classifyInfraText('a\nKilled\nb')?.reason).toBe('out_of_memory');
    expect(classifyInfraText('Killed process 12')).toBeUndefined();
    expect(classifyInfraText('Killed\r\n')).toBeUndefined();
    expect(classifyInfraText('')).toBeUndefined();
  });

  it('graded output is never flagged, even when its log holds a signature; rejected output is classified from its log', () => {
    const g = grade(wrap('PASSED t::f\nCannot allocate memory'), ['t::f']);
    expect(report(g, 'Cannot allocate memory')).toMatchObject({ resolved: true, infra_failure: false });
    expect(report(g, 'Cannot allocate memory')).not.toHaveProperty('infra_failure_reason');
    const rej: EvalOutcome = { kind: 'rejected', reason: 'no_test_results', detail: '' };
    expect(report(rej, 'Temporary failure in name resolution')).toMatchObject({ infra_failure: true, infra_failure_reason: 'network_unreachable' });
    expect(report(rej, 'nothing known')).toEqual({ patch_is_None: false, patch_exists: true, patch_successfully_applied: false, resolved: false, infra_failure: false });
  });

  it('maps our infrastructure failures: time-outs are ambiguous, a patch that does not apply is the model, the rest environment', () => {
    expect(infraFailureKeys(infraFailure('timeout', 'ran past 60 s'), '')).toEqual({ infra_failure: false, infra_failure_reason: 'tests_timed_out' });
    expect(infraFailureKeys(infraFailure('patch_apply_failed', 'error: corrupt patch'), '')).toEqual({ infra_failure: false, infra_failure_reason: 'patch_apply_failed' });
    expect(infraFailureKeys(infraFailure('sandbox_error', 'Error response from daemon: no such image'), '')).toEqual({ infra_failure: true, infra_failure_reason: 'container_unavailable' });
    expect(infraFailureKeys(infraFailure('test_patch_apply_failed', ''), '')).toEqual({ infra_failure: true, infra_failure_reason: 'test_patch_apply_failed' });
    expect(infraFailureKeys({ kind: 'empty_patch' }, 'Cannot allocate memory')).toEqual({ infra_failure: false });
  });

  it('writes the keys in 5.x order: after resolved, before tests_status', () => {
    const g = grade(wrap('PASSED t::f'), ['t::f']);
    const content = reportFileContent(buildInstanceReport({ instanceId: 'o__r-1', modelNameOrPath: 'm', modelPatch: 'd', outcome: g }));
    expect(Object.keys(content['o__r-1'] as object)).toEqual(['patch_is_None', 'patch_exists', 'patch_successfully_applied', 'resolved', 'infra_failure', 'tests_status']);
    const t = buildInstanceReport({ instanceId: 'x', modelNameOrPath: 'm', modelPatch: 'd', outcome: infraFailure('timeout', '') }).swebench;
    expect(Object.keys(t)).toEqual(['patch_is_None', 'patch_exists', 'patch_successfully_applied', 'resolved', 'infra_failure', 'infra_failure_reason']);
  });
});

describe('fail_only eval type', () => {
  it('only FAILED fails; ERROR, SKIPPED and absent tests pass, and truncated ids are not resolved', () => {
    const g = gradeTests({ statusMap: sm({ a: 'FAILED', b: 'ERROR', c: 'SKIPPED', 'd[x-1]': 'FAILED' }), failToPass: ['a', 'b', 'c', 'gone', 'd[x-'], passToPass: [], evalType: 'fail_only' });
    expect(g.testsStatus.FAIL_TO_PASS).toEqual({ success: ['b', 'c', 'gone', 'd[x-'], failure: ['a'] });
  });
});
