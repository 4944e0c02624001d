import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EnvSpec } from '../../src/config/env-spec.ts';
import type { EnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import type { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { RepoSources } from '../../src/sandbox/sources.ts';
import { parseGitmodules, submoduleRepo } from '../../src/sandbox/submodules.ts';
import { tempDir } from '../helpers/tmp.ts';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd }).toString().trim();

// A repository under the mirrors folder, laid out as the template `mirrors/{owner}+{name}` expects; returns HEAD.
async function commitRepo(dir: string, files: Record<string, string>, links: Record<string, { sha: string; url: string }> = {}): Promise<string> {
  if (!existsSync(join(dir, '.git'))) {
    mkdirSync(dir, { recursive: true });
    git(dir, 'init', '-q');
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const entries = Object.entries(links);
  if (entries.length) {
    await writeFile(join(dir, '.gitmodules'), entries.map(([p, l]) => `[submodule "${p}"]\n\tpath = ${p}\n\turl = ${l.url}\n`).join(''));
  }
  git(dir, 'add', '-A');
  // after `add -A`, which would stage the missing folders as deletions
  for (const [p, l] of entries) git(dir, 'update-index', '--add', '--cacheinfo', `160000,${l.sha},${p}`);
  git(dir, 'commit', '-qm', 'c');
  return git(dir, 'rev-parse', 'HEAD');
}

async function bytes(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

// Unpacks a tar with the system tar (so it must be one valid stream) and lists its files and links.
function unpack(tar: Buffer, into: string): string[] {
  mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-xf', '-', '-C', into], { input: tar });
  return execFileSync('find', ['.', '-type', 'f', '-o', '-type', 'l'], { cwd: into }).toString().split('\n').filter(Boolean).map((p) => p.slice(2)).sort();
}

describe('submoduleRepo', () => {
  it('maps GitHub URLs of every form, and relative ones against the parent', () => {
    expect(submoduleRepo('https://github.com/astropy/astropy-helpers.git', 'astropy/astropy')).toBe('astropy/astropy-helpers');
    expect(submoduleRepo('https://github.com/o/n', 'a/b')).toBe('o/n');
    expect(submoduleRepo('https://github.com/o/n.git/', 'a/b')).toBe('o/n');
    expect(submoduleRepo('git@github.com:o/n.git', 'a/b')).toBe('o/n');
    expect(submoduleRepo('git://github.com/o/n.git', 'a/b')).toBe('o/n');
    expect(submoduleRepo('ssh://git@github.com/o/n.git', 'a/b')).toBe('o/n');
    expect(submoduleRepo('../n.git', 'acme/widget')).toBe('acme/n');
    expect(submoduleRepo('../../other/n.git', 'acme/widget')).toBe('other/n');
  });
  it('gives nothing for URLs it cannot map to owner/name', () => {
    expect(submoduleRepo('https://gitlab.com/o/n.git', 'a/b')).toBeUndefined();
    expect(submoduleRepo('https://github.com/o/n/extra', 'a/b')).toBeUndefined();
    expect(submoduleRepo('../../../n.git', 'a/b')).toBeUndefined();
    expect(submoduleRepo('/srv/git/n.git', 'a/b')).toBeUndefined();
  });
});

describe('parseGitmodules', () => {
  it('pairs path and url by submodule name (names may hold dots) and drops incomplete entries', () => {
    const listing = ['submodule.a.b.path\nlib/ab', 'submodule.a.b.url\n../ab.git', 'submodule.x.path\nx', 'core.bare\nfalse', ''].join('\0');
    expect([...parseGitmodules(listing)]).toEqual([['lib/ab', '../ab.git']]);
  });
});

describe('RepoSources.archive with submodules', () => {
  // acme/widget -> helpers (absolute GitHub URL, pinned to an older commit), libs/tool (relative URL);
  // acme/helpers -> vendor/leaf (relative URL, nested).
  async function fixture() {
    const root = await tempDir('submodules');
    const m = (repo: string) => join(root, 'mirrors', repo.replace('/', '+'));
    const leaf = await commitRepo(m('acme/leaf'), { 'leaf.txt': 'leaf\n' });
    const helpersOld = await commitRepo(m('acme/helpers'), { 'helper.py': 'OLD = 1\n' }, { 'vendor/leaf': { sha: leaf, url: '../leaf.git' } });
    await commitRepo(m('acme/helpers'), { 'helper.py': 'NEW = 2\n' }); // a later commit the parent does not pin
    const tool = await commitRepo(m('acme/tool'), { 'bin/tool.sh': '#!/bin/sh\necho tool\n' });
    const sources = new RepoSources({ remoteTemplate: join(root, 'mirrors', '{owner}+{name}'), cacheDir: join(root, 'cache') });
    return { root, m, leaf, helpersOld, tool, sources };
  }

  it('puts each submodule tree at its path and commit, nested ones too, in one tar stream', async () => {
    const { root, m, helpersOld, tool, sources } = await fixture();
    const head = await commitRepo(m('acme/widget'), { 'setup.py': 'print(1)\n' }, {
      helpers: { sha: helpersOld, url: 'https://github.com/acme/helpers.git' },
      'libs/tool': { sha: tool, url: '../tool.git' },
    });
    const warnings: string[] = [];
    const tar = await bytes(await sources.archive('acme/widget', head, { onWarning: (l) => warnings.push(l) }));
    expect(warnings).toEqual([]);
    const out = join(root, 'out');
    const files = unpack(tar, out);
    expect(files).toEqual(['.gitmodules', 'helpers/.gitmodules', 'helpers/helper.py', 'helpers/vendor/leaf/leaf.txt', 'libs/tool/bin/tool.sh', 'setup.py'].sort());
    expect(readFileSync(join(out, 'helpers/helper.py'), 'utf8')).toBe('OLD = 1\n');
    expect(readFileSync(join(out, 'helpers/vendor/leaf/leaf.txt'), 'utf8')).toBe('leaf\n');
    expect(readFileSync(join(out, 'libs/tool/bin/tool.sh'), 'utf8')).toContain('echo tool');
  });

  it('leaves an unreachable submodule and one whose commit is missing empty, with one warning each', async () => {
    const { root, m, tool, sources } = await fixture();
    const head = await commitRepo(m('acme/widget'), { 'setup.py': 'print(1)\n' }, {
      ghost: { sha: tool, url: 'https://github.com/acme/ghost.git' },
      'libs/tool': { sha: 'f'.repeat(40), url: 'git@github.com:acme/tool.git' },
      vendored: { sha: tool, url: 'https://gitlab.com/acme/tool.git' },
    });
    const warnings: string[] = [];
    const tar = await bytes(await sources.archive('acme/widget', head, { onWarning: (l) => warnings.push(l) }));
    expect(warnings).toHaveLength(3);
    const [ghost, missing, other] = [...warnings].sort();
    expect(ghost).toMatch(/submodule ghost \(https:\/\/github\.com\/acme\/ghost\.git\) left empty: the git-remote template does not reach acme\/ghost/);
    expect(ghost).toContain(join(root, 'mirrors', 'acme+ghost'));
    expect(ghost).toMatch(/SWE_SRL_GIT_REMOTE/);
    expect(missing).toMatch(/submodule libs\/tool \(git@github\.com:acme\/tool\.git\) left empty: commit f{40} of acme\/tool is unavailable/);
    expect(other).toMatch(/submodule vendored \(https:\/\/gitlab\.com\/acme\/tool\.git\) left empty/);
    const files = unpack(tar, join(root, 'out'));
    expect(files).toEqual(['.gitmodules', 'setup.py']);
    // nothing reachable: exactly what git archive gives
    expect(tar.equals(execFileSync('git', ['-C', m('acme/widget'), 'archive', '--format=tar', head], { maxBuffer: 1 << 26 }))).toBe(true);
  });

  it('gives the same bytes as git archive for a repository without submodules', async () => {
    const { m, sources } = await fixture();
    const head = await commitRepo(m('acme/plain'), { 'a.txt': 'a\n', 'deep/b/c.txt': 'c\n', [`long/${'x'.repeat(120)}.txt`]: 'long\n' });
    const tar = await bytes(await sources.archive('acme/plain', head, { onWarning: () => expect.fail('no warning expected') }));
    expect(tar.equals(execFileSync('git', ['-C', m('acme/plain'), 'archive', '--format=tar', head], { maxBuffer: 1 << 26 }))).toBe(true);
  });

  it('keeps long names and symlinks of a submodule intact', async () => {
    const { root, m, sources } = await fixture();
    const deep = `pkg/${'d'.repeat(90)}/${'f'.repeat(90)}.py`;
    const sub = join(m('acme/deep'));
    await commitRepo(sub, { [deep]: 'deep\n' });
    execSync('ln -s pkg link', { cwd: sub });
    git(sub, 'add', '-A');
    git(sub, 'commit', '-qm', 'link');
    const subHead = git(sub, 'rev-parse', 'HEAD');
    const head = await commitRepo(m('acme/top'), { 'top.txt': 't\n' }, { 'third/deep': { sha: subHead, url: 'https://github.com/acme/deep' } });
    const out = join(root, 'out');
    const files = unpack(await bytes(await sources.archive('acme/top', head)), out);
    expect(files).toContain(`third/deep/${deep}`);
    expect(readFileSync(join(out, 'third/deep/link', deep.slice('pkg/'.length)), 'utf8')).toBe('deep\n');
  });

  it('reports an unreachable submodule through the image builder\'s log and still builds the instance', async () => {
    const { root, m, tool, sources } = await fixture();
    const head = await commitRepo(m('acme/widget'), { 'setup.py': 'print(1)\n' }, {
      ghost: { sha: tool, url: 'https://github.com/acme/ghost.git' },
      'libs/tool': { sha: tool, url: '../tool.git' },
    });
    // An in-memory engine whose builds read the trees they are given, as the real one streams them to Docker.
    const images = new Set(['swe-srl-base:bookworm']);
    const trees: Record<string, Buffer> = {};
    const engine = {
      inspectImage: async (ref: string) => (images.has(ref) ? { id: `sha256:${ref}`, labels: {} } : undefined),
      buildImage: async (o: { tag: string; trees?: Array<{ prefix: string; tar: Readable }> }) => {
        for (const t of o.trees ?? []) trees[o.tag] = await bytes(t.tar);
        images.add(o.tag);
      },
    } as unknown as DockerEngine;
    const spec = {
      repo: 'acme/widget', version: '1', versions: ['*'], base: 'bookworm', apt: [], pip: [], env_setup: [], env: {}, install: [],
      test_cmd: 't', log_parser: 'pytest', directives: 'paths', timeout_s: 60,
    } as EnvSpec;
    const envs = { resolve: () => spec } as unknown as EnvRegistry;
    const logs: string[] = [];
    const local = new LocalImages({ engine, envs, sources, onLog: (tag, line) => logs.push(`${tag}: ${line}`) });
    const task = { instance_id: 'acme__widget-1', repo: 'acme/widget', base_commit: head, version: '1' } as Parameters<LocalImages['prepare']>[0];
    const image = await local.prepare(task);
    expect(logs.filter((l) => l.includes('warning: submodule'))).toEqual([
      expect.stringMatching(/^acme__widget-1: warning: submodule ghost \(https:\/\/github\.com\/acme\/ghost\.git\) left empty/),
    ]);
    const files = unpack(trees[image.image]!, join(root, 'out'));
    expect(files).toEqual(['.gitmodules', 'libs/tool/bin/tool.sh', 'setup.py']);
  });
});
