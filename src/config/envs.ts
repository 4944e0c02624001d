// Loads the env specs of `envs/*.yaml` and finds the one serving a task's (repo, version).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { SweSrlError, formatPath } from '../util/errors.ts';
import { EnvSpecFileSchema, resolveGroup, type EnvSpec, type EnvSpecFile } from './env-spec.ts';

export const DEFAULT_ENVS_DIR = fileURLToPath(new URL('../../envs', import.meta.url));

export class EnvRegistry {
  constructor(private readonly byRepo: Map<string, EnvSpecFile>) {}

  /** The spec for (repo, version), or a user error naming what exists. */
  resolve(repo: string, version: string): EnvSpec {
    const file = this.byRepo.get(repo);
    if (!file) {
      throw new SweSrlError({
        code: 'no_env_spec',
        message: `no env spec for repo ${repo}`,
        fault: 'user',
        value: repo,
        hint: `Add envs/${repo.replace('/', '__')}.yaml. Known repos: ${[...this.byRepo.keys()].sort().join(', ')}`,
      });
    }
    const spec = resolveGroup(file, version);
    if (!spec) {
      throw new SweSrlError({
        code: 'no_env_spec',
        message: `the env spec of ${repo} serves no version ${JSON.stringify(version)}`,
        fault: 'user',
        hint: `Add a group for it (or "*"). Served: ${file.groups.flatMap((g) => g.versions).join(', ')}`,
      });
    }
    return spec;
  }

  repos(): string[] {
    return [...this.byRepo.keys()].sort();
  }
}

/** Reads every `*.yaml` in `dir` (validated; errors name the file and field). */
export async function loadEnvRegistry(dir = DEFAULT_ENVS_DIR): Promise<EnvRegistry> {
  const byRepo = new Map<string, EnvSpecFile>();
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  for (const name of names) {
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(file, 'utf8'));
    } catch (e) {
      throw new SweSrlError({ code: 'bad_env_spec', message: `not valid YAML: ${(e as Error).message}`, fault: 'user', file });
    }
    const parsed = EnvSpecFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SweSrlError({
        code: 'bad_env_spec',
        message: issue.message,
        fault: 'user',
        file,
        field: formatPath(issue.path),
      });
    }
    if (byRepo.has(parsed.data.repo)) {
      throw new SweSrlError({ code: 'bad_env_spec', message: `a second spec for ${parsed.data.repo}`, fault: 'user', file });
    }
    byRepo.set(parsed.data.repo, parsed.data);
  }
  return new EnvRegistry(byRepo);
}
