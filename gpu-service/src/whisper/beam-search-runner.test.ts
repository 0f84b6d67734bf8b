import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { testModelDir } from '../../test/fixtures.js';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import type { LoadedModel } from '../models/model-manager.js';
import { beamSearchChainBytes, beamSearchFeeds, decodeWithBeamSearch } from './beam-search-runner.js';
import { DecodeLoop } from './decode-loop.js';
import { decoderShape } from './decoder-runner.js';
import { encodeWindows } from './encode-windows.js';
import { onnx } from './onnx-splice.js';
import { transformersFeatures } from './transformers-features.js';
import { readVocab, type WhisperVocab } from './whisper-vocab.js';

const VOCAB_SIZE = 51865;
let model: LoadedModel;
let vocab: WhisperVocab;
let chain: ort.InferenceSession;
let chainBytes: Uint8Array;
let windows: Float32Array[];

beforeAll(async () => {
  model = await loadTestModel();
  vocab = readVocab(model.whisper.generationConfig, model.whisper.tokenizer);
  const file = (name: string) => readFile(path.join(testModelDir, 'onnx', name));
  const bytes = beamSearchChainBytes(
    model.whisper,
    vocab,
    {
      encoder: await file('encoder_model.onnx'),
      decoder: await file('decoder_model_merged.onnx'),
    },
    VOCAB_SIZE,
  );
  chainBytes = bytes;
  chain = await ort.InferenceSession.create(bytes);
  const speech = await speechSamples();
  const reversed = speech.slice().reverse();
  const tone = new Float32Array(16_000 * 4).map((_, i) => 0.05 * Math.sin((2 * Math.PI * 440 * i) / 16_000));
  windows = [speech, reversed, tone];
});

async function featuresOf(batch: Float32Array[]): Promise<ort.Tensor> {
  const extracted = await transformersFeatures(model.transcriber).extract(batch);
  const frame = extracted[0]!.length;
  const data = new Float32Array(frame * batch.length);
  for (const [i, f] of extracted.entries()) data.set(f, i * frame);
  return new ort.Tensor('float32', data, [batch.length, model.whisper.nMels, frame / model.whisper.nMels]);
}

async function ourLoop(
  batch: Float32Array[],
  prompt: number[],
  withTimestamps: boolean,
  maxNewTokens?: number,
  strictTimestamps?: boolean,
) {
  const hidden = await encodeWindows(model.whisper, transformersFeatures(model.transcriber), batch);
  const loop = new DecodeLoop(
    model.whisper.sessions.decoder,
    vocab,
    decoderShape(model.whisper.config),
    batch.length,
  );
  return Promise.all(
    batch.map((_, row) =>
      loop.decode({
        hidden,
        row,
        prompt,
        withTimestamps,
        temperature: 0,
        ...(strictTimestamps ? { strictTimestamps } : {}),
        ...(maxNewTokens ? { maxNewTokens } : {}),
      }),
    ),
  );
}

describe('WhisperBeamSearch chain (onnxruntime contrib op, CPU)', () => {
  it('decodes greedily token for token as our loop does, batch of windows, no timestamps', async () => {
    const prompt = [vocab.sot, vocab.langToId['<|en|>']!, vocab.transcribe, vocab.noTimestamps];
    const ours = await ourLoop(windows, prompt, false);
    const op = await decodeWithBeamSearch(chain, await featuresOf(windows), vocab, VOCAB_SIZE, {
      prompt,
      withTimestamps: false,
    });
    for (const [b, sequence] of ours.entries()) {
      expect(sequence.tokens.length).toBeGreaterThan(3);
      expect(op[b]!.tokens).toEqual(sequence.tokens);
      // The op's score is the sum of log-softmax before the masks, ours after: close, not equal.
      expect(op[b]!.sumLogprob).toBeCloseTo(sequence.sumLogprob, 0);
    }
    // Distinct windows decode differently: the comparison is not of one repeated output.
    expect(new Set(ours.map((s) => s.tokens.join())).size).toBeGreaterThan(1);
  });

  it('keeps the timestamp rules (openai/whisper strict ones) token for token, not the scores', async () => {
    const prompt = [vocab.sot, vocab.langToId['<|en|>']!, vocab.transcribe];
    const ours = await ourLoop(windows, prompt, true, undefined, true);
    const op = await decodeWithBeamSearch(chain, await featuresOf(windows), vocab, VOCAB_SIZE, {
      prompt,
      withTimestamps: true,
    });
    for (const [b, sequence] of ours.entries()) {
      // Opens with a timestamp, and closes a segment with one before <|endoftext|>.
      expect(sequence.tokens[0]).toBeGreaterThanOrEqual(vocab.timestampBegin);
      expect(sequence.tokens.at(-2)).toBeGreaterThanOrEqual(vocab.timestampBegin);
      expect(op[b]!.tokens).toEqual(sequence.tokens);
      // Its score sums log-softmax before the rules (a forced timestamp counts as unlikely), ours
      // after them: why the engine leaves timestamped windows on our loop.
      expect(op[b]!.sumLogprob).toBeLessThan(sequence.sumLogprob - 1);
    }
  });

  it('stops at the same token budget as our loop', async () => {
    const prompt = [vocab.sot, vocab.langToId['<|en|>']!, vocab.transcribe, vocab.noTimestamps];
    const ours = await ourLoop(windows.slice(0, 1), prompt, false, 3);
    const op = await decodeWithBeamSearch(chain, await featuresOf(windows.slice(0, 1)), vocab, VOCAB_SIZE, {
      prompt,
      withTimestamps: false,
      maxNewTokens: 3,
    });
    expect(ours[0]!.tokens).toHaveLength(3);
    expect(op[0]!.tokens).toEqual(ours[0]!.tokens);
  });

  it('cannot hand out cross-attention (word times): 1.30 wants DecoderMaskedMultiHeadAttention', async () => {
    // The op's cross_qk path: decoder_output_cross_qk = 1, the layers' attention as decoder outputs.
    const m = onnx.ModelProto.decode(chainBytes);
    const node = m.graph!.node![0]!;
    const int = onnx.AttributeProto.AttributeType.INT;
    node.attribute!.push(onnx.AttributeProto.create({ name: 'decoder_output_cross_qk', type: int, i: 1 }));
    node.input![12] = 'cross_qk_layer_head';
    node.output = ['sequences', 'sequences_scores', '', 'cross_qk'];
    const tensor = (elemType: number, dim: Array<{ dimParam?: string; dimValue?: number }>) => ({
      tensorType: { elemType, shape: { dim } },
    });
    m.graph!.input!.push({
      name: 'cross_qk_layer_head',
      type: tensor(6, [{ dimParam: 'pairs' }, { dimValue: 2 }]),
    });
    m.graph!.output!.push({ name: 'cross_qk', type: { tensorType: { elemType: 1 } } });
    const step = node.attribute!.find((a) => a.name === 'decoder')!.g!;
    for (let i = 0; i < model.whisper.config.decoder_layers; i++) {
      step.node!.push({ opType: 'Identity', input: [`s/cross_attentions.${i}`], output: [`cross_qk_${i}`] });
      const heads = model.whisper.config.decoder_attention_heads;
      step.output!.push({
        name: `cross_qk_${i}`,
        type: tensor(1, [{ dimParam: 'B' }, { dimValue: heads }, { dimValue: 1 }, { dimParam: 'frames' }]),
      });
    }
    const session = await ort.InferenceSession.create(onnx.ModelProto.encode(m).finish());
    const prompt = [vocab.sot, vocab.langToId['<|en|>']!, vocab.transcribe, vocab.noTimestamps];
    const features = await featuresOf(windows.slice(0, 1));
    const run = session.run({
      ...beamSearchFeeds(features, vocab, VOCAB_SIZE, { prompt, withTimestamps: false, maxNewTokens: 8 }),
      cross_qk_layer_head: new ort.Tensor('int32', Int32Array.of(1, 0), [1, 2]),
    });
    await expect(run).rejects.toThrow(/output_cross_qk could only work with has_decoder_masked_attention/);
    await session.release();
  });
});
