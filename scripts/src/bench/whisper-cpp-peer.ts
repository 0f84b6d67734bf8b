import { execFile } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exportGgml, type GgmlType } from '../tiny-whisper/ggml-export.js';

export interface WhisperCppTimes {
  type: GgmlType;
  /** One encoder run over a 30 s window. */
  encodeMs: number;
  /** One single-token decoder step (mean over positions 0–255). */
  decodeMs: number;
  /** What whisper.cpp reports it was built with (AVX512, OpenMP, …). */
  config: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * whisper.cpp on the same weights as our engine: the model directory exported to ggml (f16 and q8_0)
 * and timed by whisper.cpp's own benchmark, each in a child process with `threads` threads. Undefined
 * (with the reason logged) where the prebuilt addon is not installed (it ships for Linux x64 only).
 */
export async function whisperCppTimes(
  modelDir: string,
  threads: number,
  timeoutMs = 600_000,
): Promise<WhisperCppTimes[] | undefined> {
  try {
    createRequire(import.meta.url).resolve('@fugood/node-whisper-linux-x64');
  } catch {
    console.log(
      '  whisper.cpp: @fugood/node-whisper-linux-x64 is not installed here (Linux x64 only); skipped',
    );
    return undefined;
  }
  const dir = path.join(modelDir, 'ggml');
  await mkdir(dir, { recursive: true });
  const times: WhisperCppTimes[] = [];
  for (const type of ['f16', 'q8_0'] as const) {
    const file = path.join(dir, `ggml-model-${type}.bin`);
    const source = await stat(path.join(modelDir, 'onnx/decoder_model_merged.onnx'));
    const existing = await stat(file).catch(() => undefined);
    if (!existing || existing.mtimeMs < source.mtimeMs) await exportGgml(modelDir, file, type);
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', path.join(here, 'whisper-cpp-run.ts'), file, String(threads)],
        { timeout: timeoutMs, maxBuffer: 1 << 20 },
      );
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<WhisperCppTimes, 'type'>;
      times.push({ type, ...result });
    } catch (error) {
      // A peer that cannot finish (a crowded machine starves whisper.cpp's thread barriers) is reported,
      // not allowed to take our figures down with it.
      const e = error as { killed?: boolean; message: string };
      console.log(
        `  whisper.cpp ${type}: ${e.killed ? `did not finish its benchmark within ${timeoutMs / 1000} s` : `failed (${e.message.split('\n')[0]})`}`,
      );
      return times.length > 0 ? times : undefined;
    }
  }
  return times;
}
