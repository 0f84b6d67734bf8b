import { defineConfig } from 'vite';

// The Worker serves web/dist as static assets (wrangler.toml [assets]); the page calls the API on its own
// origin, so no dev proxy or CORS is needed. Two pages: the app, and the API reference at /docs/.
export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Swagger UI is one large prebuilt bundle; it loads only on /docs.
    chunkSizeWarningLimit: 2500,
    rollupOptions: { input: { main: 'index.html', docs: 'docs/index.html' } },
  },
});
