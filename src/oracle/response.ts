// Parses an oracle response: `<think>...</think>` followed by one or more str_replace_editor edits (str_replace,
// insert or create), separated by whitespace only. This is the patch the policy proposes for the whole issue; the
// outcome reward applies it and runs the tests.
//
//   response := ws* "<think>" thinking "</think>" (ws* edit)+ ws*
import { readCallAt } from '../srl/action-xml.ts';
import { parseResponse, type ResponseErrorReason } from '../srl/response.ts';
import type { ToolCall } from '../trajectories/types.ts';

export const EDIT_COMMANDS = ['str_replace', 'insert', 'create'] as const;

export type EditsErrorReason = ResponseErrorReason | 'not_an_edit' | 'too_many_edits';

export interface ParsedEdits {
  ok: true;
  thinking: string;
  calls: ToolCall[];
}

export interface EditsFormatError {
  ok: false;
  reason: EditsErrorReason;
  detail: string;
}

const FN_OPEN = '<function=';

/** Parses a response into its edit calls (at most maxEdits), or says why it is malformed. */
export function parseEditsResponse(response: string, opts: { maxEdits?: number } = {}): ParsedEdits | EditsFormatError {
  const maxEdits = opts.maxEdits ?? 32;
  // The first call goes through the step parser, so that the think block is checked the same way.
  const body = response.trimStart();
  const thinkEnd = body.indexOf('</think>');
  const firstCall = thinkEnd < 0 ? -1 : body.indexOf(FN_OPEN, thinkEnd);
  const head = firstCall < 0 ? body : body.slice(0, nextCallEnd(body, firstCall));
  const first = parseResponse(head);
  if (!first.ok) return first;
  const calls: ToolCall[] = [];
  let at = firstCall;
  while (at < body.length) {
    const read = readCallAt(body, at);
    if (!read.ok) return read;
    const command = read.call.args.command;
    if (read.call.tool !== 'str_replace_editor' || !EDIT_COMMANDS.includes(command as (typeof EDIT_COMMANDS)[number])) {
      const what = read.call.tool === 'str_replace_editor' ? `str_replace_editor ${command}` : read.call.tool;
      return { ok: false, reason: 'not_an_edit', detail: `call ${calls.length + 1} is ${what}; only ${EDIT_COMMANDS.join(', ')} edits are allowed` };
    }
    calls.push(read.call);
    if (calls.length > maxEdits) return { ok: false, reason: 'too_many_edits', detail: `more than ${maxEdits} edits` };
    const rest = body.slice(read.end);
    const next = rest.trimStart();
    if (next === '') break;
    if (!next.startsWith(FN_OPEN)) {
      return { ok: false, reason: 'extra_text', detail: `text after edit ${calls.length}: ${JSON.stringify(next.slice(0, 40))}` };
    }
    at = read.end + (rest.length - next.length);
  }
  return { ok: true, thinking: first.thinking, calls };
}

// The end of the call starting at `start` (its closing tag), or the text's end when it has none.
function nextCallEnd(text: string, start: number): number {
  const r = readCallAt(text, start);
  return r.ok ? r.end : text.length;
}
