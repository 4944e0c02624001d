// Image recipes as plain data: Dockerfile text and content-hash tags for env and instance images.
// base (debootstrap of one Debian line, see config/python-lines.ts) -> env (Debian packages, env setup: shared by a repo/version group) -> instance (repo at commit).
import { createHash } from 'node:crypto';
import type { EnvSpec } from '../config/env-spec.ts';
import { shellQuote } from '../util/shell.ts';

export const BASE_REF_TAG = 'swe-srl-base';
const RECIPE_VERSION = 1;

export interface Recipe {
  tag: string;
  dockerfile: string;
  labels: Record<string, string>;
}

function hash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

function envLines(env: Record<string, string>): string[] {
  return Object.entries(env)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `ENV ${k}=${JSON.stringify(v)}`);
}

/** The env image: the base plus the group's Debian packages, pip requirements, setup commands and variables. */
export function envRecipe(spec: EnvSpec, base: { ref: string; id: string; line?: string }, wheels?: WheelFolder): Recipe {
  const lines = [`FROM ${base.ref}`, ...envLines(spec.env)];
  if (spec.apt.length) {
    lines.push(
      'RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ' +
        `${[...spec.apt].sort().join(' ')} >/dev/null && rm -rf /var/lib/apt/lists/*`,
    );
  }
  if (spec.pip.length && wheels) {
    // Pinned wheels from the user's folder (the build context's wheels/), never an index.
    lines.push(
      'COPY wheels /tmp/swe-srl-wheels',
      `RUN python3 -m pip install --no-cache-dir --no-index --find-links /tmp/swe-srl-wheels ${spec.pip.map(shellQuote).join(' ')} && rm -rf /tmp/swe-srl-wheels`,
    );
  } else if (spec.pip.length) {
    lines.push(`RUN python3 -m pip install --no-cache-dir ${spec.pip.map(shellQuote).join(' ')}`);
  }
  for (const cmd of spec.env_setup) lines.push(`RUN ${cmd}`);
  const dockerfile = `${lines.join('\n')}\n`;
  const h = hash({ v: RECIPE_VERSION, base: base.id, dockerfile, ...(spec.pip.length && wheels ? { wheels: wheels.files } : {}) });
  return {
    tag: `swe-srl-env:${h}`,
    dockerfile,
    labels: {
      'swe-srl.kind': 'env',
      'swe-srl.recipe': h,
      'swe-srl.repo': spec.repo,
      'swe-srl.version': spec.version,
      ...(base.line ? { 'swe-srl.python-line': base.line } : {}),
    },
  };
}

/** A local folder of pip wheels: its path and its files' names and sizes (part of the env image's hash). */
export interface WheelFolder {
  dir: string;
  files: Array<[name: string, size: number]>;
}

export interface InstanceRecipeInput {
  instanceId: string;
  repo: string;
  baseCommit: string;
  spec: EnvSpec;
  envTag: string;
}

/** The instance image: /testbed is a git repo holding the tree at base_commit, installed, tagged swe-srl-base. */
export function instanceRecipe(i: InstanceRecipeInput): Recipe {
  const commitEnv =
    'GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z';
  const lines = [
    `FROM ${i.envTag}`,
    'COPY testbed /testbed',
    'WORKDIR /testbed',
    'RUN git config --global user.email swe-srl@localhost && git config --global user.name swe-srl && ' +
      "git config --global --add safe.directory '*' && git config --global init.defaultBranch main && " +
      `git init -q && git add -A && ${commitEnv} git commit -q --no-verify -m ${shellQuote(`base ${i.baseCommit}`)}`,
    ...i.spec.install.map((cmd) => `RUN ${cmd}`),
    // Whatever the install generated (and git does not ignore) belongs to the base state, so diffs show only edits.
    `RUN git add -A && ${commitEnv} git commit -q --no-verify --allow-empty -m setup && git tag ${BASE_REF_TAG}`,
  ];
  const dockerfile = `${lines.join('\n')}\n`;
  const h = hash({ v: RECIPE_VERSION, env: i.envTag, repo: i.repo, commit: i.baseCommit, dockerfile });
  const name = i.instanceId.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').slice(0, 100);
  return {
    tag: `swe-srl-inst:${name}-${h}`,
    dockerfile,
    labels: {
      'swe-srl.kind': 'instance',
      'swe-srl.recipe': h,
      'swe-srl.instance': i.instanceId,
      'swe-srl.base-commit': i.baseCommit,
    },
  };
}
