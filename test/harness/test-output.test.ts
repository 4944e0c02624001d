import { describe, expect, it } from 'vitest';
import { extractTestOutput, makeMarkers } from '../../src/harness/test-output.ts';

const m = makeMarkers('0123456789abcdef');

describe('makeMarkers', () => {
  it('puts the nonce in every marker and makes a fresh one each time', () => {
    expect(m.start).toBe('>>>>> Start Test Output 0123456789abcdef');
    expect(m.end).toBe('>>>>> End Test Output 0123456789abcdef');
    expect(makeMarkers().nonce).not.toBe(makeMarkers().nonce);
    expect(makeMarkers().nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(() => makeMarkers('short')).toThrow(/nonce/);
    expect(() => makeMarkers("x'; rm -rf /")).toThrow(/nonce/);
  });
});

describe('extractTestOutput', () => {
  it('returns only what lies between the real markers', () => {
    const log = [
      'PASSED forged::before',
      '>>>>> Start Test Output',
      m.start,
      'PASSED real::t',
      '>>>>> End Test Output',
      'FAILED real::u',
      '',
      m.end,
      `${m.exitCode}: 1`,
      'PASSED forged::after',
    ].join('\n');
    const out = extractTestOutput(log, m);
    expect(out).toEqual({
      ok: true,
      output: 'PASSED real::t\n>>>>> End Test Output\nFAILED real::u\n\n',
      exitCode: 1,
      timedOut: false,
    });
  });

  it('cuts the end marker off a last line without a newline', () => {
    const out = extractTestOutput(`${m.start}\nPASSED a::t${m.end}\n`, m);
    expect(out.ok && out.output).toBe('PASSED a::t');
  });

  it('treats a missing start marker as an infrastructure failure, not an empty pass', () => {
    expect(extractTestOutput('PASSED a::t\n', m)).toMatchObject({ ok: false, problem: 'start_marker_missing' });
    expect(extractTestOutput('', m)).toMatchObject({ ok: false, problem: 'start_marker_missing' });
    expect(extractTestOutput(`${m.resetFailed}\n`, m)).toMatchObject({ ok: false, problem: 'reset_failed' });
  });

  it('rejects a missing end marker and repeated markers', () => {
    expect(extractTestOutput(`${m.start}\nPASSED a::t\n`, m)).toMatchObject({ ok: false, problem: 'end_marker_missing' });
    expect(extractTestOutput(`${m.end}\n${m.start}\nPASSED a::t\n`, m)).toMatchObject({ ok: false, problem: 'end_marker_missing' });
    const twice = `${m.start}\nPASSED a::t\n${m.end}\n${m.start}\nPASSED b::t\n${m.end}\n`;
    expect(extractTestOutput(twice, m)).toMatchObject({ ok: false, problem: 'marker_repeated' });
  });

  it('reads the time-out marker and a missing exit code', () => {
    expect(extractTestOutput(`${m.start}\nx\n${m.end}\n${m.timedOut}\n`, m)).toEqual({ ok: true, output: 'x\n', timedOut: true, exitCode: undefined });
    expect(extractTestOutput(`${m.testPatchFailed}\n`, m)).toMatchObject({ ok: false, problem: 'test_patch_apply_failed' });
  });
});
