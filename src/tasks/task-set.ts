// One way to name a task set on the command line: "bundled", a folder of bundled-task folders, or a rows file
// (JSON, JSONL, Parquet).
import { stat } from 'node:fs/promises';
import { SweSrlError } from '../util/errors.ts';
import { BUNDLED_TASKS_ROOT, loadBundledTasks, type BundledTask } from './bundled.ts';
import { loadTasks } from './load.ts';
import type { Task } from './schema.ts';

/** Loads the task set `source`, optionally only the given instance ids. */
export async function loadTaskSet(source: string, instances?: string[]): Promise<Array<Task | BundledTask>> {
  if (source === 'bundled') return loadBundledTasks(BUNDLED_TASKS_ROOT, { instances });
  let isDir: boolean;
  try {
    isDir = (await stat(source)).isDirectory();
  } catch (e) {
    throw new SweSrlError({
      code: 'tasks_unreadable',
      message: `cannot read the task set: ${(e as Error).message}`,
      fault: 'user',
      file: source,
      hint: 'Give "bundled", a folder of task folders, or a JSON / JSONL / Parquet file of SWE-bench rows.',
    });
  }
  return isDir ? loadBundledTasks(source, { instances }) : loadTasks(source, { instances });
}
