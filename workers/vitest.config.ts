import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineProject } from 'vitest/config';

const wranglerToml = fileURLToPath(new URL('../wrangler.toml', import.meta.url));

export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: wranglerToml },
      miniflare: {
        // Secrets are not in wrangler.toml; tests use their own. The GPU service is not reachable from
        // workerd here, so tests that need it stub `fetch` and say so.
        bindings: { GPU_SHARED_SECRET: 'test-secret', GPU_SERVICE_URL: 'http://gpu.test' },
      },
    }),
  ],
  test: { name: 'workers', include: ['src/**/*.test.ts'] },
});
