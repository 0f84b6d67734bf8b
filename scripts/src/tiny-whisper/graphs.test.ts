import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SOURCE_POSITIONS, NUM_MEL_FRAMES, PRESETS } from './dims.js';
import { Rng } from './rng.js';
import { makeTempModel, type TempModel } from './test-helpers.js';

const dims = PRESETS.test;
const HD = dims.dModel / dims.heads;
const SOT = 50258;
const EN = 50259;
const TRANSCRIBE = 50359;
const NO_TIMESTAMPS = 50363;
const V = 51865;

type Feeds = Record<string, ort.Tensor>;
type Outputs = ort.InferenceSession.OnnxValueMapType;

function features(batch: number, seed: number): ort.Tensor {
  const rng = new Rng(seed);
  // Roughly the range of Whisper's normalised log-mel features.
  const data = Float32Array.from(
    { length: batch * dims.numMelBins * NUM_MEL_FRAMES },
    () => rng.nextFloat() * 2 - 1,
  );
  return new ort.Tensor('float32', data, [batch, dims.numMelBins, NUM_MEL_FRAMES]);
}

function ids(rows: number[][]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0]!.length]);
}

function emptyCache(batch: number): Feeds {
  const feeds: Feeds = {};
  for (let i = 0; i < dims.decoderLayers; i++) {
    for (const part of ['decoder', 'encoder']) {
      for (const kv of ['key', 'value']) {
        feeds[`past_key_values.${i}.${part}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [
          batch,
          dims.heads,
          0,
          HD,
        ]);
      }
    }
  }
  return feeds;
}

/** What Transformers.js feeds back: new self-attention presents, but the first step's encoder presents. */
function cacheFrom(step: Outputs, encoderFrom: Outputs | null): Feeds {
  const feeds: Feeds = {};
  for (let i = 0; i < dims.decoderLayers; i++) {
    for (const kv of ['key', 'value']) {
      feeds[`past_key_values.${i}.decoder.${kv}`] = step[`present.${i}.decoder.${kv}`] as ort.Tensor;
      feeds[`past_key_values.${i}.encoder.${kv}`] = encoderFrom
        ? (encoderFrom[`present.${i}.encoder.${kv}`] as ort.Tensor)
        : new ort.Tensor('float32', new Float32Array(0), [1, dims.heads, 0, HD]);
    }
  }
  return feeds;
}

function data(t: ort.OnnxValue | undefined): Float32Array {
  return (t as ort.Tensor).data as Float32Array;
}

/** Row `pos` of [batch, seq, vocab] logits for batch row `b`. */
function logitsAt(out: Outputs, pos: number, b = 0): Float32Array {
  const t = out.logits as ort.Tensor;
  const [, seq, vocab] = t.dims as [number, number, number];
  return data(t).subarray((b * seq + pos) * vocab, (b * seq + pos + 1) * vocab);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('generated ONNX graphs in onnxruntime-node', () => {
  let model: TempModel;
  let encoder: ort.InferenceSession;
  let decoder: ort.InferenceSession;
  let hidden: ort.Tensor;

  beforeAll(async () => {
    model = await makeTempModel({ preset: 'test', seed: 3 });
    encoder = await ort.InferenceSession.create(await readFile(join(model.dir, 'onnx/encoder_model.onnx')));
    decoder = await ort.InferenceSession.create(
      await readFile(join(model.dir, 'onnx/decoder_model_merged.onnx')),
    );
    hidden = (await encoder.run({ input_features: features(1, 1) })).last_hidden_state as ort.Tensor;
  });
  afterAll(async () => {
    await encoder?.release();
    await decoder?.release();
    await model?.cleanup();
  });

  /** `cached`: the encoder cache inputs hold an earlier step's cross-attention K/V. */
  const decode = (tokens: number[][], enc: ort.Tensor, cache: Feeds, cached = false) =>
    decoder.run({
      input_ids: ids(tokens),
      encoder_hidden_states: enc,
      ...cache,
      use_cache_branch: new ort.Tensor('bool', [cached], [1]),
    });

  it('encodes [1, mels, 3000] features to finite [1, 1500, d] states', () => {
    expect(encoder.inputNames).toEqual(['input_features']);
    expect(encoder.outputNames).toEqual(['last_hidden_state']);
    expect(hidden.dims).toEqual([1, MAX_SOURCE_POSITIONS, dims.dModel]);
    expect(data(hidden).every(Number.isFinite)).toBe(true);
  });

  it('declares the inputs and outputs Transformers.js looks for', () => {
    const cacheNames = Array.from({ length: dims.decoderLayers }, (_, i) =>
      ['decoder.key', 'decoder.value', 'encoder.key', 'encoder.value'].map((s) => `${i}.${s}`),
    ).flat();
    expect(decoder.inputNames).toEqual([
      'input_ids',
      'encoder_hidden_states',
      ...cacheNames.map((n) => `past_key_values.${n}`),
      'use_cache_branch',
    ]);
    expect(decoder.outputNames).toEqual([
      'logits',
      ...cacheNames.map((n) => `present.${n}`),
      ...Array.from({ length: dims.decoderLayers }, (_, i) => `cross_attentions.${i}`),
    ]);
    // Transformers.js builds the empty first-step cache from this metadata: only the literal
    // `batch_size` is resolved, every other symbolic dim becomes 0.
    const meta = decoder.inputMetadata.find((m) => m.name === 'past_key_values.0.decoder.key');
    expect(meta && 'shape' in meta ? meta.shape : null).toEqual([
      'batch_size',
      dims.heads,
      'past_decoder_sequence_length',
      HD,
    ]);
  });

  it('gives the same logits step by step with the KV cache as in one call', async () => {
    const tokens = [SOT, EN, TRANSCRIBE, NO_TIMESTAMPS, 1000, 2000, 3000];
    const full = await decode([tokens], hidden, emptyCache(1));
    expect((full.logits as ort.Tensor).dims).toEqual([1, tokens.length, V]);

    // Prompt first, then one token at a time, feeding caches the way Transformers.js does.
    const first = await decode([tokens.slice(0, 4)], hidden, emptyCache(1));
    expect(maxAbsDiff(logitsAt(first, 3), logitsAt(full, 3))).toBeLessThan(1e-3);
    expect((first['present.0.decoder.key'] as ort.Tensor).dims).toEqual([1, dims.heads, 4, HD]);
    expect((first['present.0.encoder.key'] as ort.Tensor).dims).toEqual([
      1,
      dims.heads,
      MAX_SOURCE_POSITIONS,
      HD,
    ]);

    let previous = first;
    for (let pos = 4; pos < tokens.length; pos++) {
      const step = await decode([[tokens[pos]!]], hidden, cacheFrom(previous, first), true);
      expect(maxAbsDiff(logitsAt(step, 0), logitsAt(full, pos))).toBeLessThan(1e-3);
      expect((step['present.0.decoder.key'] as ort.Tensor).dims).toEqual([1, dims.heads, pos + 1, HD]);
      // Cached steps hand back no encoder cache (as the hub's merged decoders): the first step's is kept.
      expect((step['present.1.encoder.value'] as ort.Tensor).dims).toEqual([1, dims.heads, 0, HD]);
      previous = step;
    }

    // Not on the cache branch, a later step projects encoder_hidden_states again: same result.
    const recomputed = await decode([[tokens[4]!]], hidden, cacheFrom(first, null));
    expect(maxAbsDiff(logitsAt(recomputed, 0), logitsAt(full, 4))).toBeLessThan(1e-3);
  });

  it('returns softmaxed cross-attention weights per layer', async () => {
    const out = await decode([[SOT, EN, TRANSCRIBE]], hidden, emptyCache(1));
    for (let i = 0; i < dims.decoderLayers; i++) {
      const t = out[`cross_attentions.${i}`] as ort.Tensor;
      expect(t.dims).toEqual([1, dims.heads, 3, MAX_SOURCE_POSITIONS]);
      const w = data(t);
      for (let row = 0; row < dims.heads * 3; row++) {
        const sum = w
          .subarray(row * MAX_SOURCE_POSITIONS, (row + 1) * MAX_SOURCE_POSITIONS)
          .reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 4);
      }
    }
  });

  it('handles a batch of 2 like two separate calls', async () => {
    const batch = features(2, 7);
    const both = (await encoder.run({ input_features: batch })).last_hidden_state as ort.Tensor;
    expect(both.dims).toEqual([2, MAX_SOURCE_POSITIONS, dims.dModel]);
    const rowSize = dims.numMelBins * NUM_MEL_FRAMES;
    const rows = [0, 1].map(
      (b) =>
        new ort.Tensor('float32', (batch.data as Float32Array).slice(b * rowSize, (b + 1) * rowSize), [
          1,
          dims.numMelBins,
          NUM_MEL_FRAMES,
        ]),
    );
    const tokens = [
      [SOT, EN, TRANSCRIBE, 400],
      [SOT, 50265, 50358, 900],
    ];
    const batched = await decode(tokens, both, emptyCache(2));
    for (const b of [0, 1]) {
      const single = (await encoder.run({ input_features: rows[b]! })).last_hidden_state as ort.Tensor;
      const hiddenSize = MAX_SOURCE_POSITIONS * dims.dModel;
      expect(
        maxAbsDiff(data(single), data(both).subarray(b * hiddenSize, (b + 1) * hiddenSize)),
      ).toBeLessThan(1e-4);
      const alone = await decode([tokens[b]!], single, emptyCache(1));
      expect(maxAbsDiff(logitsAt(alone, 3), logitsAt(batched, 3, b))).toBeLessThan(1e-3);
    }
  });
});
