// `swe-srl report` as a library call: load the runs, render the page, write it atomically.
import { dirname, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic.ts';
import { loadRuns } from './kinds/index.ts';
import type { RunModel } from './model.ts';
import { renderPage } from './render/page.ts';

/** Writes the report of the runs at `out`; returns the runs as loaded. */
export async function writeReport(o: { runs: readonly string[]; out: string; title?: string }): Promise<{ out: string; runs: RunModel[] }> {
  const out = resolve(o.out);
  const runs = await loadRuns(o.runs);
  await mkdir(dirname(out), { recursive: true });
  await writeFileAtomic(out, renderPage(runs, { pageDir: dirname(out), title: o.title, generated: new Date().toISOString() }));
  return { out, runs };
}
