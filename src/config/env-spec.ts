// Env specs (`envs/*.yaml`): how to build and test one repository, keyed by repo and version as SWE-bench keys its
// specs. A spec file holds one repo and a list of version groups; the first group whose `versions` matches wins.
import { z } from 'zod';
import { BASE_LINE_NAMES, chooseBase, type BaseChoice, type BaseLine } from './python-lines.ts';

export const ENV_SPEC_VERSION = 1;

const VersionGroupSchema = z
  .object({
    /** Version strings this group serves; "*" matches any version. */
    versions: z.array(z.string().min(1)).min(1),
    /**
     * The Debian base (Python line): bullseye (3.9), bookworm (3.11), trixie (3.13), or "auto", the line nearest
     * to the Python SWE-bench pins for the task's repo/version (bookworm for repositories SWE-bench does not know).
     */
    base: z.enum(['auto', ...(BASE_LINE_NAMES as [BaseLine, ...BaseLine[]])]).default('auto'),
    /** Debian packages installed in the env image (from the base's Debian line). */
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
export interface EnvSpec extends Omit<VersionGroup, 'base'> {
  /** The pinned line ("auto" or absent: chosen from SWE-bench's Python). */
  base?: VersionGroup['base'];
  repo: string;
  version: string;
  /** The base this (repo, version) builds on; absent in hand-made specs, where the builder chooses it the same way. */
  base_choice?: BaseChoice;
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
    base_choice: chooseBase({ repo: file.repo, version, pinned: group.base }),
  };
}
