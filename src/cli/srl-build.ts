// `swe-srl srl build`: step-wise SRL examples from expert trajectories, written as our steps JSONL, verl Parquet
// (`<base>.parquet`) and TRL prompt-completion JSONL (`<base>.trl.jsonl`) next to --out, with a summary printed and
// saved (`<base>.summary.json`). Bad trajectory files are reported at the end and do not stop the others (exit 1).
import type { Command } from 'commander';
import { z } from 'zod';
import { buildDataset, type DatasetExample, type TaskInfo } from '../srl/dataset.ts';
import { formatBuildSummary, summarizeBuild } from '../srl/build-summary.ts';
import { writeStepsJsonl, writeTrlJsonl, writeVerlParquet } from '../srl/writers.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import { formatInputSummary, summarizeInputs } from '../trajectories/datasets/summary.ts';
import { loadTrajectories } from '../trajectories/load.ts';
import { formatNames } from '../trajectories/registry.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { formatPath, SweSrlError } from '../util/errors.ts';
import { companionLines, loadOptions } from './trajectories.ts';

const int = (min: number) => z.coerce.number().int().min(min);

const FlagsSchema = z.object({
  trajectories: z.array(z.string().min(1)).min(1),
  tasks: z.string().min(1).optional(),
  out: z.string().min(1),
  format: z.string().optional(),
  limit: z.string().optional(),
  filter: z.string().optional(),
  contextSteps: z.union([z.literal('all'), int(0)]),
  maxObservationChars: int(64),
  maxPromptChars: int(1).optional(),
  dropUnresolved: z.boolean(),
  dropSubmit: z.boolean(),
  mapPaths: z.boolean(),
  valFraction: z.coerce.number().min(0).lt(1).optional(),
});
type Flags = z.infer<typeof FlagsSchema>;

/** Registers `srl build` on the `srl` command. */
export function register(srl: Command): void {
  srl
    .command('build')
    .description('Build step-wise SRL examples from expert trajectories (steps JSONL, verl Parquet, TRL JSONL)')
    .requiredOption('--trajectories <paths...>', 'trajectory files, run folders or dataset exports (JSON/JSONL/Parquet; any format `swe-srl trajectories` reads)')
    .option('--tasks <source>', 'SWE-bench rows (JSON/JSONL/Parquet), a folder of bundled tasks, or "bundled": issue texts and repos')
    .requiredOption('--out <steps.jsonl>', 'the steps JSONL; <base>.parquet, <base>.trl.jsonl, <base>.summary.json go next to it')
    .option('--format <name>', `force a trajectory format (${formatNames().join(', ')})`)
    .option('--limit <n>', 'read at most this many trajectories (after --filter)')
    .option('--filter <which>', 'keep only these trajectories when reading: resolved')
    .option('--context-steps <K|all>', 'previous steps shown in each prompt', '2')
    .option('--max-observation-chars <n>', 'cut each shown output to this many characters (head and tail kept)', '4000')
    .option('--max-prompt-chars <n>', 'prompt budget: drop the oldest shown steps, then cut the issue, to fit')
    .option('--drop-unresolved', 'keep only trajectories recorded as resolved', false)
    .option('--drop-submit', 'make no examples of submit steps', false)
    .option('--no-map-paths', 'keep recorded repository roots instead of mapping them to /testbed')
    .option('--val-fraction <f>', 'put this fraction of instances (by id hash) in <base>.val.* files')
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(raw);
      await runBuild(flags);
    });
}

async function runBuild(flags: Flags): Promise<void> {
  const loaded = await loadTrajectories(flags.trajectories, loadOptions({ format: flags.format, limit: flags.limit, filter: flags.filter }));
  const inputs = summarizeInputs(loaded);
  const tasks = flags.tasks ? await taskInfo(flags.tasks) : undefined;
  const dataset = buildDataset({
    trajectories: loaded.trajectories,
    tasks,
    options: {
      contextSteps: flags.contextSteps,
      maxObservationChars: flags.maxObservationChars,
      maxPromptChars: flags.maxPromptChars,
      dropSubmit: flags.dropSubmit,
      mapPaths: flags.mapPaths,
      dropUnresolved: flags.dropUnresolved,
      valFraction: flags.valFraction,
    },
  });
  const base = flags.out.replace(/\.jsonl$/, '');
  const written: string[] = [];
  const splits: Array<[string, DatasetExample[]]> = [['', dataset.examples.filter((e) => e.split === 'train')]];
  if (flags.valFraction) splits.push(['.val', dataset.examples.filter((e) => e.split === 'val')]);
  for (const [suffix, examples] of splits) {
    const stepsFile = suffix === '' ? flags.out : `${base}${suffix}.jsonl`;
    await writeStepsJsonl(stepsFile, examples);
    await writeVerlParquet(`${base}${suffix}.parquet`, examples);
    await writeTrlJsonl(`${base}${suffix}.trl.jsonl`, examples);
    written.push(stepsFile, `${base}${suffix}.parquet`, `${base}${suffix}.trl.jsonl`);
  }
  const summary = summarizeBuild(dataset, loaded.errors.length);
  await writeJsonAtomic(`${base}.summary.json`, {
    ...summary,
    options: { ...flags },
    inputs,
    trajectoryReports: dataset.trajectories,
    loadErrorDetails: loaded.errors.map((e) => ({ code: e.code, file: e.file, field: e.field, message: e.message })),
  });
  written.push(`${base}.summary.json`);
  console.log(formatInputSummary(inputs));
  for (const line of companionLines(loaded)) console.log(line);
  console.log('');
  console.log(formatBuildSummary(summary));
  const skipped = dataset.trajectories.filter((t) => t.status !== 'used');
  if (skipped.length) {
    console.log('\nskipped trajectories:');
    for (const t of skipped) console.log(`  ${t.source.file}${t.source.index === undefined ? '' : `[${t.source.index}]`} (${t.instanceId}): ${t.status}`);
  }
  console.log(`\nwrote ${written.join(', ')}`);
  if (loaded.errors.length) {
    console.error(`\n${loaded.errors.length} trajectory error(s):`);
    for (const e of loaded.errors) console.error(`  ${e.message}`);
    process.exitCode = 1;
  }
}

// Issue text and repo per instance id; a task set of many rows is read once and indexed.
async function taskInfo(source: string): Promise<Map<string, TaskInfo>> {
  const rows = await loadTaskSet(source);
  return new Map(rows.map((t) => [t.instance_id, { problem_statement: t.problem_statement, repo: t.repo }]));
}

function parseFlags(raw: Record<string, unknown>): Flags {
  const parsed = FlagsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = formatPath(issue.path);
  const flag = `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  throw new SweSrlError({
    code: 'bad_flag',
    message: `${flag}: ${issue.message}`,
    fault: 'user',
    field: flag,
    value: raw[String(issue.path[0])],
    hint: 'See `swe-srl srl build --help`.',
  });
}
