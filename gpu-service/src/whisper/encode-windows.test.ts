import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { WhisperModel } from '../models/whisper-model.js';
import type { FeatureExtractor } from './decode-types.js';
import { encodeWindows } from './encode-windows.js';

const FRAMES = 3;
const WIDTH = 2;

/**
 * A stand-in encoder whose every output row is filled with its window's first sample, so where each
 * row ends up is visible; `type` is what it answers in (fp16 exports answer float16).
 */
function fakeModel(
  type: 'float32' | 'float16',
  runs: number[],
): { model: WhisperModel; features: FeatureExtractor } {
  const features: FeatureExtractor = {
    extract: async (windows) => windows.map((w) => new Float32Array(80 * 3000).fill(w[0]!)),
  };
  const encoder = {
    run: async ({ input_features }: { input_features: ort.Tensor }) => {
      const [batch] = input_features.dims as [number];
      runs.push(batch);
      const values = Array.from(
        { length: batch * FRAMES * WIDTH },
        (_, i) => (input_features.data as Float32Array)[Math.floor(i / (FRAMES * WIDTH)) * 80 * 3000]!,
      );
      const data = type === 'float16' ? Uint16Array.from(values) : Float32Array.from(values);
      return { last_hidden_state: new ort.Tensor(type, data, [batch, FRAMES, WIDTH]) };
    },
  };
  const model = { nMels: 80, sessions: { encoder } } as unknown as WhisperModel;
  return { model, features };
}

const window = (value: number) => new Float32Array(16_000).fill(value);
const encodedRow = (type: 'float32' | 'float16', value: number) => ({
  samples: window(value),
  hidden: new ort.Tensor(
    type,
    type === 'float16'
      ? new Uint16Array(FRAMES * WIDTH).fill(value)
      : new Float32Array(FRAMES * WIDTH).fill(value),
    [1, FRAMES, WIDTH],
  ),
});

describe('encodeWindows', () => {
  for (const type of ['float32', 'float16'] as const) {
    it(`encodes only the windows not yet encoded and keeps every row in its place (${type})`, async () => {
      const runs: number[] = [];
      const { model, features } = fakeModel(type, runs);
      const hidden = await encodeWindows(model, features, [window(1), encodedRow(type, 2), window(3)]);
      expect(runs).toEqual([2]);
      expect(hidden.type).toBe(type);
      expect(hidden.dims).toEqual([3, FRAMES, WIDTH]);
      expect(Array.from(hidden.data as ArrayLike<number>)).toEqual(
        [1, 2, 3].flatMap((v) => new Array<number>(FRAMES * WIDTH).fill(v)),
      );
    });
  }

  it('runs no encoder when every window is already encoded, and the encoder alone when none is', async () => {
    const runs: number[] = [];
    const { model, features } = fakeModel('float32', runs);
    const both = await encodeWindows(model, features, [encodedRow('float32', 4), encodedRow('float32', 5)]);
    expect(runs).toEqual([]);
    expect(both.dims).toEqual([2, FRAMES, WIDTH]);
    const plain = await encodeWindows(model, features, [window(6)]);
    expect(runs).toEqual([1]);
    expect(Array.from(plain.data as Float32Array)).toEqual(new Array<number>(FRAMES * WIDTH).fill(6));
  });
});
