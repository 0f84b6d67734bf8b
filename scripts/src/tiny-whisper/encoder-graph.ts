/**
 * onnx/encoder_model.onnx: log-mel features -> encoder hidden states, matching
 * the structure of Whisper's AudioEncoder (two convs, sinusoidal positions,
 * pre-LN transformer blocks, final LayerNorm).
 */
import { headDim, MAX_SOURCE_POSITIONS, NUM_MEL_FRAMES, type WhisperDims } from './dims.js';
import {
  type AttentionWeights,
  attend,
  gelu,
  type LayerNormWeights,
  layerNorm,
  linear,
  type MlpWeights,
  makeAttentionWeights,
  makeMlpWeights,
  mergeHeads,
  mlp,
  splitHeads,
  WeightFactory,
} from './nn-blocks.js';
import { attr, GraphBuilder } from './onnx-builder.js';
import type { Rng } from './rng.js';

/**
 * Whisper's fixed sinusoidal table (openai/whisper `sinusoids`): the first half of
 * the channels are sines, the second half cosines, with geometric timescales.
 */
export function whisperSinusoids(length: number, channels: number, maxTimescale = 10000): Float32Array {
  const half = channels / 2;
  const logIncrement = Math.log(maxTimescale) / (half - 1);
  const out = new Float32Array(length * channels);
  for (let t = 0; t < length; t++) {
    for (let i = 0; i < half; i++) {
      const scaled = t * Math.exp(-logIncrement * i);
      out[t * channels + i] = Math.sin(scaled);
      out[t * channels + half + i] = Math.cos(scaled);
    }
  }
  return out;
}

interface EncoderBlockWeights {
  attnLn: LayerNormWeights;
  attn: AttentionWeights;
  mlpLn: LayerNormWeights;
  mlp: MlpWeights;
}

export function buildEncoderGraph(dims: WhisperDims, rng: Rng): Uint8Array {
  const d = dims.dModel;
  const hd = headDim(dims);
  const g = new GraphBuilder('whisper_encoder');
  const wf = new WeightFactory(g, rng.fork('encoder'));

  // Batch is symbolic; mel bins and frame count are fixed because the
  // positional table only covers exactly 30 s (3000 frames -> 1500 positions).
  const features = g.input('input_features', 'float32', ['batch_size', dims.numMelBins, NUM_MEL_FRAMES]);

  const conv1W = wf.normal(
    'model.encoder.conv1.weight',
    [d, dims.numMelBins, 3],
    1 / Math.sqrt(dims.numMelBins * 3),
  );
  const conv1B = wf.normal('model.encoder.conv1.bias', [d], 0.02);
  const conv2W = wf.normal('model.encoder.conv2.weight', [d, d, 3], 1 / Math.sqrt(d * 3));
  const conv2B = wf.normal('model.encoder.conv2.bias', [d], 0.02);

  const c1 = g.op(
    'Conv',
    [features, conv1W, conv1B],
    { kernel_shape: attr.ints([3]), pads: attr.ints([1, 1]), strides: attr.ints([1]) },
    'conv1',
  );
  const a1 = gelu(g, c1, 'conv1_gelu');
  const c2 = g.op(
    'Conv',
    [a1, conv2W, conv2B],
    { kernel_shape: attr.ints([3]), pads: attr.ints([1, 1]), strides: attr.ints([2]) },
    'conv2',
  );
  const a2 = gelu(g, c2, 'conv2_gelu');
  const seqFirst = g.op('Transpose', [a2], { perm: attr.ints([0, 2, 1]) }, 'to_btd');

  const positions = g.weight(
    'model.encoder.embed_positions.weight',
    whisperSinusoids(MAX_SOURCE_POSITIONS, d),
    [MAX_SOURCE_POSITIONS, d],
  );
  let x = g.op('Add', [seqFirst, positions], {}, 'embedded');

  for (let i = 0; i < dims.encoderLayers; i++) {
    const p = `model.encoder.layers.${i}`;
    const w: EncoderBlockWeights = {
      attnLn: wf.layerNorm(`${p}.self_attn_layer_norm`, d),
      attn: makeAttentionWeights(wf, `${p}.self_attn`, d),
      mlpLn: wf.layerNorm(`${p}.final_layer_norm`, d),
      mlp: makeMlpWeights(wf, p, d, dims.ffnDim),
    };
    const h = layerNorm(g, x, w.attnLn, `enc${i}_ln1`);
    const q = splitHeads(g, linear(g, h, w.attn.q, `enc${i}_q`), dims.heads, hd, `enc${i}_qh`);
    const k = splitHeads(g, linear(g, h, w.attn.k, `enc${i}_k`), dims.heads, hd, `enc${i}_kh`);
    const v = splitHeads(g, linear(g, h, w.attn.v, `enc${i}_v`), dims.heads, hd, `enc${i}_vh`);
    const { context } = attend(g, q, k, v, hd, `enc${i}_attn`);
    const attnOut = linear(g, mergeHeads(g, context, d, `enc${i}_merged`), w.attn.out, `enc${i}_o`);
    x = g.op('Add', [x, attnOut], {}, `enc${i}_res1`);
    const m = mlp(g, layerNorm(g, x, w.mlpLn, `enc${i}_ln2`), w.mlp, `enc${i}_mlp`);
    x = g.op('Add', [x, m], {}, `enc${i}_res2`);
  }

  const out = layerNorm(g, x, wf.layerNorm('model.encoder.layer_norm', d), 'enc_final_ln');
  g.output('last_hidden_state', out, 'float32', ['batch_size', MAX_SOURCE_POSITIONS, d]);
  return g.toBytes('Random-weight Whisper encoder for tests; not a trained model.');
}
