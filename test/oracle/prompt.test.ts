import { describe, expect, it } from 'vitest';
import { cutFile, oraclePrompt, oracleUserMessage } from '../../src/oracle/prompt.ts';
import { parseEditsResponse } from '../../src/oracle/response.ts';

describe('oracle prompt', () => {
  it('shows the issue and each file whole when they fit', () => {
    const msg = oracleUserMessage({ issue: 'Sum is wrong.', files: [{ path: 'pkg/m.py', content: 'def f(a, b):\n    return a - b\n' }] });
    expect(msg).toContain('<issue>\nSum is wrong.\n</issue>');
    expect(msg).toContain('[start of /testbed/pkg/m.py]\ndef f(a, b):\n    return a - b\n[end of /testbed/pkg/m.py]');
  });

  it('cuts the largest files until all fit the budget, keeping head and tail', () => {
    const big = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const msg = oracleUserMessage({
      issue: 'x',
      files: [
        { path: 'big.py', content: big },
        { path: 'small.py', content: 'tiny = 1\n' },
      ],
      opts: { maxFilesChars: 4000 },
    });
    expect(msg).toContain('line 0\n');
    expect(msg).toContain('line 1999');
    expect(msg).toMatch(/characters cut/);
    expect(msg).toContain('tiny = 1');
    expect(msg.length).toBeLessThan(4600);
  });

  it("the system prompt's example response is itself a valid edits response", () => {
    const system = oraclePrompt({ issue: 'x', files: [] })[0]!.content;
    const example = system.slice(system.indexOf('<think>\n'), system.indexOf('\n\nOnly the'));
    const r = parseEditsResponse(example);
    expect(r.ok && r.calls.length).toBe(2);
  });
});

describe('cutFile', () => {
  const lines = Array.from({ length: 3000 }, (_, i) => `line ${i + 1}`);
  const content = lines.join('\n');

  it('keeps the head and the widest window around the focus that fits', () => {
    const text = cutFile({ path: 'f.py', content, focus: [[1500, 1502]] }, 3000);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toContain('line 1\n');
    expect(text).toContain('line 20\n[... ');
    expect(text).toContain('line 1500\nline 1501\nline 1502\n');
    const kept = text.split('\n').filter((l) => l.startsWith('line ')).map((l) => Number(l.slice(5)));
    const around = kept.filter((n) => n > 20);
    // Symmetric window, as wide as the budget allows.
    expect(1500 - around[0]!).toBe(around[around.length - 1]! - 1502);
    expect(around.length).toBeGreaterThan(150);
    expect(text).toMatch(/\[\.\.\. \d+ lines cut \.\.\.\]$/);
  });

  it('falls back to head and tail without focus, and leaves a fitting file alone', () => {
    expect(cutFile({ path: 'f.py', content }, 3000)).toMatch(/^line 1\n[\s\S]*characters cut[\s\S]*line 3000$/);
    expect(cutFile({ path: 'f.py', content: 'x = 1\n', focus: [[1, 1]] }, 3000)).toBe('x = 1\n');
  });
});
