// nebius SWE-agent-trajectories rows: `trajectory` turns of {role: system|user|ai, text}; the ai turns hold a
// thought and one SWE-agent command in a fenced block, the user turns the output plus SWE-agent's state footer.
import { z } from 'zod';
import { lastFencedBlock, sweAgentCommandCall } from '../calls.ts';
import { walkChat } from '../chat.ts';
import { parseRows, type TrajectoryFormat } from '../format.ts';
import { makeTrajectory } from '../steps.ts';
import { extractIssue, isRecord, splitSamplerSuffix, splitSweAgentFooter } from '../text.ts';
import type { Trajectory } from '../types.ts';

const TurnSchema = z
  .object({
    role: z.string(),
    text: z.string().nullish(),
    system_prompt: z.string().nullish(),
  })
  .passthrough();

const RowSchema = z
  .object({
    instance_id: z.string().min(1),
    trajectory: z.array(TurnSchema),
    model_name: z.string().nullish(),
    target: z.boolean().nullish(),
    exit_status: z.string().nullish(),
    generated_patch: z.string().nullish(),
  })
  .passthrough();

type Row = z.output<typeof RowSchema>;

export const nebiusFormat: TrajectoryFormat = {
  name: 'nebius',
  description: 'nebius SWE-agent-trajectories rows (role/text turns, SWE-agent commands)',
  detect(json) {
    const row = Array.isArray(json) ? json[0] : json;
    if (!isRecord(row) || !Array.isArray(row.trajectory)) return false;
    const first = row.trajectory.find((t) => isRecord(t) && t.role !== 'system') ?? row.trajectory[0];
    return isRecord(first) && 'role' in first && 'text' in first;
  },
  parse({ json, file, rowOffset }) {
    return parseRows({ json, file, rowOffset, schema: RowSchema, build: (row, index) => build(row, file, index) });
  },
};

function build(row: Row, file: string, index: number | undefined): Trajectory {
  let repoRoot: string | undefined;
  const messages = row.trajectory.map((t) => ({ role: t.role, content: t.text ?? '' }));
  const b = walkChat(messages, {
    textAction(content) {
      const block = lastFencedBlock(content);
      if (!block || !block.action.trim()) return undefined;
      return { thought: block.thought.trim(), action: { raw: block.action, call: sweAgentCommandCall(block.action) } };
    },
    observation(text) {
      const f = splitSweAgentFooter(text);
      repoRoot ??= f.cwd;
      return f.text;
    },
  });
  const { instanceId, sample } = splitSamplerSuffix(row.instance_id);
  const prompt = row.trajectory.find((t) => t.role === 'user')?.text ?? '';
  return makeTrajectory({
    format: 'nebius',
    instanceId,
    source: { file, index },
    problemStatement: extractIssue(prompt),
    steps: b.steps,
    submission: row.generated_patch ?? undefined,
    resolved: row.target ?? undefined,
    meta: {
      shell: 'session',
      ...(repoRoot ? { repoRoot } : {}),
      ...(sample !== undefined ? { sampleId: row.instance_id, sample } : {}),
      ...(row.model_name ? { model: row.model_name } : {}),
      ...(row.exit_status ? { exitStatus: row.exit_status } : {}),
      ...b.foldMeta(),
    },
  });
}
