import { describe, expect, it } from 'vitest';
import { cutNote, truncateMiddle } from '../../src/srl/truncate.ts';

describe('truncateMiddle', () => {
  it('returns text that fits unchanged', () => {
    expect(truncateMiddle('abc', 3)).toEqual({ text: 'abc', cut: 0 });
  });
  it('keeps head and tail within the budget and says exactly how much was cut', () => {
    const text = 'H'.repeat(500) + 'M'.repeat(5000) + 'T'.repeat(500);
    const r = truncateMiddle(text, 1000);
    expect(r.text.length).toBeLessThanOrEqual(1000);
    expect(r.text.startsWith('H'.repeat(400))).toBe(true);
    expect(r.text.endsWith('T'.repeat(400))).toBe(true);
    expect(r.text).toContain(cutNote(r.cut).trim());
    const kept = r.text.replace(cutNote(r.cut), '');
    expect(kept.length + r.cut).toBe(text.length);
  });
  it('snaps cuts to line breaks so no line is split', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(20)}`);
    const r = truncateMiddle(lines.join('\n'), 800);
    const [head, tail] = r.text.split(/\n\[\.\.\. \d+ characters cut \.\.\.\]\n/);
    for (const l of [...head!.split('\n'), ...tail!.split('\n')]) expect(lines).toContain(l);
    expect(r.text.length).toBeLessThanOrEqual(800);
  });
  it('never keeps half of a surrogate pair', () => {
    const text = '😀'.repeat(1000);
    const r = truncateMiddle(text, 301);
    expect(r.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(r.text).not.toMatch(/(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
