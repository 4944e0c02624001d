import { defineConfig } from 'vitest/config';

// Docker tests share one engine on a 2-core machine: files run in parallel (forks), but the docker
// suites serialise their heavy work through the engine itself.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
