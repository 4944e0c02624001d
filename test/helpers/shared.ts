// The real data beside the project (../shared: SWE-bench rows, instances, trajectories). A public clone has none,
// so the tests that read it skip with one line saying what they need. CI sets SWE_SRL_REQUIRE_SHARED=1: there a
// missing path fails the test file instead, so a skip can never hide a regression.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe } from 'vitest';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const SHARED_DIR = resolve(PROJECT_ROOT, '../shared');

/** The absolute path of rel under ../shared (e.g. 'data/swe-bench-lite.json'), whether or not it exists. */
export function sharedPath(rel: string): string {
  return resolve(SHARED_DIR, rel);
}

/** Whether a missing shared path must fail rather than skip (CI, where ../shared is always beside the project). */
export function sharedRequired(): boolean {
  return process.env.SWE_SRL_REQUIRE_SHARED === '1';
}

/**
 * True when any of rels is missing under ../shared: warns one line naming `what` and the missing paths, for the
 * caller to skip; throws instead under SWE_SRL_REQUIRE_SHARED=1. Call it once per test file and group.
 */
export function missingShared(what: string, ...rels: string[]): boolean {
  const missing = rels.filter((rel) => !existsSync(sharedPath(rel)));
  if (missing.length === 0) return false;
  const shown = missing.map((rel) => relative(PROJECT_ROOT, sharedPath(rel))).join(', ');
  if (sharedRequired()) {
    throw new Error(`${what}: needs ${shown}, which is missing (SWE_SRL_REQUIRE_SHARED=1 makes this an error; put the shared data beside the project or unset it)`);
  }
  console.warn(`[skip] ${what}: needs ${shown} (absent in a public clone)`);
  return true;
}

/** A describe block that skips, with one line, when rels are missing under ../shared (see missingShared). */
export function describeShared(name: string, rels: string | readonly string[], fn: () => void): void {
  const skip = missingShared(name, ...(typeof rels === 'string' ? [rels] : rels));
  // vitest still runs the factory of a skipped block to list its tests, so it must not read shared files itself.
  describe.skipIf(skip)(name, fn);
}
