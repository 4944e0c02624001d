// The normalized Trajectory as a persisted format: a zod schema to read it back, and its serialization.
import { z } from 'zod';
import { TRAJECTORY_VERSION, type Trajectory } from './types.ts';

const ToolCallSchema = z
  .object({
    tool: z.enum(['bash', 'str_replace_editor', 'submit']),
    args: z.record(z.string()),
  })
  .strict();

const StepSchema = z
  .object({
    thought: z.string(),
    action: z.object({ raw: z.string(), call: ToolCallSchema.optional() }).strict(),
    observation: z.string(),
  })
  .strict();

export const TrajectorySchema = z
  .object({
    version: z.literal(TRAJECTORY_VERSION, {
      errorMap: () => ({ message: `expected version ${TRAJECTORY_VERSION} (re-run \`swe-srl trajectories --out\` on the source files)` }),
    }),
    format: z.string().min(1),
    instanceId: z.string().min(1),
    source: z.object({ file: z.string(), index: z.number().int().nonnegative().optional() }).strict(),
    problemStatement: z.string().optional(),
    steps: z.array(StepSchema),
    submission: z.string().optional(),
    resolved: z.boolean().optional(),
    meta: z.record(z.unknown()),
  })
  .strict();

/** The JSON text a trajectory is saved as. */
export function serializeTrajectory(t: Trajectory): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}
