// Temp folders for tests: made under os.tmpdir() with a swe-srl- prefix and removed once the importing file's tests
// are done, so a run leaves the temp folder as it found it. Import it before any describe (the hook is file-level).
import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

afterAll(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
});

/** A new empty folder named swe-srl-<what>-XXXXXX, removed after this file's tests. */
export async function tempDir(what = 'test'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `swe-srl-${what}-`));
  made.push(dir);
  return dir;
}

/** tempDir for code that cannot await (module level, synchronous helpers). */
export function tempDirSync(what = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `swe-srl-${what}-`));
  made.push(dir);
  return dir;
}
