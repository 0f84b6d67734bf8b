/**
 * Where a worker's module is and how Node must start it. The service runs from TypeScript
 * sources under tsx (`node --import tsx`), and so do tests and scripts; a worker does not
 * reliably inherit the parent's loader (vitest, for one, starts Node without it), so a
 * `.ts` worker is given tsx explicitly. Compiled `.js` needs nothing.
 */
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerScript {
  url: URL;
  execArgv: string[] | undefined;
}

/** `basename` without extension, resolved next to the module at `moduleUrl` (its import.meta.url). */
export function siblingWorkerScript(moduleUrl: string, basename: string): WorkerScript {
  const extension = extname(fileURLToPath(moduleUrl));
  const url = new URL(`./${basename}${extension}`, moduleUrl);
  if (extension !== '.ts') return { url, execArgv: undefined };
  // Resolved from this package rather than the working directory, so any cwd works.
  const tsxLoader = pathToFileURL(createRequire(moduleUrl).resolve('tsx')).href;
  return { url, execArgv: ['--import', tsxLoader] };
}
