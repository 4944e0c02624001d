// A bundled task's repo/ folder as a real git repository with one deterministic commit, so that its sha can serve
// as the task's base_commit: the same files give the same sha on every machine, whatever the local git config.
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { execa } from 'execa';
import { SweSrlError } from '../util/errors.ts';

/** Identity and time of every materialized commit: fixed so that the sha depends on the files alone. */
export const MATERIALIZE_IDENTITY = {
  name: 'swe-srl',
  email: 'tasks@swe-srl.invalid',
  /** Git's raw date format (seconds since the epoch, zone): 2024-01-01T00:00:00Z. */
  date: '1704067200 +0000',
  message: 'Initial commit',
  branch: 'main',
} as const;

// Build leftovers that may sit in a repo/ folder after someone ran its tests in place; never part of a task.
const SKIPPED_DIRS = new Set(['.git', '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache']);
const SKIPPED_FILE = /\.py[co]$/;

/** Sorted POSIX paths (relative to `dir`) of the regular files a repo is made of, build leftovers excluded. */
export async function listRepoFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const path = rel ? posix.join(rel, e.name) : e.name;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) await walk(path);
      } else if (e.isFile()) {
        if (!SKIPPED_FILE.test(e.name)) out.push(path);
      } else {
        throw new SweSrlError({
          code: 'repo_file_unsupported',
          message: 'only regular files and folders can be materialized (no symlinks, sockets or devices)',
          fault: 'user',
          file: join(dir, path),
          hint: 'Replace the link with a copy of the file.',
        });
      }
    }
  }
  await walk('');
  // Byte order, not locale order: the listing must be the same everywhere.
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Creates a git repository at `destDir` holding the files of `<taskDir>/repo` in ONE commit on branch `main`
 * (mode 100644 for every file, no line-ending or other filters, fixed author/committer/dates, no hooks or signing)
 * and returns the commit sha. `destDir` must not exist or be empty.
 */
export async function materializeRepo(taskDir: string, destDir: string): Promise<string> {
  const repoDir = resolve(taskDir, 'repo');
  await assertDir(repoDir);
  const files = await listRepoFiles(repoDir);
  if (files.length === 0) {
    throw new SweSrlError({ code: 'repo_empty', message: 'the repo folder holds no files', fault: 'user', file: repoDir });
  }
  for (const f of files) assertPlainPath(f, repoDir);
  await prepareDest(destDir);
  for (const f of files) {
    const target = join(destDir, f);
    await mkdir(join(target, '..'), { recursive: true });
    await copyFile(join(repoDir, f), target);
    await chmod(target, 0o644);
  }
  const git = (args: string[], input?: string) => runGit(destDir, args, input);
  // An empty template: no sample hooks, no info/exclude from the local installation.
  await git(['init', '-q', '--template=']);
  await git(['symbolic-ref', 'HEAD', `refs/heads/${MATERIALIZE_IDENTITY.branch}`]);
  await git(['config', 'core.autocrlf', 'false']);
  await git(['config', 'commit.gpgsign', 'false']);
  const blobs = (await git(['hash-object', '-w', '--no-filters', '--stdin-paths'], `${files.join('\n')}\n`))
    .trim()
    .split('\n');
  if (blobs.length !== files.length) {
    throw internal(`git hash-object returned ${blobs.length} ids for ${files.length} files`, destDir);
  }
  const indexInfo = files.map((f, i) => `100644 blob ${blobs[i]}\t${f}\n`).join('');
  await git(['update-index', '--add', '--index-info'], indexInfo);
  const tree = (await git(['write-tree'])).trim();
  const sha = (await git(['commit-tree', '--no-gpg-sign', '-m', MATERIALIZE_IDENTITY.message, tree])).trim();
  await git(['update-ref', `refs/heads/${MATERIALIZE_IDENTITY.branch}`, sha]);
  // The index was built from blobs; refreshing records the files' stat data so the work tree reads as clean.
  await git(['update-index', '-q', '--refresh']);
  return sha;
}

const shaCache = new Map<string, string>();

/** The sha `materializeRepo` gives for `<taskDir>/repo`, computed once per distinct content (in a temp folder). */
export async function baseCommitOf(taskDir: string): Promise<string> {
  const repoDir = resolve(taskDir, 'repo');
  await assertDir(repoDir);
  const key = await fingerprint(repoDir);
  const cached = shaCache.get(key);
  if (cached) return cached;
  const tmp = await mkdtemp(join(tmpdir(), 'swe-srl-base-'));
  try {
    const sha = await materializeRepo(taskDir, join(tmp, 'repo'));
    shaCache.set(key, sha);
    return sha;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// Content hash of the materialized file set: paths and bytes, nothing else (modes are normalised anyway).
async function fingerprint(repoDir: string): Promise<string> {
  const h = createHash('sha256');
  for (const f of await listRepoFiles(repoDir)) {
    const body = await readFile(join(repoDir, f));
    h.update(`${f}\0${body.length}\0`).update(body);
  }
  return h.digest('hex');
}

// Git's environment: the fixed identity and dates, no system/global config, and no GIT_* variable inherited
// from the caller (a git hook exports GIT_DIR and GIT_INDEX_FILE, which would redirect every command).
function gitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GIT_')) env[k] = v;
  const { name, email, date } = MATERIALIZE_IDENTITY;
  return {
    ...env,
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
    GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_TERMINAL_PROMPT: '0',
  };
}

async function runGit(cwd: string, args: string[], input?: string): Promise<string> {
  const r = await execa('git', args, { cwd, env: gitEnv(), extendEnv: false, input, reject: false });
  if (r.failed || r.exitCode !== 0) {
    const cause = r.code === 'ENOENT' ? 'git is not installed or not on PATH' : `exit code ${r.exitCode}`;
    throw new SweSrlError({
      code: 'git_failed',
      message: `git ${args.join(' ')} failed (${cause}): ${String(r.stderr || r.stdout).trim().slice(0, 500)}`,
      fault: 'environment',
      file: cwd,
      hint: 'materializeRepo needs git >= 2.20 on PATH.',
    });
  }
  return String(r.stdout);
}

async function assertDir(dir: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined);
  if (!s?.isDirectory()) {
    throw new SweSrlError({
      code: 'repo_dir_missing',
      message: 'a bundled task needs a repo/ folder with the repository files at the base commit',
      fault: 'user',
      file: dir,
    });
  }
}

async function prepareDest(destDir: string): Promise<void> {
  const s = await stat(destDir).catch(() => undefined);
  if (s && (!s.isDirectory() || (await readdir(destDir)).length > 0)) {
    throw new SweSrlError({
      code: 'dest_not_empty',
      message: 'the destination of a materialized repo must not exist or be an empty folder',
      fault: 'user',
      file: destDir,
    });
  }
  await mkdir(destDir, { recursive: true });
}

// update-index --index-info would need C-quoting for these; no real repo file needs them.
function assertPlainPath(path: string, repoDir: string): void {
  if (/[\u0000-\u001f"\\\u007f]/.test(path)) {
    throw new SweSrlError({
      code: 'repo_path_unsupported',
      message: 'file names with control characters, quotes or backslashes are not supported',
      fault: 'user',
      file: join(repoDir, path),
      value: path,
    });
  }
}

function internal(message: string, file: string): SweSrlError {
  return new SweSrlError({ code: 'materialize_internal', message, fault: 'internal', file });
}
