/**
 * Builds the web app (web/ → web/dist, which wrangler.toml serves as the Worker's static assets) when
 * the build is missing or older than its sources. `npm start` calls it before wrangler starts, and
 * `npm test` runs it as a script first (`tsx scripts/src/build-web.ts`), so test stacks never rebuild
 * (and never empty web/dist under another running stack).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const web = path.join(root, 'web');
const builtIndex = path.join(web, 'dist', 'index.html');

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

export function webBuildIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const sources = ['src', 'index.html', 'docs', 'vite.config.ts', 'package.json'].map((p) =>
    path.join(web, p),
  );
  const shared = path.join(root, 'shared', 'src');
  const newest = Math.max(...[...sources, shared].filter(existsSync).map(newestMtime));
  return newest > statSync(builtIndex).mtimeMs;
}

export function buildWeb({ force = false } = {}): void {
  if (!force && !webBuildIsStale()) return;
  const result = spawnSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    cwd: web,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`the web app did not build (vite exited ${result.status})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  buildWeb({ force: process.argv.includes('--force') });
}
