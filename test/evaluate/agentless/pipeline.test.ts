// The pure parts of the agentless pipeline: a record's verdict from the harness's outcome, and the summary.
import { describe, expect, it } from 'vitest';
import { AGENTLESS_RECORD_VERSION, summarizeAgentless, withVerdict, type AgentlessRecord } from '../../../src/evaluate/agentless/pipeline.ts';
import type { RunSummary } from '../../../src/harness/summary.ts';

const record = (id: string, repo: string, o: Partial<AgentlessRecord> = {}): AgentlessRecord => ({
  version: AGENTLESS_RECORD_VERSION,
  instance_id: id,
  repo,
  localization: { files: ['a.py'], source: 'policy', unknown: [], reply: '', repo_files: 3, gold_files: ['a.py', 'b.py'], recall: 0.5, all_gold: false },
  samples: [{ reply: 'r', status: 'ok', edits: [], failures: [{ edit: 1, path: 'a.py', reason: 'not_found' }], patch: 'p' }, { reply: 'x', status: 'no_edits', edits: [], failures: [], patch: '' }],
  selected: 0,
  votes: 1,
  distinct: 1,
  patch: 'p',
  ...o,
});

describe('agentless verdicts and summary', () => {
  it('keeps infrastructure failures apart from the policy faults', () => {
    const graded = { kind: 'graded', resolved: true } as const;
    expect(withVerdict(record('a', 'o/x'), graded as never)).toMatchObject({ verdict: 'resolved', resolved: true, infra: false });
    expect(withVerdict(record('a', 'o/x'), { kind: 'empty_patch' })).toMatchObject({ verdict: 'empty_patch', infra: false });
    expect(withVerdict(record('a', 'o/x'), { kind: 'infra_failure', failure: 'patch_apply_failed', fault: 'model', detail: '' })).toMatchObject({ infra: false });
    expect(withVerdict(record('a', 'o/x'), { kind: 'infra_failure', failure: 'timeout', fault: 'environment', detail: '' })).toMatchObject({ verdict: 'infra_failure:timeout', infra: true });
    expect(withVerdict(record('a', 'o/x', { error: 'no image' }), undefined)).toMatchObject({ verdict: 'generation_error', infra: true });
  });

  it('sums resolve rates per repo, localization recall and repair faults', () => {
    const rows = [
      withVerdict(record('a', 'o/x', { localization: { ...record('a', 'o/x').localization, recall: 1, all_gold: true } }), { kind: 'graded', resolved: true } as never),
      withVerdict(record('b', 'o/x'), { kind: 'graded', resolved: false } as never),
      withVerdict(record('c', 'o/y', { error: 'boom', samples: [], patch: '' }), undefined),
    ];
    const s = summarizeAgentless(rows, 2, {} as RunSummary);
    expect(s).toMatchObject({
      tasks: 3,
      resolved: 1,
      infra_failures: 1,
      infra_failure_ids: ['c'],
      resolve_rate_excluding_infra: 0.5,
      by_repo: { 'o/x': { tasks: 2, resolved: 1, resolve_rate: 0.5 }, 'o/y': { tasks: 1, resolved: 0, resolve_rate: 0 } },
      verdicts: { resolved: 1, unresolved: 1, generation_error: 1 },
      localization: { recall: 0.75, all_gold_rate: 0.5, fallback: 0 },
      format_errors: 2,
      failed_edits: 2,
      empty_patches: 0,
    });
    expect(s.resolve_rate).toBeCloseTo(1 / 3);
    expect(summarizeAgentless([], 1, {} as RunSummary)).toMatchObject({ tasks: 0, resolve_rate: 0, localization: { recall: 0 } });
  });
});
