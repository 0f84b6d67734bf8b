import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

// Some packages do not export their package.json, so find it above the resolved entry point.
function packageVersion(name: string): string | null {
  try {
    let dir = path.dirname(require.resolve(name));
    while (dir !== path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      if (existsSync(manifest)) {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? null;
      }
      dir = path.dirname(dir);
    }
    return null;
  } catch {
    return null;
  }
}

let cached: Record<string, string | null> | undefined;

export function versions(): Record<string, string | null> {
  cached ??= {
    node: process.versions.node,
    transformers: packageVersion('@huggingface/transformers'),
    onnxruntime: packageVersion('onnxruntime-node'),
  };
  return cached;
}
