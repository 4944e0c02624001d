import { describe, expect, it } from 'vitest';
import { disambiguateEdits, editCall, hunkRanges, patchToEdits, patchToEditsWithNotes } from '../../src/oracle/patch-edits.ts';

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
    expect(patchToEdits(patch)).toEqual([{ path: 'a.txt', oldStr: 'one\ntwo', newStr: 'one\nTWO\n', line: 1 }]);
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
      { path: 'x.py', oldStr: 'a = 1\n', newStr: 'a = 2\n', line: 1 },
      { path: 'x.py', oldStr: 'z = 1\n', newStr: 'z = 2\n', line: 9 },
      { path: 'y.py', oldStr: 'b = 1\n', newStr: 'b = 1\nc = 2\n', line: 1 },
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

describe('patchToEdits on what git writes besides plain hunks', () => {
  it('creates empty new files, reads plain-diff /dev/null headers with timestamps and C-quoted names', () => {
    const empty = ['diff --git a/pkg/__init__.py b/pkg/__init__.py', 'new file mode 100644', 'index 0000000..e69de29', ''].join('\n');
    expect(patchToEdits(empty)).toEqual([{ path: 'pkg/__init__.py', newStr: '' }]);
    const plain = ['--- /dev/null\t2024-01-01 00:00:00', '+++ b/n.py\t2024-01-01 00:00:00', '@@ -0,0 +1 @@', '+x = 1', ''].join('\n');
    expect(patchToEdits(plain)).toEqual([{ path: 'n.py', newStr: 'x = 1\n' }]);
    const quoted = ['diff --git "a/my file.py" "b/my file.py"', '--- "a/my file.py"', '+++ "b/my file.py"', '@@ -1 +1 @@', '-a', '+b', ''].join('\n');
    expect(patchToEdits(quoted)).toEqual([{ path: 'my file.py', oldStr: 'a\n', newStr: 'b\n', line: 1 }]);
  });

  it('turns a hunk with nothing to match (-U0 addition) into an insert at its new-side line', () => {
    const u0 = ['--- a/x.py', '+++ b/x.py', '@@ -1,0 +2 @@', '+ins', ''].join('\n');
    const [e] = patchToEdits(u0);
    expect(e).toEqual({ path: 'x.py', newStr: 'ins\n', insertLine: 1, line: 2 });
    expect(editCall(e!, '/testbed').args).toEqual({ command: 'insert', path: '/testbed/x.py', insert_line: '1', new_str: 'ins\n' });
  });

  it('notes renames, deletions and binary changes instead of making edits the editor cannot apply', () => {
    const patch = [
      'diff --git a/old.py b/new.py',
      'similarity index 90%',
      'rename from old.py',
      'rename to new.py',
      '--- a/old.py',
      '+++ b/new.py',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      'diff --git a/gone.py b/gone.py',
      'deleted file mode 100644',
      '--- a/gone.py',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-x',
      'diff --git a/img.png b/img.png',
      'Binary files a/img.png and b/img.png differ',
      '',
    ].join('\n');
    const r = patchToEditsWithNotes(patch);
    expect(r.edits).toEqual([]);
    expect(r.unsupported).toEqual(['rename of new.py', 'deletion of gone.py', 'binary change of img.png']);
  });
});

describe('disambiguateEdits', () => {
  it('widens an old_str that occurs twice around the occurrence at its hunk line, and applies edits in order', () => {
    const file = ['def a():', '    x = 1', '    return x', '', 'def b():', '    x = 1', '    return x', ''].join('\n');
    const edits = patchToEdits(['--- a/f.py', '+++ b/f.py', '@@ -6,2 +6,2 @@', '-    x = 1', '+    x = 2', '     return x', ''].join('\n'));
    expect(edits[0]!.oldStr).toBe('    x = 1\n    return x\n');
    const [e] = disambiguateEdits(edits, new Map([['f.py', file]]));
    // The file ends after the second function: only the line before could be added.
    expect(e!.oldStr).toBe('def b():\n    x = 1\n    return x\n');
    expect(e!.newStr).toBe('def b():\n    x = 2\n    return x\n');
    expect(file.split(e!.oldStr!).length - 1).toBe(1);
    // Unique edits and files not given pass through unchanged.
    const unique = { path: 'f.py', oldStr: 'def a():\n', newStr: 'def A():\n' };
    expect(disambiguateEdits([unique], new Map([['f.py', file]]))).toEqual([unique]);
    expect(disambiguateEdits(edits, new Map())).toEqual(edits);
  });
});

describe('hunkRanges', () => {
  it('gives the old-side lines each hunk covers, per file', () => {
    const patch = ['--- a/x.py', '+++ b/x.py', '@@ -10,3 +10,4 @@', ' a', '+b', ' c', ' d', '@@ -40 +41 @@', '-e', '+f', '--- /dev/null', '+++ b/new.py', '@@ -0,0 +1 @@', '+g', ''].join('\n');
    expect([...hunkRanges(patch)]).toEqual([['x.py', [[10, 12], [40, 40]]]]);
  });
});
