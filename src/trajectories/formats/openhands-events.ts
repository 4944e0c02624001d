// The OpenHands event stream: action events (run, edit, read, finish, ...) and observation events tied to them by
// `cause` (or, in older streams, by order). Files hold a bare event list, or rows (resolver/eval output, JSONL)
// whose `history` is the list (or a list of [action, observation] pairs).
import { basename } from 'node:path';
import { z } from 'zod';
import { argText, bashCall, callFromFunction, stringArgs, submitCall, toolArgs, toolCallRaw } from '../calls.ts';
import { ContentError, parseOne, parseRows, type TrajectoryFormat } from '../format.ts';
import { StepBuilder, makeTrajectory } from '../steps.ts';
import { extractIssue, isRecord, uploadedRoot } from '../text.ts';
import type { Action, Step, ToolCall, Trajectory } from '../types.ts';

const EventSchema = z
  .object({
    id: z.union([z.number(), z.string()]).nullish(),
    source: z.string().nullish(),
    action: z.string().optional(),
    observation: z.string().optional(),
    message: z.string().nullish(),
    content: z.string().nullish(),
    cause: z.union([z.number(), z.string()]).nullish(),
    args: z.record(z.unknown()).nullish(),
    tool_call_metadata: z
      .object({ function_name: z.string().nullish(), tool_call_id: z.string().nullish(), model_response: z.unknown() })
      .passthrough()
      .nullish(),
  })
  .passthrough()
  .refine((e) => e.action !== undefined || e.observation !== undefined, {
    message: 'expected an event with an `action` or an `observation` field',
  });

type Event = z.output<typeof EventSchema>;

// Older eval outputs keep history as [action, observation] pairs.
const HistorySchema = z.preprocess(
  (v) => (Array.isArray(v) && v.every((x) => Array.isArray(x)) ? (v as unknown[][]).flat() : v),
  z.array(EventSchema),
);

const RowSchema = z
  .object({
    history: HistorySchema,
    instance_id: z.string().nullish(),
    instance: z.object({ instance_id: z.string().nullish(), problem_statement: z.string().nullish() }).passthrough().nullish(),
    instruction: z.string().nullish(),
    issue: z.object({ owner: z.string(), repo: z.string(), number: z.number(), title: z.string().nullish(), body: z.string().nullish() }).passthrough().nullish(),
    git_patch: z.string().nullish(),
    test_result: z
      .object({ git_patch: z.string().nullish(), report: z.object({ resolved: z.boolean().nullish() }).passthrough().nullish() })
      .passthrough()
      .nullish(),
    success: z.boolean().nullish(),
    metrics: z.unknown().optional(),
  })
  .passthrough();

type Row = z.output<typeof RowSchema>;

// Bookkeeping events that are neither agent actions nor their outputs.
const SKIP_ACTIONS = new Set(['system', 'recall', 'change_agent_state', 'null', 'condensation', 'condensation_request', 'pause', 'resume']);
const SKIP_OBSERVATIONS = new Set(['agent_state_changed', 'null', 'recall', 'condensation', 'user_rejected']);

export const openhandsEventsFormat: TrajectoryFormat = {
  name: 'openhands-events',
  description: 'OpenHands event stream (action/observation events; bare list, or rows with `history`)',
  detect(json) {
    if (Array.isArray(json)) return isEvent(json[0]) || isHistoryRow(json[0]);
    return isHistoryRow(json);
  },
  parse({ json, file, rowOffset }) {
    const stem = basename(file).replace(/\.(jsonl|json)$/, '');
    if (Array.isArray(json) && isEvent(json[0])) {
      // A bare list is the history itself: validate it where it is, so error paths match the file.
      const schema = z.array(EventSchema).transform((history): Row => ({ history }));
      return parseOne({ json, file, schema, build: (row) => build(row, { file, stem }) });
    }
    return parseRows({ json, file, rowOffset, schema: RowSchema, build: (row, index) => build(row, { file, stem, index }) });
  },
};

function isEvent(v: unknown): boolean {
  return isRecord(v) && (typeof v.action === 'string' || typeof v.observation === 'string') && !('messages' in v);
}

function isHistoryRow(v: unknown): boolean {
  if (!isRecord(v) || !Array.isArray(v.history) || 'info' in v) return false;
  const first = v.history[0];
  return isEvent(Array.isArray(first) ? first[0] : first);
}

function build(row: Row, where: { file: string; stem: string; index?: number }): Trajectory {
  const b = new StepBuilder();
  const byId = new Map<string, Step>();
  const unmapped = new Set<string>();
  let awaiting: Step[] = [];
  let firstUserMessage: string | undefined;
  row.history.forEach((e) => {
    if (e.action !== undefined) {
      const args = e.args ?? (e as Record<string, unknown>);
      if (SKIP_ACTIONS.has(e.action)) return;
      if (e.action === 'message') {
        const text = str(args.content) ?? e.message ?? '';
        if (e.source === 'user' || (e.source == null && firstUserMessage === undefined && b.steps.length === 0)) firstUserMessage ??= text;
        else b.thoughtOnly(text);
        return;
      }
      if (e.action === 'think') {
        b.thoughtOnly(str(args.thought) ?? '');
        return;
      }
      const action = actionOf(e, args);
      if (!action.call) unmapped.add(e.action);
      const step = b.step({ thought: str(args.thought) ?? '', action });
      if (e.id !== null && e.id !== undefined) byId.set(String(e.id), step);
      awaiting.push(step);
      return;
    }
    if (e.observation === undefined || SKIP_OBSERVATIONS.has(e.observation)) return;
    const step = e.cause !== null && e.cause !== undefined ? byId.get(String(e.cause)) : awaiting[0];
    if (!step) return;
    step.observation = e.content ?? e.message ?? '';
    awaiting = awaiting.filter((s) => s !== step);
  });
  if (!b.steps.length && row.history.length) throw new ContentError(['history'], 'no agent action in the event history');

  const instanceId =
    row.instance_id ?? row.instance?.instance_id ?? (row.issue ? `${row.issue.owner}__${row.issue.repo}-${row.issue.number}` : undefined) ?? where.stem;
  const prompt = row.instruction ?? firstUserMessage ?? '';
  const issueText = row.issue ? [row.issue.title, row.issue.body].filter(Boolean).join('\n') : undefined;
  const repoRoot = uploadedRoot(prompt) ?? /repository (?:in|at) (\/[^\s]+?)[.,]?\s/.exec(prompt)?.[1];
  return makeTrajectory({
    format: 'openhands-events',
    instanceId,
    source: { file: where.file, index: where.index },
    problemStatement: row.instance?.problem_statement ?? issueText ?? extractIssue(prompt) ?? (prompt || undefined),
    steps: b.steps,
    submission: row.git_patch ?? row.test_result?.git_patch ?? undefined,
    resolved: row.test_result?.report?.resolved ?? undefined,
    meta: {
      shell: 'session',
      ...(repoRoot ? { repoRoot } : {}),
      ...(typeof row.success === 'boolean' ? { success: row.success } : {}),
      ...(unmapped.size ? { unmappedActions: [...unmapped] } : {}),
      ...b.foldMeta(),
    },
  });
}

// The tool call the model made, when the event keeps it; otherwise the call rebuilt from the action's fields.
function actionOf(e: Event, args: Record<string, unknown>): Action {
  const native = nativeToolCall(e);
  if (native) {
    const parsed = toolArgs(native.arguments);
    const call = parsed ? callFromFunction(native.name, parsed) : undefined;
    return call ? { raw: toolCallRaw(native.name, native.arguments), call } : { raw: toolCallRaw(native.name, native.arguments) };
  }
  const call = callFromEvent(e.action ?? '', args);
  const raw = str(args.command) ?? str(args.code) ?? str(args.url) ?? JSON.stringify(withoutThought(args));
  return call ? { raw, call } : { raw };
}

function nativeToolCall(e: Event): { name: string; arguments: unknown } | undefined {
  const tcm = e.tool_call_metadata;
  if (!tcm) return undefined;
  const resp = tcm.model_response;
  const choices = isRecord(resp) && Array.isArray(resp.choices) ? resp.choices : [];
  for (const c of choices) {
    const calls = isRecord(c) && isRecord(c.message) && Array.isArray(c.message.tool_calls) ? c.message.tool_calls : [];
    for (const tc of calls) {
      if (isRecord(tc) && isRecord(tc.function) && typeof tc.function.name === 'string' && (tc.id === tcm.tool_call_id || calls.length === 1)) {
        return { name: tc.function.name, arguments: tc.function.arguments };
      }
    }
  }
  return undefined;
}

function callFromEvent(kind: string, args: Record<string, unknown>): ToolCall | undefined {
  switch (kind) {
    case 'run': {
      const command = str(args.command);
      if (command === undefined) return undefined;
      const call = bashCall(command);
      if (args.is_input === true || args.is_input === 'true') call.args.is_input = 'true';
      return call;
    }
    case 'edit': {
      // The editor-tool edit (oh_aci) has a `command`; the older LLM-based edit (content/start/end) is no tool of ours.
      const command = str(args.command);
      if (!command) return undefined;
      const keys = ['command', 'path', 'file_text', 'old_str', 'new_str', 'insert_line', 'view_range'];
      const picked: Record<string, unknown> = {};
      for (const k of keys) if (args[k] !== undefined && args[k] !== null) picked[k] = args[k];
      return { tool: 'str_replace_editor', args: stringArgs(picked) };
    }
    case 'read': {
      const path = str(args.path);
      if (!path) return undefined;
      const call: ToolCall = { tool: 'str_replace_editor', args: { command: 'view', path } };
      const range = args.view_range ?? rangeOf(args.start, args.end);
      const text = argText(range);
      if (text) call.args.view_range = text;
      return call;
    }
    case 'finish':
      return submitCall();
    default:
      return undefined;
  }
}

function rangeOf(start: unknown, end: unknown): number[] | undefined {
  if (typeof start !== 'number' || typeof end !== 'number') return undefined;
  if (start <= 1 && end === -1) return undefined;
  return [Math.max(start, 1), end];
}

// Event bookkeeping that flat (args-less) events carry beside the action's own fields.
const EVENT_KEYS = new Set(['action', 'id', 'source', 'timestamp', 'message', 'cause', 'thought', 'timeout', 'is_confirmed',
  'action_risk', 'security_risk', 'keep_prompt', 'hidden', 'confirmation_state', 'images_urls', 'image_urls', 'wait_for_response',
  'tool_call_metadata', 'llm_metrics', 'args']);

function withoutThought(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k]) => !EVENT_KEYS.has(k)));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
