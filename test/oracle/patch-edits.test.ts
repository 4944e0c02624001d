import { describe, expect, it } from 'vitest';
import { editCall, hunkRanges, patchToEdits } from '../../src/oracle/patch-edits.ts';

describe('patchToEdits', () => {
  it('keeps a missing final newline on the side that lacks it', () => {
    const patch = [
      'diff --git a/a.txt b/a.txt',
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1,2 +1,2 @@',
      ' one',
      '-two',
      '\\ No newline at end of file',
      '+TWO',
      '',
    ].join('\n');
    expect(patchToEdits(patch)).toEqual([{ path: 'a.txt', oldStr: 'one\ntwo', newStr: 'one\nTWO\n' }]);
  });

  it('reads plain unified diffs with several files and several hunks', () => {
    const patch = [
      '--- a/x.py',
      '+++ b/x.py',
      '@@ -1,1 +1,1 @@',
      '-a = 1',
      '+a = 2',
      '@@ -9,1 +9,1 @@',
      '-z = 1',
      '+z = 2',
      '--- a/y.py',
      '+++ b/y.py',
      '@@ -1,1 +1,2 @@',
      ' b = 1',
      '+c = 2',
      '',
    ].join('\n');
    expect(patchToEdits(patch)).toEqual([
      { path: 'x.py', oldStr: 'a = 1\n', newStr: 'a = 2\n' },
      { path: 'x.py', oldStr: 'z = 1\n', newStr: 'z = 2\n' },
      { path: 'y.py', oldStr: 'b = 1\n', newStr: 'b = 1\nc = 2\n' },
    ]);
  });

  it('leaves deleted files out and renders edits as editor calls under a root', () => {
    const patch = ['diff --git a/gone.py b/gone.py', 'deleted file mode 100644', '--- a/gone.py', '+++ /dev/null', '@@ -1 +0,0 @@', '-x = 1', ''].join('\n');
    expect(patchToEdits(patch)).toEqual([]);
    expect(editCall({ path: 'n.py', newStr: 'x\n' }, '/testbed')).toEqual({
      tool: 'str_replace_editor',
      args: { command: 'create', path: '/testbed/n.py', file_text: 'x\n' },
    });
  });
});

describe('hunkRanges', () => {
  it('gives the old-side lines each hunk covers, per file', () => {
    const patch = ['--- a/x.py', '+++ b/x.py', '@@ -10,3 +10,4 @@', ' a', '+b', ' c', ' d', '@@ -40 +41 @@', '-e', '+f', '--- /dev/null', '+++ b/new.py', '@@ -0,0 +1 @@', '+g', ''].join('\n');
    expect([...hunkRanges(patch)]).toEqual([['x.py', [[10, 12], [40, 40]]]]);
  });
});
