import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './test-support/stack.js';

/** `npm start` reads API_KEYS with the Worker's own grammar and stops before starting anything. */
describe('npm start with a bad API_KEYS', () => {
  it('exits at once naming the entry and the rule, never printing the key', () => {
    const run = spawnSync(
      path.join(root, 'node_modules/.bin/tsx'),
      ['scripts/src/dev.ts', '--edge-only', '--api-keys', 'alice:tooshort-secret'],
      { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, API_KEYS: '' } },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('API_KEYS is not valid: entry 1 of 1 has a key of 15 characters');
    expect(run.stderr + run.stdout).not.toContain('tooshort-secret');
    expect(run.stdout).not.toContain('wrangler');
  });
});
