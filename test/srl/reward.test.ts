import { describe, expect, it } from 'vitest';
import { renderCall } from '../../src/srl/action-xml.ts';
import { FORMAT_ERROR_REWARD, scoreResponse, similarity } from '../../src/srl/reward.ts';

const expert = renderCall({ tool: 'bash', args: { command: 'grep -rn "def foo" /testbed/src' } });

describe('scoreResponse', () => {
  it('gives 1.0 to the expert call whatever the thinking, parameter order or tag spacing', () => {
    const a = scoreResponse(`<think>Search.</think>\n${expert}`, expert);
    expect(a).toEqual({ reward: 1, status: 'ok', action: expert });
    const editor = renderCall({ tool: 'str_replace_editor', args: { command: 'view', path: '/testbed/a.py' } });
    const reordered = '<think>something else entirely</think><function=str_replace_editor><parameter=path>/testbed/a.py</parameter>' +
      '<parameter=command>view</parameter></function>';
    expect(scoreResponse(reordered, editor).reward).toBe(1);
  });

  it('scores the canonical action against the expert with SequenceMatcher ratio', () => {
    const response = '<think>x</think><function=bash><parameter=command>grep -rn "def bar" /testbed</parameter></function>';
    const r = scoreResponse(response, expert);
    const predicted = renderCall({ tool: 'bash', args: { command: 'grep -rn "def bar" /testbed' } });
    expect(r.status).toBe('ok');
    expect(r.action).toBe(predicted);
    expect(r.reward).toBe(similarity(predicted, expert));
    expect(r.reward).toBeGreaterThan(0.8);
    expect(r.reward).toBeLessThan(1);
  });

  it('gives -1 and the reason code on a format error', () => {
    expect(scoreResponse(expert, expert)).toMatchObject({ reward: FORMAT_ERROR_REWARD, status: 'missing_think' });
    expect(scoreResponse('', expert)).toMatchObject({ reward: -1, status: 'empty_response' });
    expect(scoreResponse(`<think>a</think>${expert}\nthanks`, expert)).toMatchObject({ reward: -1, status: 'extra_text' });
  });

  it('never scores the thinking', () => {
    const wrong = '<function=submit>\n</function>';
    const low = scoreResponse(`<think>${expert}</think>${wrong}`, expert);
    const plain = scoreResponse(`<think></think>${wrong}`, expert);
    expect(low.reward).toBe(plain.reward);
  });

  it('defaults to autojunk=false and honours autojunk=true', () => {
    const long = renderCall({ tool: 'bash', args: { command: `${'ab'.repeat(150)}x` } });
    const response = `<think></think><function=bash><parameter=command>x${'ab'.repeat(150)}</parameter></function>`;
    const plain = scoreResponse(response, long);
    const junk = scoreResponse(response, long, { autojunk: true });
    expect(plain.reward).toBe(similarity(plain.action!, long, { autojunk: false }));
    expect(junk.reward).toBe(similarity(plain.action!, long, { autojunk: true }));
    // 'a' and 'b' are popular in the expert, so with autojunk the 300-character middle no longer matches.
    expect(plain.reward).toBeGreaterThan(0.9);
    expect(junk.reward).toBeLessThan(0.3);
  });
});

describe('similarity', () => {
  it('is difflib ratio with autojunk off by default', () => {
    expect(similarity('abcd', 'bcde')).toBe(0.75);
    expect(similarity('', '')).toBe(1);
    const b = `${'a'.repeat(300)}b`;
    expect(similarity(`b${'a'.repeat(300)}`, b)).toBe(0.9966777408637874);
    expect(similarity(`b${'a'.repeat(300)}`, b, { autojunk: true })).toBe(0.0033222591362126247);
  });
});
