// The bundled task set (`tasks/<name>/`): small repos written for this project, each with an issue, a gold patch
// and a test patch, so that the whole pipeline runs offline. Loaded into the same Task rows as SWE-bench's.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SweSrlError, formatPath } from '../util/errors.ts';
import { baseCommitOf } from './materialize.ts';
import { filesTouchedByPatch } from '../util/patch-paths.ts';
import { testFileOf } from './patch-files.ts';
import { TaskSchema, type Task } from './schema.ts';

export { materializeRepo, baseCommitOf, listRepoFiles, MATERIALIZE_IDENTITY } from './materialize.ts';

/** A Task plus the folder it came from (task.yaml, repo/, gold.patch, test.patch, optional fixtures/). */
export type BundledTask = Task & { source_dir: string };

/** `<project>/tasks`. */
export const BUNDLED_TASKS_ROOT = fileURLToPath(new URL('../../tasks/', import.meta.url));

export const TASK_FILES = { yaml: 'task.yaml', gold: 'gold.patch', test: 'test.patch', repo: 'repo' } as const;

// No whitespace anywhere: the SWE-bench pytest log parser splits summary lines on whitespace.
const TestId = z
  .string()
  .regex(/^[^\s/][^\s]*::[^\s]+$/, 'expected a pytest id "path/to/test_file.py::[Class::]name[params]" without spaces');

/** task.yaml: the row fields that are written by hand (base_commit and the patches come from the folder). */
export const TaskYamlSchema = z
  .object({
    /** "<owner>__<name>-<n>", matching `repo`, as SWE-bench names its instances. */
    instance_id: z.string().regex(/^[A-Za-z0-9_.-]+__[A-Za-z0-9_.-]+-\d+$/, 'expected "<owner>__<name>-<n>"'),
    /** "owner/name"; bundled repos use the owner "swe-srl". */
    repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected "owner/name"'),
    /** Keys the env spec (envs/*.yaml); a string so that "1.10" stays "1.10". */
    version: z.string({ invalid_type_error: 'expected a string: quote it in YAML, e.g. version: "0.1"' }).min(1),
    problem_statement: z.string().min(1),
    hints_text: z.string().default(''),
    FAIL_TO_PASS: z.array(TestId).min(1, 'a task needs at least one FAIL_TO_PASS test'),
    PASS_TO_PASS: z.array(TestId).default([]),
    created_at: z.string().datetime({ offset: true, message: 'expected an ISO 8601 date-time, e.g. "2024-01-31T12:00:00Z"' }),
  })
  .strict()
  .superRefine((t, ctx) => {
    const [owner, name] = t.repo.split('/');
    if (!t.instance_id.startsWith(`${owner}__${name}-`)) {
      ctx.addIssue({ code: 'custom', path: ['instance_id'], message: `expected "${owner}__${name}-<n>" to match repo` });
    }
    const seen = new Set<string>();
    for (const list of ['FAIL_TO_PASS', 'PASS_TO_PASS'] as const) {
      t[list].forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [list, i], message: `test listed twice: ${id}` });
        seen.add(id);
      });
    }
  });

export type TaskYaml = z.output<typeof TaskYamlSchema>;

export interface LoadBundledOptions {
  /** Load only these instance ids; an unknown id fails, listing the valid ones. */
  instances?: string[];
}

/** Loads every task folder under `root` (sorted by folder name), each validated and given its real base_commit. */
export async function loadBundledTasks(
  root: string = BUNDLED_TASKS_ROOT,
  opts: LoadBundledOptions = {},
): Promise<BundledTask[]> {
  const dirs = await taskDirs(root);
  const headers = await Promise.all(dirs.map(async (dir) => ({ dir, yaml: await readTaskYaml(dir) })));
  const byId = new Map<string, string>();
  for (const { dir, yaml } of headers) {
    const other = byId.get(yaml.instance_id);
    if (other) {
      throw new SweSrlError({
        code: 'duplicate_instance_id',
        message: `instance id ${yaml.instance_id} is used by two task folders (${other} and ${dir})`,
        fault: 'user',
        file: join(dir, TASK_FILES.yaml),
        field: 'instance_id',
        value: yaml.instance_id,
        hint: 'Give each task its own instance_id.',
      });
    }
    byId.set(yaml.instance_id, dir);
  }
  const wanted = opts.instances ? selectInstances(opts.instances, byId, root) : undefined;
  const chosen = wanted ? headers.filter((h) => wanted.has(h.yaml.instance_id)) : headers;
  return Promise.all(chosen.map(({ dir, yaml }) => buildTask(dir, yaml)));
}

async function buildTask(dir: string, yaml: TaskYaml): Promise<BundledTask> {
  const patch = await readPatch(dir, TASK_FILES.gold);
  const testPatch = await readPatch(dir, TASK_FILES.test);
  checkConsistency(dir, yaml, patch, testPatch);
  const baseCommit = await baseCommitOf(dir);
  const row = TaskSchema.parse({
    ...yaml,
    base_commit: baseCommit,
    // The bundled repos need no separate environment commit: the env image is built from the base commit.
    environment_setup_commit: baseCommit,
    patch,
    test_patch: testPatch,
  });
  return { ...row, source_dir: dir };
}

// What a schema cannot see: every listed test lives in a file the test patch touches (the harness runs only
// those files), and the gold patch leaves the test files to the test patch.
function checkConsistency(dir: string, yaml: TaskYaml, patch: string, testPatch: string): void {
  const testFiles = new Set(filesTouchedByPatch(testPatch));
  for (const list of ['FAIL_TO_PASS', 'PASS_TO_PASS'] as const) {
    yaml[list].forEach((id, i) => {
      if (!testFiles.has(testFileOf(id))) {
        throw invalid(dir, TASK_FILES.yaml, `${list}[${i}]`, id, {
          message: `test file ${testFileOf(id)} is not touched by test.patch, so the harness would not run it`,
          hint: `test.patch touches: ${[...testFiles].join(', ') || '(nothing)'}.`,
        });
      }
    });
  }
  const overlap = filesTouchedByPatch(patch).filter((f) => testFiles.has(f));
  if (overlap.length > 0) {
    throw invalid(dir, TASK_FILES.gold, 'patch', overlap, {
      message: 'gold.patch touches test files; tests belong in test.patch',
    });
  }
}

async function taskDirs(root: string): Promise<string[]> {
  const abs = resolve(root);
  const entries = await readdir(abs, { withFileTypes: true }).catch((e: unknown) => {
    throw new SweSrlError({
      code: 'bundled_tasks_root_missing',
      message: 'cannot read the bundled tasks folder',
      fault: 'user',
      file: abs,
      cause: e,
    });
  });
  const dirs = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  for (const name of dirs) {
    const s = await stat(join(abs, name, TASK_FILES.yaml)).catch(() => undefined);
    if (!s?.isFile()) {
      throw new SweSrlError({
        code: 'bundled_task_missing_file',
        message: `task folder ${name} has no ${TASK_FILES.yaml}`,
        fault: 'user',
        file: join(abs, name, TASK_FILES.yaml),
        hint: 'Every folder under the tasks root is a task: add its task.yaml or move the folder out.',
      });
    }
  }
  return dirs.map((name) => join(abs, name));
}

async function readTaskYaml(dir: string): Promise<TaskYaml> {
  const file = join(dir, TASK_FILES.yaml);
  const text = await readRequired(file);
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new SweSrlError({
      code: 'bundled_task_invalid',
      message: `not valid YAML: ${(e as Error).message}`,
      fault: 'user',
      file,
      cause: e,
    });
  }
  const parsed = TaskYamlSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const more = parsed.error.issues.length - 1;
    throw invalid(dir, TASK_FILES.yaml, formatPath(issue?.path ?? []), valueAt(data, issue?.path ?? []), {
      message: issue?.message ?? 'invalid task.yaml',
      hint: more > 0 ? `${more} more problem(s) in the same file.` : undefined,
    });
  }
  return parsed.data;
}

async function readPatch(dir: string, name: string): Promise<string> {
  const text = await readRequired(join(dir, name));
  if (!/^diff --git a\//m.test(text)) {
    throw invalid(dir, name, undefined, undefined, {
      message: 'expected a unified git diff with "diff --git a/... b/..." headers',
    });
  }
  return text;
}

async function readRequired(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((e: unknown) => {
    throw new SweSrlError({
      code: 'bundled_task_missing_file',
      message: 'a bundled task file is missing or unreadable',
      fault: 'user',
      file,
      cause: e,
      hint: 'A task folder holds task.yaml, gold.patch, test.patch and repo/.',
    });
  });
}

function selectInstances(ids: string[], byId: Map<string, string>, root: string): Set<string> {
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new SweSrlError({
      code: 'unknown_instance',
      message: `no bundled task with instance id ${unknown.join(', ')}`,
      fault: 'user',
      file: resolve(root),
      value: unknown,
      hint: `Valid ids: ${[...byId.keys()].sort().join(', ')}.`,
    });
  }
  return new Set(ids);
}

function invalid(
  dir: string,
  name: string,
  field: string | undefined,
  value: unknown,
  o: { message: string; hint?: string },
): SweSrlError {
  return new SweSrlError({
    code: 'bundled_task_invalid',
    message: o.message,
    fault: 'user',
    file: join(dir, name),
    field,
    value,
    hint: o.hint,
  });
}

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}
