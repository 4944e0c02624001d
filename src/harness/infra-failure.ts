// SWE-bench 5.x's `infra_failure` / `infra_failure_reason` report keys (swebench/harness/infra_failure.py): an
// instance whose tests gave no usable result is flagged when its logs carry a signature of a broken environment.
// Advisory, as there: `resolved` and every count stay as they are.
import type { EvalOutcome, InfraFailureKind } from './outcome.ts';

/** `environment`: cannot plausibly come from the patch; `ambiguous`: a broken environment or a bad patch. */
export type InfraFailureTier = 'environment' | 'ambiguous' | 'model';

export interface InfraFailureClass {
  reason: string;
  tier: InfraFailureTier;
}

// SWE-bench 5.x's signatures, in its order: the first that matches (Python re.MULTILINE) names the reason.
const SIGNATURES: ReadonlyArray<readonly [string, InfraFailureTier, RegExp]> = [
  ['browser_launch_failed', 'environment', /Failed to launch|Failed to connect to the bus/],
  ['display_unavailable', 'environment', /cannot open display|Missing X server|unable to open X display/],
  ['out_of_memory', 'environment', /Cannot allocate memory|OutOfMemoryError|(?<![^\n])Killed(?![^\n])/],
  ['container_unavailable', 'environment', /Error response from daemon|Cannot connect to the Docker daemon/],
  ['network_unreachable', 'environment', /Could not resolve host|Temporary failure in name resolution/],
  ['missing_module', 'ambiguous', /Cannot find module|MODULE_NOT_FOUND|ModuleNotFoundError/],
  ['no_tests_collected', 'ambiguous', /no tests ran|collected 0 items/],
  ['tests_timed_out', 'ambiguous', /Timeout error: \p{Nd}+ seconds exceeded/u],
];

/** SWE-bench 5.x's classify_text: the first signature found in a log, or undefined. */
export function classifyInfraText(text: string): InfraFailureClass | undefined {
  if (!text) return undefined;
  for (const [reason, tier, re] of SIGNATURES) if (re.test(text)) return { reason, tier };
  return undefined;
}

// Our failure kinds where no signature names a cause. A time-out or a script that died before its end marker may
// be a patch that hangs or kills its shell, so they are ambiguous, as 5.x calls its own time-outs.
const KIND_CLASS: Readonly<Record<InfraFailureKind, InfraFailureClass>> = {
  image_build_failed: { reason: 'image_build_failed', tier: 'environment' },
  image_unavailable: { reason: 'image_unavailable', tier: 'environment' },
  patch_apply_failed: { reason: 'patch_apply_failed', tier: 'model' },
  timeout: { reason: 'tests_timed_out', tier: 'ambiguous' },
  test_output_missing: { reason: 'test_output_missing', tier: 'ambiguous' },
  test_patch_apply_failed: { reason: 'test_patch_apply_failed', tier: 'environment' },
  source_unavailable: { reason: 'source_unavailable', tier: 'environment' },
  sandbox_error: { reason: 'container_unavailable', tier: 'environment' },
};

/** The two report keys: `infra_failure` is always present; `infra_failure_reason` only when a cause is known. */
export interface InfraFailureKeys {
  infra_failure: boolean;
  infra_failure_reason?: string;
}

/**
 * The 5.x keys for an outcome and its eval log. Graded output and empty patches are no infra failure. Output that
 * ran but was not graded (5.x's `found = False`) is classified from the log alone, as 5.x does. Our own infra
 * failures (5.x raises and writes no report for most) take a signature from the log and the failure's detail first,
 * else their kind's class; only the environment tier sets `infra_failure`.
 */
export function infraFailureKeys(outcome: EvalOutcome, log: string): InfraFailureKeys {
  let c: InfraFailureClass | undefined;
  if (outcome.kind === 'rejected') c = classifyInfraText(log);
  else if (outcome.kind === 'infra_failure') {
    c = classifyInfraText([log, outcome.detail].filter(Boolean).join('\n')) ?? KIND_CLASS[outcome.failure];
  }
  return c ? { infra_failure: c.tier === 'environment', infra_failure_reason: c.reason } : { infra_failure: false };
}
