import { describe, expect, it } from 'vitest';
import { gradeTests, resolutionStatus, resolveCase } from '../../src/harness/grading.ts';
import type { StatusMap } from '../../src/harness/test-status.ts';

const sm = (o: Record<string, string>) => new Map(Object.entries(o)) as StatusMap;

describe('gradeTests (SWE-bench 5 rules)', () => {
  it('passes PASSED and XFAIL, fails FAILED, ERROR and missing tests', () => {
    const g = gradeTests({
      statusMap: sm({ a: 'PASSED', b: 'XFAIL', c: 'FAILED', d: 'ERROR', p: 'PASSED' }),
      failToPass: ['a', 'b', 'c', 'd', 'missing'],
      passToPass: ['p'],
    });
    expect(g.testsStatus.FAIL_TO_PASS).toEqual({ success: ['a', 'b'], failure: ['c', 'd', 'missing'] });
    expect(g.testsStatus.PASS_TO_PASS).toEqual({ success: ['p'], failure: [] });
    expect(g.testsStatus.FAIL_TO_FAIL).toEqual({ success: [], failure: [] });
    expect(g.resolution).toBe('RESOLVED_PARTIAL');
    expect(g.resolved).toBe(false);
  });

  it('fails a skipped FAIL_TO_PASS test but keeps a skipped PASS_TO_PASS test', () => {
    const g = gradeTests({ statusMap: sm({ f: 'SKIPPED', p: 'SKIPPED' }), failToPass: ['f'], passToPass: ['p'] });
    expect(g.testsStatus.FAIL_TO_PASS.failure).toEqual(['f']);
    expect(g.testsStatus.PASS_TO_PASS.success).toEqual(['p']);
    expect(g.resolution).toBe('RESOLVED_NO');
  });

  it('resolves only when every F2P and P2P test passes', () => {
    const statusMap = sm({ f: 'PASSED', p1: 'PASSED', p2: 'FAILED' });
    expect(gradeTests({ statusMap, failToPass: ['f'], passToPass: ['p1'] }).resolved).toBe(true);
    expect(gradeTests({ statusMap, failToPass: ['f'], passToPass: ['p1', 'p2'] }).resolution).toBe('RESOLVED_NO');
  });

  it('decides the empty lists as SWE-bench does: an empty F2P list counts as fully passed', () => {
    expect(gradeTests({ statusMap: sm({ p: 'PASSED' }), failToPass: [], passToPass: ['p'] }).resolved).toBe(true);
    expect(gradeTests({ statusMap: sm({}), failToPass: [], passToPass: [] }).resolution).toBe('RESOLVED_FULL');
    expect(gradeTests({ statusMap: sm({ p: 'FAILED' }), failToPass: [], passToPass: ['p'] }).resolved).toBe(false);
    expect(gradeTests({ statusMap: sm({}), failToPass: ['f'], passToPass: [] }).resolution).toBe('RESOLVED_NO');
  });

  it('matches ids truncated inside their brackets when the candidates agree', () => {
    const m = sm({ 'test_x[log(photon)]': 'PASSED', 'test_x[log(photon, 2)]': 'XFAIL', 'test_y[a]': 'PASSED', 'test_y[b]': 'FAILED' });
    expect(resolveCase('test_x[log(photon', m)).toBe('test_x[log(photon)]');
    expect(resolveCase('test_y[', m)).toBeUndefined();
    expect(resolveCase('test_x', m)).toBeUndefined();
    expect(resolveCase('test_x[log(photon', m, 'swebench-v4')).toBeUndefined();
    const g = gradeTests({ statusMap: m, failToPass: ['test_x[log(photon', 'test_y['], passToPass: [] });
    expect(g.testsStatus.FAIL_TO_PASS).toEqual({ success: ['test_x[log(photon'], failure: ['test_y['] });
  });

  it('fills FAIL_TO_FAIL and PASS_TO_FAIL when given', () => {
    const g = gradeTests({ statusMap: sm({ x: 'PASSED', y: 'FAILED' }), failToPass: [], passToPass: [], failToFail: ['x'], passToFail: ['y'] });
    expect(g.testsStatus.FAIL_TO_FAIL.success).toEqual(['x']);
    expect(g.testsStatus.PASS_TO_FAIL.failure).toEqual(['y']);
  });
});

describe('gradeTests (SWE-bench 4 rules and fail-only)', () => {
  it('v4: a skipped test lands in neither list', () => {
    const g = gradeTests({ statusMap: sm({ f: 'SKIPPED', p: 'SKIPPED' }), failToPass: ['f'], passToPass: ['p'], rules: 'swebench-v4' });
    expect(g.testsStatus.FAIL_TO_PASS).toEqual({ success: [], failure: [] });
    expect(g.testsStatus.PASS_TO_PASS).toEqual({ success: [], failure: [] });
    expect(g.resolved).toBe(true);
  });

  it('fail_only: only a FAILED status fails; missing and ERROR pass', () => {
    const g = gradeTests({ statusMap: sm({ a: 'FAILED', b: 'ERROR' }), failToPass: ['a', 'b', 'c'], passToPass: [], evalType: 'fail_only' });
    expect(g.testsStatus.FAIL_TO_PASS).toEqual({ success: ['b', 'c'], failure: ['a'] });
  });
});

describe('resolutionStatus', () => {
  it('maps the success rates', () => {
    const b = (s: number, f: number) => ({ success: Array(s).fill('x'), failure: Array(f).fill('y') });
    expect(resolutionStatus({ FAIL_TO_PASS: b(2, 0), PASS_TO_PASS: b(3, 0) })).toBe('RESOLVED_FULL');
    expect(resolutionStatus({ FAIL_TO_PASS: b(1, 1), PASS_TO_PASS: b(3, 0) })).toBe('RESOLVED_PARTIAL');
    expect(resolutionStatus({ FAIL_TO_PASS: b(1, 1), PASS_TO_PASS: b(3, 1) })).toBe('RESOLVED_NO');
    expect(resolutionStatus({ FAIL_TO_PASS: b(0, 2), PASS_TO_PASS: b(3, 0) })).toBe('RESOLVED_NO');
  });
});
