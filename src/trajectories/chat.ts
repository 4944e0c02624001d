// One walk over chat messages shared by the chat-shaped formats (mini-swe-agent, SWE-Gym/OpenHands, SWE-smith,
// nebius): native tool calls, actions written in the text, observations from tool or user turns.
import { callFromFunction, toolArgs, toolCallRaw } from './calls.ts';
import { StepBuilder } from './steps.ts';
import { textOf } from './text.ts';
import type { Action, Step } from './types.ts';

export interface ChatToolCall {
  id?: string | null;
  function: { name: string; arguments?: unknown };
}

export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: ChatToolCall[] | null;
  tool_call_id?: string | null;
}

export interface TextAction {
  action: Action;
  thought: string;
}

export interface ChatWalkOptions {
  /** The action written in an assistant message's text, if the format has one; undefined = a thought-only turn. */
  textAction?: (content: string) => TextAction | undefined;
  /** Cleans an observation as the format records it (prompt prefixes, state footers). */
  observation?: (text: string) => string;
}

/** Walks the messages into steps; the first system and user turns (the task) never become observations. */
export function walkChat(messages: ChatMessage[], opts: ChatWalkOptions): StepBuilder {
  const b = new StepBuilder();
  const byCallId = new Map<string, Step>();
  const ignoredIds = new Set<string>();
  const clean = opts.observation ?? ((t: string) => t);
  // The step whose observation is still to come from the next user turn (text actions only).
  let awaiting: Step | undefined;
  let lastToolStep: Step | undefined;
  for (const m of messages) {
    const role = m.role === 'ai' ? 'assistant' : m.role;
    const content = textOf(m.content);
    if (role === 'assistant') {
      awaiting = undefined;
      const calls = m.tool_calls ?? [];
      if (calls.length) {
        calls.forEach((tc, i) => {
          const thought = i === 0 ? content : '';
          const args = toolArgs(tc.function.arguments);
          if (tc.function.name === 'think') {
            // OpenHands' think tool only logs a thought: no step.
            b.thoughtOnly([thought, typeof args?.thought === 'string' ? args.thought : ''].filter(Boolean).join('\n\n'));
            if (tc.id) ignoredIds.add(tc.id);
            return;
          }
          const call = args ? callFromFunction(tc.function.name, args) : undefined;
          const action: Action = { raw: toolCallRaw(tc.function.name, tc.function.arguments) };
          if (call) action.call = call;
          const step = b.step({ thought, action });
          if (tc.id) byCallId.set(tc.id, step);
          lastToolStep = step;
        });
        continue;
      }
      const ta = opts.textAction?.(content);
      if (ta) awaiting = b.step({ thought: ta.thought, action: ta.action });
      else b.thoughtOnly(content);
      continue;
    }
    if (role === 'tool' || role === 'function') {
      if (m.tool_call_id && ignoredIds.has(m.tool_call_id)) continue;
      // Without a known id, the output belongs to the latest call still waiting for one.
      const step = (m.tool_call_id ? byCallId.get(m.tool_call_id) : undefined) ?? (lastToolStep?.observation === '' ? lastToolStep : undefined);
      if (step) step.observation = clean(content);
      continue;
    }
    if (role === 'user' && awaiting) {
      awaiting.observation = clean(content);
      awaiting = undefined;
    }
  }
  return b;
}
