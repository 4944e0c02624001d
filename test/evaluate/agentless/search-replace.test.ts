import { describe, expect, it } from 'vitest';
import {
  applySearchReplace,
  normalizeEditPath,
  parseSearchReplaceBlocks,
  parseSolutionResponse,
  patchEditToSearchReplace,
  renderSolution,
} from '../../../src/evaluate/agentless/search-replace.ts';
import { patchToEdits } from '../../../src/oracle/patch-edits.ts';

const block = (path: string, search: string, replace: string) =>
  ['```python', `### ${path}`, '<<<<<<< SEARCH', search, '=======', replace, '>>>>>>> REPLACE', '```'].join('\n');

describe('parseSolutionResponse', () => {
  it('reads the thinking and the edits of every block, fenced or not', () => {
    const r = parseSolutionResponse(
      `<think>\nwhy\n</think>\n<solution>\n${block('a.py', 'x = 1', 'x = 2')}\nthen\n### /testbed/b.py\n<<<<<<< SEARCH\n=======\nnew\n>>>>>>> REPLACE\n</solution>`,
    );
    expect(r).toEqual({
      ok: true,
      thinking: 'why',
      edits: [
        { path: 'a.py', search: 'x = 1\n', replace: 'x = 2\n' },
        { path: 'b.py', search: '', replace: 'new\n' },
      ],
    });
  });

  it('says why a reply is malformed', () => {
    expect(parseSolutionResponse('<solution></solution>')).toMatchObject({ ok: false, reason: 'missing_think' });
    expect(parseSolutionResponse('<think>x</think> nothing')).toMatchObject({ ok: false, reason: 'missing_solution' });
    expect(parseSolutionResponse('<think>x</think><solution>prose</solution>')).toMatchObject({ ok: false, reason: 'no_edits' });
    const headless = '<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE';
    expect(parseSolutionResponse(`<think>x</think><solution>\n${headless}\n</solution>`)).toMatchObject({ ok: false, reason: 'malformed_block' });
    const unended = '### a.py\n<<<<<<< SEARCH\na\n=======\nb\n';
    expect(parseSolutionResponse(`<think>x</think><solution>\n${unended}</solution>`)).toMatchObject({ ok: false, reason: 'malformed_block' });
    const two = `${block('a.py', 'a', 'b')}\n${block('a.py', 'c', 'd')}`;
    expect(parseSolutionResponse(`<think>x</think><solution>\n${two}\n</solution>`, { maxEdits: 1 })).toMatchObject({ ok: false, reason: 'too_many_edits' });
  });

  it('needs a path header right before each block', () => {
    expect(parseSearchReplaceBlocks('### a.py\nsome prose\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE')).toMatchObject({ ok: false, reason: 'malformed_block' });
  });

  it('normalizes paths', () => {
    expect(['/testbed/src/a.py', './src/a.py', '`src/a.py`', 'src/a.py'].map(normalizeEditPath)).toEqual(Array(4).fill('src/a.py'));
  });
});

describe('applySearchReplace', () => {
  const files = new Map([
    ['m.py', 'def f():\n    return 1\n\ndef g():\n    return 1\n'],
    ['n.py', 'a\nb'],
  ]);

  it('replaces whole lines, first occurrence, in order, and records what did not apply', () => {
    const r = applySearchReplace(files, [
      { path: 'm.py', search: '    return 1\n', replace: '    return 2\n' },
      { path: 'm.py', search: 'def g():\n    return 1\n', replace: '' },
      { path: 'm.py', search: 'return 2\n', replace: 'x\n' },
      { path: 'gone.py', search: 'a\n', replace: 'b\n' },
      { path: 'm.py', search: 'a\n', replace: 'a\n' },
    ]);
    expect(r.files.get('m.py')).toBe('def f():\n    return 2\n\n');
    expect(r.applied).toBe(2);
    expect(r.ambiguous).toEqual([1]);
    expect(r.failures).toEqual([
      { edit: 3, path: 'm.py', reason: 'not_found' },
      { edit: 4, path: 'gone.py', reason: 'no_file' },
      { edit: 5, path: 'm.py', reason: 'identical' },
    ]);
  });

  it('creates files from an empty SEARCH and keeps a missing last newline', () => {
    const r = applySearchReplace(files, [
      { path: 'new.py', search: '', replace: 'x = 1\n' },
      { path: 'n.py', search: 'b\n', replace: 'c\n' },
      { path: 'm.py', search: '', replace: 'y\n' },
    ]);
    expect(r.files.get('new.py')).toBe('x = 1\n');
    expect(r.files.get('n.py')).toBe('a\nc');
    expect(r.failures).toEqual([{ edit: 3, path: 'm.py', reason: 'not_found' }]);
  });

  it('round-trips a patch: render, parse, apply', () => {
    const patch = [
      'diff --git a/m.py b/m.py',
      '--- a/m.py',
      '+++ b/m.py',
      '@@ -1,3 +1,4 @@',
      ' def f():',
      '-    return 1',
      '+    x = 2',
      '+',
      '+    return x',
      ' ',
      'diff --git a/new.py b/new.py',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.py',
      '@@ -0,0 +1 @@',
      '+z = 3',
      '',
    ].join('\n');
    const edits = patchToEdits(patch).map((e) => patchEditToSearchReplace(e)!);
    const parsed = parseSolutionResponse(renderSolution('gold', edits));
    expect(parsed.ok && parsed.edits).toEqual(edits);
    const r = applySearchReplace(files, edits);
    expect(r.failures).toEqual([]);
    expect(r.files.get('m.py')).toBe('def f():\n    x = 2\n\n    return x\n\ndef g():\n    return 1\n');
    expect(r.files.get('new.py')).toBe('z = 3\n');
  });
});
