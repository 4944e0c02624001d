import { describe, expect, it } from 'vitest';
import {
  applyLineEdit,
  centreFor,
  constrainLine,
  newLintErrors,
  parseEditBlock,
  parseLint,
  renderRefusedEdit,
  renderWindow,
  splitLines,
} from '../../src/tools/window.ts';

const file = (n: number) => Array.from({ length: n }, (_, i) => `l${i + 1}`);

describe('window arithmetic (as in pytest-11143 run by SWE-agent)', () => {
  it('goto 745 in a 1171-line file shows 730..829 with 729 above and 342 below', () => {
    const lines = file(1171);
    const line = constrainLine(centreFor(745, 100), { total: 1171, window: 100 });
    const out = renderWindow({ path: '/r/x.py', lines, line, window: 100 }).split('\n');
    expect(out[0]).toBe('[File: /r/x.py (1171 lines total)]');
    expect(out[1]).toBe('(729 more lines above)');
    expect(out[2]).toBe('730:l730');
    expect(out[101]).toBe('829:l829');
    expect(out[102]).toBe('(342 more lines below)');
  });

  it('open without a line starts at the top; a short file shows whole, without counts', () => {
    const out = renderWindow({ path: '/a', lines: file(3), line: constrainLine(50, { total: 3, window: 100 }), window: 100 });
    expect(out).toBe('[File: /a (3 lines total)]\n1:l1\n2:l2\n3:l3\n');
    const top = renderWindow({ path: '/a', lines: file(300), line: constrainLine(50, { total: 300, window: 100 }), window: 100 });
    expect(top.split('\n').slice(1, 2)).toEqual(['1:l1']);
    expect(top).toContain('(200 more lines below)');
    expect(renderWindow({ path: '/n', lines: [''], line: 50, window: 100 })).toBe('[File: /n (1 lines total)]\n1:\n');
  });

  it('keeps the window inside the file at its end', () => {
    const line = constrainLine(centreFor(290, 100), { total: 300, window: 100 });
    expect(line).toBe(250);
    const out = renderWindow({ path: '/a', lines: file(300), line, window: 100 });
    expect(out).toContain('(200 more lines above)\n201:l201');
    expect(out.endsWith('300:l300\n')).toBe(true);
  });

  it('counts lines as awk does', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['']);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
  });
});

describe('edit L:M', () => {
  it('parses the block and replaces the range, ending the file with a newline', () => {
    const b = parseEditBlock('edit 2:3\n  x\ny\nend_of_edit')!;
    expect(b).toEqual({ range: '2:3', replacement: ['  x', 'y'] });
    expect(applyLineEdit('a\nb\nc\nd', { start: 2, end: 3, replacement: b.replacement })).toBe('a\n  x\ny\nd\n');
    expect(applyLineEdit('a\nb\n', { start: 1, end: 2, replacement: [] })).toBe('\n');
    expect(applyLineEdit('a\nb\n', { start: 3, end: 3, replacement: ['c'] })).toBe('a\nb\nc\n');
    expect(parseEditBlock('edit 1:1\nend_of_edit')).toEqual({ range: '1:1', replacement: [] });
    expect(parseEditBlock('ls -la')).toBeUndefined();
  });

  it('reports only lint errors the edit introduced, shifted past the edit', () => {
    const before = parseLint('/f.py:10:1: F821 undefined name x\n/f.py:2:1: E111 indentation\n');
    const after = parseLint('/f.py:12:1: F821 undefined name x\n/f.py:4:5: E999 IndentationError: unexpected unindent\n');
    expect(newLintErrors({ before, after, start: 2, end: 3, newLines: 4 })).toBe('- E999 IndentationError: unexpected unindent');
    expect(newLintErrors({ before: after, after, start: 100, end: 100, newLines: 1 })).toBe('');
  });

  it('renders a refused edit as SWE-agent did for pytest-11143 (745:746 -> 5 lines)', () => {
    const original = file(1171);
    const edited = [...original.slice(0, 744), 'a', 'b', 'c', 'd', 'e', ...original.slice(746)];
    const out = renderRefusedEdit({ path: '/r/x.py', errors: '- E999 IndentationError: unexpected unindent', edited, original, start: 745, end: 746, newLines: 5 });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Your proposed edit has introduced new syntax error\(s\)/);
    expect(lines[3]).toBe('- E999 IndentationError: unexpected unindent');
    expect(lines.slice(7, 10)).toEqual(['[File: /r/x.py (1174 lines total)]', '(738 more lines above)', '739:l739']);
    expect(out).toContain('753:l750\n(421 more lines below)\n---');
    expect(out).toContain('[File: /r/x.py (1171 lines total)]\n(739 more lines above)\n740:l740');
    expect(out).toContain('751:l751\n(420 more lines below)\n---');
    expect(out.trimEnd().endsWith('Running it again will lead to the same error.')).toBe(true);
  });
});
