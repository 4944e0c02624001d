// Nonce-marked test output. The eval script brackets the test command's output with markers carrying a
// per-run random nonce, so a patched test that prints `>>>>> Start Test Output` (or PASSED lines outside the
// brackets) cannot make its own output count. Only the text between the single real pair of markers is graded.
import { randomBytes } from 'node:crypto';
import { SweSrlError } from '../util/errors.ts';

export interface Markers {
  nonce: string;
  start: string;
  end: string;
  /** Followed by ": <exit code of the test command>", printed after `end`. */
  exitCode: string;
  /** Printed when the script's own time limit killed the test command. */
  timedOut: string;
  /** Printed (and the script exits) when the test patch does not apply. */
  testPatchFailed: string;
  /** Printed when the test files cannot be reset to the base commit. */
  resetFailed: string;
}

const NONCE_RE = /^[A-Za-z0-9]{8,64}$/;

/** The markers for one run; a fresh random nonce unless one is given (8-64 letters/digits). */
export function makeMarkers(nonce: string = randomBytes(16).toString('hex')): Markers {
  if (!NONCE_RE.test(nonce)) {
    throw new SweSrlError({
      code: 'marker_nonce_invalid',
      message: 'a marker nonce must be 8 to 64 ASCII letters or digits',
      fault: 'internal',
      value: nonce,
    });
  }
  return {
    nonce,
    start: `>>>>> Start Test Output ${nonce}`,
    end: `>>>>> End Test Output ${nonce}`,
    exitCode: `>>>>> Test Exit Code ${nonce}`,
    timedOut: `>>>>> Tests Timed Out ${nonce}`,
    testPatchFailed: `>>>>> Test Patch Apply Failed ${nonce}`,
    resetFailed: `>>>>> Reset Failed ${nonce}`,
  };
}

/** Why no trustworthy test output could be cut from a log. */
export type TestOutputProblem =
  /** the script stopped before the tests started (setup or test-patch failure, killed sandbox) */
  | 'start_marker_missing'
  /** the tests started but the script never reached the end marker (killed, or the test killed its shell) */
  | 'end_marker_missing'
  /** a marker appears more than once: something other than the script printed it */
  | 'marker_repeated'
  | 'test_patch_apply_failed'
  | 'reset_failed';

export type TestOutput =
  | {
      ok: true;
      /** The text between the markers (the test command's stdout and stderr). */
      output: string;
      /** The test command's exit status, when the script recorded it. */
      exitCode?: number;
      /** The script's own time limit ended the test command. */
      timedOut: boolean;
    }
  | { ok: false; problem: TestOutputProblem; detail: string };

/** Cuts the test command's output out of an eval-script log; anything outside the real markers is ignored. */
export function extractTestOutput(log: string, markers: Markers): TestOutput {
  if (log.includes(markers.testPatchFailed)) {
    return { ok: false, problem: 'test_patch_apply_failed', detail: 'the test patch did not apply' };
  }
  const starts = occurrences(log, markers.start);
  const ends = occurrences(log, markers.end);
  if (starts.length === 0) {
    const detail = log.includes(markers.resetFailed)
      ? 'the test files could not be reset to the base commit'
      : 'the start-of-test-output marker is missing: the test command never ran';
    return { ok: false, problem: log.includes(markers.resetFailed) ? 'reset_failed' : 'start_marker_missing', detail };
  }
  if (starts.length > 1 || ends.length > 1) {
    return {
      ok: false,
      problem: 'marker_repeated',
      detail: `start marker seen ${starts.length} time(s), end marker ${ends.length} time(s)`,
    };
  }
  const from = lineEnd(log, starts[0]! + markers.start.length);
  const to = ends[0];
  if (to === undefined || to < from) {
    return { ok: false, problem: 'end_marker_missing', detail: 'the end-of-test-output marker is missing' };
  }
  const after = log.slice(to + markers.end.length);
  const code = new RegExp(`${escapeRe(markers.exitCode)}: *(-?\\d+)`).exec(after);
  return {
    ok: true,
    output: log.slice(from, to),
    exitCode: code ? Number(code[1]) : undefined,
    timedOut: after.includes(markers.timedOut),
  };
}

function occurrences(s: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

// The output starts on the line after the start marker.
function lineEnd(s: string, i: number): number {
  const nl = s.indexOf('\n', i);
  return nl < 0 ? s.length : nl + 1;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
