// What the host itself offers to tests that run commands outside any container.
import { execFileSync } from 'node:child_process';

/** Why tests that run the bundled tasks' tests on the host (local sandboxes) must skip, or undefined: pytest there. */
export const hostPytestSkipReason: string | undefined = (() => {
  try {
    execFileSync('pytest', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'no pytest on this host (the bundled tasks run their tests with it; npm run setup installs python3-pytest)';
  }
})();
