// The real SWE-bench instances of ../shared/data/instances, and which of them the git-remote template
// (SWE_SRL_GIT_REMOTE, else ../.mirror/{owner}+{name}/repo beside the project) reaches. Shared by the docker tests
// that build them; those skip with a message for the unreachable ones.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RepoSources } from '../../src/sandbox/sources.ts';
import { parseTaskRows } from '../../src/tasks/load.ts';
import type { Task } from '../../src/tasks/schema.ts';
import { missingShared, PROJECT_ROOT, sharedPath } from './shared.ts';

const INSTANCES_REL = 'data/instances';
const INSTANCES = sharedPath(INSTANCES_REL);
export const template = process.env.SWE_SRL_GIT_REMOTE ?? resolve(PROJECT_ROOT, '../.mirror/{owner}+{name}/repo');
export const sources = new RepoSources({ remoteTemplate: template });

const rows = !missingShared('docker tests on the real SWE-bench instances', INSTANCES_REL)
  ? readdirSync(INSTANCES)
      .filter((d) => existsSync(join(INSTANCES, d, 'instance.json')))
      .sort()
      .map((d) => JSON.parse(readFileSync(join(INSTANCES, d, 'instance.json'), 'utf8')) as unknown)
  : [];

/** The instances whose repository the template reaches. */
export const reachableInstances: Task[] = parseTaskRows(rows, { file: INSTANCES }).filter((t) => sources.reachable(t.repo));

/** Warns once per test file about the instances it cannot build. */
export function warnUnreachable(what: string): void {
  const missing = parseTaskRows(rows, { file: INSTANCES }).filter((t) => !sources.reachable(t.repo));
  if (missing.length)
    console.warn(`[skip] ${what} without a reachable repository (template ${template}; set SWE_SRL_GIT_REMOTE): ${missing.map((t) => t.instance_id).join(', ')}`);
}
