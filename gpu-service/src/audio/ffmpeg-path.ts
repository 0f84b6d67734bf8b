import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants } from 'node:fs';
import { createRequire } from 'node:module';

function runs(binary: string): boolean {
  try {
    execFileSync(binary, ['-version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

function bundledFfmpeg(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const { path } = require('@ffmpeg-installer/ffmpeg') as { path: string };
    // npm 11 does not run the package's chmod postinstall unless allowed, so do it here.
    try {
      accessSync(path, constants.X_OK);
    } catch {
      chmodSync(path, 0o755);
    }
    return path;
  } catch {
    return undefined;
  }
}

let cached: string | undefined;

/** FFMPEG_PATH, else the system ffmpeg (newer, more codecs), else the one npm installed with us. */
export function resolveFfmpeg(configured?: string): string {
  if (configured) return configured;
  if (cached) return cached;
  const candidates = ['ffmpeg', bundledFfmpeg()].filter((c): c is string => c !== undefined);
  const found = candidates.find(runs);
  if (!found) throw new Error('ffmpeg not found: install it (apt-get install ffmpeg) or set FFMPEG_PATH');
  cached = found;
  return found;
}
