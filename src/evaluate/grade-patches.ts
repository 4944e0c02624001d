// The last stage every end-to-end evaluation shares: the final patches written as SWE-bench predictions
// (predictions.jsonl) and graded by the harness under <out>/eval, as `swe-srl eval` grades them.
import { join } from 'node:path';
import type { EvalTask } from '../harness/image-provider.ts';
import type { EvalOutcome } from '../harness/outcome.ts';
import { runEvaluation } from '../harness/run-evaluation.ts';
import type { SandboxProvider } from '../harness/sandbox-provider.ts';
import { writeFileAtomic } from '../util/atomic.ts';

/** Writes predictions.jsonl from each task's patch and grades them; the harness's result. */
export async function gradePatches(o: {
  tasks: readonly EvalTask[];
  patchOf: (instanceId: string) => string;
  sandboxes: SandboxProvider;
  outDir: string;
  /** The policy's name: model_name_or_path and the run id. */
  model: string;
  workers: number;
  onGraded?: (instanceId: string, outcome: EvalOutcome) => void;
}): ReturnType<typeof runEvaluation> {
  const predictions = o.tasks.map((t) => ({ instance_id: t.instance_id, model_patch: o.patchOf(t.instance_id), model_name_or_path: o.model }));
  await writeFileAtomic(join(o.outDir, 'predictions.jsonl'), predictions.map((p) => `${JSON.stringify(p)}\n`).join(''));
  return runEvaluation({
    tasks: [...o.tasks],
    predictions,
    sandboxes: o.sandboxes,
    outDir: join(o.outDir, 'eval'),
    runId: o.model,
    workers: o.workers,
    onProgress: o.onGraded && ((e) => o.onGraded!(e.instanceId, e.outcome)),
  });
}
