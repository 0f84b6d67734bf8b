import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GENERATOR_VERSION, generateTinyWhisper, main, type TinyWhisperManifest } from './generate.js';

const FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/encoder_model.onnx',
  'onnx/decoder_model_merged.onnx',
  'onnx/encoder_model_quantized.onnx',
  'onnx/decoder_model_merged_quantized.onnx',
];

async function digest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of FILES)
    out[f] = createHash('sha256')
      .update(await readFile(join(dir, f)))
      .digest('hex');
  return out;
}

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

describe('generateTinyWhisper', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tiny-whisper-gen-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes the Transformers.js layout and skips when the manifest matches', async () => {
    const dir = join(root, 'a');
    const first = await generateTinyWhisper({ outDir: dir, seed: 4 });
    expect(first.skipped).toBe(false);
    expect(Object.keys(first.manifest.files).sort()).toEqual([...FILES].sort());
    const manifest = (await readJson(join(dir, 'manifest.json'))) as unknown as TinyWhisperManifest;
    expect(manifest).toMatchObject({
      generatorVersion: GENERATOR_VERSION,
      seed: 4,
      multilingual: true,
      preset: 'test',
    });
    const total = Object.values(manifest.files).reduce((a, b) => a + b, 0);
    // Mostly the vocabulary: embedding and proj_out as exports store them (2 × 51865 × 64 floats), and
    // again in the q8 decoder (the embedding in float, proj_out in int8).
    expect(total).toBeLessThan(50e6);

    const before = (await stat(join(dir, 'onnx/decoder_model_merged.onnx'))).mtimeMs;
    const second = await generateTinyWhisper({ outDir: dir, seed: 4 });
    expect(second.skipped).toBe(true);
    expect(second.elapsedMs).toBeLessThan(500);
    expect((await stat(join(dir, 'onnx/decoder_model_merged.onnx'))).mtimeMs).toBe(before);

    // A truncated file or different options invalidate the cache.
    await writeFile(join(dir, 'config.json'), '{}');
    expect((await generateTinyWhisper({ outDir: dir, seed: 4 })).skipped).toBe(false);
    expect((await generateTinyWhisper({ outDir: dir, seed: 5 })).skipped).toBe(false);
    expect((await generateTinyWhisper({ outDir: dir, seed: 5, force: true })).skipped).toBe(false);
  });

  it('is byte-for-byte deterministic per seed', async () => {
    await generateTinyWhisper({ outDir: join(root, 'b1'), seed: 9 });
    await generateTinyWhisper({ outDir: join(root, 'b2'), seed: 9 });
    await generateTinyWhisper({ outDir: join(root, 'b3'), seed: 10 });
    const [b1, b2, b3] = await Promise.all(['b1', 'b2', 'b3'].map((d) => digest(join(root, d))));
    expect(b2).toEqual(b1);
    expect(b3!['onnx/decoder_model_merged.onnx']).not.toBe(b1!['onnx/decoder_model_merged.onnx']);
    // The tokenizer does not depend on the seed, so token ids are stable across models.
    expect(b3!['tokenizer.json']).toBe(b1!['tokenizer.json']);
  });

  it('writes configs consistent with the dimensions and the vocabulary', async () => {
    const dir = join(root, 'c');
    await generateTinyWhisper({
      outDir: dir,
      dims: { dModel: 32, heads: 4, decoderLayers: 3, numMelBins: 128 },
    });
    const config = await readJson(join(dir, 'config.json'));
    expect(config).toMatchObject({
      model_type: 'whisper',
      architectures: ['WhisperForConditionalGeneration'],
      is_encoder_decoder: true,
      d_model: 32,
      encoder_attention_heads: 4,
      decoder_attention_heads: 4,
      decoder_layers: 3,
      num_mel_bins: 128,
      vocab_size: 51865,
      max_source_positions: 1500,
      max_target_positions: 448,
      decoder_start_token_id: 50258,
      eos_token_id: 50257,
      begin_suppress_tokens: [220, 50257],
    });
    const generation = await readJson(join(dir, 'generation_config.json'));
    expect(generation).toMatchObject({
      is_multilingual: true,
      no_timestamps_token_id: 50363,
      task_to_id: { transcribe: 50359, translate: 50358 },
      max_length: 448,
    });
    expect(Object.keys(generation.lang_to_id as object)).toHaveLength(99);
    for (const [layer, head] of generation.alignment_heads as [number, number][]) {
      expect(layer).toBeLessThan(3);
      expect(head).toBeLessThan(4);
    }
    expect(await readJson(join(dir, 'preprocessor_config.json'))).toMatchObject({
      feature_extractor_type: 'WhisperFeatureExtractor',
      processor_class: 'WhisperProcessor',
      feature_size: 128,
      n_samples: 480000,
      nb_max_frames: 3000,
    });
    const encoder = await ort.InferenceSession.create(await readFile(join(dir, 'onnx/encoder_model.onnx')));
    const out = await encoder.run({
      input_features: new ort.Tensor('float32', new Float32Array(128 * 3000), [1, 128, 3000]),
    });
    expect((out.last_hidden_state as ort.Tensor).dims).toEqual([1, 1500, 32]);
    await encoder.release();
  });

  it('runs from the command line arguments', async () => {
    const dir = join(root, 'cli');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await main([
      '--out',
      dir,
      '--d-model',
      '48',
      '--heads',
      '3',
      '--ffn',
      '96',
      '--english-only',
      '--seed',
      '7',
    ]);
    expect(log.mock.calls[0]?.[0]).toMatch(/generated in \d+ ms/);
    log.mockRestore();
    const manifest = (await readJson(join(dir, 'manifest.json'))) as unknown as TinyWhisperManifest;
    expect(manifest.dims).toEqual({
      dModel: 48,
      encoderLayers: 2,
      decoderLayers: 2,
      heads: 3,
      ffnDim: 96,
      numMelBins: 80,
    });
    expect(manifest).toMatchObject({ multilingual: false, seed: 7 });
    expect(await readJson(join(dir, 'config.json'))).toMatchObject({
      vocab_size: 51864,
      eos_token_id: 50256,
    });
    await expect(main(['--out', dir, '--preset', 'huge'])).rejects.toThrow(/unknown preset/);
    await expect(main(['--out', dir, '--d-model', '50', '--heads', '3'])).rejects.toThrow(/divisible/);
    await expect(main([])).rejects.toThrow(/--out is required/);
  });
});
