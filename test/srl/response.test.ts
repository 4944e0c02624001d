import { describe, expect, it } from 'vitest';
import { parseResponse, RESPONSE_ERROR_REASONS } from '../../src/srl/response.ts';

const CALL = '<function=bash>\n<parameter=command>grep -rn "def foo" /testbed/src</parameter>\n</function>';

const reason = (text: string): string => {
  const r = parseResponse(text);
  return r.ok ? 'ok' : r.reason;
};

describe('parseResponse', () => {
  it('splits a valid response into thinking, call and the call text as written', () => {
    const r = parseResponse(`\n  <think>\nLook for foo. <function=x> is just text here.\n</think>\n${CALL}\n\n`);
    expect(r).toEqual({
      ok: true,
      thinking: '\nLook for foo. <function=x> is just text here.\n',
      call: { tool: 'bash', args: { command: 'grep -rn "def foo" /testbed/src' } },
      actionText: CALL,
    });
  });

  it('accepts an empty thought and no whitespace between the parts', () => {
    expect(parseResponse(`<think></think>${CALL}`)).toMatchObject({ ok: true, thinking: '' });
  });

  it('gives a reason code for every malformed response', () => {
    expect(reason('')).toBe('empty_response');
    expect(reason(' \n\t')).toBe('empty_response');
    expect(reason(CALL)).toBe('missing_think');
    expect(reason(`I think so.<think>x</think>${CALL}`)).toBe('missing_think');
    expect(reason(`</think>${CALL}`)).toBe('missing_think');
    expect(reason(`<think>never closed ${CALL}`)).toBe('unclosed_think');
    expect(reason(`<think>a</think><think>b</think>${CALL}`)).toBe('multiple_think');
    expect(reason('<think>a</think>')).toBe('no_call');
    expect(reason('<think>a</think>\nls -la')).toBe('no_call');
    expect(reason(`<think>a</think>Let me look.\n${CALL}`)).toBe('text_before_call');
    expect(reason(`<think>a</think>${CALL}\nDone.`)).toBe('extra_text');
    expect(reason(`<think>a</think>${CALL}</think>`)).toBe('extra_text');
    expect(reason(`<think>a</think>${CALL}\n${CALL}`)).toBe('multiple_calls');
    expect(reason('<think>a</think><function=bash>\n<parameter=command>ls')).toBe('unclosed_tag');
    expect(reason('<think>a</think><function=bash>\n<parameter=command>ls</parameter>\n')).toBe('unclosed_tag');
    expect(reason('<think>a</think><function=bash>ls</function>')).toBe('malformed_call');
    expect(reason('<think>a</think><function=python><parameter=code>1</parameter></function>')).toBe('unknown_tool');
    expect(reason('<think>a</think><function=bash><parameter=cmd>ls</parameter></function>')).toBe('unknown_parameter');
    expect(reason('<think>a</think><function=bash></function>')).toBe('missing_parameter');
    expect(
      reason('<think>a</think><function=str_replace_editor><parameter=command>move</parameter><parameter=path>/a</parameter></function>'),
    ).toBe('invalid_value');
  });

  it('reports a detail for a failure and only declared reason codes', () => {
    const r = parseResponse('<think>a</think><function=bash><parameter=cmd>ls</parameter></function>');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.detail).toContain('cmd');
    expect(RESPONSE_ERROR_REASONS).toContain(r.reason);
  });
});
