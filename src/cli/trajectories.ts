// `swe-srl trajectories FILES... [--format NAME] [--limit N] [--filter resolved] [--out DIR] [--summary FILE]`: parse
// agent trajectories of any known format (files, run folders, dataset exports in JSON/JSONL/Parquet), print a table
// per file and a per-repository / per-model summary, report bad files and rows (exit 1), optionally write the
// normalized trajectories as JSON.
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { companionNote } from '../trajectories/companions.ts';
import { formatInputSummary, summarizeInputs } from '../trajectories/datasets/summary.ts';
import { loadTrajectories, outputName, type LoadOptions, type LoadResult } from '../trajectories/load.ts';
import { formatNames } from '../trajectories/registry.ts';
import { serializeTrajectory } from '../trajectories/schema.ts';
import { SweSrlError } from '../util/errors.ts';
import { createProgress } from './progress.ts';

/** The input-reading options `trajectories`, `srl build` and `replay` share. */
export interface InputFlags {
  format?: string;
  limit?: string;
  filter?: string;
}

/** Adds --format, --limit and --filter to a command. */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--format <name>', `force a format instead of detecting it (${formatNames().join(', ')})`)
    .option('--limit <n>', 'read at most this many trajectories (after --filter)')
    .option('--filter <which>', 'keep only these trajectories: resolved');
}

/** The loader options from the flags; a bad value fails naming the flag. */
export function loadOptions(flags: InputFlags): LoadOptions {
  const out: LoadOptions = { progress: (o) => createProgress(o) };
  if (flags.format !== undefined) out.format = flags.format;
  if (flags.limit !== undefined) {
    const n = Number(flags.limit);
    if (!Number.isInteger(n) || n < 1) {
      throw new SweSrlError({ code: 'bad_flag', message: '--limit must be a whole number above 0', fault: 'user', field: '--limit', value: flags.limit });
    }
    out.limit = n;
  }
  if (flags.filter !== undefined) {
    if (flags.filter !== 'resolved') {
      throw new SweSrlError({ code: 'bad_flag', message: 'unknown --filter', fault: 'user', field: '--filter', value: flags.filter, hint: 'Valid: resolved.' });
    }
    out.filter = 'resolved';
  }
  return out;
}

/** The note about skipped run companions, or nothing. */
export function companionLines(result: LoadResult): string[] {
  if (!result.companions.length) return [];
  return [`skipped ${result.companions.length} run companion file(s): ${companionNote(result.companions).join(', ')}`];
}

export function register(program: Command): void {
  const cmd = program
    .command('trajectories')
    .description('parse agent trajectories (SWE-agent, mini-swe-agent, OpenHands, SWE-smith, nebius, SWE-rebench) into the normalized form')
    .argument('<files...>', 'trajectory files, run folders or dataset exports (.traj, .json, .jsonl, .parquet)');
  addInputOptions(cmd)
    .option('--out <dir>', 'write each normalized trajectory as JSON under this folder (and trajectories.summary.json)')
    .option('--summary <file>', 'write the per-repository / per-model summary as JSON here')
    .action(async (files: string[], opts: InputFlags & { out?: string; summary?: string }) => {
      const result = await loadTrajectories(files, loadOptions(opts));
      console.log(renderTable(result));
      const summary = summarizeInputs(result);
      console.log(`\n${formatInputSummary(summary)}`);
      if (opts.out) {
        for (const t of result.trajectories) await writeFileAtomic(join(opts.out, outputName(t)), serializeTrajectory(t));
        await writeJsonAtomic(join(opts.out, 'trajectories.summary.json'), summary);
        console.log(`\nwrote ${result.trajectories.length} trajectories and trajectories.summary.json under ${opts.out}`);
      }
      if (opts.summary) await writeJsonAtomic(opts.summary, summary);
      for (const line of companionLines(result)) console.log(`\n${line}`);
      if (result.errors.length) {
        console.error(`\n${result.errors.length} error(s):`);
        for (const e of result.errors) console.error(`  ${e.message}`);
        process.exitCode = 1;
      }
    });
}

// Past this many rows the table shows the first ones and a count (dataset exports have tens of thousands).
const MAX_TABLE_ROWS = 200;

/** The per-trajectory table: file, format, instance, steps, submission, resolved. */
export function renderTable(result: LoadResult): string {
  const rows: string[][] = [['file', 'format', 'instance', 'steps', 'submission', 'resolved']];
  let hidden = 0;
  for (const f of result.files) {
    for (const t of f.trajectories) {
      if (rows.length > MAX_TABLE_ROWS) {
        hidden++;
        continue;
      }
      const file = t.source.index === undefined ? f.file : `${f.file}[${t.source.index}]`;
      const resolved = t.resolved === undefined ? '-' : t.resolved ? 'yes' : 'no';
      rows.push([file, t.format, t.instanceId, String(t.steps.length), t.submission ? 'yes' : 'no', resolved]);
    }
    if (!f.trajectories.length) rows.push([f.file, f.format ?? '?', '-', '-', '-', 'FAILED']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
  if (hidden) lines.push(`... and ${hidden} more trajectories (see the summary; --out writes them all)`);
  return lines.join('\n');
}
