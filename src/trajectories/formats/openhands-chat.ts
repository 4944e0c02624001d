// SWE-Gym's OpenHands rows: chat messages with native tool calls (execute_bash, str_replace_editor, finish, ...),
// tool outputs as `tool` turns, the run's patch and grading in `test_result`. One trajectory per row.
import { z } from 'zod';
import { walkChat } from '../chat.ts';
import { parseRows, type TrajectoryFormat } from '../format.ts';
import { makeTrajectory } from '../steps.ts';
import { extractIssue, isRecord, splitSamplerSuffix, textOf, uploadedRoot } from '../text.ts';
import type { Trajectory } from '../types.ts';

export const ChatMessageSchema = z
  .object({
    role: z.string(),
    content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional(),
    tool_calls: z
      .array(
        z
          .object({
            id: z.string().nullish(),
            function: z.object({ name: z.string(), arguments: z.unknown() }).passthrough(),
          })
          .passthrough(),
      )
      .nullish(),
    tool_call_id: z.string().nullish(),
    name: z.string().nullish(),
  })
  .passthrough();

const RowSchema = z
  .object({
    instance_id: z.string().min(1),
    run_id: z.string().nullish(),
    resolved: z.boolean().nullish(),
    messages: z.array(ChatMessageSchema),
    tools: z.array(z.unknown()).nullish(),
    test_result: z
      .object({
        git_patch: z.string().nullish(),
        report: z.object({ resolved: z.boolean().nullish() }).passthrough().nullish(),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();

type Row = z.output<typeof RowSchema>;

export const openhandsChatFormat: TrajectoryFormat = {
  name: 'openhands-chat',
  description: 'OpenHands chat rows with native tool calls (SWE-Gym sampled trajectories)',
  detect(json) {
    const row = Array.isArray(json) ? json[0] : json;
    if (!isRecord(row) || !Array.isArray(row.messages) || 'trajectory_format' in row) return false;
    return row.messages.some((m) => isRecord(m) && (m.role === 'tool' || (Array.isArray(m.tool_calls) && m.tool_calls.length > 0)));
  },
  parse({ json, file, rowOffset }) {
    return parseRows({ json, file, rowOffset, schema: RowSchema, build: (row, index) => build(row, file, index) });
  },
};

/** OpenHands prefixes tool output with "OBSERVATION:\n" when it renders the chat; the tool printed the rest. */
export function stripObservationPrefix(text: string): string {
  return text.replace(/^OBSERVATION:\n/, '');
}

function build(row: Row, file: string, index: number | undefined): Trajectory {
  const b = walkChat(row.messages, { observation: stripObservationPrefix });
  const { instanceId, sample } = splitSamplerSuffix(row.instance_id);
  const prompt = textOf(row.messages.find((m) => m.role === 'user')?.content);
  const tools = (row.tools ?? []).map((t) => (isRecord(t) && isRecord(t.function) ? t.function.name : undefined)).filter((n) => typeof n === 'string');
  const repoRoot = uploadedRoot(prompt);
  return makeTrajectory({
    format: 'openhands-chat',
    instanceId,
    source: { file, index },
    problemStatement: extractIssue(prompt),
    steps: b.steps,
    submission: row.test_result?.git_patch ?? undefined,
    resolved: row.resolved ?? row.test_result?.report?.resolved ?? undefined,
    meta: {
      shell: 'session',
      ...(repoRoot ? { repoRoot } : {}),
      ...(sample !== undefined ? { sampleId: row.instance_id, sample } : {}),
      ...(row.run_id ? { runId: row.run_id } : {}),
      ...(tools.length ? { tools } : {}),
      ...b.foldMeta(),
    },
  });
}
