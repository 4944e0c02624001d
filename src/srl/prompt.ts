// The text of an SRL prompt: the system message (what the agent is, its tools, the response format) and the user
// message (the issue, the repository, the last steps with their outputs, which step comes next).
//
// Layout decision: previous steps go inside ONE user message, not as alternating assistant/user turns.
// - Chat templates treat earlier assistant turns differently: Qwen3 and DeepSeek-R1 templates strip or rewrite
//   <think> in history, some templates insist on strict alternation or a final user turn. One user message renders
//   the same under every template verl or TRL applies.
// - The context is a sliding window (the last K steps, earlier ones omitted): as turns it would be a conversation
//   that starts in the middle, with assistant turns the policy never wrote (no thinking, only actions).
// - Trainers mask the whole prompt anyway (verl generates from the prompt; TRL's prompt-completion format trains
//   on the completion only), so turns would buy no extra supervision.
import { renderFormatInstructions, renderToolDocs } from './tool-docs.ts';
import { TESTBED } from './paths.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One earlier step as shown in the prompt. */
export interface ContextStep {
  /** 1-based step number in the trajectory. */
  step: number;
  /** The canonical call text, or the raw action when the step has no call. */
  action: string;
  isCall: boolean;
  observation: string;
  /** Characters cut from the observation (0 when whole). */
  observationCut: number;
}

/** The default system message: role, tools (from the tool table) and response format. */
export function defaultSystemPrompt(): string {
  return [
    `You are an autonomous software engineer resolving an issue in a code repository checked out at ${TESTBED}.`,
    'You work one step at a time: each reply is exactly one tool call, which the environment runs; you then see',
    'its output. Explore the code, reproduce the issue, make the change, check it, then submit.',
    '',
    '# Tools',
    '',
    renderToolDocs(),
    '',
    '# Response format',
    '',
    renderFormatInstructions(),
  ].join('\n');
}

/** The user message: issue, repository, the shown steps and which step is next. */
export function renderUserMessage(o: {
  issue: string;
  /** Characters cut from the issue (0 when whole). */
  issueCut: number;
  repo: string;
  /** 1-based number of the step to predict. */
  step: number;
  context: readonly ContextStep[];
  /** Earlier steps not shown (outside the window, plus those dropped for the prompt budget). */
  omitted: number;
  /** Of `omitted`, how many were dropped to fit the prompt budget. */
  omittedForBudget: number;
}): string {
  const parts = ['<issue>', o.issue, '</issue>'];
  if (o.issueCut > 0) parts.push(`(the issue was shortened to fit the prompt: ${o.issueCut} characters cut)`);
  parts.push('', `Repository: ${o.repo}, checked out at ${TESTBED}.`, '', '# Steps so far', '');
  if (o.step === 1) parts.push('(none: this is the first step)', '');
  else if (o.omitted > 0) {
    const why = o.omittedForBudget > 0 ? `, ${o.omittedForBudget} of them to fit the prompt length` : '';
    parts.push(`(earlier steps omitted: ${o.omitted}${why})`, '');
  }
  for (const c of o.context) {
    parts.push(`## Step ${c.step}`, c.isCall ? 'Action:' : 'Action (not a tool call; shown as recorded):', c.action);
    const output = c.observation.trimEnd();
    parts.push('Output:', output === '' ? '(no output)' : output, '');
  }
  parts.push('# Next', '', `Give step ${o.step}: think, then make exactly one tool call.`);
  return parts.join('\n');
}
