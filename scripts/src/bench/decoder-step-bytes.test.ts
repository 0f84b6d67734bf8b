import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTestModel } from '../test-model.js';
import { PRESETS } from '../tiny-whisper/dims.js';
import { decoderStepBytes } from './decoder-step-bytes.js';

describe('bytes a cached decoder step reads', () => {
  it('counts the weights on the cached path only: no embedding tables, no cross-attention K/V projections', async () => {
    const { dModel: d, ffnDim: ffn, decoderLayers: layers } = PRESETS.test;
    const file = await readFile(path.join(await ensureTestModel(), 'onnx/decoder_model_merged.onnx'));
    const shape = { layers, dModel: d, frames: 1500, position: 10 };
    const { weights, caches } = decoderStepBytes(file, shape);
    // Per layer: self q k v out and cross q out (biases on all but k), fc1 and fc2, three layer norms.
    const perLayer = 6 * d * d + 5 * d + 2 * d * ffn + ffn + d + 3 * 2 * d;
    const params = layers * perLayer + 2 * d + d * 51865;
    // Plus the graph's small constants (shapes, scalars).
    expect(weights - params * 4).toBeGreaterThanOrEqual(0);
    expect(weights - params * 4).toBeLessThan(1024);
    expect(caches).toBe(2 * layers * d * 4 * (1500 + 10));

    const q8 = decoderStepBytes(
      await readFile(path.join(await ensureTestModel(), 'onnx/decoder_model_merged_quantized.onnx')),
      shape,
    );
    // Int8 codes plus a float scale per 32: 1.125 bytes a weight where there were 4.
    expect(q8.weights / weights).toBeGreaterThan(0.27);
    expect(q8.weights / weights).toBeLessThan(0.3);
  });
});
