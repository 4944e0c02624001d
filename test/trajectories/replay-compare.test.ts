import { describe, expect, it } from 'vitest';
import {
  mapRoots,
  normalizeObservation,
  normalizePatch,
  recordedRoots,
  renderObservation,
  textSimilarity,
} from '../../src/trajectories/replay-compare.ts';

describe('replay comparison (pure)', () => {
  it('maps recorded roots to /testbed as whole path components, longest first', () => {
    const roots = recordedRoots({ repoRoot: '/pytest-dev__pytest', repo: 'pytest-dev/pytest', version: '8.0' });
    expect(roots).toEqual(['/workspace/pytest-dev__pytest__8.0', '/pytest-dev__pytest']);
    expect(mapRoots('cd /pytest-dev__pytest/src && ls /pytest-dev__pytest', roots)).toBe('cd /testbed/src && ls /testbed');
    expect(mapRoots('/workspace/pytest-dev__pytest__8.0/x', roots)).toBe('/testbed/x');
    expect(mapRoots('/pytest-dev__pytest2/x', roots)).toBe('/pytest-dev__pytest2/x');
    expect(recordedRoots({ repoRoot: '/testbed' })).toEqual([]);
  });

  it('normalizes line ends and blank edges, not the content', () => {
    expect(normalizeObservation('\n\na  \r\nb\t\n\n')).toBe('a\nb');
    expect(normalizeObservation('  indented')).toBe('  indented');
  });

  it("renders mini-swe-agent's returncode/output template only when the recording used it", () => {
    expect(renderObservation({ recorded: '<returncode>0</returncode>\n<output>\nx\n</output>', output: 'y\n', exitCode: 2 })).toBe(
      '<returncode>2</returncode>\n<output>\ny\n</output>',
    );
    const long = renderObservation({ recorded: '<returncode>0</returncode>\n<output>\n</output>', output: 'z'.repeat(12000), exitCode: 0 });
    expect(long).toContain('2000 characters elided');
    expect(renderObservation({ recorded: 'plain', output: 'y', exitCode: 1 })).toBe('y');
  });

  it('scores similarity as difflib, 1 for identical text, and compares patches without index lines', () => {
    expect(textSimilarity('abc', 'abc')).toBe(1);
    expect(textSimilarity('abcd', 'abce')).toBeCloseTo(0.75);
    const a = 'diff --git a/f b/f\nindex 1234567..89abcde 100644\n--- a/f\n+++ b/f\n';
    const b = 'diff --git a/f b/f\nindex 1234567890..89abcdef01 100644\n--- a/f\n+++ b/f';
    expect(normalizePatch(a)).toBe(normalizePatch(b));
  });
});
