// SWE-agent 1.x's `edit SEARCH REPLACE [REPLACE_ALL]` and `insert TEXT [LINE]`: parsing from the command text,
// the search/replace in the lines on screen, insertion, where the window goes, and the messages.
import { describe, expect, it } from 'vitest';
import { centreForTop, insertText, MSG, renderAt, renderRefusedReplace, replaceInView, shownRange, topFor } from '../../src/tools/window-replace.ts';
import { parseWindowed } from '../../src/tools/windowed.ts';
import { createToolContext } from '../../src/tools/context.ts';
import { runToolCall } from '../../src/tools/registry.ts';
import { FileSandbox } from '../../src/testing/file-sandbox.ts';

const numbered = (n: number) => `${Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n')}\n`;

describe('parseWindowed: the 1.x edit and insert forms', () => {
  it('reads quoted, multi-line arguments, and keeps the 0.x edit block apart', () => {
    expect(parseWindowed("edit 'return a' 'return b'")).toEqual({ name: 'edit', args: ['return a', 'return b'] });
    expect(parseWindowed("edit 'x = 1\n    y = 2' 'x = 3' True")).toEqual({ name: 'edit', args: ['x = 1\n    y = 2', 'x = 3', 'True'] });
    expect(parseWindowed("insert 'import os\nimport sys' 3")).toEqual({ name: 'insert', args: ['import os\nimport sys', '3'] });
    expect(parseWindowed('insert "a = 1"')).toEqual({ name: 'insert', args: ['a = 1'] });
    expect(parseWindowed('edit 1:2\nfoo\nend_of_edit')).toEqual({ name: 'edit', args: [] });
    // Not a simple command: left to bash.
    expect(parseWindowed("insert 'x' | cat")).toBeUndefined();
    expect(parseWindowed('inserter x')).toBeUndefined();
  });
});

describe('replaceInView', () => {
  const text = numbered(300);
  // Viewer centred so that lines 101..200 (1-based) are on screen.
  const line = centreForTop(100, { total: 300, window: 100 });

  it('replaces in the lines on screen and reports where', () => {
    expect(shownRange(300, { line, window: 100 })).toEqual({ first: 100, last: 200 });
    const r = replaceInView({ text, line, window: 100, search: 'line 150\n', replace: 'changed\nand more\n', all: false });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.line).toBe(150);
    expect([r.searchLines, r.replaceLines, r.replacements]).toEqual([2, 3, 1]);
    const lines = r.text.split('\n');
    expect(lines.slice(148, 152)).toEqual(['line 149', 'changed', 'and more', 'line 151']);
    expect(r.text.endsWith('line 300\n')).toBe(true);
    // Only the screen: "line 15" is on line 15 too, but the first match on screen is inside line 150.
    const s = replaceInView({ text, line, window: 100, search: 'line 199', replace: 'x', all: false });
    expect(s.ok && s.text.includes('\nx\n') && s.text.includes('line 19\n')).toBe(true);
  });

  it('refuses a search that is off screen, absent, ambiguous, empty or unchanged', () => {
    const off = replaceInView({ text, line, window: 100, search: 'line 42\n', replace: 'x', all: false });
    expect(off).toEqual({ ok: false, message: expect.stringContaining("Text 'line 42\\n' not found in displayed lines.\n\nHowever") });
    expect(!off.ok && off.message).toContain('- line 42\n');
    const none = replaceInView({ text, line, window: 100, search: 'nowhere', replace: 'x', all: false });
    expect(!none.ok && none.message).toContain('(or anywhere in the file)');
    const many = replaceInView({ text, line, window: 100, search: 'line 1', replace: 'x', all: false });
    expect(!many.ok && many.message).toContain('Found more than one occurrence');
    expect(replaceInView({ text, line, window: 100, search: '', replace: 'x', all: false })).toEqual({ ok: false, message: MSG.emptySearch });
    expect(replaceInView({ text, line, window: 100, search: 'a', replace: 'a', all: false })).toEqual({ ok: false, message: MSG.same });
  });

  it('replaces every occurrence in the file with the third argument', () => {
    const r = replaceInView({ text: 'a = f(x)\nb = f(x)\nc = 1\n', line: 50, window: 100, search: 'f(x)', replace: 'g(y)', all: true });
    expect(r).toMatchObject({ ok: true, text: 'a = g(y)\nb = g(y)\nc = 1\n', line: 1, replacements: 2 });
    expect(MSG.replacedAll(2)).toMatch(/^Replaced 2 occurrences\./);
  });

  it('a replacement keeps `$` patterns literal', () => {
    const r = replaceInView({ text: 'x = 1\n', line: 50, window: 100, search: '1', replace: "$& $' 2", all: false });
    expect(r.ok && r.text).toBe("x = $& $' 2\n");
  });
});

describe('insertText', () => {
  it('appends to the end by default, as the recorded SWE-agent run did on a new file', () => {
    // `create reproduce.py` writes one empty line; `insert` then appends after it.
    const r = insertText({ text: '\n', insert: 'from x import y\nprint(y)' });
    expect(r).toEqual({ text: '\nfrom x import y\nprint(y)', line: 1, added: 2 });
    const window = renderAt({ path: '/testbed/reproduce.py', text: r.text, first: Math.max(0, topFor(r.line, 100)), window: 100 });
    expect(window).toBe('[File: /testbed/reproduce.py (3 lines total)]\n1:\n2:from x import y\n3:print(y)\n');
  });

  it('inserts after line N, at the top for a negative line, and drops one trailing newline', () => {
    expect(insertText({ text: 'a\nb\nc\n', insert: 'X\n', line: 2 }).text).toBe('a\nb\nX\nc\n');
    expect(insertText({ text: 'a\nb\n', insert: 'X', line: 0 }).text).toBe('X\na\nb\n');
    expect(insertText({ text: 'a\nb\n', insert: 'X', line: -1 }).text).toBe('X\na\nb\n');
    expect(insertText({ text: '', insert: 'X' }).text).toBe('X');
    expect(insertText({ text: 'a\n', insert: '' })).toEqual({ text: 'a\n', line: 1, added: 0 });
  });
});

describe('the window after a change', () => {
  it('puts the changed line a sixth of the window below the top, as the recorded run shows', () => {
    // Recorded: a replacement at line 1475 of a 1998-line file showed lines 1459.. with "(1458 more lines above)".
    const text = numbered(1998);
    const out = renderAt({ path: 'f.py', text, first: topFor(1475, 100), window: 100 });
    expect(out.split('\n').slice(0, 3)).toEqual(['[File: f.py (1998 lines total)]', '(1458 more lines above)', '1459:line 1459']);
    // Near the end the window stops at the last line.
    const end = renderAt({ path: 'f.py', text, first: topFor(1990, 100), window: 100 });
    expect(end).toContain('1998:line 1998\n');
    expect(end).not.toContain('more lines below');
  });

  it('a refused change shows the change as applied and the original', () => {
    const out = renderRefusedReplace({ errors: '- E999 IndentationError: unexpected indent', applied: '[File: f]\n1:x\n', original: '[File: f]\n1:y\n' });
    expect(out).toMatch(/^Your proposed edit has introduced new syntax error\(s\)/);
    expect(out).toContain('ERRORS:\n\n- E999 IndentationError: unexpected indent\nThis is how your edit would have looked if applied\n' + '-'.repeat(48) + '\n[File: f]\n1:x\n');
    expect(out).toContain('Your changes have NOT been applied.');
  });
});

describe('through the bash tool (parseWindowed, then the command)', () => {
  const setup = (text: string) => {
    const sandbox = new FileSandbox({ '/testbed/m.txt': text });
    const ctx = createToolContext({ sandbox });
    ctx.window.file = '/testbed/m.txt';
    ctx.window.line = centreForTop(0, { total: text.split('\n').length, window: 100 });
    return { sandbox, ctx };
  };

  it('edit SEARCH REPLACE changes the file and prints the message and the window', async () => {
    const { sandbox, ctx } = setup('def f():\n    return 1\n');
    const r = await runToolCall(ctx, { tool: 'bash', args: { command: "edit 'return 1' 'return 2'" } });
    expect(sandbox.files.get('/testbed/m.txt')).toBe('def f():\n    return 2\n');
    expect(r.output).toBe(`${MSG.replaced}[File: /testbed/m.txt (2 lines total)]\n1:def f():\n2:    return 2\n`);
    const again = await runToolCall(ctx, { tool: 'bash', args: { command: "edit 'return 1' 'return 3'" } });
    expect(again.output).toContain('(or anywhere in the file)');
    expect(sandbox.files.get('/testbed/m.txt')).toBe('def f():\n    return 2\n');
  });

  it('edit with a third argument replaces all; insert adds lines; both need an open file', async () => {
    const { sandbox, ctx } = setup('a\nb\na\n');
    const r = await runToolCall(ctx, { tool: 'bash', args: { command: "edit 'a' 'z' True" } });
    expect(sandbox.files.get('/testbed/m.txt')).toBe('z\nb\nz\n');
    expect(r.output.startsWith(MSG.replacedAll(2))).toBe(true);
    const ins = await runToolCall(ctx, { tool: 'bash', args: { command: "insert 'y1\ny2' 1" } });
    expect(sandbox.files.get('/testbed/m.txt')).toBe('z\ny1\ny2\nb\nz\n');
    expect(ins.output).toBe('[File: /testbed/m.txt (5 lines total)]\n1:z\n2:y1\n3:y2\n4:b\n5:z\n');
    const bad = await runToolCall(ctx, { tool: 'bash', args: { command: "insert 'x' one" } });
    expect(bad.output).toContain('<line> must be a number');
    ctx.window.file = undefined;
    expect((await runToolCall(ctx, { tool: 'bash', args: { command: "edit 'a' 'b'" } })).output).toBe(MSG.noFile);
    expect((await runToolCall(ctx, { tool: 'bash', args: { command: "insert 'a'" } })).output).toBe(MSG.insertNoFile);
  });
});
