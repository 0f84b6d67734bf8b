import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export type ModelSource =
  | { kind: 'local'; dir: string; id: string }
  | { kind: 'hub'; id: string; cacheDir: string };

function isDirectory(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** A path (absolute, ./relative, or an existing directory) is a local model; anything else is a hub id. */
export function resolveModelSource(spec: string, modelDir: string): ModelSource {
  const looksLikePath = path.isAbsolute(spec) || spec.startsWith('./') || spec.startsWith('../');
  if (looksLikePath || isDirectory(spec)) {
    const dir = path.resolve(spec);
    return { kind: 'local', dir: path.dirname(dir), id: path.basename(dir) };
  }
  return { kind: 'hub', id: spec, cacheDir: path.resolve(modelDir) };
}

/** Whether a hub model has at least its config in the cache, i.e. whether loading can work offline. */
export function isCached(source: ModelSource): boolean {
  if (source.kind === 'local') return true;
  return existsSync(path.join(source.cacheDir, source.id, 'config.json'));
}

export function loadFailureMessage(source: ModelSource, cause: string): string {
  if (source.kind === 'local') {
    return `Model directory ${path.join(source.dir, source.id)} could not be loaded (${cause}). Fix: point WHISPER_MODEL at a directory holding config.json and onnx/*.onnx.`;
  }
  return (
    `Model '${source.id}' is not in MODEL_DIR (${source.cacheDir}) and could not be downloaded from the Hugging Face Hub (${cause}). ` +
    `Fix: start once with network access so it downloads into MODEL_DIR, copy a downloaded copy there, ` +
    `or set WHISPER_MODEL to a local model directory.`
  );
}
