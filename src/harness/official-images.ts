// Names of the official SWE-bench instance images on Docker Hub, and the shell prefix their eval scripts use
// (repo in /testbed, conda env "testbed").

export type ImageArch = 'x86_64' | 'arm64';

export interface OfficialImageOptions {
  /** 'amd64' is accepted and published as 'x86_64', as SWE-bench does. */
  arch?: ImageArch | 'amd64';
  /** Registry namespace; null for a locally built image name (no "__" rewriting). */
  namespace?: string | null;
  tag?: string;
}

/** The commands that start every command in an official image. */
export const OFFICIAL_IMAGE_PREFIX_COMMANDS: readonly string[] = [
  'source /opt/miniconda3/bin/activate',
  'conda activate testbed',
  'cd /testbed',
];

/** The same prefix as one shell line. */
export const OFFICIAL_IMAGE_PREFIX = OFFICIAL_IMAGE_PREFIX_COMMANDS.join('; ');

/**
 * SWE-bench's image name for an instance: `swebench/sweb.eval.x86_64.<id>:latest`, with "__" replaced by
 * "_1776_" (Docker Hub forbids double underscores) in the whole name, then lowercased.
 */
export function officialImageName(instanceId: string, opts: OfficialImageOptions = {}): string {
  const arch = opts.arch === undefined || opts.arch === 'amd64' ? 'x86_64' : opts.arch;
  const namespace = opts.namespace === undefined ? 'swebench' : opts.namespace;
  let key = `sweb.eval.${arch}.${instanceId}:${opts.tag ?? 'latest'}`;
  if (namespace !== null) key = `${namespace}/${key}`.replaceAll('__', '_1776_');
  return key.toLowerCase();
}
