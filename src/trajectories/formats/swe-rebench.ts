// nebius SWE-rebench-openhands-trajectories rows: `trajectory` is an OpenHands chat (system, user, assistant turns
// with native tool calls, `tool` turns with the output), `model_patch` the submitted diff, `resolved` 0/1.
import { z } from 'zod';
import { walkChat } from '../chat.ts';
import { parseRows, type TrajectoryFormat } from '../format.ts';
import { makeTrajectory } from '../steps.ts';
import { extractIssue, isRecord, textOf, uploadedRoot } from '../text.ts';
import type { Trajectory } from '../types.ts';
import { ChatMessageSchema, stripObservationPrefix } from './openhands-chat.ts';

// Exports keep `resolved` as an integer (0/1), a bool, or leave it null for runs that were not graded.
const ResolvedSchema = z
  .union([z.boolean(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? undefined : Boolean(v)));

const RowSchema = z
  .object({
    instance_id: z.string().min(1),
    trajectory: z.array(ChatMessageSchema),
    trajectory_id: z.string().nullish(),
    repo: z.string().nullish(),
    model_patch: z.string().nullish(),
    exit_status: z.string().nullish(),
    resolved: ResolvedSchema,
    tools: z.array(z.unknown()).nullish(),
  })
  .passthrough();

type Row = z.output<typeof RowSchema>;

export const sweRebenchFormat: TrajectoryFormat = {
  name: 'swe-rebench-openhands',
  description: 'nebius SWE-rebench-openhands-trajectories rows (`trajectory` chat with native tool calls)',
  detect(json) {
    const row = Array.isArray(json) ? json[0] : json;
    if (!isRecord(row) || !Array.isArray(row.trajectory)) return false;
    return row.trajectory.some((m) => isRecord(m) && (m.role === 'tool' || (Array.isArray(m.tool_calls) && m.tool_calls.length > 0)));
  },
  parse({ json, file, rowOffset }) {
    return parseRows({ json, file, rowOffset, schema: RowSchema, build: (row, index) => build(row, file, index) });
  },
};

function build(row: Row, file: string, index: number | undefined): Trajectory {
  const b = walkChat(row.trajectory, { observation: stripObservationPrefix });
  const prompt = textOf(row.trajectory.find((m) => m.role === 'user')?.content);
  const repoRoot = uploadedRoot(prompt);
  const tools = (row.tools ?? []).map((t) => (isRecord(t) && isRecord(t.function) ? t.function.name : undefined)).filter((n) => typeof n === 'string');
  return makeTrajectory({
    format: 'swe-rebench-openhands',
    instanceId: row.instance_id,
    source: { file, index },
    problemStatement: extractIssue(prompt),
    steps: b.steps,
    submission: row.model_patch ?? undefined,
    resolved: row.resolved,
    meta: {
      shell: 'session',
      ...(repoRoot ? { repoRoot } : {}),
      ...(row.repo ? { repo: row.repo } : {}),
      ...(row.trajectory_id ? { trajId: row.trajectory_id } : {}),
      ...(row.exit_status ? { exitStatus: row.exit_status } : {}),
      ...(tools.length ? { tools } : {}),
      ...b.foldMeta(),
    },
  });
}
