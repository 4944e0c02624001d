// What became of one instance's evaluation. Infrastructure failures (the harness could not produce a trustworthy
// test run) are kept apart from graded results, and both apart from output that ran but cannot be trusted.
import type { Fault } from '../util/errors.ts';
import type { ResolutionStatus, TestsStatus } from './grading.ts';
import type { ParsedStatus } from './test-status.ts';

export const INFRA_FAILURE_KINDS = [
  'image_build_failed',
  /** the official image is not on the engine and cannot be pulled (`--image-source official`) */
  'image_unavailable',
  /** the predicted patch does not apply (the model's fault, but no test ran: SWE-bench counts it an error) */
  'patch_apply_failed',
  'timeout',
  /** the eval script never printed the test output markers */
  'test_output_missing',
  /** the task's own test patch does not apply to the base commit */
  'test_patch_apply_failed',
  /** the task's repository could not be cloned or lacks the commit (a git-remote template that does not reach it) */
  'source_unavailable',
  'sandbox_error',
] as const;
export type InfraFailureKind = (typeof INFRA_FAILURE_KINDS)[number];

/** Who is at fault for each kind. A timeout may be a patch that hangs; it is still reported as environment. */
export const INFRA_FAILURE_FAULT: Readonly<Record<InfraFailureKind, Fault>> = {
  image_build_failed: 'environment',
  image_unavailable: 'environment',
  patch_apply_failed: 'model',
  timeout: 'environment',
  test_output_missing: 'environment',
  test_patch_apply_failed: 'environment',
  source_unavailable: 'environment',
  sandbox_error: 'environment',
};

/** What to do about each kind, and whether running it again can help (run again: a re-run retries it). */
export const INFRA_FAILURE_ADVICE: Readonly<Record<InfraFailureKind, { retry: boolean; fix: string }>> = {
  image_build_failed: { retry: true, fix: "see the instance's run_instance.log; check the env spec in envs/" },
  image_unavailable: { retry: true, fix: 'docker pull / docker load the official image, or use --image-source auto (or local) to build it here' },
  patch_apply_failed: { retry: false, fix: 'the predicted patch does not apply to the base commit' },
  timeout: { retry: true, fix: 'raise --timeout, or look for a test that hangs' },
  test_output_missing: { retry: true, fix: "see test_output.txt; the eval script died before its markers" },
  test_patch_apply_failed: { retry: false, fix: "the task's test_patch does not apply to its base_commit: check the task row" },
  source_unavailable: { retry: true, fix: 'set --git-remote / SWE_SRL_GIT_REMOTE to a template that reaches the repository' },
  sandbox_error: { retry: true, fix: 'check that the Docker engine is up (docker info) and has room' },
};

/**
 * Kinds SWE-bench counts in `error_ids` (it writes no report.json for them). The others reach SWE-bench's
 * grading with no usable output and are counted completed + unresolved.
 */
export const SWEBENCH_ERROR_KINDS: ReadonlySet<InfraFailureKind> = new Set([
  'image_build_failed',
  'image_unavailable',
  'source_unavailable',
  'patch_apply_failed',
  'timeout',
  'sandbox_error',
]);

export const REJECT_REASONS = [
  /** no test result parsed and no sign that a test suite ran */
  'no_test_results',
  /** the test command exited non-zero yet the log reports no failure: it does not describe the real run */
  'exit_code_mismatch',
  /** a nonce marker appeared twice: something other than the eval script printed it */
  'marker_repeated',
  /** the log holds one of SWE-bench's own failure lines (`>>>>> Tests Errored`, ...), which 5.x never grades */
  'swebench_bad_code',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type EvalOutcome =
  | {
      kind: 'graded';
      statusMap: Record<string, ParsedStatus>;
      testsStatus: TestsStatus;
      resolution: ResolutionStatus;
      resolved: boolean;
      exitCode?: number;
    }
  /** The tests ran but their output cannot be trusted: unresolved (SWE-bench's `found = False`). */
  | { kind: 'rejected'; reason: RejectReason; detail: string }
  /** The prediction's patch is empty: nothing was run (SWE-bench's empty_patch_ids). */
  | { kind: 'empty_patch' }
  | { kind: 'infra_failure'; failure: InfraFailureKind; fault: Fault; detail: string };

/** An infrastructure-failure outcome with its fault filled in. */
export function infraFailure(failure: InfraFailureKind, detail: string): EvalOutcome {
  return { kind: 'infra_failure', failure, fault: INFRA_FAILURE_FAULT[failure], detail };
}
