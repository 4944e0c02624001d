import { describe, expect, it } from 'vitest';
import { OutputCap } from '../../src/sandbox/output-cap.ts';

describe('OutputCap', () => {
  it('keeps everything under the budget', () => {
    const c = new OutputCap(100);
    c.push(Buffer.from('hello '));
    c.push(Buffer.from('world'));
    expect(c.text()).toBe('hello world');
    expect(c.truncated).toBe(false);
    expect(c.total).toBe(11);
  });

  it('keeps head and tail and says how much was cut', () => {
    const c = new OutputCap(10);
    for (let i = 0; i < 100; i++) c.push(Buffer.from(String(i % 10)));
    expect(c.truncated).toBe(true);
    expect(c.total).toBe(100);
    expect(c.text()).toBe('01234\n[... 90 bytes of output cut ...]\n56789');
  });

  it('handles one chunk larger than the whole budget', () => {
    const c = new OutputCap(8);
    c.push(Buffer.from('abcdefghijklmnopqrstuvwxyz'));
    expect(c.text()).toBe('abcd\n[... 18 bytes of output cut ...]\nwxyz');
  });

  it('handles a budget reached exactly', () => {
    const c = new OutputCap(6);
    c.push(Buffer.from('abc'));
    c.push(Buffer.from('def'));
    expect(c.truncated).toBe(false);
    expect(c.text()).toBe('abcdef');
  });

  it('keeps the tail right across many small chunks after a large one', () => {
    const c = new OutputCap(6);
    c.push(Buffer.from('xxxxxxxxxx'));
    c.push(Buffer.from('1'));
    c.push(Buffer.from('2'));
    expect(c.text().endsWith('\nx12')).toBe(true);
  });
});
