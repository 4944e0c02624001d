// Oracle evaluation of a policy: its responses to oracle examples (the issue and the files to edit), graded by the
// outcome reward in the tasks' sandboxes. Sampling is kept in DIR/completions.jsonl (reused when it answers these
// examples n times), grading is resumable per response (grade-file.ts).
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gradeCompletionsFile, type GradeRow, type GradeSummary } from '../oracle/grade-file.ts';
import type { OutcomeGrader } from '../oracle/outcome.ts';
import { createOutcomeReward } from '../oracle/outcome-reward.ts';
import type { OracleFormat } from '../oracle/prompt.ts';
import type { Policy } from '../policy/types.ts';
import { parseCompletions, type Completion } from '../srl/score-file.ts';
import type { SrlExample } from '../train/examples.ts';
import { sampleResponses, type SampleSettings } from '../train/sample.ts';
import { writeFileAtomic } from '../util/atomic.ts';

export async function runOracleEvaluation(o: {
  /** Started only when the completions are not already on disk. */
  policy: () => Promise<Policy>;
  examples: readonly SrlExample[];
  grader: OutcomeGrader;
  outDir: string;
  sampling: SampleSettings;
  maxEdits?: number;
  /** The responses' format (default editor calls); the examples' prompts must ask for it. */
  format?: OracleFormat;
  onSampled?: (done: number, total: number) => void;
  onRow?: (row: GradeRow, reused: boolean) => void;
}): Promise<GradeSummary> {
  const file = join(o.outDir, 'completions.jsonl');
  let completions: Completion[] = existsSync(file) ? parseCompletions(await readFile(file, 'utf8'), file) : [];
  const wanted = o.examples.flatMap((e) => Array.from({ length: o.sampling.n }, () => e.id));
  if (completions.map((c) => c.id).join('\n') !== wanted.join('\n')) {
    const policy = await o.policy();
    try {
      completions = await sampleResponses({
        policy,
        examples: o.examples,
        settings: o.sampling,
        onChunk: (d) => o.onSampled?.(d, o.examples.length),
      });
    } finally {
      await policy.close();
    }
    await mkdir(o.outDir, { recursive: true });
    await writeFileAtomic(file, completions.map((c) => `${JSON.stringify({ id: c.id, response: c.response })}\n`).join(''));
  }
  const { summary } = await gradeCompletionsFile({
    examples: o.examples,
    completions,
    completionsFile: file,
    reward: createOutcomeReward(o.grader, { maxEdits: o.maxEdits, format: o.format }),
    outDir: o.outDir,
    workers: 64,
    onRow: o.onRow,
  });
  return summary;
}
