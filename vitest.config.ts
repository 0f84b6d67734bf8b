import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
