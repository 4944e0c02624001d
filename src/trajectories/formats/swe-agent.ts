// SWE-agent `.traj` files: the windowed-editor command style (``` blocks), the XML <command> variant, the XML
// <function=...> variant and native function calling. Steps come from `trajectory` (or, in files without it, from
// the assistant turns of `history`); tool calls come from the matching `history` turns.
import { basename } from 'node:path';
import { z } from 'zod';
import { callFromFunction, parseXmlCall, sweAgentCommandCall, toolArgs, toolCallRaw } from '../calls.ts';
import { parseOne, type TrajectoryFormat } from '../format.ts';
import { StepBuilder, makeTrajectory } from '../steps.ts';
import { extractIssue, isRecord as isObject, splitSweAgentFooter, textOf } from '../text.ts';
import type { Action, Trajectory } from '../types.ts';

const ToolCallSchema = z
  .object({
    id: z.string().nullish(),
    function: z.object({ name: z.string(), arguments: z.unknown() }).passthrough(),
  })
  .passthrough();

const TrajectoryEntry = z
  .object({
    action: z.string(),
    observation: z.string().nullish(),
    response: z.string().nullish(),
    thought: z.string().nullish(),
    state: z.unknown().optional(),
  })
  .passthrough();

const HistoryEntry = z
  .object({
    role: z.string(),
    content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional(),
    agent: z.string().nullish(),
    is_demo: z.boolean().nullish(),
    thought: z.string().nullish(),
    action: z.string().nullish(),
    tool_calls: z.array(ToolCallSchema).nullish(),
  })
  .passthrough();

const SweAgentSchema = z
  .object({
    environment: z.string().nullish(),
    trajectory: z.array(TrajectoryEntry).optional(),
    history: z.array(HistoryEntry).optional(),
    info: z
      .object({
        submission: z.string().nullish(),
        exit_status: z.string().nullish(),
        model_stats: z.record(z.unknown()).nullish(),
      })
      .passthrough()
      .default({}),
    replay_config: z.unknown().optional(),
  })
  .passthrough()
  .refine((v) => v.trajectory !== undefined || v.history !== undefined, {
    message: 'expected a `trajectory` or a `history` array',
    path: ['trajectory'],
  });

type SweAgentFile = z.output<typeof SweAgentSchema>;
type HistoryTurn = z.output<typeof HistoryEntry>;

// SWE-agent's own terminal markers: not commands, so they carry no call.
const EXIT_MARKER = /^exit_(cost|context|api|format|error|forfeit)\s*$/;

export const sweAgentFormat: TrajectoryFormat = {
  name: 'swe-agent',
  description: 'SWE-agent .traj (windowed editor commands, XML or function calls)',
  detect(json) {
    if (!isObject(json) || 'messages' in json || 'steps' in json) return false;
    const t = json.trajectory;
    if (Array.isArray(t)) return t.length === 0 || (isObject(t[0]) && 'action' in t[0] && 'observation' in t[0]);
    return Array.isArray(json.history) && isObject(json.info);
  },
  parse({ json, file }) {
    return parseOne({ json, file, schema: SweAgentSchema, build: (v) => build(v, file) });
  },
};

function build(v: SweAgentFile, file: string): Trajectory {
  const replay = replayConfig(v.replay_config);
  const history = (v.history ?? []).filter((h) => !h.is_demo);
  const b = new StepBuilder();
  let repoRoot: string | undefined;
  const actionFormat = new Set<string>();

  if (v.trajectory && v.trajectory.length) {
    const turns = history.filter((h) => h.role === 'assistant' && typeof h.action === 'string');
    let next = 0;
    for (const entry of v.trajectory) {
      // The history turn that produced this entry: the next one with the same action text.
      const at = turns.findIndex((t, i) => i >= next && t.action === entry.action);
      const turn = at >= 0 ? turns[at] : undefined;
      if (at >= 0) next = at + 1;
      repoRoot ??= workingDir(entry.state);
      const thought = entry.thought ?? turn?.thought ?? '';
      if (!entry.action.trim()) {
        b.thoughtOnly(thought);
        continue;
      }
      b.step({ thought, action: actionOf(entry.action, entry.response ?? undefined, turn, actionFormat), observation: entry.observation ?? '' });
    }
  } else {
    // Files without `trajectory`: each assistant turn with an action, and the observation turn after it.
    for (let i = 0; i < history.length; i++) {
      const h = history[i]!;
      if (h.role !== 'assistant') continue;
      const content = textOf(h.content);
      const action = h.action ?? '';
      if (!action.trim()) {
        b.thoughtOnly(h.thought ?? content);
        continue;
      }
      const obsTurn = history[i + 1];
      const obs = obsTurn && obsTurn.role !== 'assistant' ? splitSweAgentFooter(textOf(obsTurn.content)) : { text: '' };
      repoRoot ??= 'cwd' in obs ? obs.cwd : undefined;
      b.step({ thought: h.thought ?? '', action: actionOf(action, content, h, actionFormat), observation: obs.text });
    }
  }

  if (!repoRoot) {
    for (const h of history) repoRoot ??= splitSweAgentFooter(textOf(h.content)).cwd;
  }
  const ps = problemStatementOf(replay, history);
  const instanceId = stringAt(replay, ['problem_statement', 'id']) ?? basename(file).replace(/\.traj(\.json)?$|\.json$/, '');
  const model = stringAt(replay, ['agent', 'model', 'name']) ?? stringAt(replay, ['agent', 'model', 'model_name']);
  const meta: Record<string, unknown> = {
    shell: 'session',
    ...(repoRoot ? { repoRoot } : {}),
    ...(v.info.exit_status ? { exitStatus: v.info.exit_status } : {}),
    ...(v.info.model_stats ? { modelStats: v.info.model_stats } : {}),
    ...(v.environment ? { environment: v.environment } : {}),
    ...(model ? { model } : {}),
    actionFormat: [...actionFormat].join(',') || 'none',
    ...b.foldMeta(),
  };
  return makeTrajectory({
    format: 'swe-agent',
    instanceId,
    source: { file },
    problemStatement: ps,
    steps: b.steps,
    submission: v.info.submission ?? undefined,
    meta,
  });
}

// The call comes from the richest record we have: a native tool call, an XML function call, or the command text.
function actionOf(action: string, response: string | undefined, turn: HistoryTurn | undefined, seen: Set<string>): Action {
  const tc = turn?.tool_calls?.[0];
  if (tc) {
    seen.add('function_calling');
    const raw = toolCallRaw(tc.function.name, tc.function.arguments);
    if (EXIT_MARKER.test(action)) return { raw };
    const args = toolArgs(tc.function.arguments);
    const call = args ? callFromFunction(tc.function.name, args) : undefined;
    // Tools other than ours (open, edit, find_file, ...) are shell functions: SWE-agent ran the action text.
    return { raw, call: call ?? sweAgentCommandCall(action) };
  }
  const xml = response && response.includes('<function=') ? parseXmlCall(response) : undefined;
  if (xml) {
    seen.add('xml_function_calling');
    return { raw: xml.block, call: callFromFunction(xml.name, xml.params) ?? sweAgentCommandCall(action) };
  }
  seen.add(response?.includes('<command>') ? 'xml_thought_action' : 'thought_action');
  if (EXIT_MARKER.test(action)) return { raw: action };
  return { raw: action, call: sweAgentCommandCall(action) };
}

function problemStatementOf(replay: Record<string, unknown> | undefined, history: HistoryTurn[]): string | undefined {
  const text = stringAt(replay, ['problem_statement', 'text']);
  if (text) return text;
  const firstUser = history.find((h) => h.role === 'user');
  return firstUser ? extractIssue(textOf(firstUser.content)) : undefined;
}

// `state` is a JSON string in older files, a Python dict repr in newer ones, or an object.
function workingDir(state: unknown): string | undefined {
  if (isObject(state)) return typeof state.working_dir === 'string' ? state.working_dir : undefined;
  if (typeof state !== 'string') return undefined;
  const m = /["']working_dir["']\s*:\s*["']([^"']+)["']/.exec(state);
  return m?.[1];
}

function replayConfig(v: unknown): Record<string, unknown> | undefined {
  if (isObject(v)) return v;
  if (typeof v !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function stringAt(o: Record<string, unknown> | undefined, path: string[]): string | undefined {
  let cur: unknown = o;
  for (const k of path) cur = isObject(cur) ? cur[k] : undefined;
  return typeof cur === 'string' && cur ? cur : undefined;
}
