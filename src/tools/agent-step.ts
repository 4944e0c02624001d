// One agent step, the one way every loop runs one (agent episodes, serve's environments, OpenEnv sessions): a reply
// (<think> then one call) or a bare call is parsed; a malformed one becomes the observation the agent is shown,
// a well-formed one runs through the real tools.
import { parseCall } from '../srl/action-xml.ts';
import { parseResponse } from '../srl/response.ts';
import type { ToolCall } from '../trajectories/types.ts';
import type { ToolContext, ToolResult } from './context.ts';
import { runToolCall } from './registry.ts';

export type AgentStep =
  | { ok: false; reason: string; detail: string; observation: string }
  | { ok: true; call: ToolCall; thinking: string; actionText: string; result: ToolResult };

/** What an agent is shown when its reply is not one tool call. */
export function malformedReply(reason: string, detail: string): string {
  return `Your answer could not be run (${reason}: ${detail}). Reply with your reasoning in <think>...</think> followed by exactly one tool call, nothing after it.`;
}

/** Parses the agent's reply (`response`: thinking and a call) or bare call (`action`) and runs it. */
export async function runAgentStep(ctx: ToolContext, input: { response: string } | { action: string }): Promise<AgentStep> {
  if ('response' in input) {
    const p = parseResponse(input.response);
    if (!p.ok) return { ok: false, reason: p.reason, detail: p.detail, observation: malformedReply(p.reason, p.detail) };
    return { ok: true, call: p.call, thinking: p.thinking, actionText: p.actionText, result: await runToolCall(ctx, p.call) };
  }
  const p = parseCall(input.action);
  if (!p.ok) return { ok: false, reason: p.reason, detail: p.detail, observation: malformedReply(p.reason, p.detail) };
  return { ok: true, call: p.call, thinking: '', actionText: input.action.slice(p.start, p.end), result: await runToolCall(ctx, p.call) };
}
