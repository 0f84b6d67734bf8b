import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'scripts',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Each file runs a whole local stack; two at once on two cores only slows both.
    fileParallelism: false,
  },
});
