// What detection looks at: the path's entries and its summary.json (parsed loosely; each kind validates its own).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunModel } from '../model.ts';

export interface Probe {
  path: string;
  isFile: boolean;
  /** Names in the folder (empty for a file). */
  entries: ReadonlySet<string>;
  /** summary.json parsed, undefined when absent or not JSON. */
  summary: unknown;
}

/** A kind of run folder: how to recognise it and how to load it. */
export interface RunKindLoader {
  kind: RunModel['body']['kind'];
  /** The files that make a folder this kind, for the "unknown kind" message. */
  expects: string;
  matches(p: Probe): boolean;
  load(p: Probe): Promise<Omit<RunModel, 'name'>>;
}

/** Reads what detection needs (I/O only). */
export function probe(path: string): Probe {
  const isFile = statSync(path).isFile();
  const entries = new Set(isFile ? [] : readdirSync(path));
  let summary: unknown;
  const s = join(path, 'summary.json');
  if (!isFile && existsSync(s)) {
    try {
      summary = JSON.parse(readFileSync(s, 'utf8'));
    } catch {
      summary = undefined;
    }
  }
  return { path, isFile, entries, summary };
}

/** A plain object's field, for detection. */
export function field(v: unknown, key: string): unknown {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
}

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? 'n/a' : Number.isInteger(x) ? String(x) : x.toFixed(digits));
