/**
 * onnx/decoder_model_merged.onnx: one decoder step (or a whole prefix) with a
 * KV cache, built like the hub's merged decoders (optimum's export) in the
 * input/output naming Transformers.js v4 expects for encoder-decoder models.
 *
 * `use_cache_branch` (bool [1]) says whether the encoder cache inputs hold the
 * cross-attention K/V of an earlier step. Each layer's cross-attention is an
 * `If` on it:
 *  - false (first step): project `encoder_hidden_states` to K/V, attend, and
 *    output them as `present.*.encoder.*` (the encoder cache inputs are empty);
 *  - true (cached steps): attend over `past_key_values.*.encoder.*` as they are,
 *    and output empty `present.*.encoder.*`, as the hub's merged decoders output
 *    constants there: Transformers.js (and our engine) keep the first step's.
 * So a cached step reads the cross-attention cache once and copies none of it.
 * Self-attention always concatenates past and new K/V.
 *
 * The logits are a plain MatMul with their own `proj_out.weight` [d, vocab]
 * (the embedding, transposed), as hub exports store it: weight-only int8
 * quantisation of MatMuls then covers the largest matrix of the decoder.
 */

import { buildDecoderEmbeddings, DEFAULT_TUNING, type DecoderTuning } from './decoder-init.js';
import { headDim, MAX_SOURCE_POSITIONS, MAX_TARGET_POSITIONS, type WhisperDims } from './dims.js';
import {
  attend,
  layerNorm,
  linear,
  makeAttentionWeights,
  makeMlpWeights,
  mergeHeads,
  mlp,
  splitHeads,
  WeightFactory,
} from './nn-blocks.js';
import { attr, GraphBuilder } from './onnx-builder.js';
import type { Rng } from './rng.js';
import type { SpecialTokenLayout } from './special-tokens.js';

export interface DecoderGraphOptions {
  layout: SpecialTokenLayout;
  /** Overrides for the structured init (see decoder-init.ts); meant for experiments. */
  tuning?: Partial<DecoderTuning>;
}

export function decoderCacheInputNames(layer: number): Record<'dk' | 'dv' | 'ek' | 'ev', string> {
  return {
    dk: `past_key_values.${layer}.decoder.key`,
    dv: `past_key_values.${layer}.decoder.value`,
    ek: `past_key_values.${layer}.encoder.key`,
    ev: `past_key_values.${layer}.encoder.value`,
  };
}

// Large-but-finite so a fully masked row could never turn into NaN.
const MASK_VALUE = -1e9;

export function buildDecoderGraph(dims: WhisperDims, opts: DecoderGraphOptions, rng: Rng): Uint8Array {
  const d = dims.dModel;
  const H = dims.heads;
  const hd = headDim(dims);
  const V = opts.layout.vocabSize;
  const tuning: DecoderTuning = { ...DEFAULT_TUNING, ...opts.tuning };
  // Keeps the residual stream's scale, which the control directions are calibrated
  // against, roughly independent of the number of layers.
  const layerScale = Math.sqrt(2 / dims.decoderLayers);
  const g = new GraphBuilder('whisper_decoder_with_past');
  const wf = new WeightFactory(g, rng.fork('decoder'));

  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'decoder_sequence_length']);
  const enc = g.input('encoder_hidden_states', 'float32', ['batch_size', MAX_SOURCE_POSITIONS, d]);
  const past = Array.from({ length: dims.decoderLayers }, (_, i) => {
    const n = decoderCacheInputNames(i);
    const selfDims = ['batch_size', H, 'past_decoder_sequence_length', hd];
    const crossDims = ['batch_size', H, 'encoder_sequence_length_out', hd];
    return {
      dk: g.input(n.dk, 'float32', selfDims),
      dv: g.input(n.dv, 'float32', selfDims),
      ek: g.input(n.ek, 'float32', crossDims),
      ev: g.input(n.ev, 'float32', crossDims),
    };
  });
  const useCacheBranch = g.input('use_cache_branch', 'bool', [1]);

  const emb = buildDecoderEmbeddings(
    d,
    MAX_TARGET_POSITIONS,
    opts.layout,
    rng.fork('decoder-embeddings'),
    tuning,
  );
  // Block outputs never write to the control directions, so there the residual
  // stream holds exactly what the embeddings put in (see decoder-init.ts).
  const protect = emb.reserved;
  const embedTokens = g.weight('model.decoder.embed_tokens.weight', emb.tokens, [V, d]);
  const embedPositions = g.weight('model.decoder.embed_positions.weight', emb.positions, [
    MAX_TARGET_POSITIONS,
    d,
  ]);

  // Absolute positions continue from the cached length.
  const firstPast = past[0]!;
  const pastLen = g.op('Shape', [firstPast.dk], { start: attr.int(2), end: attr.int(3) }, 'past_len');
  const seqLen = g.op('Shape', [inputIds], { start: attr.int(1), end: attr.int(2) }, 'seq_len');
  const totalLen = g.op('Add', [pastLen, seqLen], {}, 'total_len');
  const axis0 = g.constInt64([0]);
  const pastScalar = g.op('Squeeze', [pastLen, axis0], {}, 'past_len_scalar');
  const totalScalar = g.op('Squeeze', [totalLen, axis0], {}, 'total_len_scalar');
  const one = g.constInt64([1], []);
  const positionIds = g.op('Range', [pastScalar, totalScalar, one], {}, 'position_ids');

  const tok = g.op('Gather', [embedTokens, inputIds], { axis: attr.int(0) }, 'tok_emb');
  const pos = g.op('Gather', [embedPositions, positionIds], { axis: attr.int(0) }, 'pos_emb');
  let x = g.op('Add', [tok, pos], {}, 'embedded');

  // Causal mask over [new queries, past + new keys]: query at absolute position p may see keys 0..p.
  const keyPositions = g.op('Range', [g.constInt64([0], []), totalScalar, one], {}, 'key_positions');
  const queryColumn = g.op('Unsqueeze', [positionIds, g.constInt64([1])], {}, 'query_positions');
  const future = g.op('Greater', [keyPositions, queryColumn], {}, 'is_future');
  const causalBias = g.op(
    'Where',
    [future, g.constFloat([MASK_VALUE], []), g.constFloat([0], [])],
    {},
    'causal_bias',
  );

  const presents: { name: string; source: string; dims: (string | number)[] }[] = [];
  const crossAttentions: string[] = [];

  for (let i = 0; i < dims.decoderLayers; i++) {
    const p = `model.decoder.layers.${i}`;
    const cache = past[i]!;
    const selfLn = wf.layerNorm(`${p}.self_attn_layer_norm`, d);
    const selfW = makeAttentionWeights(wf, `${p}.self_attn`, d, {
      outGain: tuning.selfOutGain * layerScale,
      qkGain: tuning.selfQkGain,
      protect,
    });
    const crossLn = wf.layerNorm(`${p}.encoder_attn_layer_norm`, d);
    const crossW = makeAttentionWeights(wf, `${p}.encoder_attn`, d, {
      outGain: tuning.crossOutGain * layerScale,
      qkGain: tuning.crossQkGain,
      protect,
    });
    const mlpLn = wf.layerNorm(`${p}.final_layer_norm`, d);
    const mlpW = makeMlpWeights(wf, p, d, dims.ffnDim, { gain: tuning.mlpGain * layerScale, protect });

    // Self-attention with cache.
    const h = layerNorm(g, x, selfLn, `dec${i}_ln1`);
    const q = splitHeads(g, linear(g, h, selfW.q, `dec${i}_q`), H, hd, `dec${i}_qh`);
    const kNew = splitHeads(g, linear(g, h, selfW.k, `dec${i}_k`), H, hd, `dec${i}_kh`);
    const vNew = splitHeads(g, linear(g, h, selfW.v, `dec${i}_v`), H, hd, `dec${i}_vh`);
    const k = g.op('Concat', [cache.dk, kNew], { axis: attr.int(2) }, `dec${i}_k_all`);
    const v = g.op('Concat', [cache.dv, vNew], { axis: attr.int(2) }, `dec${i}_v_all`);
    const selfCtx = attend(g, q, k, v, hd, `dec${i}_self`, causalBias).context;
    x = g.op(
      'Add',
      [x, linear(g, mergeHeads(g, selfCtx, d, `dec${i}_self_m`), selfW.out, `dec${i}_so`)],
      {},
      `dec${i}_r1`,
    );

    // Cross-attention: projected from the encoder's states on the first step, read from the cache after.
    const hc = layerNorm(g, x, crossLn, `dec${i}_ln2`);
    const qc = splitHeads(g, linear(g, hc, crossW.q, `dec${i}_cq`), H, hd, `dec${i}_cqh`);
    const cached = g.branch(`dec${i}_cross_cached`, (b) => {
      const attention = attend(b, qc, cache.ek, cache.ev, hd, `dec${i}_cross_c`);
      // Nothing new to hand back: zero positions, as the hub exports' constant outputs.
      const none = (t: string, hint: string) =>
        b.op('Slice', [t, g.constInt64([0]), g.constInt64([0]), g.constInt64([2])], {}, hint);
      return [
        { source: attention.context, type: 'float32' },
        { source: attention.probs, type: 'float32' },
        { source: none(cache.ek, `dec${i}_ck_none`), type: 'float32' },
        { source: none(cache.ev, `dec${i}_cv_none`), type: 'float32' },
      ];
    });
    const projected = g.branch(`dec${i}_cross_projected`, (b) => {
      const kc = splitHeads(b, linear(b, enc, crossW.k, `dec${i}_ck`), H, hd, `dec${i}_ckh`);
      const vc = splitHeads(b, linear(b, enc, crossW.v, `dec${i}_cv`), H, hd, `dec${i}_cvh`);
      const attention = attend(b, qc, kc, vc, hd, `dec${i}_cross_p`);
      return [
        { source: attention.context, type: 'float32' },
        { source: attention.probs, type: 'float32' },
        { source: kc, type: 'float32' },
        { source: vc, type: 'float32' },
      ];
    });
    const [crossContext, crossProbs, kc, vc] = g.opN(
      'If',
      [useCacheBranch],
      4,
      { then_branch: cached, else_branch: projected },
      `dec${i}_cross`,
    ) as [string, string, string, string];
    const cross = { context: crossContext, probs: crossProbs };
    x = g.op(
      'Add',
      [x, linear(g, mergeHeads(g, cross.context, d, `dec${i}_cross_m`), crossW.out, `dec${i}_co`)],
      {},
      `dec${i}_r2`,
    );

    x = g.op(
      'Add',
      [x, mlp(g, layerNorm(g, x, mlpLn, `dec${i}_ln3`), mlpW, `dec${i}_mlp`)],
      {},
      `dec${i}_r3`,
    );

    const selfDims = ['batch_size', H, 'total_decoder_sequence_length', hd];
    const crossDims = ['batch_size', H, 'encoder_sequence_length_out', hd];
    presents.push(
      { name: `present.${i}.decoder.key`, source: k, dims: selfDims },
      { name: `present.${i}.decoder.value`, source: v, dims: selfDims },
      { name: `present.${i}.encoder.key`, source: kc, dims: crossDims },
      { name: `present.${i}.encoder.value`, source: vc, dims: crossDims },
    );
    crossAttentions.push(cross.probs);
  }

  const hFinal = layerNorm(g, x, wf.layerNorm('model.decoder.layer_norm', d), 'dec_final_ln');
  // Whisper ties proj_out to the token embedding; exports store it again, transposed, for a plain MatMul.
  const projOut = g.weight('proj_out.weight', transpose(emb.tokens, V, d), [d, V]);
  const logits = g.op('MatMul', [hFinal, projOut], {}, 'logits_3d');
  g.output('logits', logits, 'float32', ['batch_size', 'decoder_sequence_length', V]);
  for (const pr of presents) g.output(pr.name, pr.source, 'float32', pr.dims);
  crossAttentions.forEach((probs, i) => {
    g.output(`cross_attentions.${i}`, probs, 'float32', [
      'batch_size',
      H,
      'decoder_sequence_length',
      MAX_SOURCE_POSITIONS,
    ]);
  });
  return g.toBytes('Random-weight Whisper decoder (merged, with KV cache) for tests; not a trained model.');
}

/** [rows, cols] row-major to [cols, rows]. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}
