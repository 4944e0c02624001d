// `swe-srl trajectories FILES... [--format NAME] [--out DIR]`: parse agent trajectories of any known format, print a
// table per file, report bad files (exit 1), and optionally write the normalized trajectories as JSON.
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../util/atomic.ts';
import { loadTrajectories, outputName, type LoadResult } from '../trajectories/load.ts';
import { formatNames } from '../trajectories/registry.ts';
import { serializeTrajectory } from '../trajectories/schema.ts';

export function register(program: Command): void {
  program
    .command('trajectories')
    .description('parse agent trajectories (SWE-agent, mini-swe-agent, OpenHands, SWE-smith, nebius) into the normalized form')
    .argument('<files...>', 'trajectory files or folders (walked for .traj, .traj.json, .json, .jsonl)')
    .option('--format <name>', `force a format instead of detecting it (${formatNames().join(', ')})`)
    .option('--out <dir>', 'write each normalized trajectory as JSON under this folder')
    .action(async (files: string[], opts: { format?: string; out?: string }) => {
      const result = await loadTrajectories(files, { format: opts.format });
      console.log(renderTable(result));
      if (opts.out) {
        for (const t of result.trajectories) await writeFileAtomic(join(opts.out, outputName(t)), serializeTrajectory(t));
        console.log(`\nwrote ${result.trajectories.length} trajectories under ${opts.out}`);
      }
      if (result.skipped.length) console.log(`\nskipped ${result.skipped.length} companion files (predictions, reports)`);
      if (result.errors.length) {
        console.error(`\n${result.errors.length} error(s):`);
        for (const e of result.errors) console.error(`  ${e.message}`);
        process.exitCode = 1;
      }
    });
}

/** The per-trajectory table: file, format, instance, steps, submission, resolved. */
export function renderTable(result: LoadResult): string {
  const rows: string[][] = [['file', 'format', 'instance', 'steps', 'submission', 'resolved']];
  for (const f of result.files) {
    for (const t of f.trajectories) {
      const file = t.source.index === undefined ? f.file : `${f.file}[${t.source.index}]`;
      const resolved = t.resolved === undefined ? '-' : t.resolved ? 'yes' : 'no';
      rows.push([file, t.format, t.instanceId, String(t.steps.length), t.submission ? 'yes' : 'no', resolved]);
    }
    if (!f.trajectories.length) rows.push([f.file, f.format ?? '?', '-', '-', '-', 'FAILED']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}
