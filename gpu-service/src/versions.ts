import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
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
