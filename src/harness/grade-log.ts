// From an eval-script log to an outcome: cut the nonce-marked output, parse it, check it is trustworthy, grade.
// Unlike SWE-bench, text outside the markers is never read for results (SWE-bench 5.x parses the whole log when the
// markers hold no result, and finds its suite-ran evidence anywhere in the log), so output a patch prints outside
// them cannot count. docs/eval.md lists the rules.
import { gradeTests, type EvalType, type GradingRules } from './grading.ts';
import { getLogParser } from './log-parsers/index.ts';
import { PY_WS } from './log-parsers/py-text.ts';
import { infraFailure, type EvalOutcome } from './outcome.ts';
import { extractTestOutput, type Markers } from './test-output.ts';

export interface GradeLogOptions {
  log: string;
  markers: Markers;
  /** Log-parser registry name. */
  logParser: string;
  failToPass: readonly string[];
  passToPass: readonly string[];
  rules?: GradingRules;
  evalType?: EvalType;
}

// SWE-bench's SUITE_RAN: evidence that a runner executed tests even when nothing was parsed (JS runners).
const S = `[${PY_WS}]`;
const SUITE_RAN = new RegExp(
  [
    'Executed [1-9]\\p{Nd}* of \\p{Nd}+',
    'TOTAL: [1-9]\\p{Nd}* (?:SUCCESS|FAILED)',
    '[1-9]\\p{Nd}* passing',
    `Tests:${S}+[1-9]\\p{Nd}*`,
    `Test Suites:${S}+(?:\\p{Nd}+ [\\p{L}\\p{N}_]+, )*[1-9]\\p{Nd}* total`,
    '(?<![^\\n])# tests [1-9]\\p{Nd}*',
    '[1-9]\\p{Nd}* specs?, \\p{Nd}+ failures?',
    "': ok(?![^\\n])",
  ].join('|'),
  'u',
);

// SWE-bench's own status lines (APPLY_PATCH_FAIL, RESET_FAILED, TESTS_ERROR, TESTS_TIMEOUT): 5.x grades no log that
// (and 4.x) holds one anywhere. Our script never prints them bare (its markers carry a nonce), so only the tests can.
export const SWEBENCH_BAD_CODES = ['>>>>> Patch Apply Failed', '>>>>> Reset Failed', '>>>>> Tests Errored', '>>>>> Tests Timed Out'] as const;

/** The first of SWE-bench's bad-code strings a log holds outside our own (nonce-carrying) markers. */
export function swebenchBadCode(log: string, markers: Markers): string | undefined {
  const own = log.replaceAll(markers.timedOut, '').replaceAll(markers.resetFailed, '');
  return SWEBENCH_BAD_CODES.find((c) => own.includes(c));
}

/** Whether a test output shows that a suite ran although no per-test result was parsed. */
export function suiteRan(output: string): boolean {
  return SUITE_RAN.test(output);
}

/** Grades one eval-script log into an outcome (graded, rejected, or an infrastructure failure). */
export function gradeLog(opts: GradeLogOptions): EvalOutcome {
  const rules = opts.rules ?? 'swebench-v5';
  const parser = getLogParser(opts.logParser);
  const out = extractTestOutput(opts.log, opts.markers);
  if (!out.ok) {
    switch (out.problem) {
      case 'marker_repeated':
        return { kind: 'rejected', reason: 'marker_repeated', detail: out.detail };
      case 'test_patch_apply_failed':
        return infraFailure('test_patch_apply_failed', out.detail);
      case 'reset_failed':
        return infraFailure('sandbox_error', out.detail);
      default:
        return infraFailure('test_output_missing', out.detail);
    }
  }
  if (out.timedOut) return infraFailure('timeout', 'the test command ran past its time limit');
  const bad = swebenchBadCode(opts.log, opts.markers);
  if (bad !== undefined) {
    return { kind: 'rejected', reason: 'swebench_bad_code', detail: `the log holds SWE-bench's "${bad}" line` };
  }
  const statusMap = parser(out.output);
  if (rules === 'swebench-v5') {
    if (statusMap.size === 0 && !suiteRan(out.output)) {
      return { kind: 'rejected', reason: 'no_test_results', detail: 'no test result in the test output' };
    }
    const anyFailure = [...statusMap.values()].some((s) => s === 'FAILED' || s === 'ERROR');
    if (out.exitCode !== undefined && out.exitCode !== 0 && statusMap.size > 0 && !anyFailure) {
      return {
        kind: 'rejected',
        reason: 'exit_code_mismatch',
        detail: `the test command exited ${out.exitCode} but the log reports no failing test`,
      };
    }
  }
  const grade = gradeTests({
    statusMap,
    failToPass: opts.failToPass,
    passToPass: opts.passToPass,
    rules,
    evalType: opts.evalType,
  });
  return {
    kind: 'graded',
    statusMap: Object.fromEntries(statusMap),
    ...grade,
    ...(out.exitCode === undefined ? {} : { exitCode: out.exitCode }),
  };
}
