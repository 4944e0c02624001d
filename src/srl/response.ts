// Parses a policy response: `<think>...</think>` followed by exactly one XML function call, nothing else.
//
// Grammar (anything else is a format error with a reason code):
//   response := ws* "<think>" thinking "</think>" ws* call ws*
// where thinking runs to the first `</think>` (it may mention tags freely) and call is one
// `<function=NAME>...</function>` of a known tool with valid parameters (see action-xml.ts).
import type { ToolCall } from '../trajectories/types.ts';
import { parseCall, type CallErrorReason } from './action-xml.ts';

export type ResponseErrorReason =
  | 'empty_response'
  | 'missing_think'
  | 'unclosed_think'
  | 'multiple_think'
  | CallErrorReason;

/** Every reason code a response can fail with, for reports that list counts per reason. */
export const RESPONSE_ERROR_REASONS: readonly ResponseErrorReason[] = [
  'empty_response',
  'missing_think',
  'unclosed_think',
  'multiple_think',
  'no_call',
  'text_before_call',
  'unclosed_tag',
  'malformed_call',
  'unknown_tool',
  'unknown_parameter',
  'duplicate_parameter',
  'missing_parameter',
  'invalid_value',
  'multiple_calls',
  'extra_text',
];

export interface ParsedResponse {
  ok: true;
  /** The text between <think> and </think>, verbatim. */
  thinking: string;
  call: ToolCall;
  /** The call exactly as written in the response, `<function=` to `</function>`. */
  actionText: string;
}

export interface ResponseFormatError {
  ok: false;
  reason: ResponseErrorReason;
  detail: string;
}

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';

/** Parses one policy response into its thinking and its single tool call, or says why it is malformed. */
export function parseResponse(response: string): ParsedResponse | ResponseFormatError {
  const body = response.trimStart();
  if (body === '') return fail('empty_response', 'the response is empty or whitespace only');
  if (!body.startsWith(THINK_OPEN)) {
    const where = body.indexOf(THINK_OPEN);
    const detail =
      where < 0 ? `the response does not start with ${THINK_OPEN}` : `text before ${THINK_OPEN}: ${preview(body.slice(0, where))}`;
    return fail('missing_think', detail);
  }
  const close = body.indexOf(THINK_CLOSE, THINK_OPEN.length);
  if (close < 0) return fail('unclosed_think', `${THINK_OPEN} is not closed by ${THINK_CLOSE}`);
  const thinking = body.slice(THINK_OPEN.length, close);
  const rest = body.slice(close + THINK_CLOSE.length);
  if (rest.trimStart().startsWith(THINK_OPEN)) return fail('multiple_think', `a second ${THINK_OPEN} block follows the first`);
  const parsed = parseCall(rest);
  if (!parsed.ok) return parsed;
  return { ok: true, thinking, call: parsed.call, actionText: rest.slice(parsed.start, parsed.end) };
}

function fail(reason: ResponseErrorReason, detail: string): ResponseFormatError {
  return { ok: false, reason, detail };
}

function preview(s: string): string {
  const one = JSON.stringify(s);
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
