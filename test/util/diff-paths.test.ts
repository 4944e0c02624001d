import { describe, expect, it } from 'vitest';
import { patchPaths } from '../../src/util/diff-paths.ts';

describe('patchPaths', () => {
  it('reads git headers, renames and new files', () => {
    const patch = [
      'diff --git a/src/x.py b/src/x.py',
      '--- a/src/x.py',
      '+++ b/src/x.py',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      'diff --git a/old.py b/new.py',
      'similarity index 90%',
      'rename from old.py',
      'rename to new.py',
      'diff --git a/tests/t.py b/tests/t.py',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/tests/t.py',
      '@@ -0,0 +1 @@',
      '+x',
    ].join('\n');
    expect(patchPaths(patch)).toEqual(['src/x.py', 'old.py', 'new.py', 'tests/t.py']);
  });

  it('reads plain unified diffs with timestamps', () => {
    const patch = '--- a/f.txt\t2020-01-01\n+++ b/f.txt\t2020-01-02\n@@ -1 +1 @@\n-a\n+b\n';
    expect(patchPaths(patch)).toEqual(['f.txt']);
  });

  it('gives nothing for an empty patch', () => {
    expect(patchPaths('')).toEqual([]);
  });
});
