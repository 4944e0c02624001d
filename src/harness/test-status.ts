// Per-test statuses as SWE-bench's log parsers report them (constants.TestStatus).

export const TEST_STATUSES = ['PASSED', 'FAILED', 'SKIPPED', 'ERROR', 'XFAIL'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

/**
 * A status as a parser records it: one of the five, or (as SWE-bench 5.x keeps it) any other word a status-led line
 * starts with, e.g. `ERROR:` from pytest's `ERROR: file or directory not found: x`. Grading counts such a word as
 * neither passing nor failing.
 */
export type ParsedStatus = TestStatus | (string & {});

/** A parsed log: test name -> status, in first-seen order (later lines overwrite the status, not the order). */
export type StatusMap = Map<string, ParsedStatus>;

/** The status word a line starts with, as Python's `line.startswith(status)` would find it. */
export function leadingStatus(line: string): TestStatus | undefined {
  return TEST_STATUSES.find((s) => line.startsWith(s));
}
