import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fetchWithHeaderTimeout } from '../models/hub-fetch.js';

export interface OnnxFileOptions {
  /** Where hub downloads are cached (MODEL_DIR). */
  modelDir: string;
  /** The environment variable that named the model, for error messages. */
  setting: string;
  /** File inside a hub repository when the id does not name one (`owner/name:path/to/file.onnx`). */
  defaultFile: string;
  remoteHost?: string | undefined;
  hubTimeoutMs?: number;
}

/**
 * A single-file ONNX model by id, as Whisper models are found: an .onnx path, a directory holding
 * `model.onnx` or `onnx/model.onnx`, or a Hugging Face Hub id downloaded once into MODEL_DIR.
 */
export async function resolveOnnxFile(spec: string, options: OnnxFileOptions): Promise<string> {
  if (existsSync(spec) && statSync(spec).isFile()) return path.resolve(spec);
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    for (const candidate of ['model.onnx', 'onnx/model.onnx']) {
      if (existsSync(path.join(spec, candidate))) return path.resolve(spec, candidate);
    }
    throw new Error(`${options.setting}: directory ${spec} holds neither model.onnx nor onnx/model.onnx`);
  }
  const [id, file = options.defaultFile] = spec.split(':') as [string, string | undefined];
  const cached = path.resolve(options.modelDir, id, file);
  if (existsSync(cached)) return cached;
  const host = (options.remoteHost ?? 'https://huggingface.co/').replace(/\/?$/, '/');
  const url = `${host}${id}/resolve/main/${file}`;
  try {
    const response = await fetchWithHeaderTimeout(options.hubTimeoutMs ?? 15_000)(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    mkdirSync(path.dirname(cached), { recursive: true });
    // Written aside and renamed, so an interrupted download never looks cached.
    writeFileSync(`${cached}.part`, bytes);
    renameSync(`${cached}.part`, cached);
    return cached;
  } catch (error) {
    throw new Error(
      `${options.setting}='${spec}' is not in MODEL_DIR (${cached}) and could not be downloaded from ${url} (${(error as Error).message}). ` +
        'Fix: start once with network access, copy the file there, or point the setting at a local .onnx file.',
    );
  }
}
