import { describe, expect, it } from 'vitest';
import { EditorError, expandTabs, insertText, makeOutput, parseViewRange, strReplace, viewFile } from '../../src/tools/editor-core.ts';

const text = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EditorError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('str_replace_editor (pure)', () => {
  it('numbers lines as cat -n and views ranges', () => {
    expect(makeOutput('a\n\tb', '/f')).toBe("Here's the result of running `cat -n` on /f:\n     1\ta\n     2\t        b\n");
    expect(viewFile({ content: text, path: '/f', range: [11, -1] })).toBe(
      "Here's the result of running `cat -n` on /f:\n    11\tline 11\n    12\tline 12\n    13\t\n",
    );
    expect(viewFile({ content: text, path: '/f', range: [2, 3] })).toContain('     2\tline 2\n     3\tline 3\n');
    expect(refusal(() => viewFile({ content: text, path: '/f', range: [0, 3] }))).toBe(
      'Invalid `view_range`: [0, 3]. Its first element `0` should be within the range of lines of the file: [1, 13]',
    );
    expect(refusal(() => viewFile({ content: text, path: '/f', range: [2, 99] }))).toContain('should be smaller than the number of lines in the file: `13`');
    expect(refusal(() => viewFile({ content: text, path: '/f', range: [5, 2] }))).toContain('should be larger or equal than its first `5`');
    expect(parseViewRange('[1, 20]')).toEqual([1, 20]);
    expect(parseViewRange(undefined)).toBeUndefined();
    expect(refusal(() => parseViewRange('[1]'))).toBe('Invalid `view_range`. It should be a list of two integers.');
  });

  it('replaces a unique match and shows the snippet around it', () => {
    const r = strReplace({ content: text, path: '/f', oldStr: 'line 7\n', newStr: 'seven\nand a half\n' });
    expect(r.content).toContain('line 6\nseven\nand a half\nline 8');
    expect(r.message).toBe(
      "The file /f has been edited. Here's the result of running `cat -n` on a snippet of /f:\n" +
        ['     3\tline 3', '     4\tline 4', '     5\tline 5', '     6\tline 6', '     7\tseven', '     8\tand a half', '     9\tline 8', '    10\tline 9', '    11\tline 10', '    12\tline 11', '    13\tline 12'].join('\n') +
        '\nReview the changes and make sure they are as expected. Edit the file again if necessary.',
    );
  });

  it('refuses zero or several matches with SWE-agent messages', () => {
    expect(refusal(() => strReplace({ content: text, path: '/f', oldStr: 'nope' }))).toBe(
      'No replacement was performed, old_str `nope` did not appear verbatim in /f.',
    );
    expect(refusal(() => strReplace({ content: text, path: '/f', oldStr: 'line 1' }))).toBe(
      'No replacement was performed. Multiple occurrences of old_str `line 1` in lines [1, 10, 11, 12]. Please ensure it is unique',
    );
  });

  it('inserts after a line, checks the line number', () => {
    const r = insertText({ content: 'a\nb\nc', path: '/f', line: 1, newStr: 'X' });
    expect(r.content).toBe('a\nX\nb\nc');
    expect(r.message).toContain("on a snippet of the edited file:\n     1\ta\n     2\tX\n     3\tb\n     4\tc\n");
    expect(refusal(() => insertText({ content: 'a\nb', path: '/f', line: 5, newStr: 'X' }))).toBe(
      'Invalid `insert_line` parameter: 5. It should be within the range of lines of the file: [0, 2]',
    );
  });

  it('expands tabs as Python does', () => {
    expect(expandTabs('a\tb\n\tc')).toBe('a       b\n        c');
    expect(expandTabs('abcdefgh\tx')).toBe('abcdefgh        x');
  });
});
