import { describe, expect, it } from 'vitest';
import { markdown, mergeRows, type RowResult, summarizeRepos } from '../../bench/coverage.bench.ts';

function row(id: string, repo: string, datasets: string[], gold: boolean, line = 'bookworm'): RowResult {
  return {
    instance_id: id,
    repo,
    version: '1.0',
    datasets,
    python_line: line,
    python_version: line === 'bookworm' ? '3.11' : '3.9.2',
    gold_resolved: gold,
    gold_outcome: gold ? 'graded RESOLVED_FULL' : 'graded RESOLVED_NO',
    noop_resolved: false,
    env_failures: [],
    build_s: 1,
    finished_at: '2026-01-01T00:00:00Z',
  };
}

describe('summarizeRepos', () => {
  const rows = [
    row('b__x-1', 'b/x', ['lite', 'verified'], true),
    row('b__x-2', 'b/x', ['verified'], false, 'bullseye'),
    row('a__y-1', 'a/y', ['lite'], false),
  ];

  it('counts gold resolved / tried per dataset, a row in both counting in each', () => {
    const [a, b] = summarizeRepos(rows);
    expect(a).toEqual({
      repo: 'a/y',
      python_lines: 'bookworm (3.11)',
      lite: { tried: 1, gold_resolved: 0 },
      verified: { tried: 0, gold_resolved: 0 },
      all: { tried: 1, gold_resolved: 0 },
    });
    expect(b!.python_lines).toBe('bookworm (3.11), bullseye (3.9.2)');
    expect(b!.lite).toEqual({ tried: 1, gold_resolved: 1 });
    expect(b!.verified).toEqual({ tried: 2, gold_resolved: 1 });
    expect(b!.all).toEqual({ tried: 2, gold_resolved: 1 });
  });

  it('renders one table row per repository', () => {
    const md = markdown({ rows, unreachable: {}, template: 't' });
    expect(md).toContain('## Per repository');
    expect(md).toContain('| b/x | bookworm (3.11), bullseye (3.9.2) | 1 / 1 | 1 / 2 | 1 / 2 |');
  });
});

describe('mergeRows', () => {
  it('keeps one row per instance, the latest finished run winning whichever list it is in', () => {
    const old = row('a', 'r/x', ['lite'], false);
    const newer = { ...row('a', 'r/x', ['lite'], true, 'bullseye'), finished_at: '2026-02-01T00:00:00Z' };
    const other = row('b', 'r/x', ['verified'], true);
    expect(mergeRows([old, other], [newer]).map((r) => [r.instance_id, r.python_line, r.gold_resolved])).toEqual([
      ['a', 'bullseye', true],
      ['b', 'bookworm', true],
    ]);
    expect(mergeRows([newer], [old])[0]).toBe(newer);
  });
});
