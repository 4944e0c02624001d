// SWE-bench grading as pure functions over a parsed status map (swebench/harness/grading.py).
//
// Rules 'swebench-v5' (default; SWE-bench 5.x): PASSED/XFAIL pass; a test missing from the log fails; a SKIPPED
// FAIL_TO_PASS test fails while a SKIPPED PASS_TO_PASS test is kept; an expected id truncated inside its
// parametrize brackets matches the logged ids it prefixes when they agree on pass/fail.
// Rules 'swebench-v4' (SWE-bench 4.x): exact ids only, and a SKIPPED test lands in neither list.
// resolved = RESOLVED_FULL: every FAIL_TO_PASS and every PASS_TO_PASS test in `success`; an empty list counts as
// fully passed (SWE-bench's ratio is 1 for 0 tests), so an instance with no FAIL_TO_PASS tests is resolved when
// its PASS_TO_PASS tests pass.
import type { StatusMap, TestStatus } from './test-status.ts';

export type GradingRules = 'swebench-v5' | 'swebench-v4';
/** 'fail_only' (SWE-bench's FAIL_ONLY_REPOS, JS runners that only print failures): only FAILED fails. */
export type EvalType = 'pass_and_fail' | 'fail_only';
export type ResolutionStatus = 'RESOLVED_FULL' | 'RESOLVED_PARTIAL' | 'RESOLVED_NO';

export interface TestBucket {
  success: string[];
  failure: string[];
}

/** SWE-bench's `tests_status` (FAIL_TO_FAIL / PASS_TO_FAIL are only filled when their lists are given). */
export interface TestsStatus {
  FAIL_TO_PASS: TestBucket;
  PASS_TO_PASS: TestBucket;
  FAIL_TO_FAIL: TestBucket;
  PASS_TO_FAIL: TestBucket;
}

export interface GradeTestsOptions {
  statusMap: StatusMap;
  failToPass: readonly string[];
  passToPass: readonly string[];
  failToFail?: readonly string[];
  passToFail?: readonly string[];
  rules?: GradingRules;
  evalType?: EvalType;
}

export interface TestsGrade {
  testsStatus: TestsStatus;
  resolution: ResolutionStatus;
  resolved: boolean;
}

const PASSING: ReadonlySet<string> = new Set<TestStatus>(['PASSED', 'XFAIL']);

/** The status-map key an expected test name refers to (SWE-bench's _resolve_case under v5 rules). */
export function resolveCase(name: string, sm: StatusMap, rules: GradingRules = 'swebench-v5'): string | undefined {
  if (sm.has(name)) return name;
  if (rules === 'swebench-v4') return undefined;
  // ids truncated mid-parameter in the dataset: only when "[" outnumbers "]", and only when unambiguous
  if (count(name, '[') <= count(name, ']')) return undefined;
  const matches = [...sm.keys()].filter((k) => k.startsWith(name));
  if (matches.length === 0) return undefined;
  const outcomes = new Set(matches.map((k) => PASSING.has(sm.get(k)!)));
  return outcomes.size === 1 ? matches[0] : undefined;
}

type Verdict = 'success' | 'failure' | 'neither';

// F2P (and F2F/P2F) verdict of one expected test.
function checkPassAndFail(name: string, sm: StatusMap, rules: GradingRules): Verdict {
  const key = resolveCase(name, sm, rules);
  const status = key === undefined ? undefined : sm.get(key);
  if (status !== undefined && PASSING.has(status)) return 'success';
  if (status === undefined || status === 'FAILED' || status === 'ERROR') return 'failure';
  if (status === 'SKIPPED' && rules === 'swebench-v5') return 'failure';
  return 'neither';
}

// P2P verdict: under v5 a skipped test is not a regression.
function checkMaintained(name: string, sm: StatusMap, rules: GradingRules): Verdict {
  if (rules === 'swebench-v5') {
    const key = resolveCase(name, sm, rules);
    if (key !== undefined && sm.get(key) === 'SKIPPED') return 'success';
  }
  return checkPassAndFail(name, sm, rules);
}

function checkFailOnly(name: string, sm: StatusMap): Verdict {
  return sm.get(name) === 'FAILED' ? 'failure' : 'success';
}

function bucket(names: readonly string[], verdict: (n: string) => Verdict): TestBucket {
  const out: TestBucket = { success: [], failure: [] };
  for (const n of names) {
    const v = verdict(n);
    if (v !== 'neither') out[v].push(n);
  }
  return out;
}

/** SWE-bench's get_eval_tests_report + get_resolution_status. */
export function gradeTests(opts: GradeTestsOptions): TestsGrade {
  const rules = opts.rules ?? 'swebench-v5';
  const sm = opts.statusMap;
  const failOnly = opts.evalType === 'fail_only';
  const f2p = (n: string) => (failOnly ? checkFailOnly(n, sm) : checkPassAndFail(n, sm, rules));
  const p2p = (n: string) => (failOnly ? checkFailOnly(n, sm) : checkMaintained(n, sm, rules));
  const testsStatus: TestsStatus = {
    FAIL_TO_PASS: bucket(opts.failToPass, f2p),
    PASS_TO_PASS: bucket(opts.passToPass, p2p),
    FAIL_TO_FAIL: bucket(opts.failToFail ?? [], f2p),
    PASS_TO_FAIL: bucket(opts.passToFail ?? [], f2p),
  };
  const resolution = resolutionStatus(testsStatus);
  return { testsStatus, resolution, resolved: resolution === 'RESOLVED_FULL' };
}

/** Share of a bucket that succeeded; 1 for an empty bucket, as SWE-bench computes it. */
export function successRate(b: TestBucket): number {
  const total = b.success.length + b.failure.length;
  return total === 0 ? 1 : b.success.length / total;
}

/** FULL: all F2P and P2P pass; PARTIAL: some but not all F2P pass and all P2P pass; otherwise NO. */
export function resolutionStatus(ts: Pick<TestsStatus, 'FAIL_TO_PASS' | 'PASS_TO_PASS'>): ResolutionStatus {
  const f2p = successRate(ts.FAIL_TO_PASS);
  const p2p = successRate(ts.PASS_TO_PASS);
  if (f2p === 1 && p2p === 1) return 'RESOLVED_FULL';
  if (f2p > 0 && f2p < 1 && p2p === 1) return 'RESOLVED_PARTIAL';
  return 'RESOLVED_NO';
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
