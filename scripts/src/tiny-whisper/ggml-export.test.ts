import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { halfToFloat } from '@whisper-edge/gpu-service/whisper/float16';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from './dims.js';
import { exportGgml, floatToHalf, q80 } from './ggml-export.js';
import { makeTempModel, type TempModel } from './test-helpers.js';

/** The tensors of a ggml Whisper file: name → [type, ne]. */
function tensors(file: Buffer): Map<string, { type: number; ne: number[] }> {
  let at = 4 * 12;
  const int = () => {
    const v = file.readInt32LE(at);
    at += 4;
    return v;
  };
  const [nMel, nFft] = [int(), int()];
  at += nMel * nFft * 4;
  const words = int();
  for (let i = 0; i < words; i++) {
    const length = int();
    at += length;
  }
  const out = new Map<string, { type: number; ne: number[] }>();
  while (at < file.length) {
    const [dims, nameLength, type] = [int(), int(), int()];
    const ne = Array.from({ length: dims }, int);
    const name = file.toString('utf8', at, at + nameLength);
    at += nameLength;
    const count = ne.reduce((a, b) => a * b, 1);
    at += type === 0 ? count * 4 : type === 1 ? count * 2 : (count / 32) * 34;
    out.set(name, { type, ne });
  }
  return out;
}

describe('ggml export (whisper.cpp model file)', () => {
  let model: TempModel;
  const dims = PRESETS.test;
  beforeAll(async () => {
    model = await makeTempModel({ preset: 'test', seed: 6 });
  });
  afterAll(() => model?.cleanup());

  it('rounds floats to half as ggml does, and Q8_0 blocks back to within half a step', () => {
    for (const x of [0, 1, -2.5, 65504, 1e-5, 3.25, -0.000061])
      expect(Math.abs(halfToFloat(floatToHalf(x)) - x)).toBeLessThanOrEqual(
        Math.abs(x) * 2 ** -11 + 2 ** -25,
      );
    const row = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * (i + 1));
    const blocks = q80(row);
    expect(blocks.length).toBe(2 * 34);
    const view = new DataView(blocks.buffer);
    for (let i = 0; i < 64; i++) {
      const block = Math.floor(i / 32);
      const d = halfToFloat(view.getUint16(block * 34, true));
      expect(Math.abs(view.getInt8(block * 34 + 2 + (i % 32)) * d - row[i]!)).toBeLessThanOrEqual(
        d / 2 + 1e-3,
      );
    }
  });

  it("writes every tensor whisper.cpp's loader asks for, in its names, shapes and types", async () => {
    for (const type of ['f16', 'q8_0'] as const) {
      const out = join(model.dir, `ggml-${type}.bin`);
      await exportGgml(model.dir, out, type);
      const file = await readFile(out);
      expect(file.readUInt32LE(0)).toBe(0x67676d6c);
      expect(file.readInt32LE(4 * 11)).toBe(type === 'f16' ? 1 : 7);
      const found = tensors(file);
      // whisper.cpp: 7 + 15 per encoder layer, 4 + 24 per decoder layer, and nothing else.
      expect(found.size).toBe(7 + 15 * dims.encoderLayers + 4 + 24 * dims.decoderLayers);
      const d = dims.dModel;
      expect(found.get('encoder.conv1.weight')).toEqual({ type: 1, ne: [3, dims.numMelBins, d] });
      expect(found.get('encoder.conv1.bias')).toEqual({ type: 0, ne: [1, d] });
      expect(found.get('encoder.positional_embedding')).toEqual({ type: 0, ne: [d, 1500] });
      const weight = type === 'f16' ? 1 : 8;
      expect(found.get('decoder.token_embedding.weight')).toEqual({ type: weight, ne: [d, 51865] });
      expect(found.get('decoder.blocks.1.mlp.0.weight')).toEqual({ type: weight, ne: [d, dims.ffnDim] });
      expect(found.get('decoder.blocks.1.cross_attn.key.weight')).toEqual({ type: weight, ne: [d, d] });
      expect(found.get('decoder.blocks.0.cross_attn.key.bias')).toBeUndefined();
      expect(found.get('encoder.blocks.1.attn.query.bias')).toEqual({ type: 0, ne: [d] });
      expect(found.get('decoder.ln.weight')).toEqual({ type: 0, ne: [d] });
    }
  });
});
