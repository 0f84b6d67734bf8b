import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Both services log a JSON line per request: shown for failing tests only, where it helps.
    silent: 'passed-only',
    projects: [
      'shared/vitest.config.ts',
      'workers/vitest.config.ts',
      'gpu-service/vitest.config.ts',
      'scripts/vitest.config.ts',
      'web/vitest.config.ts',
      'cli/vitest.config.ts',
    ],
  },
});
