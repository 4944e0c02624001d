// Shared by *.docker.test.ts: is an engine reachable, and which base image to use.
import { execFileSync } from 'node:child_process';

export const BASE_IMAGE = process.env.SWE_SRL_BASE_IMAGE ?? 'swe-srl-base:bookworm';

function probe(): string | undefined {
  try {
    execFileSync('docker', ['image', 'inspect', BASE_IMAGE], { stdio: 'ignore', timeout: 20_000 });
    return undefined;
  } catch {
    return `no Docker engine with image ${BASE_IMAGE} (run \`npm run setup\`)`;
  }
}

/** Why docker tests must skip, or undefined when they can run. */
export const dockerSkipReason = probe();
if (dockerSkipReason) console.warn(`[skip] docker tests: ${dockerSkipReason}`);
