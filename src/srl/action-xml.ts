// The action format: SWE-agent XML function calls (as in SWE-smith's data, which the SRL paper trained on).
//
//   <function=bash>
//   <parameter=command>grep -rn "def foo" /testbed/src</parameter>
//   </function>
//
// Parameter values are kept verbatim (SWE-agent strips them when it executes a call; we keep the text the model
// wrote so that the canonical rendering of a parsed call reproduces it and the reward sees what was written).
// A value runs to the first `</parameter>`, so a value that itself contains `</parameter>` cannot be expressed;
// renderCall refuses such a value rather than emit text that would parse differently.
import type { ToolCall, ToolName } from '../trajectories/types.ts';
import { SweSrlError } from '../util/errors.ts';
import type { ErrorCode } from '../util/error-codes.ts';

export interface ToolParameterSpec {
  name: string;
  /** The type the tool gives the value; on the wire every value is a string. */
  type: 'string' | 'integer' | 'array';
  /** Required for every call of the tool (command-dependent requirements are in requiredByCommand). */
  required: boolean;
  description: string;
  /** Allowed values, when closed. */
  enum?: readonly string[];
}

export interface ToolSpec {
  name: ToolName;
  description: string;
  /** In canonical rendering order. */
  parameters: readonly ToolParameterSpec[];
  /** Extra required parameters keyed by the value of the `command` parameter (str_replace_editor). */
  requiredByCommand?: Readonly<Record<string, readonly string[]>>;
}

export const EDITOR_COMMANDS = ['view', 'create', 'str_replace', 'insert', 'undo_edit'] as const;

/** The tools a policy may call, with their parameters in canonical order; also the source of the prompt's tool docs. */
export const TOOLS: readonly ToolSpec[] = [
  {
    name: 'bash',
    description: 'Execute a bash command in the terminal (repository at /testbed).',
    parameters: [{ name: 'command', type: 'string', required: true, description: 'The bash command to execute.' }],
  },
  {
    name: 'str_replace_editor',
    description:
      'View, create and edit files. `view` shows a file with line numbers (`cat -n`) or lists a directory; ' +
      '`create` writes a new file; `str_replace` replaces one exact, unique occurrence of `old_str`; ' +
      '`insert` inserts `new_str` after line `insert_line`; `undo_edit` reverts the last edit of `path`.',
    parameters: [
      {
        name: 'command',
        type: 'string',
        required: true,
        description: 'One of `view`, `create`, `str_replace`, `insert`, `undo_edit`.',
        enum: EDITOR_COMMANDS,
      },
      { name: 'path', type: 'string', required: true, description: 'Absolute path to a file or directory.' },
      { name: 'file_text', type: 'string', required: false, description: 'The content of the file to create.' },
      { name: 'old_str', type: 'string', required: false, description: 'The exact text to replace; it must occur once in the file.' },
      {
        name: 'new_str',
        type: 'string',
        required: false,
        description: 'The text that replaces `old_str` (nothing when absent), or the text to insert.',
      },
      { name: 'insert_line', type: 'integer', required: false, description: 'Insert `new_str` after this line (0: at the top).' },
      {
        name: 'view_range',
        type: 'array',
        required: false,
        description: 'Optional for `view` of a file: `[start, end]`, 1-based, `-1` as end means to the end.',
      },
    ],
    requiredByCommand: { create: ['file_text'], str_replace: ['old_str'], insert: ['insert_line', 'new_str'] },
  },
  {
    name: 'submit',
    description: 'Finish the task: the current changes to the repository are the submission.',
    parameters: [],
  },
];

const TOOL_BY_NAME = new Map<string, ToolSpec>(TOOLS.map((t) => [t.name, t]));

/** The tool spec of a name, or undefined for an unknown tool. */
export function getTool(name: string): ToolSpec | undefined {
  return TOOL_BY_NAME.get(name);
}

/** Reasons a call's text is not a valid call. */
export type CallErrorReason =
  | 'no_call'
  | 'text_before_call'
  | 'unclosed_tag'
  | 'malformed_call'
  | 'unknown_tool'
  | 'unknown_parameter'
  | 'duplicate_parameter'
  | 'missing_parameter'
  | 'invalid_value'
  | 'multiple_calls'
  | 'extra_text';

export interface CallError {
  ok: false;
  reason: CallErrorReason;
  detail: string;
}

/** A parsed call and where its text lies in the input: text.slice(start, end) is `<function=...</function>`. */
export interface CallParsed {
  ok: true;
  call: ToolCall;
  start: number;
  end: number;
}

const FN_OPEN = '<function=';
const FN_CLOSE = '</function>';
const PARAM_OPEN = '<parameter=';
const PARAM_CLOSE = '</parameter>';

/** Canonical text of a call: one parameter per block in the tool table's order, values verbatim. */
export function renderCall(call: ToolCall): string {
  const spec = getTool(call.tool);
  if (!spec) throw renderError('unknown_tool', `unknown tool ${JSON.stringify(call.tool)}`, call.tool);
  const known = new Set(spec.parameters.map((p) => p.name));
  for (const name of Object.keys(call.args)) {
    if (!known.has(name)) {
      throw renderError('unknown_parameter', `tool ${call.tool} has no parameter ${JSON.stringify(name)}`, name);
    }
  }
  let out = `${FN_OPEN}${call.tool}>\n`;
  for (const p of spec.parameters) {
    const value = call.args[p.name];
    if (value === undefined) continue;
    if (value.includes(PARAM_CLOSE)) {
      throw renderError('unrenderable_value', `parameter ${p.name} contains ${PARAM_CLOSE}`, value);
    }
    out += `${PARAM_OPEN}${p.name}>${value}${PARAM_CLOSE}\n`;
  }
  return `${out}${FN_CLOSE}`;
}

function renderError(code: ErrorCode, message: string, value: unknown): SweSrlError {
  return new SweSrlError({
    code,
    message: `cannot render call: ${message}`,
    fault: 'internal',
    value,
    hint: `Validate calls with validateCall first; tools: ${TOOLS.map((t) => t.name).join(', ')}.`,
  });
}

/** Parses a text that holds exactly one call, with only whitespace around it. */
export function parseCall(text: string): CallParsed | CallError {
  const start = text.indexOf(FN_OPEN);
  if (start < 0) {
    return fail('no_call', `no ${FN_OPEN}...${FN_CLOSE} call found`);
  }
  if (text.slice(0, start).trim() !== '') {
    return fail('text_before_call', `text before the call: ${preview(text.slice(0, start).trim())}`);
  }
  const read = readCallAt(text, start);
  if (!read.ok) return read;
  const rest = text.slice(read.end);
  if (rest.trim() !== '') {
    if (rest.includes(FN_OPEN)) return fail('multiple_calls', 'more than one function call');
    return fail('extra_text', `text after the call: ${preview(rest.trim())}`);
  }
  return read;
}

/** Reads one call starting at text[start] (which must begin with `<function=`) and validates it. */
export function readCallAt(text: string, start: number): CallParsed | CallError {
  if (!text.startsWith(FN_OPEN, start)) return fail('no_call', `expected ${FN_OPEN} at offset ${start}`);
  const nameStart = start + FN_OPEN.length;
  const nameEnd = tagEnd(text, nameStart);
  if (nameEnd < 0) return fail('unclosed_tag', `${FN_OPEN} tag is not closed by '>'`);
  const tool = text.slice(nameStart, nameEnd).trim();
  // A Map, not an object literal, so that a parameter named __proto__ is just an unknown parameter.
  const params = new Map<string, string>();
  let at = nameEnd + 1;
  for (;;) {
    at = skipWhitespace(text, at);
    if (at >= text.length) return fail('unclosed_tag', `${FN_OPEN}${tool}> is not closed by ${FN_CLOSE}`);
    if (text.startsWith(FN_CLOSE, at)) {
      at += FN_CLOSE.length;
      break;
    }
    if (!text.startsWith(PARAM_OPEN, at)) {
      if (text.startsWith(FN_OPEN, at)) return fail('malformed_call', `${FN_OPEN} inside the call to ${tool}`);
      return fail('malformed_call', `unexpected text inside the call to ${tool}: ${preview(text.slice(at))}`);
    }
    const pStart = at + PARAM_OPEN.length;
    const pEnd = tagEnd(text, pStart);
    if (pEnd < 0) return fail('unclosed_tag', `${PARAM_OPEN} tag is not closed by '>'`);
    const name = text.slice(pStart, pEnd).trim();
    const close = text.indexOf(PARAM_CLOSE, pEnd + 1);
    if (close < 0) return fail('unclosed_tag', `${PARAM_OPEN}${name}> is not closed by ${PARAM_CLOSE}`);
    if (params.has(name)) return fail('duplicate_parameter', `parameter ${name} given twice`);
    params.set(name, text.slice(pEnd + 1, close));
    at = close + PARAM_CLOSE.length;
  }
  const args: Record<string, string> = Object.fromEntries(params);
  const invalid = validateCall(tool, args);
  if (invalid) return invalid;
  return { ok: true, call: { tool: tool as ToolName, args }, start, end: at };
}

/** Checks a tool name and its arguments against the tool table; null when valid. */
export function validateCall(tool: string, args: Readonly<Record<string, string>>): CallError | null {
  const spec = getTool(tool);
  if (!spec) {
    return fail('unknown_tool', `unknown tool ${JSON.stringify(tool)}; tools: ${TOOLS.map((t) => t.name).join(', ')}`);
  }
  const byName = new Map(spec.parameters.map((p) => [p.name, p]));
  for (const name of Object.keys(args)) {
    if (!byName.has(name)) {
      const valid = spec.parameters.map((p) => p.name).join(', ') || '(none)';
      return fail('unknown_parameter', `${tool} has no parameter ${JSON.stringify(name)}; parameters: ${valid}`);
    }
  }
  for (const p of spec.parameters) {
    if (p.required && args[p.name] === undefined) return fail('missing_parameter', `${tool} needs ${p.name}`);
  }
  for (const p of spec.parameters) {
    const value = args[p.name];
    if (value === undefined) continue;
    const bad = checkValue(p, value);
    if (bad) return fail('invalid_value', `${tool}.${p.name}: ${bad}`);
  }
  const command = args.command;
  const needs = command === undefined ? undefined : spec.requiredByCommand?.[command.trim()];
  for (const name of needs ?? []) {
    if (args[name] === undefined) return fail('missing_parameter', `${tool} ${command?.trim()} needs ${name}`);
  }
  return null;
}

function checkValue(p: ToolParameterSpec, value: string): string | null {
  const v = value.trim();
  if (p.enum && !p.enum.includes(v)) return `${JSON.stringify(v)} is not one of ${p.enum.join(', ')}`;
  if (p.type === 'integer' && !/^-?\d+$/.test(v)) return `${JSON.stringify(v)} is not an integer`;
  if (p.type === 'array' && !/^\[\s*-?\d+\s*,\s*-?\d+\s*\]$/.test(v)) return `${JSON.stringify(v)} is not [start, end]`;
  return null;
}

// Index of the '>' that closes a tag name starting at `from`, or -1 when the line ends (or text does) first.
function tagEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '>') return i;
    if (c === '\n' || c === '<') return -1;
  }
  return -1;
}

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

function fail(reason: CallErrorReason, detail: string): CallError {
  return { ok: false, reason, detail };
}

function preview(s: string): string {
  const one = JSON.stringify(s);
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
