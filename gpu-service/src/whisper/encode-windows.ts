import * as ort from 'onnxruntime-node';
import { N_FRAMES } from '../audio/whisper-audio.js';
import type { WhisperModel } from '../models/whisper-model.js';
import type { FeatureExtractor } from './decode-types.js';

/**
 * A window the encoder has already run on (language detection encodes the first one), so decoding it
 * does not pay for the encoder twice.
 */
export interface EncodedWindow {
  samples: Float32Array;
  /** `last_hidden_state`, [1 × frames × d_model]. */
  hidden: ort.Tensor;
}

/** 16 kHz samples to encode, or a window already encoded. */
export type WindowInput = Float32Array | EncodedWindow;

export const samplesOf = (window: WindowInput): Float32Array =>
  window instanceof Float32Array ? window : window.samples;

async function runEncoder(
  model: WhisperModel,
  features: FeatureExtractor,
  windows: Float32Array[],
): Promise<ort.Tensor> {
  const extracted = await features.extract(windows);
  const frame = model.nMels * N_FRAMES;
  const data = new Float32Array(extracted.length * frame);
  extracted.forEach((f, i) => {
    data.set(f, i * frame);
  });
  const input = new ort.Tensor('float32', data, [extracted.length, model.nMels, N_FRAMES]);
  const { last_hidden_state } = await model.sessions.encoder.run({ input_features: input });
  return last_hidden_state!;
}

/** The float32 (or, from fp16 exports, float16) rows of one batch tensor, stacked into another. */
function stackRows(rows: Array<{ tensor: ort.Tensor; row: number }>): ort.Tensor {
  const [, frames, width] = rows[0]!.tensor.dims as [number, number, number];
  const size = frames * width;
  const dims = [rows.length, frames, width];
  const copy = <T extends Float32Array | Uint16Array>(out: T): T => {
    for (const [i, { tensor, row }] of rows.entries())
      out.set((tensor.data as T).subarray(row * size, (row + 1) * size), i * size);
    return out;
  };
  return rows[0]!.tensor.type === 'float16'
    ? new ort.Tensor('float16', copy(new Uint16Array(rows.length * size)), dims)
    : new ort.Tensor('float32', copy(new Float32Array(rows.length * size)), dims);
}

/**
 * The encoder's output for a batch, [windows × frames × d_model]: the windows still to encode go
 * through the encoder together, and already-encoded ones are put back in their places.
 */
export async function encodeWindows(
  model: WhisperModel,
  features: FeatureExtractor,
  windows: WindowInput[],
): Promise<ort.Tensor> {
  const fresh = windows.filter((w) => w instanceof Float32Array);
  if (fresh.length === windows.length) return runEncoder(model, features, fresh);
  const encoded = fresh.length > 0 ? await runEncoder(model, features, fresh) : undefined;
  let next = 0;
  return stackRows(
    windows.map((w) =>
      w instanceof Float32Array ? { tensor: encoded!, row: next++ } : { tensor: w.hidden, row: 0 },
    ),
  );
}
