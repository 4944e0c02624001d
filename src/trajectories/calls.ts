// Mapping what an agent sent to the call our environment would execute: bash(command), str_replace_editor(...),
// submit(). Arguments are strings, as in the XML call form; arrays keep their text form ("[1, 20]").
import type { ToolCall } from './types.ts';

/** Tool names that mean "run this in bash", across SWE-agent, SWE-Gym/OpenHands and SWE-smith. */
const BASH_NAMES = new Set(['bash', 'execute_bash', 'run', 'cmd_run']);
const EDITOR_NAMES = new Set(['str_replace_editor']);
const SUBMIT_NAMES = new Set(['submit', 'finish']);

/** One argument value as the text an XML call would carry. */
export function argText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    return `[${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : (argText(v) ?? 'null'))).join(', ')}]`;
  }
  return JSON.stringify(value);
}

/** All arguments as strings; null/undefined ones are left out (the tool sees them as not given). */
export function stringArgs(args: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(args)) {
    const t = argText(v);
    if (t !== undefined) out[k] = t;
  }
  return out;
}

export function bashCall(command: string): ToolCall {
  return { tool: 'bash', args: { command } };
}

export function submitCall(): ToolCall {
  return { tool: 'submit', args: {} };
}

/** A named function call (native tool call or XML call) to our tool set; undefined for tools we do not have. */
export function callFromFunction(name: string, args: Record<string, unknown>): ToolCall | undefined {
  const n = name.trim();
  if (BASH_NAMES.has(n)) {
    const a = stringArgs(args);
    return a.command === undefined ? undefined : { tool: 'bash', args: a };
  }
  if (EDITOR_NAMES.has(n)) return { tool: 'str_replace_editor', args: stringArgs(args) };
  if (SUBMIT_NAMES.has(n)) return submitCall();
  return undefined;
}

/** Tool-call arguments arrive as a JSON string (OpenAI style) or an object; undefined when unreadable. */
export function toolArgs(raw: unknown): Record<string, unknown> | undefined {
  if (raw === null || raw === undefined || raw === '') return {};
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The text a native tool call is kept as in `action.raw`: its name and arguments as one JSON object. */
export function toolCallRaw(name: string, rawArgs: unknown): string {
  const parsed = toolArgs(rawArgs);
  return JSON.stringify({ name, arguments: parsed ?? rawArgs ?? {} });
}

/**
 * A SWE-agent command line (a shell command or one of its windowed-editor shell functions such as `open`, `goto`,
 * `edit L:M ... end_of_edit`): SWE-agent runs it verbatim in its bash session, so it is bash(command) with the whole
 * text, except `submit`, which ends the episode. Trailing newlines are dropped: they do not change what runs.
 */
export function sweAgentCommandCall(action: string): ToolCall {
  const command = action.replace(/\s+$/, '');
  // `submit -f` is the forced submit of SWE-agent's review-on-submit tool.
  if (/^submit(\s+-f)?$/.test(command)) return submitCall();
  return bashCall(command);
}

export interface XmlCall {
  name: string;
  params: Record<string, string>;
  /** The `<function=...>...</function>` text as sent. */
  block: string;
  /** The message without the call: the thought. */
  thought: string;
}

const FN_RE = /<function=([^>]+)>\n?([\s\S]*?)<\/function>/;
const PARAM_RE = /<parameter=([^>]+)>([\s\S]*?)<\/parameter>/g;

/**
 * The first `<function=NAME><parameter=K>V</parameter>...</function>` call of a message, parsed as SWE-agent's
 * xml_function_calling parser and OpenHands' converter do (first call wins, values stripped). A call missing its
 * closing tag (a model that stopped at the stop word) is closed at the end of the message, as OpenHands does.
 */
export function parseXmlCall(message: string): XmlCall | undefined {
  let text = message;
  let m = FN_RE.exec(text);
  const closed = m !== null;
  if (!m && (text.match(/<function=/g) ?? []).length === 1) {
    text = `${text.replace(/<\/$/, '')}\n</function>`;
    m = FN_RE.exec(text);
  }
  if (!m) return undefined;
  const name = (m[1] ?? '').trim();
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(PARAM_RE)) params[(p[1] ?? '').trim()] = (p[2] ?? '').trim();
  const block = closed ? m[0] : message.slice(m.index);
  const thought = (text.slice(0, m.index) + text.slice(m.index + m[0].length)).trim();
  return { name, params, block, thought };
}

export interface FencedAction {
  action: string;
  thought: string;
}

/**
 * SWE-agent's thought_action parser: the action is the last top-level fenced block (```...```); the thought is
 * everything else. Nested fences are tracked so that a code sample inside the thought does not count.
 */
export function lastFencedBlock(message: string): FencedAction | undefined {
  const re = /^```(\S*)\s*\n|^```\s*$/gm;
  const stack: RegExpExecArray[] = [];
  let last: [RegExpExecArray, RegExpExecArray] | undefined;
  for (let m = re.exec(message); m; m = re.exec(message)) {
    if (stack.length && !m[1]) {
      const start = stack.pop()!;
      if (!stack.length) last = [start, m];
    } else if (m[1] !== undefined) {
      stack.push(m);
    }
  }
  if (!last) return undefined;
  const [start, end] = last;
  return {
    action: message.slice(start.index + start[0].length, end.index),
    thought: message.slice(0, start.index) + message.slice(end.index + end[0].length),
  };
}

/** Every match of a mini-swe-agent action regex (group 1 is the command), as mini-swe-agent's findall. */
export function findAllActions(message: string, pattern: RegExp): Array<{ action: string; start: number; end: number }> {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const re = new RegExp(pattern.source, flags);
  return [...message.matchAll(re)].map((m) => ({
    action: m[1] ?? '',
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
  }));
}
