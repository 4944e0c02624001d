// Env specs (`envs/*.yaml`): how to build and test one repository, keyed by repo and version as SWE-bench keys its
// specs. A spec file holds one repo and a list of version groups; the first group whose `versions` matches wins.
import { z } from 'zod';

export const ENV_SPEC_VERSION = 1;

const VersionGroupSchema = z
  .object({
    /** Version strings this group serves; "*" matches any version. */
    versions: z.array(z.string().min(1)).min(1),
    /** Debian packages installed in the env image (bookworm). */
    apt: z.array(z.string().min(1)).default([]),
    /** pip requirements, for engines that reach a Python package index (optional; none is reachable here). */
    pip: z.array(z.string().min(1)).default([]),
    /** Shell commands run in the env image after the packages (shared by every instance of this group). */
    env_setup: z.array(z.string()).default([]),
    /** Environment variables set in the env image and for every command in the sandbox; "{version}" is substituted. */
    env: z.record(z.string()).default({}),
    /** Shell commands run in /testbed of the instance image after the repo is in place (e.g. editable install). */
    install: z.array(z.string()).default([]),
    /** Test command; the test files of the task are appended (after directive transformation). */
    test_cmd: z.string().min(1),
    /** Log parser registry name (see src/harness/log-parsers). */
    log_parser: z.string().min(1),
    /** How test-file paths become test-command arguments: as paths, or as django/sympy-style directives. */
    directives: z.enum(['paths', 'django', 'sympy']).default('paths'),
    /** Seconds the test command may run before it is killed. */
    timeout_s: z.number().int().positive().default(1800),
  })
  .strict();

export const EnvSpecFileSchema = z
  .object({
    version: z.literal(ENV_SPEC_VERSION).default(ENV_SPEC_VERSION),
    /** "owner/name" as in the task rows. */
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected "owner/name"'),
    groups: z.array(VersionGroupSchema).min(1),
  })
  .strict();

export type VersionGroup = z.output<typeof VersionGroupSchema>;
export type EnvSpecFile = z.output<typeof EnvSpecFileSchema>;

/** The resolved spec for one (repo, version): what the image builder and the harness need. */
export interface EnvSpec extends VersionGroup {
  repo: string;
  version: string;
}

/** Picks the version group serving `version` (exact match first, then "*"); undefined when none does. */
export function resolveGroup(file: EnvSpecFile, version: string): EnvSpec | undefined {
  const group =
    file.groups.find((g) => g.versions.includes(version)) ?? file.groups.find((g) => g.versions.includes('*'));
  if (!group) return undefined;
  // "{version}" in variables and commands stands for the task's version (e.g. a setuptools-scm pretend version).
  const sub = (s: string) => s.replaceAll('{version}', version);
  return {
    ...group,
    env: Object.fromEntries(Object.entries(group.env).map(([k, v]) => [k, sub(v)])),
    env_setup: group.env_setup.map(sub),
    install: group.install.map(sub),
    test_cmd: sub(group.test_cmd),
    repo: file.repo,
    version,
  };
}
