// `swe-srl replay FILES --tasks F --out DIR [--workers N] [--git-remote T]`: replay agent trajectories in fresh
// sandboxes, compare each observation and the final patch with the recording, grade the patch, print a table.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_ENVS_DIR } from '../config/envs.ts';
import { createDockerSandboxProvider } from '../harness/sandbox-provider.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import { formatInputSummary, summarizeInputs } from '../trajectories/datasets/summary.ts';
import { loadTrajectories } from '../trajectories/load.ts';
import { DEFAULT_REPRODUCED_THRESHOLD } from '../trajectories/replay-compare.ts';
import { replayAll, type ReplaySummary } from '../trajectories/replay.ts';
import { SweSrlError } from '../util/errors.ts';
import { createProgress } from './progress.ts';
import { companionLines, loadOptions } from './trajectories.ts';
import { writeJsonAtomic } from '../util/atomic.ts';

export interface ReplayCliOptions {
  tasks: string;
  out: string;
  workers: string;
  gitRemote?: string;
  envs: string;
  format?: string;
  limit?: string;
  filter?: string;
  threshold: string;
  stepTimeout: string;
  grade: boolean;
}

export function register(program: Command): void {
  program
    .command('replay')
    .description('replay agent trajectories in the sandbox: per-step observation similarity, final patch, graded result')
    .argument('<files...>', 'trajectory files, run folders or dataset exports (JSON/JSONL/Parquet; any format `swe-srl trajectories` reads)')
    .option('--tasks <source>', 'task set: "bundled", a folder of task folders, or a JSON/JSONL/Parquet file', 'bundled')
    .option('--out <dir>', 'output folder', 'runs/replay')
    .option('--workers <n>', 'trajectories replayed in parallel', '1')
    .option('--git-remote <template>', 'where repositories come from, with {owner} and {name} (env SWE_SRL_GIT_REMOTE)')
    .option('--envs <dir>', 'folder of env specs', DEFAULT_ENVS_DIR)
    .option('--format <name>', 'force a trajectory format instead of detecting it')
    .option('--limit <n>', 'replay at most this many trajectories (after --filter)')
    .option('--filter <which>', 'keep only these trajectories: resolved')
    .option('--threshold <x>', 'observation similarity at which a step counts as reproduced', String(DEFAULT_REPRODUCED_THRESHOLD))
    .option('--step-timeout <s>', 'time limit of one step, seconds', '120')
    .option('--no-grade', 'do not grade the final patch')
    .action(async (files: string[], o: ReplayCliOptions) => {
      process.exitCode = await replayCommand(files, o);
    });
}

function num(name: string, v: string, o: { min: number; max?: number }): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < o.min || (o.max !== undefined && n > o.max)) {
    throw new SweSrlError({ code: 'bad_option', message: `--${name} must be a number in [${o.min}, ${o.max ?? '∞'}]`, fault: 'user', value: v });
  }
  return n;
}

/** Runs the replay command; returns the exit code (1 when trajectories failed to load or replay). */
export async function replayCommand(files: string[], o: ReplayCliOptions): Promise<number> {
  const loaded = await loadTrajectories(files, loadOptions(o));
  for (const e of loaded.errors) console.error(`  ${e.message}`);
  const tasks = await loadTaskSet(o.tasks);
  const outDir = resolve(o.out);
  const inputs = summarizeInputs(loaded);
  console.error(formatInputSummary(inputs));
  for (const line of companionLines(loaded)) console.error(line);
  await writeJsonAtomic(resolve(outDir, 'inputs.summary.json'), inputs);
  const sandboxes = await createDockerSandboxProvider({ envsDir: o.envs, gitRemote: o.gitRemote });
  console.error(`replay: ${loaded.trajectories.length} trajectory(ies) against ${tasks.length} task(s) -> ${outDir}`);
  const progress = createProgress({ total: loaded.trajectories.length, title: 'replay' });
  const summary = await replayAll({
    trajectories: loaded.trajectories,
    tasks,
    sandboxes,
    outDir,
    workers: Math.floor(num('workers', o.workers, { min: 1 })),
    threshold: num('threshold', o.threshold, { min: 0, max: 1 }),
    stepTimeoutMs: num('step-timeout', o.stepTimeout, { min: 1 }) * 1000,
    grade: o.grade,
    onDone: (r) =>
      progress.tick('missing' in r ? `${r.instance_id}: no such task` : `${r.instance_id}: ${r.steps_reproduced}/${r.steps_total} steps, ${r.verdict}`),
  });
  progress.stop();
  console.log(formatReplaySummary(summary));
  return loaded.errors.length || summary.errors.length ? 1 : 0;
}

/** The table printed at the end: one row per trajectory, then the totals and what could not run. */
export function formatReplaySummary(s: ReplaySummary): string {
  const rows = [['instance', 'steps reproduced', 'first divergence', 'same patch', 'patch sim', 'verdict']];
  for (const r of s.results) {
    rows.push([
      r.instance_id,
      `${r.steps_reproduced}/${r.steps_total}`,
      r.first_divergence === null ? '-' : String(r.first_divergence),
      r.patch_identical === null ? '-' : r.patch_identical ? 'yes' : 'no',
      r.patch_similarity === null ? '-' : r.patch_similarity.toFixed(3),
      r.verdict,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  lines.push(
    '',
    `replayed ${s.replayed}/${s.trajectories}; steps reproduced ${s.steps_reproduced}/${s.steps_total} (similarity >= ${s.threshold}); ` +
      `identical patches ${s.patches_identical}; resolved ${s.resolved}`,
  );
  for (const m of s.missing_tasks) lines.push(`no task for ${m.instance_id} (${m.source_file})`);
  for (const e of s.errors) lines.push(`error in ${e.instance_id}: ${e.error}`);
  return lines.join('\n');
}
