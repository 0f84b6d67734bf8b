import { defineConfig } from 'vite';

// The Worker serves web/dist as static assets (wrangler.toml [assets]); the page calls the API on its own
// origin, so no dev proxy or CORS is needed.
export default defineConfig({
  root: import.meta.dirname,
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
