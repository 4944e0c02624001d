// The per-instance report.json in SWE-bench 5.x's exact shape, `{ "<instance_id>": {patch_is_None, patch_exists,
// patch_successfully_applied, resolved, infra_failure, infra_failure_reason?, tests_status?} }`, with our own fields
// under a separate top-level key (`swe_srl`) that SWE-bench's readers, which index `report[instance_id]`, never look at.
import type { TestsStatus } from './grading.ts';
import { infraFailureKeys, type InfraFailureKeys } from './infra-failure.ts';
import type { EvalOutcome } from './outcome.ts';

export const REPORT_EXTRAS_KEY = 'swe_srl';
export const REPORT_VERSION = 1;

export interface SwebenchInstanceReport {
  patch_is_None: boolean;
  patch_exists: boolean;
  /** As in SWE-bench: true only when the test output was found and graded. */
  patch_successfully_applied: boolean;
  resolved: boolean;
  /** SWE-bench 5.x: no graded result and a cause that cannot be the patch's (advisory; see infra-failure.ts). */
  infra_failure: boolean;
  /** SWE-bench 5.x: why no graded result came, when a cause is known. */
  infra_failure_reason?: string;
  tests_status?: TestsStatus;
}

export interface InstanceReportExtras {
  report_version: typeof REPORT_VERSION;
  instance_id: string;
  model_name_or_path: string;
  outcome: EvalOutcome;
  /** sha256 of the evaluated patch (see patchHash), for resuming a run. */
  patch_sha256?: string;
  duration_ms?: number;
  /** Anything else the runner records (image, log paths, timings...). */
  [key: string]: unknown;
}

export interface InstanceReport {
  instanceId: string;
  swebench: SwebenchInstanceReport;
  extras: InstanceReportExtras;
}

export interface BuildInstanceReportOptions {
  instanceId: string;
  modelNameOrPath: string;
  /** The predicted patch; null when the prediction had none (SWE-bench's patch_is_None). */
  modelPatch: string | null;
  outcome: EvalOutcome;
  /** The eval script's log, read for the causes behind `infra_failure_reason`. */
  log?: string;
  patchSha256?: string;
  durationMs?: number;
  extra?: Record<string, unknown>;
}

/** Builds one instance's report from its outcome (pure). */
export function buildInstanceReport(opts: BuildInstanceReportOptions): InstanceReport {
  const o = opts.outcome;
  const graded = o.kind === 'graded';
  const swebench: SwebenchInstanceReport = {
    patch_is_None: opts.modelPatch === null,
    patch_exists: opts.modelPatch !== null && opts.modelPatch !== '',
    patch_successfully_applied: graded,
    resolved: graded && o.resolved,
    ...infraFailureKeys(o, opts.log ?? ''),
    ...(graded ? { tests_status: o.testsStatus } : {}),
  };
  const extras: InstanceReportExtras = {
    ...opts.extra,
    report_version: REPORT_VERSION,
    instance_id: opts.instanceId,
    model_name_or_path: opts.modelNameOrPath,
    outcome: o,
    ...(opts.patchSha256 === undefined ? {} : { patch_sha256: opts.patchSha256 }),
    ...(opts.durationMs === undefined ? {} : { duration_ms: opts.durationMs }),
  };
  return { instanceId: opts.instanceId, swebench, extras };
}

/** The JSON object written as report.json: SWE-bench's map plus our extras key. */
export function reportFileContent(r: InstanceReport): Record<string, unknown> {
  return { [r.instanceId]: r.swebench, [REPORT_EXTRAS_KEY]: r.extras };
}

/** Only SWE-bench's part, byte-compatible with its report.json when written with indent 4. */
export function swebenchReportContent(r: InstanceReport): Record<string, SwebenchInstanceReport> {
  return { [r.instanceId]: r.swebench };
}

/** The 5.x infra-failure keys of a report's SWE-bench part; undefined for a report written before them. */
export function reportInfraKeys(sb: Partial<SwebenchInstanceReport>): InfraFailureKeys | undefined {
  if (typeof sb.infra_failure !== 'boolean') return undefined;
  const reason = sb.infra_failure_reason;
  return { infra_failure: sb.infra_failure, ...(typeof reason === 'string' ? { infra_failure_reason: reason } : {}) };
}
