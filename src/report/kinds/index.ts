// The registry of run kinds and the one path from a folder to its model: detect the kind, load it, or say what
// files were expected.
import { basename, dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { RunModel } from '../model.ts';
import { SweSrlError } from '../../util/errors.ts';
import { evalKind } from './eval.ts';
import { evaluationKind } from './evaluation.ts';
import { probe, type Probe, type RunKindLoader } from './probe.ts';
import { replayKind } from './replay.ts';
import { srlKind } from './srl.ts';
import { trainingKind } from './training.ts';
import { trajectoriesKind } from './trajectories.ts';

/** In the order tried: the more specific summaries first. */
export const RUN_KIND_LOADERS: readonly RunKindLoader[] = [evalKind, replayKind, trainingKind, evaluationKind, srlKind, trajectoriesKind];

/** The kind whose files the probe shows; an error listing every kind's files when none does. */
export function detectKind(p: Probe): RunKindLoader {
  const k = RUN_KIND_LOADERS.find((l) => l.matches(p));
  if (k) return k;
  const empty = !p.isFile && p.entries.size === 0;
  throw new SweSrlError({
    code: empty ? 'report_empty_run' : 'report_unknown_run',
    message: empty ? 'the run folder is empty' : `not a run folder of a known kind (found: ${[...p.entries].slice(0, 8).join(', ') || 'a file'})`,
    fault: 'user',
    file: p.path,
    hint: `Expected one of: ${RUN_KIND_LOADERS.map((l) => `${l.kind}: ${l.expects}`).join('; ')}.`,
  });
}

/** Loads every path as a run, named by its folder (with the parent's name when two would clash). */
export async function loadRuns(paths: readonly string[]): Promise<RunModel[]> {
  const abs = paths.map((p) => resolve(p));
  for (const p of abs)
    if (!existsSync(p)) throw new SweSrlError({ code: 'report_no_run', message: 'no such file or folder', fault: 'user', file: p, hint: 'Pass run folders written by swe-srl (eval, train, replay, evaluate) or an SRL steps.jsonl.' });
  const names = runNames(abs);
  const out: RunModel[] = [];
  for (const [i, p] of abs.entries()) {
    const pr = probe(p);
    out.push({ name: names[i]!, ...(await detectKind(pr).load(pr)) });
  }
  return out;
}

/** Short unique names: the base name, then parent/base for the clashing ones, then a counter (pure). */
export function runNames(paths: readonly string[]): string[] {
  const base = paths.map((p) => basename(p));
  const named = base.map((b, i) => (base.filter((x) => x === b).length > 1 ? `${basename(dirname(paths[i]!))}/${b}` : b));
  return named.map((n, i) => (named.indexOf(n) === i ? n : `${n} (${named.slice(0, i).filter((x) => x === n).length + 1})`));
}
