import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './test-support/stack.js';

/**
 * On a Node older than the project needs, the first error must name the fix. Needs an older Node on
 * the machine (Debian's /usr/bin/node is 20 here; CI provisions 22 beside it); skipped without one.
 */
const OLD_NODE = process.env.OLD_NODE_BIN ?? '/usr/bin/node';
const oldMajor = existsSync(OLD_NODE)
  ? Number(spawnSync(OLD_NODE, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout)
  : Number.NaN;
const haveOldNode = oldMajor > 0 && oldMajor < 22;
if (!haveOldNode)
  console.warn(`no Node < 22 at ${OLD_NODE} (set OLD_NODE_BIN): skipping the old-Node checks`);

describe.skipIf(!haveOldNode)(`on Node ${oldMajor}`, () => {
  it('npm ci stops at once with EBADENGINE, and its message says how to get Node 22', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'old-node-ci-'));
    for (const file of ['package.json', 'package-lock.json', '.npmrc', '.nvmrc']) {
      copyFileSync(path.join(root, file), path.join(dir, file));
    }
    for (const workspace of ['shared', 'workers', 'gpu-service', 'scripts', 'web']) {
      mkdirSync(path.join(dir, workspace));
      copyFileSync(path.join(root, workspace, 'package.json'), path.join(dir, workspace, 'package.json'));
    }
    const npm = path.join(path.dirname(OLD_NODE), 'npm');
    const run = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PATH: `${path.dirname(OLD_NODE)}:${process.env.PATH}` },
    });
    expect(run.status).not.toBe(0);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('npm error'));
    expect(errors[0]).toBe('npm error code EBADENGINE');
    const required = errors.find((line) => line.includes('Required:'));
    expect(required).toContain('"node":">=22.12"');
    expect(required).toContain('nvm install (reads .nvmrc)');
    expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
  });

  it('npm start and npm test refuse before any TypeScript runs, naming the fix', () => {
    const run = spawnSync(OLD_NODE, ['scripts/node-version-check.mjs'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^whisper-edge needs Node >=22\.12; this is Node \d+\.[\d.]+\. Fix: `nvm install`/,
    );
  });
});

describe('on the Node the project needs', () => {
  it('passes the version check silently', () => {
    const run = spawnSync(process.execPath, ['scripts/node-version-check.mjs'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect([run.status, run.stderr]).toEqual([0, '']);
  });
});
