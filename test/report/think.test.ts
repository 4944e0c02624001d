import { describe, expect, it } from 'vitest';
import { analyseThoughts, classifyThought, extractThink } from '../../src/report/think.ts';

describe('extractThink', () => {
  it('takes the first think block, an unclosed one to the end, none as null', () => {
    expect(extractThink('<think> a plan </think><function=bash>')).toBe('a plan');
    expect(extractThink('<think>cut off')).toBe('cut off');
    expect(extractThink('<function=bash>ls</function>')).toBeNull();
  });
});

describe('classifyThought', () => {
  it('finds each pattern by its keywords, on whole words, any case', () => {
    expect(classifyThought('First I will look at parser.py, then fix it.')).toEqual({ plan: true, revise: false, verify: false });
    expect(classifyThought('Wait, actually the bug is in config.py.')).toEqual({ plan: false, revise: true, verify: false });
    expect(classifyThought('Run the tests to CONFIRM the fix.')).toEqual({ plan: false, revise: false, verify: true });
    expect(classifyThought('The thenar muscle; a checklist-free waiter.')).toEqual({ plan: false, revise: false, verify: false });
  });
});

describe('analyseThoughts', () => {
  it('counts shares over replies with reasoning; empty and null ones are replies without', () => {
    const s = analyseThoughts(['First, check the file.', 'Hmm, instead edit b.', null, '  ']);
    expect(s.replies).toBe(4);
    expect(s.withThought).toBe(2);
    expect(s.lengths).toEqual([22, 20]);
    expect(s.meanLength).toBe(21);
    expect(s.share).toEqual({ plan: 0.5, revise: 0.5, verify: 0.5 });
  });
  it('has no shares when nothing has reasoning', () => {
    expect(analyseThoughts([]).share).toEqual({ plan: null, revise: null, verify: null });
    expect(analyseThoughts([null]).meanLength).toBeNull();
  });
});
