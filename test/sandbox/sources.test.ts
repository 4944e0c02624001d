import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remoteUrl, RepoSources } from '../../src/sandbox/sources.ts';
import { tempDir } from '../helpers/tmp.ts';

const git = (cwd: string, cmd: string) =>
  execSync(`git -c user.name=t -c user.email=t@t ${cmd}`, { cwd }).toString().trim();

describe('remoteUrl', () => {
  it('fills the template', () => {
    expect(remoteUrl('https://github.com/{owner}/{name}.git', 'pallets/flask')).toBe('https://github.com/pallets/flask.git');
    expect(remoteUrl('/m/{owner}+{name}/repo', 'a/b')).toBe('/m/a+b/repo');
    expect(remoteUrl('git@host:{owner}/{name}', 'a/b')).toBe('git@host:a/b');
  });
  it('rejects a template without placeholders and a bad repo', () => {
    expect(() => remoteUrl('/mirrors/x', 'a/b')).toThrow(/bad_git_remote/);
    expect(() => remoteUrl('/m/{owner}/{name}', 'nope')).toThrow(/bad_repo/);
  });
});

describe('RepoSources', () => {
  it('clones once into the cache, fetches a commit it lacks, and archives trees', async () => {
    const root = await tempDir('sources');
    const origin = join(root, 'mirrors', 'acme+widget');
    execSync(`mkdir -p ${origin} && git init -q ${origin}`);
    await writeFile(join(origin, 'a.txt'), 'one\n');
    git(origin, 'add -A');
    git(origin, 'commit -qm one');
    const first = git(origin, 'rev-parse HEAD');
    const sources = new RepoSources({ remoteTemplate: join(root, 'mirrors', '{owner}+{name}'), cacheDir: join(root, 'cache') });
    expect(sources.reachable('acme/widget')).toBe(true);
    expect(sources.reachable('acme/other')).toBe(false);
    const dir = await sources.ensureCommit('acme/widget', first);
    await writeFile(join(origin, 'a.txt'), 'two\n');
    git(origin, 'commit -qam two');
    const second = git(origin, 'rev-parse HEAD');
    expect(await new RepoSources({ remoteTemplate: join(root, 'mirrors', '{owner}+{name}'), cacheDir: join(root, 'cache') }).ensureCommit('acme/widget', second)).toBe(dir);
    const tar = await sources.archive('acme/widget', second);
    const chunks: Buffer[] = [];
    for await (const c of tar) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString('latin1')).toContain('two\n');
    await expect(sources.ensureCommit('acme/widget', 'f'.repeat(40))).rejects.toThrow(/source_unavailable/);
  });

  it('fills the cache once per repository when commits of it are asked for at once, and rebuilds a broken entry', async () => {
    const root = await tempDir('sources');
    const origin = join(root, 'mirrors', 'acme+gadget');
    execSync(`mkdir -p ${origin} && git init -q ${origin}`);
    const commits: string[] = [];
    for (const v of ['one', 'two', 'three']) {
      await writeFile(join(origin, 'a.txt'), `${v}\n`);
      git(origin, 'add -A');
      git(origin, `commit -qm ${v}`);
      commits.push(git(origin, 'rev-parse HEAD'));
    }
    const opts = { remoteTemplate: join(root, 'mirrors', '{owner}+{name}'), cacheDir: join(root, 'cache') };
    // Separate RepoSources share nothing in memory, as separate runs would not.
    const dirs = await Promise.all(commits.map((c) => new RepoSources(opts).ensureCommit('acme/gadget', c)));
    expect(new Set(dirs).size).toBe(1);
    expect(readdirSync(join(root, 'cache')).sort()).toEqual(['acme__gadget.git']);
    // A clone killed midway leaves a folder that is no repository: it is removed and cloned again.
    rmSync(dirs[0]!, { recursive: true });
    mkdirSync(dirs[0]!);
    writeFileSync(join(dirs[0]!, 'junk'), '');
    expect(await new RepoSources(opts).ensureCommit('acme/gadget', commits[1]!)).toBe(dirs[0]);
    expect(git(dirs[0]!, 'rev-parse --is-bare-repository')).toBe('true');
    rmSync(root, { recursive: true, force: true });
  });
});
