import { describe, expect, it } from 'vitest';
import { oraclePrompt, oracleUserMessage } from '../../src/oracle/prompt.ts';
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
