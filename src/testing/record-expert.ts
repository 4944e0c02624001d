// Records the scripted expert on tasks in real sandboxes and saves each normalized trajectory as JSON.
import { join } from 'node:path';
import type { EvalTask } from '../harness/image-provider.ts';
import type { SandboxProvider } from '../harness/sandbox-provider.ts';
import { createToolContext } from '../tools/context.ts';
import { serializeTrajectory } from '../trajectories/schema.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { recordExpert } from './scripted-expert.ts';

/** The test command the expert runs: pytest's last line, without its timing (so replays compare equal). */
export const EXPERT_TEST_COMMAND = 'python -m pytest -q -p no:cacheprovider 2>&1 | tail -n 1 | sed -E "s/ in [0-9.]+s//"';

export interface RecordedExpert {
  instanceId: string;
  file: string;
  steps: number;
}

/** Runs the expert (gold patch as edits, a test run, submit) on each task and writes `<outDir>/<id>.json`. */
export async function recordExpertTrajectories(o: {
  tasks: EvalTask[];
  sandboxes: SandboxProvider;
  outDir: string;
  onDone?: (r: RecordedExpert) => void;
}): Promise<RecordedExpert[]> {
  const done: RecordedExpert[] = [];
  for (const task of o.tasks) {
    const { sandbox } = await o.sandboxes.open(task);
    try {
      const ctx = createToolContext({ sandbox, session: await sandbox.openSession() });
      const t = await recordExpert({
        ctx,
        instanceId: task.instance_id,
        patch: task.patch,
        testCommand: EXPERT_TEST_COMMAND,
        problemStatement: task.problem_statement,
      });
      const file = join(o.outDir, `${task.instance_id}.json`);
      await writeFileAtomic(file, serializeTrajectory({ ...t, source: { file: `scripted-expert:${task.instance_id}` } }));
      const r = { instanceId: task.instance_id, file, steps: t.steps.length };
      done.push(r);
      o.onDone?.(r);
    } finally {
      await sandbox.close();
    }
  }
  return done;
}
