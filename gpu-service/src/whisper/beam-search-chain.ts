/**
 * Wraps a Whisper encoder and a merged decoder (hub/optimum layout: `use_cache_branch`, `present.*`)
 * into one model whose only node is onnxruntime's `WhisperBeamSearch` contrib op (com.microsoft), so
 * the whole decode loop of a window runs inside one `run`: the cross-attention cache is computed once
 * and stays where onnxruntime put it (device memory on CUDA) instead of crossing to the host and back
 * on every step, as it does when Node drives the loop (onnxruntime-node has no CUDA IO binding).
 *
 * The op's two subgraphs are built from the same graphs, renamed:
 *  - `encoder` (encoder + first decoder step): input_features and the prompt in, logits, the
 *    encoder's states and both caches out (`use_cache_branch` fixed to false);
 *  - `decoder` (one cached step): the next token and the caches in, logits and the grown self cache
 *    out (`use_cache_branch` fixed to true).
 * Weights become initializers of the outer graph once, which both subgraphs read.
 */
import type { onnx as OnnxNamespace } from 'onnx-proto';
import { constTensor, type Graph, info, inline, type Node, onnx, weightsOf } from './onnx-splice.js';

const T = onnx.TensorProto.DataType;

export interface ChainShape {
  layers: number;
  heads: number;
  headDim: number;
  vocabSize: number;
  nMels: number;
}

export interface ChainTokens {
  eot: number;
  sot: number;
  noSpeech?: number | undefined;
  timestampBegin: number;
  transcribe: number;
  translate: number;
  noTimestamps: number;
  startOfLm?: number | undefined;
}

/** The op's inputs by position (onnxruntime's WhisperBeamSearch schema). */
export const BEAM_SEARCH_INPUTS = [
  'input_features',
  'max_length',
  'min_length',
  'num_beams',
  'num_return_sequences',
  'length_penalty',
  'repetition_penalty',
  'vocab_mask',
  'prefix_vocab_mask',
  '', // attention_mask: unused by Whisper
  'decoder_input_ids',
  'logits_processor',
  '', // cross_qk_layer_head: needs DecoderMaskedMultiHeadAttention (see docs/gpu-data-movement.md)
  '', // extra_decoding_ids
  'temperature',
] as const;

/** Feeds of a merged decoder that has no value here: empty caches (first step) and the branch flag. */
function decoderBinds(shape: ChainShape, kind: 'init' | 'step', emptyCache: string, flag: string) {
  const bind: Record<string, string> = { use_cache_branch: flag };
  for (let i = 0; i < shape.layers; i++) {
    bind[`past_key_values.${i}.decoder.key`] = kind === 'init' ? emptyCache : `past_key_self_${i}`;
    bind[`past_key_values.${i}.decoder.value`] = kind === 'init' ? emptyCache : `past_value_self_${i}`;
    bind[`past_key_values.${i}.encoder.key`] = kind === 'init' ? emptyCache : `past_key_cross_${i}`;
    bind[`past_key_values.${i}.encoder.value`] = kind === 'init' ? emptyCache : `past_value_cross_${i}`;
  }
  return bind;
}

/** `flag` = (dimension `axis` of `of`) compared with 0: the first step's false, later steps' true. */
function flagNodes(
  prefix: string,
  of: string,
  axis: number,
  compare: 'Less' | 'Greater',
  flag: string,
): Node[] {
  const int = (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  return [
    {
      opType: 'Shape',
      input: [of],
      output: [`${prefix}flag_dim`],
      attribute: [int('start', axis), int('end', axis + 1)],
    },
    { opType: compare, input: [`${prefix}flag_dim`, 'c/zero'], output: [flag] },
  ];
}

export function buildBeamSearchChain(
  encoderBytes: Uint8Array,
  decoderBytes: Uint8Array,
  shape: ChainShape,
  tokens: ChainTokens,
): Uint8Array {
  const encoder = onnx.ModelProto.decode(encoderBytes);
  const decoder = onnx.ModelProto.decode(decoderBytes);
  const { heads: H, headDim: hd, vocabSize: V } = shape;
  const F = T.FLOAT;

  // Encoder subgraph: the encoder, then the decoder's first step over the prompt.
  const enc = inline(encoder.graph!, 'e/', 'we/', { input_features: 'encoder_input_ids' });
  const hidden = enc.outputs.last_hidden_state!;
  const initNodes: Node[] = [
    ...enc.nodes,
    {
      opType: 'Cast',
      input: ['decoder_input_ids'],
      output: ['i/ids64'],
      attribute: [{ name: 'to', type: 2, i: T.INT64 }],
    },
    {
      opType: 'Shape',
      input: ['decoder_input_ids'],
      output: ['i/batch'],
      attribute: [{ name: 'end', type: 2, i: 1 }],
    },
    {
      opType: 'Concat',
      input: ['i/batch', 'c/cache_tail'],
      output: ['i/cache_shape'],
      attribute: [{ name: 'axis', type: 2, i: 0 }],
    },
    { opType: 'ConstantOfShape', input: ['i/cache_shape'], output: ['i/empty_cache'] },
    // The branch flags are computed, not constants: onnxruntime folds an `If` on a constant, which
    // drops the other branch's weights from this subgraph's outer-scope reads, and the op feeds both
    // subgraphs the same list of outer values (see flagNodes).
    ...flagNodes('i/', 'decoder_input_ids', 1, 'Less', 'i/flag'),
  ];
  const first = inline(decoder.graph!, 'i/', 'wd/', {
    ...decoderBinds(shape, 'init', 'i/empty_cache', 'i/flag'),
    input_ids: 'i/ids64',
    encoder_hidden_states: hidden,
  });
  initNodes.push(...first.nodes);
  const initOutputs: Array<[string, string, Array<number | string>]> = [
    ['logits', first.outputs.logits!, ['B', 'S', V]],
    ['encoder_hidden_states', hidden, ['B', 'frames', H * hd]],
  ];
  for (const kind of ['decoder', 'encoder'] as const)
    for (let i = 0; i < shape.layers; i++)
      for (const kv of ['key', 'value'] as const)
        initOutputs.push([
          `present_${kv}_${kind === 'decoder' ? 'self' : 'cross'}_${i}`,
          first.outputs[`present.${i}.${kind}.${kv}`]!,
          ['B', H, kind === 'decoder' ? 'S' : 'frames', hd],
        ]);
  for (const [name, source] of initOutputs)
    initNodes.push({ opType: 'Identity', input: [source], output: [name] });
  const encoderGraph: Graph = {
    name: 'encoder_decoder_init',
    node: initNodes,
    // Only values both subgraphs read may live outside them: the op hands each subgraph all of them.
    initializer: [
      ...weightsOf(encoder.graph!, 'we/'),
      constTensor('c/zero', T.INT64, [1], new Uint8Array(BigInt64Array.of(0n).buffer)),
      constTensor(
        'c/cache_tail',
        T.INT64,
        [3],
        new Uint8Array(BigInt64Array.of(BigInt(H), 0n, BigInt(hd)).buffer),
      ),
    ],
    input: [
      info('encoder_input_ids', F, ['B', shape.nMels, 'mel_frames']),
      info('decoder_input_ids', T.INT32, ['B', 'S']),
    ],
    output: initOutputs.map(([name, , dims]) => info(name, F, dims)),
  };

  // Decoder subgraph: one cached step.
  const stepInputs = [
    info('input_ids', T.INT32, ['B', 1]),
    info('encoder_hidden_states', F, ['B', 'frames', H * hd]),
  ];
  for (const kind of ['self', 'cross'] as const)
    for (let i = 0; i < shape.layers; i++)
      for (const kv of ['key', 'value'] as const)
        stepInputs.push(info(`past_${kv}_${kind}_${i}`, F, ['B', H, kind === 'self' ? 'P' : 'frames', hd]));
  const step = inline(decoder.graph!, 's/', 'wd/', {
    ...decoderBinds(shape, 'step', '', 's/flag'),
    input_ids: 's/ids64',
    encoder_hidden_states: 'encoder_hidden_states',
  });
  const stepOutputs: Array<[string, string, Array<number | string>]> = [
    ['logits', step.outputs.logits!, ['B', 1, V]],
  ];
  for (let i = 0; i < shape.layers; i++)
    for (const kv of ['key', 'value'] as const)
      stepOutputs.push([
        `present_${kv}_self_${i}`,
        step.outputs[`present.${i}.decoder.${kv}`]!,
        ['B', H, 'P1', hd],
      ]);
  const decoderGraph: Graph = {
    name: 'decoder_step',
    node: [
      {
        opType: 'Cast',
        input: ['input_ids'],
        output: ['s/ids64'],
        attribute: [{ name: 'to', type: 2, i: T.INT64 }],
      },
      ...flagNodes('s/', 'past_key_self_0', 2, 'Greater', 's/flag'),
      ...step.nodes,
      ...stepOutputs.map(([name, source]) => ({ opType: 'Identity', input: [source], output: [name] })),
    ],
    initializer: [constTensor('c/zero', T.INT64, [1], new Uint8Array(BigInt64Array.of(0n).buffer))],
    input: stepInputs,
    output: stepOutputs.map(([name, , dims]) => info(name, F, dims)),
  };

  const ints = (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  const graphAttr = (name: string, g: Graph) => ({ name, type: onnx.AttributeProto.AttributeType.GRAPH, g });
  const attributes = [
    ints('eos_token_id', tokens.eot),
    ints('pad_token_id', tokens.eot),
    ints('decoder_start_token_id', tokens.sot),
    ints('model_type', 2),
    ints('vocab_size', V),
    ints('no_repeat_ngram_size', 0),
    ints('early_stopping', 0),
    ints('beginning_timestamp_token_id', tokens.timestampBegin),
    ints('transcribe_token_id', tokens.transcribe),
    ints('translate_token_id', tokens.translate),
    ints('no_timestamps_token_id', tokens.noTimestamps),
    ...(tokens.startOfLm !== undefined ? [ints('start_of_lm_token_id', tokens.startOfLm)] : []),
    ...(tokens.noSpeech !== undefined ? [ints('no_speech_token_id', tokens.noSpeech)] : []),
    graphAttr('encoder', encoderGraph),
    graphAttr('decoder', decoderGraph),
  ];
  const main: Graph = {
    name: 'whisper_beam_search',
    node: [
      {
        opType: 'WhisperBeamSearch',
        domain: 'com.microsoft',
        name: 'beam_search',
        input: [...BEAM_SEARCH_INPUTS],
        output: ['sequences', 'sequences_scores'],
        attribute: attributes,
      },
    ],
    initializer: weightsOf(decoder.graph!, 'wd/'),
    input: [
      info('input_features', F, ['batch', shape.nMels, 'mel_frames']),
      ...['max_length', 'min_length', 'num_beams', 'num_return_sequences', 'logits_processor'].map((n) =>
        info(n, T.INT32, [1]),
      ),
      info('length_penalty', F, [1]),
      info('repetition_penalty', F, [1]),
      info('vocab_mask', T.INT32, [V]),
      info('prefix_vocab_mask', T.INT32, ['batch', V]),
      info('decoder_input_ids', T.INT32, ['batch', 'prompt']),
      info('temperature', F, [1]),
    ],
    output: [
      info('sequences', T.INT32, ['batch', 'returns', 'max_length']),
      info('sequences_scores', F, ['batch', 'returns']),
    ],
  };
  const model: OnnxNamespace.IModelProto = {
    irVersion: encoder.irVersion ?? 8,
    producerName: 'whisper-edge beam-search-chain',
    opsetImport: [
      ...(decoder.opsetImport ?? []).filter((o) => o.domain !== 'com.microsoft'),
      { domain: 'com.microsoft', version: 1 },
    ],
    graph: main,
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
