import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gradeTests } from '../../src/harness/grading.ts';
import { buildInstanceReport, REPORT_EXTRAS_KEY, reportFileContent, swebenchReportContent } from '../../src/harness/report.ts';
import { infraFailure, type EvalOutcome } from '../../src/harness/outcome.ts';
import { durationStats, summarizeRun } from '../../src/harness/summary.ts';
import type { StatusMap } from '../../src/harness/test-status.ts';
import { missingShared, sharedPath } from '../helpers/shared.ts';

const REAL_REPORT = 'data/trajectories/mini-swe-agent/mini-swe-agent-v1.15.0_gemini-3-pro-preview_verified/pylint-dev__pylint-6903.report.json';

function graded(statusMap: Record<string, string>, f2p: string[], p2p: string[]): EvalOutcome {
  const g = gradeTests({ statusMap: new Map(Object.entries(statusMap)) as StatusMap, failToPass: f2p, passToPass: p2p });
  return { kind: 'graded', statusMap: statusMap as Record<string, 'PASSED'>, ...g };
}

describe('buildInstanceReport', () => {
  it.skipIf(missingShared('a real SWE-bench report.json', REAL_REPORT))('reproduces a real SWE-bench report.json (mini-swe-agent, pylint-6903)', () => {
    const real = JSON.parse(readFileSync(sharedPath(REAL_REPORT), 'utf8'));
    const ts = real.tests_status;
    const sm = Object.fromEntries([...ts.FAIL_TO_PASS.success, ...ts.PASS_TO_PASS.success].map((t: string) => [t, 'PASSED']));
    const r = buildInstanceReport({
      instanceId: 'pylint-dev__pylint-6903',
      modelNameOrPath: 'mini',
      modelPatch: 'diff --git a/x b/x',
      outcome: graded(sm, ts.FAIL_TO_PASS.success, ts.PASS_TO_PASS.success),
    });
    // the real report predates 5.x, which adds infra_failure right after resolved
    const { tests_status, ...head } = real;
    const v5 = { ...head, infra_failure: false, tests_status };
    expect(r.swebench).toEqual(v5);
    expect(JSON.stringify(r.swebench)).toBe(JSON.stringify(v5));
    expect(Object.keys(swebenchReportContent(r))).toEqual(['pylint-dev__pylint-6903']);
  });

  it('keeps our fields under a separate key', () => {
    const r = buildInstanceReport({ instanceId: 'a__b-1', modelNameOrPath: 'm', modelPatch: 'd', outcome: graded({ t: 'PASSED' }, ['t'], []), patchSha256: 'abc', durationMs: 1200 });
    const content = reportFileContent(r);
    expect(Object.keys(content)).toEqual(['a__b-1', REPORT_EXTRAS_KEY]);
    expect(content[REPORT_EXTRAS_KEY]).toMatchObject({ report_version: 1, patch_sha256: 'abc', duration_ms: 1200, outcome: { kind: 'graded' } });
    expect(content['a__b-1']).toMatchObject({ resolved: true, patch_successfully_applied: true });
  });

  it('reports infrastructure failures, rejected output and missing patches without tests_status', () => {
    const infra = buildInstanceReport({ instanceId: 'x', modelNameOrPath: 'm', modelPatch: 'd', outcome: infraFailure('image_build_failed', 'apt failed') });
    expect(infra.swebench).toEqual({
      patch_is_None: false,
      patch_exists: true,
      patch_successfully_applied: false,
      resolved: false,
      infra_failure: true,
      infra_failure_reason: 'image_build_failed',
    });
    expect(infra.extras.outcome).toMatchObject({ kind: 'infra_failure', fault: 'environment' });
    const none = buildInstanceReport({ instanceId: 'x', modelNameOrPath: 'm', modelPatch: null, outcome: { kind: 'empty_patch' } });
    expect(none.swebench).toMatchObject({ patch_is_None: true, patch_exists: false, resolved: false });
    const rej = buildInstanceReport({ instanceId: 'x', modelNameOrPath: 'm', modelPatch: 'd', outcome: { kind: 'rejected', reason: 'exit_code_mismatch', detail: '' } });
    expect(rej.swebench.patch_successfully_applied).toBe(false);
    expect(infraFailure('patch_apply_failed', '')).toMatchObject({ fault: 'model' });
  });
});

describe('summarizeRun', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  const preds = [
    { instance_id: 'a', model_patch: 'p' },
    { instance_id: 'b', model_patch: 'p' },
    { instance_id: 'c', model_patch: '' },
    { instance_id: 'd', model_patch: null },
    { instance_id: 'e', model_patch: 'p' },
    { instance_id: 'f', model_patch: 'p' },
    { instance_id: 'g', model_patch: 'p' },
    { instance_id: 'h', model_patch: 'p' },
  ];
  const results = [
    { instanceId: 'a', outcome: graded({ t: 'PASSED' }, ['t'], []), durationMs: 1000 },
    { instanceId: 'b', outcome: graded({ t: 'FAILED' }, ['t'], []), durationMs: 3000 },
    { instanceId: 'e', outcome: infraFailure('timeout', 'x'), durationMs: 2000 },
    { instanceId: 'f', outcome: infraFailure('test_output_missing', 'x') },
    { instanceId: 'g', outcome: { kind: 'rejected', reason: 'no_test_results', detail: '' } as EvalOutcome },
    // h: a prediction without a result
  ];

  it('counts as SWE-bench does', () => {
    const s = summarizeRun({ instanceIds: ids, predictions: preds, results });
    expect(s).toMatchObject({
      total_instances: 9,
      submitted_instances: 8,
      completed_instances: 4,
      resolved_instances: 1,
      unresolved_instances: 3,
      empty_patch_instances: 2,
      error_instances: 2,
      completed_ids: ['a', 'b', 'f', 'g'],
      incomplete_ids: ['i'],
      empty_patch_ids: ['c', 'd'],
      resolved_ids: ['a'],
      unresolved_ids: ['b', 'f', 'g'],
      error_ids: ['e', 'h'],
      // 5.x: a time-out, or a script that died mid-test, may be the patch's doing: ambiguous, not infra
      infra_failure_ids: [],
      ambiguous_failure_ids: ['e', 'f'],
      failure_reasons: { e: 'tests_timed_out', f: 'test_output_missing' },
      schema_version: 2,
    });
  });

  it('adds infra failures by kind, rejections and durations', () => {
    const s = summarizeRun({ instanceIds: ids, predictions: preds, results });
    expect(s.swe_srl.infra_failures).toMatchObject({ timeout: 1, test_output_missing: 1, image_build_failed: 0 });
    expect(s.swe_srl.infra_failure_ids_by_kind.timeout).toEqual(['e']);
    expect(s.swe_srl.rejected).toEqual({ no_test_results: 1, exit_code_mismatch: 0, marker_repeated: 0, swebench_bad_code: 0 });
    expect(s.swe_srl.durations).toEqual({ count: 3, total_s: 6, mean_s: 2, p50_s: 2, p90_s: 3, max_s: 3 });
    expect(s.swe_srl.resolve_rate).toBeCloseTo(1 / 9);
  });

  it('handles an empty run', () => {
    const s = summarizeRun({ instanceIds: [], predictions: [], results: [] });
    expect(s.total_instances).toBe(0);
    expect(s.swe_srl.resolve_rate).toBe(0);
    expect(s.swe_srl.durations).toBeNull();
    expect(durationStats([5])).toEqual({ count: 1, total_s: 5, mean_s: 5, p50_s: 5, p90_s: 5, max_s: 5 });
  });
});
