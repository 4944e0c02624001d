// Git submodules of a source tree. `git archive` leaves a submodule's folder empty; here each gitlink of the commit
// that the commit's own .gitmodules names is found through the same git-remote template as the main repository
// and its tree at the gitlink's commit is put under its path, in the same tar stream.
import { posix } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import tar from 'tar-stream';
import { copyTarEntries } from './tar-copy.ts';
import { simpleGit } from 'simple-git';

/** Nested submodules are followed this deep (a submodule of a submodule is depth 2). */
export const MAX_SUBMODULE_DEPTH = 4;

/** A submodule as the parent commit records it: its gitlink (path, commit) and its .gitmodules URL. */
export interface Gitlink {
  path: string;
  commit: string;
  url: string;
}

/** One tree of the combined archive: a commit of a local git repository, placed under `prefix` ('' for the root). */
export interface TreePart {
  gitDir: string;
  commit: string;
  prefix: string;
}

/** What submodule resolution needs of the sources (RepoSources implements it). */
export interface SubmoduleSources {
  readonly template: string;
  reachable(repo: string): boolean;
  ensureCommit(repo: string, commit: string): Promise<string>;
}

/**
 * owner/name of a submodule URL, or undefined when it names no GitHub repository (pure). Relative URLs (`../n.git`)
 * are resolved against the parent repository `owner/name`, as git resolves them against the parent's remote.
 */
export function submoduleRepo(url: string, parent: string): string | undefined {
  const u = url.trim();
  let path: string | undefined;
  if (u.startsWith('./') || u.startsWith('../')) {
    path = posix.normalize(posix.join('/', parent, u));
  } else {
    const m =
      /^(?:https?|git|ssh):\/\/(?:[^@/]+@)?github\.com(?::\d+)?\/(.+)$/i.exec(u) ?? /^(?:[^@/]+@)?github\.com:(.+)$/i.exec(u);
    path = m?.[1];
  }
  if (!path) return undefined;
  const parts = path.replace(/\/+$/, '').replace(/\.git$/, '').split('/').filter(Boolean);
  if (parts.length !== 2 || parts.some((p) => p === '..' || p === '.')) return undefined;
  return `${parts[0]}/${parts[1]}`;
}

/** The path -> URL entries of a .gitmodules file in `git config -z --list` form (pure). */
export function parseGitmodules(listing: string): Map<string, string> {
  const byName = new Map<string, { path?: string; url?: string }>();
  for (const item of listing.split('\0')) {
    const nl = item.indexOf('\n');
    if (nl < 0) continue;
    // submodule.<name>.path / .url; a name may itself hold dots
    const m = /^submodule\.(.+)\.(path|url)$/.exec(item.slice(0, nl));
    if (!m) continue;
    const entry = byName.get(m[1]!) ?? {};
    entry[m[2] as 'path' | 'url'] = item.slice(nl + 1);
    byName.set(m[1]!, entry);
  }
  const out = new Map<string, string>();
  for (const { path, url } of byName.values()) if (path && url) out.set(posix.normalize(path).replace(/\/+$/, ''), url);
  return out;
}

/** The gitlinks of `commit` that its .gitmodules gives a URL; none when the commit has no .gitmodules. */
export async function listGitlinks(gitDir: string, commit: string): Promise<Gitlink[]> {
  const git = simpleGit(gitDir);
  try {
    await git.raw(['cat-file', '-e', `${commit}:.gitmodules`]);
  } catch {
    return [];
  }
  let listing: string;
  try {
    listing = await git.raw(['config', '-z', '--blob', `${commit}:.gitmodules`, '--list']);
  } catch {
    return []; // a .gitmodules git cannot parse names no submodule git could check out either
  }
  const urls = parseGitmodules(listing);
  if (urls.size === 0) return [];
  const links: Gitlink[] = [];
  for (const line of (await git.raw(['ls-tree', '-r', '-z', commit])).split('\0')) {
    // <mode> SP <type> SP <object> TAB <path>
    const m = /^160000 commit ([0-9a-f]+)\t(.+)$/.exec(line);
    const url = m && urls.get(m[2]!);
    if (m && url) links.push({ path: m[2]!, commit: m[1]!, url });
  }
  return links;
}

/**
 * The submodule trees under a commit, nested ones included (up to MAX_SUBMODULE_DEPTH), each with its prefix in the
 * parent's tree. A submodule the template does not reach, or whose commit is missing, is skipped with one warning
 * line naming its path, URL and the fix: its folder stays empty, as git archive leaves it.
 */
export async function resolveSubmodules(o: {
  sources: SubmoduleSources;
  repo: string;
  gitDir: string;
  commit: string;
  onWarning?: (line: string) => void;
  prefix?: string;
  depth?: number;
}): Promise<TreePart[]> {
  const depth = o.depth ?? 1;
  const parts: TreePart[] = [];
  for (const link of await listGitlinks(o.gitDir, o.commit)) {
    const at = o.prefix ? `${o.prefix}/${link.path}` : link.path;
    const warn = (why: string, fix: string) =>
      o.onWarning?.(`warning: submodule ${at} (${link.url}) left empty: ${why}; ${fix}`);
    if (depth > MAX_SUBMODULE_DEPTH) {
      warn(`nested deeper than ${MAX_SUBMODULE_DEPTH} submodules`, 'nothing to do unless the build needs it');
      continue;
    }
    const repo = submoduleRepo(link.url, o.repo);
    if (!repo) {
      warn('the URL names no GitHub repository the git-remote template could map', 'vendor it or mirror it under a GitHub owner/name');
      continue;
    }
    const fix = `mirror ${repo} where the git-remote template reaches it (${safeRemote(o.sources.template, repo)}), or set --git-remote / SWE_SRL_GIT_REMOTE`;
    if (!o.sources.reachable(repo)) {
      warn(`the git-remote template does not reach ${repo}`, fix);
      continue;
    }
    let gitDir: string;
    try {
      gitDir = await o.sources.ensureCommit(repo, link.commit);
    } catch (e) {
      warn(`commit ${link.commit} of ${repo} is unavailable (${(e as Error).message.split('\n')[0]})`, fix);
      continue;
    }
    parts.push({ gitDir, commit: link.commit, prefix: at });
    parts.push(...(await resolveSubmodules({ ...o, repo, gitDir, commit: link.commit, prefix: at, depth: depth + 1 })));
  }
  return parts;
}

/** Several trees as ONE tar stream, each tree's entries under its prefix; git's pax global headers are left out. */
export function concatArchives(parts: TreePart[], archive: (gitDir: string, commit: string) => Readable): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  (async () => {
    for (const part of parts) await copyTarEntries(archive(part.gitDir, part.commit), pack, part.prefix);
    pack.finalize();
  })().catch((e: unknown) => {
    out.destroy(e as Error);
    pack.destroy();
  });
  return out;
}


// The template filled for a repository, for a hint; the template itself when it cannot be filled.
function safeRemote(template: string, repo: string): string {
  const [owner = '', name = ''] = repo.split('/');
  return template.replaceAll('{owner}', owner).replaceAll('{name}', name);
}

