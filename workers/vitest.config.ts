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
        // A pool of two: gpu-b.test is unreachable unless a test's stub answers for it.
        bindings: {
          GPU_SHARED_SECRET: 'test-secret',
          OBJECT_URL_SECRET: 'object-url-secret-for-tests',
          GPU_SERVICE_URL: 'http://gpu.test',
          GPU_SERVICE_URLS: 'http://gpu.test,http://gpu-b.test',
          JOB_RETRY_BASE_SECONDS: '0',
          WEBHOOK_RETRY_BASE_SECONDS: '1',
          WEBHOOK_TIMEOUT_SECONDS: '1',
          GPU_IDLE_TIMEOUT_SECONDS: '5',
          REALTIME_RECONNECT_SECONDS: '2',
          WEBHOOK_SECRET: `whsec_${btoa('webhook-secret-for-tests-32bytes')}`,
        },
      },
    }),
  ],
  test: { name: 'workers', include: ['src/**/*.test.ts'] },
});
