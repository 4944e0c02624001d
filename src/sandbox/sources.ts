// Repository sources: a repo at a commit, from the git-remote template, cloned once (bare) into a cache.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { simpleGit } from 'simple-git';
import { SweSrlError } from '../util/errors.ts';
import { withFileLock } from '../util/file-lock.ts';
import { concatArchives, resolveSubmodules } from './submodules.ts';

export const DEFAULT_GIT_REMOTE = 'https://github.com/{owner}/{name}.git';

export interface SourceOptions {
  /** Remote template with {owner} and {name}; default SWE_SRL_GIT_REMOTE or the public host. */
  remoteTemplate?: string;
  /** Where bare clones are kept; default SWE_SRL_CACHE/repos or ~/.cache/swe-srl/repos. */
  cacheDir?: string;
}

/** The remote URL (or local path) of `owner/name` under a template. */
export function remoteUrl(template: string, repo: string): string {
  const [owner, name] = repo.split('/');
  if (!owner || !name) {
    throw new SweSrlError({ code: 'bad_repo', message: 'a repo is "owner/name"', fault: 'user', field: 'repo', value: repo });
  }
  if (!template.includes('{owner}') && !template.includes('{name}')) {
    throw new SweSrlError({
      code: 'bad_git_remote',
      message: 'the git-remote template names neither {owner} nor {name}',
      fault: 'user',
      value: template,
      hint: 'e.g. https://github.com/{owner}/{name}.git or ../mirrors/{owner}+{name}/repo',
    });
  }
  const url = template.replaceAll('{owner}', owner).replaceAll('{name}', name);
  // A relative local path is taken from the current directory.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.includes('@') || isAbsolute(url) ? url : resolve(url);
}

export function defaultCacheDir(): string {
  return join(process.env.SWE_SRL_CACHE ?? join(homedir(), '.cache', 'swe-srl'), 'repos');
}

export interface ArchiveOptions {
  /** One line per submodule left empty (not reached by the template, or its commit missing). */
  onWarning?: (line: string) => void;
}

/** Where one repository's sources come from: a bare clone in the cache, filled on demand. */
export class RepoSources {
  readonly template: string;
  readonly cacheDir: string;
  private readonly pending = new Map<string, Promise<string>>();

  constructor(opts: SourceOptions = {}) {
    this.template = opts.remoteTemplate ?? process.env.SWE_SRL_GIT_REMOTE ?? DEFAULT_GIT_REMOTE;
    this.cacheDir = opts.cacheDir ?? defaultCacheDir();
  }

  /** Whether the template reaches this repository (a local mirror exists, or the template is remote). */
  reachable(repo: string): boolean {
    const url = remoteUrl(this.template, repo);
    return !isAbsolute(url) || existsSync(url);
  }

  /** A bare clone holding `commit`; cloned once, fetched again only when the commit is missing. */
  async ensureCommit(repo: string, commit: string): Promise<string> {
    const key = `${repo}@${commit}`;
    let p = this.pending.get(key);
    if (!p) {
      p = this.fill(repo, commit);
      this.pending.set(key, p);
      p.catch(() => this.pending.delete(key));
    }
    return p;
  }

  private async fill(repo: string, commit: string): Promise<string> {
    const dir = join(this.cacheDir, `${repo.replace('/', '__')}.git`);
    const url = remoteUrl(this.template, repo);
    const fail = (what: string, e: unknown) =>
      new SweSrlError({
        code: 'source_unavailable',
        message: `${what} ${repo} from ${url}: ${gitReason(e)}`,
        fault: 'environment',
        retryable: true,
        hint: 'Set --git-remote / SWE_SRL_GIT_REMOTE to a template that reaches it (e.g. ../mirrors/{owner}+{name}/repo).',
        cause: e,
      });
    await mkdir(this.cacheDir, { recursive: true });
    // One filler per repository at a time, across processes too: instances of one repository at different commits
    // (and parallel runs) would otherwise clone into the same folder at once.
    return withFileLock(dir, async () => {
      if (existsSync(dir) && !(await isBareRepo(dir))) await rm(dir, { recursive: true, force: true }); // a broken entry
      if (!existsSync(dir)) {
        // Cloned beside the entry and renamed into place, so a clone that dies midway never leaves a half entry.
        const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
        try {
          await simpleGit().clone(url, tmp, ['--bare', '--quiet']);
          await rename(tmp, dir);
        } catch (e) {
          await rm(tmp, { recursive: true, force: true });
          throw fail('cannot clone', e);
        }
      }
      const git = simpleGit(dir);
      if (!(await hasCommit(dir, commit))) {
        try {
          await git.fetch(url, commit).catch(() => git.fetch(url, '+refs/*:refs/*'));
        } catch (e) {
          throw fail(`cannot fetch ${commit} of`, e);
        }
        if (!(await hasCommit(dir, commit))) throw fail(`commit ${commit} is not in`, new Error('missing commit'));
      }
      return dir;
    });
  }

  /**
   * The tree of `repo` at `commit` as one tar stream, with the submodules its .gitmodules names filled in (see
   * submodules.ts). Without reachable submodules it is exactly `git archive` of the commit.
   */
  async archive(repo: string, commit: string, opts: ArchiveOptions = {}): Promise<Readable> {
    const gitDir = await this.ensureCommit(repo, commit);
    const subs = await resolveSubmodules({ sources: this, repo, gitDir, commit, onWarning: opts.onWarning });
    return subs.length ? concatArchives([{ gitDir, commit, prefix: '' }, ...subs], gitArchive) : gitArchive(gitDir, commit);
  }
}

/** The tree of a commit of a local git repository as a tar stream. */
export function gitArchive(gitDir: string, commit: string): Readable {
  const child = spawn('git', ['-C', gitDir, 'archive', '--format=tar', commit], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = new PassThrough();
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.pipe(out, { end: false });
  child.on('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(fail(`git archive ${commit} in ${gitDir} failed: ${err.trim()}`));
  });
  return out;
}

function fail(message: string): SweSrlError {
  return new SweSrlError({ code: 'source_unavailable', message, fault: 'environment' });
}

/** git's reason in one line: its last `fatal:` line when it printed one, else the first line. */
function gitReason(e: unknown): string {
  const lines = String((e as Error).message ?? e).split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.filter((l) => l.startsWith('fatal:')).at(-1) ?? lines[0] ?? 'unknown error').replace(/\.$/, '');
}

/** Whether dir is a usable bare repository (a clone killed midway, or a stray folder, is not). */
async function isBareRepo(dir: string): Promise<boolean> {
  try {
    return (await simpleGit(dir).raw(['rev-parse', '--is-bare-repository'])).trim() === 'true';
  } catch {
    return false;
  }
}

async function hasCommit(dir: string, commit: string): Promise<boolean> {
  try {
    await simpleGit(dir).raw(['cat-file', '-e', `${commit}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}
