// SWE-smith rows: chat messages whose assistant turns carry one inline `<function=NAME><parameter=K>V</parameter>`
// call (SWE-agent's xml_function_calling), tool output as the next user turn. One trajectory per row.
import { z } from 'zod';
import { callFromFunction, parseXmlCall } from '../calls.ts';
import { walkChat } from '../chat.ts';
import { parseRows, type TrajectoryFormat } from '../format.ts';
import { makeTrajectory } from '../steps.ts';
import { extractIssue, isRecord, textOf, uploadedRoot } from '../text.ts';
import type { Action, Trajectory } from '../types.ts';
import { ChatMessageSchema, stripObservationPrefix } from './openhands-chat.ts';

// Hugging Face exports sometimes keep the message list as a JSON string.
const MessagesSchema = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}, z.array(ChatMessageSchema));

const RowSchema = z
  .object({
    instance_id: z.string().min(1),
    messages: MessagesSchema,
    id: z.string().nullish(),
    traj_id: z.string().nullish(),
    resolved: z.boolean().nullish(),
    model: z.string().nullish(),
    patch: z.string().nullish(),
  })
  .passthrough();

type Row = z.output<typeof RowSchema>;

export const sweSmithFormat: TrajectoryFormat = {
  name: 'swe-smith',
  description: 'SWE-smith rows (chat with inline <function=...> calls)',
  detect(json) {
    const row = Array.isArray(json) ? json[0] : json;
    if (!isRecord(row)) return false;
    const messages = row.messages;
    if (typeof messages === 'string') return messages.includes('<function=');
    if (!Array.isArray(messages)) return false;
    return messages.some((m) => isRecord(m) && m.role === 'assistant' && textOf(m.content).includes('<function='));
  },
  parse({ json, file, rowOffset }) {
    return parseRows({ json, file, rowOffset, schema: RowSchema, build: (row, index) => build(row, file, index) });
  },
};

function build(row: Row, file: string, index: number | undefined): Trajectory {
  const unknownTools = new Set<string>();
  const b = walkChat(row.messages, {
    textAction(content) {
      const xml = parseXmlCall(content);
      if (!xml) return undefined;
      const action: Action = { raw: xml.block };
      const call = callFromFunction(xml.name, xml.params);
      if (call) action.call = call;
      else unknownTools.add(xml.name);
      return { thought: xml.thought, action };
    },
    observation: stripObservationPrefix,
  });
  const prompt = textOf(row.messages.find((m) => m.role === 'user')?.content);
  const repoRoot = uploadedRoot(prompt);
  return makeTrajectory({
    format: 'swe-smith',
    instanceId: row.instance_id,
    source: { file, index },
    problemStatement: extractIssue(prompt),
    steps: b.steps,
    submission: row.patch ?? undefined,
    resolved: row.resolved ?? undefined,
    meta: {
      shell: 'session',
      ...(repoRoot ? { repoRoot } : {}),
      ...(row.id ? { rowId: row.id } : {}),
      ...(row.traj_id ? { trajId: row.traj_id } : {}),
      ...(row.model ? { model: row.model } : {}),
      ...(unknownTools.size ? { unmappedTools: [...unknownTools] } : {}),
      ...b.foldMeta(),
    },
  });
}
