import { describe, expect, it } from 'vitest';
import { gradeLog, suiteRan } from '../../src/harness/grade-log.ts';
import { makeMarkers } from '../../src/harness/test-output.ts';

const m = makeMarkers('feedface00112233');
const wrap = (output: string, exitCode = 0, after = '') =>
  `+ git apply -v /tmp/test.patch\nPASSED forged::f2p\n${m.start}\n${output}\n${m.end}\n${m.exitCode}: ${exitCode}\n${after}`;

const base = { markers: m, logParser: 'pytest', failToPass: ['t::f2p'], passToPass: ['t::p2p'] };

describe('gradeLog', () => {
  it('grades the marked output and keeps the status map', () => {
    const o = gradeLog({ ...base, log: wrap('PASSED t::f2p\nPASSED t::p2p') });
    expect(o).toMatchObject({ kind: 'graded', resolved: true, resolution: 'RESOLVED_FULL', exitCode: 0 });
    if (o.kind === 'graded') expect(o.statusMap).toEqual({ 't::f2p': 'PASSED', 't::p2p': 'PASSED' });
  });

  it('does not count a PASSED line printed outside the markers', () => {
    const o = gradeLog({ ...base, log: `${wrap('FAILED t::f2p - x\nPASSED t::p2p', 1)}PASSED t::f2p\n` });
    expect(o).toMatchObject({ kind: 'graded', resolved: false });
    if (o.kind === 'graded') expect(o.testsStatus.FAIL_TO_PASS.failure).toEqual(['t::f2p']);
  });

  it('calls a log without the start marker an infrastructure failure', () => {
    const o = gradeLog({ ...base, log: 'PASSED t::f2p\nPASSED t::p2p\n>>>>> Start Test Output\n' });
    expect(o).toMatchObject({ kind: 'infra_failure', failure: 'test_output_missing', fault: 'environment' });
  });

  it('rejects an exit status that contradicts an all-passing log (a patch printing its own PASSED lines)', () => {
    const o = gradeLog({ ...base, log: wrap('PASSED t::f2p\nPASSED t::p2p', 1) });
    expect(o).toMatchObject({ kind: 'rejected', reason: 'exit_code_mismatch' });
    expect(gradeLog({ ...base, rules: 'swebench-v4', log: wrap('PASSED t::f2p\nPASSED t::p2p', 1) })).toMatchObject({ kind: 'graded', resolved: true });
  });

  it('rejects output with no results, unless a suite visibly ran', () => {
    expect(gradeLog({ ...base, log: wrap('ImportError: no module named x', 2) })).toMatchObject({ kind: 'rejected', reason: 'no_test_results' });
    expect(gradeLog({ ...base, rules: 'swebench-v4', log: wrap('ImportError', 2) })).toMatchObject({ kind: 'graded', resolved: false });
    expect(gradeLog({ ...base, failToPass: [], passToPass: [], log: wrap('  12 passing (3s)') })).toMatchObject({ kind: 'graded', resolved: true });
  });

  it('maps timeouts, repeated markers and test-patch failures', () => {
    expect(gradeLog({ ...base, log: wrap('PASSED t::f2p', 124, `${m.timedOut}\n`) })).toMatchObject({ kind: 'infra_failure', failure: 'timeout' });
    expect(gradeLog({ ...base, log: wrap('PASSED t::f2p') + wrap('PASSED t::p2p') })).toMatchObject({ kind: 'rejected', reason: 'marker_repeated' });
    expect(gradeLog({ ...base, log: `error: patch failed\n${m.testPatchFailed}\n` })).toMatchObject({ kind: 'infra_failure', failure: 'test_patch_apply_failed' });
    expect(gradeLog({ ...base, log: `${m.start}\nPASSED t::f2p\n` })).toMatchObject({ kind: 'infra_failure', failure: 'test_output_missing' });
  });

  it('fails for an unknown parser, listing the valid ones', () => {
    expect(() => gradeLog({ ...base, logParser: 'nope', log: '' })).toThrow(/Valid parsers/);
  });

  it('grades a django log end to end', () => {
    const out = 'test_a (m.T) ... ok\ntest_b (m.T) ... FAIL\n\nFAIL: test_b (m.T)\nFAILED (failures=1)';
    const o = gradeLog({ markers: m, logParser: 'django', failToPass: ['test_a (m.T)'], passToPass: ['test_b (m.T)'], log: wrap(out, 1) });
    expect(o).toMatchObject({ kind: 'graded', resolution: 'RESOLVED_NO' });
  });
});

describe('suiteRan', () => {
  it('needs a non-zero count', () => {
    expect(suiteRan('Executed 3 of 3 SUCCESS')).toBe(true);
    expect(suiteRan('Executed 0 of 0 ERROR')).toBe(false);
    expect(suiteRan('x\n# tests 4\n')).toBe(true);
    expect(suiteRan("case a': ok\nnext")).toBe(true);
    expect(suiteRan('Test Suites: 1 failed, 2 passed, 3 total')).toBe(true);
  });
});
