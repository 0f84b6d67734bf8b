import { defineProject } from 'vitest/config';

export default defineProject({
  // happy-dom: the DOM modules (transcript view, export panel) render into a real document model.
  test: { name: 'web', environment: 'happy-dom', include: ['src/**/*.test.ts'] },
});
