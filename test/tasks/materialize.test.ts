import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseCommitOf, listRepoFiles, materializeRepo } from '../../src/tasks/materialize.ts';

let tmp: string;
let taskDir: string;

// A tiny task folder: nested files, an executable bit, CRLF bytes and build leftovers that must be skipped.
async function writeTask(dir: string): Promise<void> {
  await mkdir(join(dir, 'repo', 'pkg', '__pycache__'), { recursive: true });
  await mkdir(join(dir, 'repo', 'tests'), { recursive: true });
  await writeFile(join(dir, 'repo', 'README.md'), '# demo\n');
  await writeFile(join(dir, 'repo', 'pkg', '__init__.py'), 'VALUE = 1\r\n');
  await writeFile(join(dir, 'repo', 'pkg', 'run.sh'), '#!/bin/sh\necho hi\n');
  await chmod(join(dir, 'repo', 'pkg', 'run.sh'), 0o755);
  await writeFile(join(dir, 'repo', 'pkg', '__pycache__', 'x.cpython-311.pyc'), 'junk');
  await writeFile(join(dir, 'repo', 'pkg', 'stale.pyc'), 'junk');
  await writeFile(join(dir, 'repo', 'tests', 'test_a.py'), 'def test_a():\n    pass\n');
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', args, { cwd })).stdout;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'swe-srl-materialize-test-'));
  taskDir = join(tmp, 'task');
  await writeTask(taskDir);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('listRepoFiles', () => {
  it('lists regular files in byte order and skips build leftovers', async () => {
    expect(await listRepoFiles(join(taskDir, 'repo'))).toEqual([
      'README.md',
      'pkg/__init__.py',
      'pkg/run.sh',
      'tests/test_a.py',
    ]);
  });
});

describe('materializeRepo', () => {
  it('gives the same sha on every run, and the sha pinned for these bytes', async () => {
    const a = await materializeRepo(taskDir, join(tmp, 'a'));
    const b = await materializeRepo(taskDir, join(tmp, 'b'));
    expect(a).toMatch(/^[0-9a-f]{40}$/);
    expect(b).toBe(a);
    // Pinned (and checked by hashing git's object format by hand): the sha depends on the file bytes alone,
    // never on the machine, clock, user or git config.
    expect(a).toBe('b0e949e5f5096db78aabaa2b02a3d37679a81674');
  });

  it('makes one commit on main with the fixed identity, a clean work tree and normalised modes', async () => {
    const dest = join(tmp, 'c');
    const sha = await materializeRepo(taskDir, dest);
    expect(await git(dest, 'rev-parse', 'HEAD')).toBe(sha);
    expect(await git(dest, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(await git(dest, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(await git(dest, 'log', '-1', '--format=%an <%ae> %at|%cn <%ce> %ct|%s')).toBe(
      'swe-srl <tasks@swe-srl.invalid> 1704067200|swe-srl <tasks@swe-srl.invalid> 1704067200|Initial commit',
    );
    expect(await git(dest, 'status', '--porcelain')).toBe('');
    const tree = await git(dest, 'ls-tree', '-r', 'HEAD');
    expect(tree.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['100644', '100644', '100644', '100644']);
    expect(tree).not.toContain('.pyc');
    expect(await git(dest, 'config', 'core.autocrlf')).toBe('false');
    expect(await readFile(join(dest, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
  });

  it('stores file bytes unchanged (no line-ending conversion)', async () => {
    const dest = join(tmp, 'd');
    await materializeRepo(taskDir, dest);
    const blob = await execa('git', ['cat-file', 'blob', 'HEAD:pkg/__init__.py'], { cwd: dest, encoding: 'buffer', stripFinalNewline: false });
    expect(Buffer.from(blob.stdout).toString('latin1')).toBe('VALUE = 1\r\n');
  });

  it('builds the same tree as a plain `git add` of the same files', async () => {
    const dest = join(tmp, 'e');
    await materializeRepo(taskDir, dest);
    const plain = join(tmp, 'plain');
    await mkdir(plain);
    await git(plain, 'init', '-q');
    await git(plain, 'config', 'core.autocrlf', 'false');
    await git(plain, '--work-tree', dest, 'add', '-A');
    expect(await git(plain, 'write-tree')).toBe(await git(dest, 'rev-parse', 'HEAD^{tree}'));
  });

  it('refuses a destination that is not empty', async () => {
    const dest = join(tmp, 'busy');
    await mkdir(dest);
    await writeFile(join(dest, 'x'), 'x');
    await expect(materializeRepo(taskDir, dest)).rejects.toMatchObject({ code: 'dest_not_empty', file: dest });
  });

  it('names the folder when repo/ is missing', async () => {
    const empty = join(tmp, 'no-repo');
    await mkdir(empty);
    await expect(materializeRepo(empty, join(tmp, 'f'))).rejects.toMatchObject({
      code: 'repo_dir_missing',
      file: join(empty, 'repo'),
    });
  });

  it('refuses symlinks inside repo/', async () => {
    const linked = join(tmp, 'linked');
    await mkdir(join(linked, 'repo'), { recursive: true });
    await writeFile(join(linked, 'repo', 'a.txt'), 'a');
    await symlink('a.txt', join(linked, 'repo', 'b.txt'));
    await expect(materializeRepo(linked, join(tmp, 'g'))).rejects.toMatchObject({ code: 'repo_file_unsupported' });
  });
});

describe('baseCommitOf', () => {
  it('equals the sha of a materialization and changes with the content', async () => {
    const sha = await baseCommitOf(taskDir);
    expect(sha).toBe(await materializeRepo(taskDir, join(tmp, 'h')));
    const other = join(tmp, 'task2');
    await writeTask(other);
    await writeFile(join(other, 'repo', 'README.md'), '# demo, changed\n');
    expect(await baseCommitOf(other)).not.toBe(sha);
  });
});
