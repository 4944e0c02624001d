// `swe-srl oracle ...`: the oracle setting (SWE-bench's oracle retrieval: the files to edit are given).
//   build: one example per task (issue + files the reference patch edits -> the reference edits), the prompts of the
//          RLVR stage and of the oracle evaluation;
//   grade: apply each response's edits in the task's sandbox and run its tests; resolve rates, resumable.
// (`swe-srl evaluate --mode oracle` samples a policy and grades its responses.)
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildOracleExamples } from '../oracle/build.ts';
import { gradeCompletionsFile, type GradeSummary } from '../oracle/grade-file.ts';
import { OutcomeGrader } from '../oracle/outcome.ts';
import { createOutcomeReward } from '../oracle/outcome-reward.ts';
import { parseOracleFormat, type OracleFormat } from '../oracle/prompt.ts';
import { splitOf } from '../srl/dataset.ts';
import { parseCompletions, type Completion } from '../srl/score-file.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import { loadExamples, type SrlExample } from '../train/examples.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { SweSrlError } from '../util/errors.ts';
import { createProgress } from './progress.ts';
import { openSandboxes, positiveOption, sandboxOptions, type SandboxFlags } from './sandbox-options.ts';

export function register(program: Command): void {
  const oracle = program.command('oracle').description('the oracle setting: examples with the files to edit given, graded by the tests');
  sandboxOptions(
    oracle
      .command('build')
      .description('one example per task: the issue and the files its reference patch edits -> the reference edits')
      .requiredOption('--out <file>', 'examples JSONL (the input of swe-srl train and oracle grade)')
      .option('--instances <ids>', 'comma-separated instance ids (default: all)')
      .option('--val-fraction <f>', 'also write <out base>.val.jsonl with this fraction of the instances')
      .option('--format <editor|search-replace>', "the prompt's and target's format: editor calls or SWE-RL's SEARCH/REPLACE blocks", 'editor'),
    { workers: '2' },
  ).action(async (flags: SandboxFlags & { out: string; instances?: string; valFraction?: string; format: string }) => {
    const format = parseOracleFormat(flags.format);
    const tasks = await loadTaskSet(flags.tasks, flags.instances?.split(',').map((s) => s.trim()).filter(Boolean));
    const { sandboxes, workers } = await openSandboxes(flags);
    const progress = createProgress({ total: tasks.length, title: 'oracle build' });
    const { examples, warnings } = await buildOracleExamples({ sandboxes, tasks, workers, prompt: { format }, onDone: (id) => progress.tick(id) });
    progress.stop();
    for (const w of warnings) console.error(`warning: ${w}`);
    const frac = flags.valFraction === undefined ? 0 : Number(flags.valFraction);
    if (!(frac >= 0 && frac < 1)) throw new SweSrlError({ code: 'bad_option', message: '--val-fraction must be in [0, 1)', fault: 'user', value: flags.valFraction });
    const val = examples.filter((e) => splitOf(e.instance_id, frac) === 'val');
    const train = examples.filter((e) => splitOf(e.instance_id, frac) !== 'val');
    const out = resolve(flags.out);
    await mkdir(dirname(out), { recursive: true });
    await writeFileAtomic(out, jsonl(train));
    if (frac > 0) await writeFileAtomic(out.replace(/(\.jsonl)?$/, '.val.jsonl'), jsonl(val));
    console.log(`${train.length} example(s) -> ${out}${frac > 0 ? `, ${val.length} held out -> ${out.replace(/(\.jsonl)?$/, '.val.jsonl')}` : ''}`);
  });

  sandboxOptions(
    oracle
      .command('grade')
      .description('apply each response\'s edits in its task\'s sandbox, run the tests, report resolve rates (resumable)')
      .requiredOption('--examples <file>', 'oracle examples JSONL (swe-srl oracle build)')
      .requiredOption('--completions <file>', 'responses, JSONL {"id": <example id>, "response": "..."}')
      .requiredOption('--out <dir>', 'rows.jsonl (one line per response, appended as graded) and summary.json')
      .option('--timeout <s>', 'test-command time limit in seconds (default: the env spec\'s)')
      .option('--format <editor|search-replace>', "the responses' format: editor calls or SWE-RL's SEARCH/REPLACE blocks", 'editor')
      .option('--json', 'print the summary as JSON', false),
    { workers: '2' },
  ).action(async (flags: SandboxFlags & { examples: string; completions: string; out: string; timeout?: string; format: string; json: boolean }) => {
    const examples = await loadExamples(flags.examples);
    const completions = parseCompletions(await readText(flags.completions), flags.completions);
    const summary = await gradeResponses({ flags, examples, completions, completionsFile: flags.completions, outDir: resolve(flags.out), format: parseOracleFormat(flags.format) });
    console.log(flags.json ? JSON.stringify(summary) : formatGradeSummary(summary));
  });
}

// Grades responses with the outcome reward in the tasks' sandboxes, resumably (rows.jsonl, summary.json in outDir).
async function gradeResponses(o: {
  flags: SandboxFlags & { timeout?: string };
  examples: SrlExample[];
  completions: Completion[];
  completionsFile: string;
  outDir: string;
  maxEdits?: number;
  format: OracleFormat;
}): Promise<GradeSummary> {
  const { sandboxes, workers } = await openSandboxes(o.flags);
  const grader = new OutcomeGrader({
    sandboxes,
    tasks: await loadTaskSet(o.flags.tasks),
    workers,
    timeoutS: o.flags.timeout ? positiveOption('timeout', o.flags.timeout, { fraction: true }) : undefined,
  });
  const progress = createProgress({ total: o.completions.length, title: 'oracle grade' });
  const { summary } = await gradeCompletionsFile({
    examples: o.examples,
    completions: o.completions,
    completionsFile: o.completionsFile,
    reward: createOutcomeReward(grader, { maxEdits: o.maxEdits, format: o.format }),
    outDir: o.outDir,
    workers: workers * 2,
    onRow: (r, reused) => progress.tick(`${r.id}#${r.line}: ${r.status === 'ok' ? r.detail : `format error (${r.status})`}${reused ? ' (done before)' : ''}`),
  });
  progress.stop();
  return summary;
}

function jsonl(examples: readonly SrlExample[]): string {
  return examples.map((e) => `${JSON.stringify(e)}\n`).join('');
}

// The completions file (examples are read by loadExamples).
async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new SweSrlError({ code: 'file_unreadable', message: `cannot read the completions file: ${(e as Error).message}`, fault: 'user', file, cause: e });
  }
}

/** The readable summary of a grading run. */
export function formatGradeSummary(s: GradeSummary): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return [
    `responses: ${s.responses} over ${s.instances} instance(s)`,
    `resolved: ${s.resolved} (${pct(s.resolve_rate)} of responses); instances with a resolving response: ${s.instances_resolved} (${pct(s.instance_resolve_rate)})`,
    `format errors: ${s.format_errors}${s.infra_errors ? `, not graded (infrastructure faults, graded again on a re-run): ${s.infra_errors}` : ''}`,
    `by outcome: ${Object.entries(s.by_outcome).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ].join('\n');
}
